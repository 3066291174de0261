import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

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
