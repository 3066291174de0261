/**
 * Renders a small text file into a real, multi-page PDF 1.4 for the quickstart, with no
 * dependency: Helvetica and Helvetica-Bold (two of the 14 standard fonts every reader has, so no
 * font is embedded), WinAnsi-encoded text, uncompressed content streams and a byte-exact xref table.
 *
 *   npx tsx scripts/make-example-pdf.ts [source.txt] [out.pdf]
 *
 * Source format: the first non-blank line is the title; a line starting with "## " is a section
 * heading; blank lines separate paragraphs; other lines are joined into paragraphs and re-wrapped.
 * The output is deterministic (no dates, no random ids), so regenerating an unchanged source gives
 * the same bytes.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const DEFAULT_SOURCE = fileURLToPath(new URL('../examples/quickstart/pdf-source/printing-press.txt', import.meta.url));
const DEFAULT_OUTPUT = fileURLToPath(new URL('../examples/quickstart/docs/printing-press.pdf', import.meta.url));

// A4 in points (1/72 inch).
const PAGE_WIDTH = 595;
const PAGE_HEIGHT = 842;
const MARGIN_X = 72;
const MARGIN_TOP = 80;
const MARGIN_BOTTOM = 90;
const FOOTER_Y = 40;

interface Style {
  font: 'F1' | 'F2';
  size: number;
  leading: number;
  /** Extra space above a block of this style. */
  before: number;
}

const STYLES = {
  title: { font: 'F2', size: 20, leading: 26, before: 0 },
  heading: { font: 'F2', size: 13, leading: 18, before: 14 },
  body: { font: 'F1', size: 11, leading: 15, before: 7 },
  footer: { font: 'F1', size: 9, leading: 11, before: 0 },
} as const satisfies Record<string, Style>;

type Block = { style: Style; text: string };

// ---- text: WinAnsi encoding and Helvetica metrics ---------------------------------------------

// WinAnsiEncoding equals Latin-1 from 0xA0 up; 0x80-0x9F hold these instead of control codes.
const WIN_ANSI_HIGH: Record<string, number> = {
  '€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88, '‰': 0x89,
  'Š': 0x8a, '‹': 0x8b, 'Œ': 0x8c, 'Ž': 0x8e, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95,
  '–': 0x96, '—': 0x97, '˜': 0x98, '™': 0x99, 'š': 0x9a, '›': 0x9b, 'œ': 0x9c, 'ž': 0x9e, 'Ÿ': 0x9f,
};

function winAnsiByte(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff)) return code;
  const special = WIN_ANSI_HIGH[char];
  if (special !== undefined) return special;
  throw new Error(`U+${code.toString(16).toUpperCase().padStart(4, '0')} (${char}) cannot be written in WinAnsiEncoding`);
}

// Advance widths of Helvetica in 1/1000 em for the printable ASCII range 0x20..0x7E, in order.
// prettier-ignore
const HELVETICA_ASCII = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space ! " # $ % & ' ( ) * + , - . /
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0-9 : ; < = > ?
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ A-O
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P-Z [ \ ] ^ _
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` a-o
  556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,      // p-z { | } ~
];
const OTHER_WIDTHS: Record<string, number> = { '–': 556, '—': 1000, '‘': 222, '’': 222, '“': 333, '”': 333, '•': 350, '…': 1000, '€': 556 };

function charWidth(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  if (code >= 0x20 && code <= 0x7e) return HELVETICA_ASCII[code - 0x20] ?? 556;
  const other = OTHER_WIDTHS[char];
  if (other !== undefined) return other;
  // An accented letter is as wide as its base letter.
  const base = char.normalize('NFD').charAt(0);
  return base !== char ? charWidth(base) : 556;
}

/** Width in points. Bold letters are a little wider; 6% is enough to wrap safely. */
function textWidth(text: string, style: Style): number {
  let units = 0;
  for (const char of text) units += charWidth(char);
  return (units / 1000) * style.size * (style.font === 'F2' ? 1.06 : 1);
}

/** A PDF string literal: ( ) and \ escaped, bytes above 0x7E as octal so the file stays ASCII. */
function pdfString(text: string): string {
  let out = '(';
  for (const char of text) {
    const byte = winAnsiByte(char);
    if (char === '(' || char === ')' || char === '\\') out += `\\${char}`;
    else if (byte > 0x7e) out += `\\${byte.toString(8).padStart(3, '0')}`;
    else out += char;
  }
  return `${out})`;
}

// ---- layout ------------------------------------------------------------------------------------

function readBlocks(source: string): { title: string; blocks: Block[] } {
  const blocks: Block[] = [];
  let title: string | undefined;
  let paragraph: string[] = [];
  const flush = (): void => {
    if (paragraph.length > 0) blocks.push({ style: STYLES.body, text: paragraph.join(' ') });
    paragraph = [];
  };
  for (const raw of source.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    if (line === '') {
      flush();
    } else if (title === undefined) {
      title = line;
      blocks.push({ style: STYLES.title, text: line });
    } else if (line.startsWith('## ')) {
      flush();
      blocks.push({ style: STYLES.heading, text: line.slice(3).trim() });
    } else {
      paragraph.push(line);
    }
  }
  flush();
  if (title === undefined) throw new Error('The source file is empty');
  return { title, blocks };
}

function wrap(text: string, style: Style, maxWidth: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = current ? `${current} ${word}` : word;
    if (current && textWidth(candidate, style) > maxWidth) {
      lines.push(current);
      current = word;
    } else {
      current = candidate;
    }
  }
  if (current) lines.push(current);
  return lines;
}

interface PlacedLine {
  style: Style;
  text: string;
  y: number;
}

/** Places every line on a page; a heading is never left alone at the bottom of a page. */
function paginate(blocks: readonly Block[]): PlacedLine[][] {
  const pages: PlacedLine[][] = [[]];
  const top = PAGE_HEIGHT - MARGIN_TOP;
  let y = top;
  const newPage = (): void => {
    pages.push([]);
    y = top;
  };
  for (const [index, block] of blocks.entries()) {
    const lines = wrap(block.text, block.style, PAGE_WIDTH - 2 * MARGIN_X);
    const next = blocks[index + 1];
    // Room for this block's first line, plus two lines of what follows a heading.
    let needed = block.style.leading;
    if (block.style === STYLES.heading && next) needed += 2 * next.style.leading + next.style.before;
    if (y !== top) y -= block.style.before;
    if (y - needed < MARGIN_BOTTOM) newPage();
    for (const text of lines) {
      if (y - block.style.leading < MARGIN_BOTTOM) newPage();
      y -= block.style.leading;
      (pages[pages.length - 1] as PlacedLine[]).push({ style: block.style, text, y });
    }
  }
  return pages;
}

function contentStream(lines: readonly PlacedLine[], footer: string): string {
  const ops: string[] = [];
  const show = (style: Style, x: number, y: number, text: string): void => {
    ops.push(`BT /${style.font} ${style.size} Tf ${x.toFixed(2)} ${y.toFixed(2)} Td ${pdfString(text)} Tj ET`);
  };
  for (const line of lines) show(line.style, MARGIN_X, line.y, line.text);
  show(STYLES.footer, (PAGE_WIDTH - textWidth(footer, STYLES.footer)) / 2, FOOTER_Y, footer);
  return `${ops.join('\n')}\n`;
}

// ---- file structure ----------------------------------------------------------------------------

/** Serialises numbered objects and writes the cross-reference table with their byte offsets. */
function buildPdf(objects: readonly string[], rootRef: number, infoRef: number): Buffer {
  // The comment of four bytes above 0x7F on line two tells transfer tools the file is binary.
  let out = '%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n';
  const offsets: number[] = [];
  for (const [i, body] of objects.entries()) {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  }
  const xrefOffset = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root ${rootRef} 0 R /Info ${infoRef} 0 R >>\n`;
  out += `startxref\n${xrefOffset}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

function renderPdf(source: string): Buffer {
  const { title, blocks } = readBlocks(source);
  const pages = paginate(blocks);
  // 1 catalog, 2 page tree, 3-4 fonts, 5 info, then a page object and its content stream per page.
  const objects: string[] = [];
  const pageRefs = pages.map((_, i) => 6 + 2 * i);
  objects.push('<< /Type /Catalog /Pages 2 0 R >>');
  objects.push(`<< /Type /Pages /Kids [${pageRefs.map((r) => `${r} 0 R`).join(' ')}] /Count ${pages.length} >>`);
  objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>');
  objects.push(`<< /Title ${pdfString(title)} /Producer (ragflow-ts scripts/make-example-pdf.ts) >>`);
  for (const [i, lines] of pages.entries()) {
    const stream = contentStream(lines, `${title}  -  page ${i + 1} of ${pages.length}`);
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] ` +
        `/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${7 + 2 * i} 0 R >>`,
    );
    objects.push(`<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}endstream`);
  }
  return buildPdf(objects, 1, 5);
}

async function main(): Promise<void> {
  const [sourcePath = DEFAULT_SOURCE, outputPath = DEFAULT_OUTPUT] = process.argv.slice(2);
  const pdf = renderPdf(await readFile(sourcePath, 'utf8'));
  await writeFile(outputPath, pdf);
  const pageCount = /\/Count (\d+)/.exec(pdf.toString('latin1'))?.[1];
  console.log(`${basename(outputPath)}: ${pdf.byteLength} bytes, ${pageCount} pages`);
}

await main();
