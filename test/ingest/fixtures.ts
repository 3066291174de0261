import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PDFDocument, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';

/** The shared, read-only parsing corpus (never copied into the repository). */
export const PARSING_DATA = fileURLToPath(new URL('../../../shared/data/parsing-docling/', import.meta.url));

export async function corpusFile(relative: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(PARSING_DATA + relative));
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/**
 * A minimal one-page PDF whose trailer points at a Standard security handler dictionary. The O/U
 * entries do not match the empty user password, so a reader must ask for a password.
 */
export function encryptedPdf(): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
    `<< /Filter /Standard /V 1 /R 2 /O <${'11'.repeat(32)}> /U <${'22'.repeat(32)}> /P -4 >>`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  const id = 'ab'.repeat(16);
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<${id}> <${id}>] >>\n`;
  body += `startxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(body, 'latin1'));
}

/** Writes one paragraph: words wrapped to a 480 pt measure, then `spaceAfter` points of space. */
export type WriteParagraph = (text: string, size: number, font: PDFFont, spaceAfter: number) => void;

/**
 * A US-letter PDF of wrapped paragraphs set like a real document, a new page begun when the text
 * reaches the bottom margin, so a long paragraph runs across a page break.
 */
export async function paragraphsPdf(write: (paragraph: WriteParagraph, fonts: { regular: PDFFont; bold: PDFFont }) => void): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  let page: PDFPage = doc.addPage([612, 792]);
  let y = 740;
  const draw = (line: string, size: number, font: PDFFont): void => {
    if (y < 60) {
      page = doc.addPage([612, 792]);
      y = 740;
    }
    page.drawText(line, { x: 66, y, size, font });
    y -= size * 1.25;
  };
  write(
    (text, size, font, spaceAfter) => {
      let line = '';
      for (const word of text.split(' ')) {
        const next = line ? `${line} ${word}` : word;
        if (line && font.widthOfTextAtSize(next, size) > 480) {
          draw(line, size, font);
          line = word;
        } else {
          line = next;
        }
      }
      if (line) draw(line, size, font);
      y -= spaceAfter;
    },
    { regular, bold },
  );
  return doc.save();
}
