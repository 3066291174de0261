import type { ParsedFile, Parser, Section } from '../types.js';
import { decodeText } from '../text-decode.js';

const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;
const TABLE_DELIMITER_ROW = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

/** Splits a GFM table line on unescaped pipes, dropping the optional outer pipes. */
export function splitTableRow(line: string): string[] {
  let body = line.trim();
  if (body.startsWith('|')) body = body.slice(1);
  if (body.endsWith('|') && !body.endsWith('\\|')) body = body.slice(0, -1);
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '\\' && body[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (ch === '|') {
      cells.push(cell.trim());
      cell = '';
    } else {
      cell += ch;
    }
  }
  cells.push(cell.trim());
  return cells;
}

function closingFence(line: string, open: string): boolean {
  const trimmed = line.trim();
  const ch = open[0] ?? '`';
  return trimmed.length >= open.length && [...trimmed].every((c) => c === ch);
}

/** Markdown to sections: ATX/setext headings, GFM pipe tables, everything else as text paragraphs. */
export function markdownToSections(source: string): Section[] {
  const lines = source.split('\n');
  const sections: Section[] = [];
  let paragraph: string[] = [];

  const flush = (): void => {
    const text = paragraph.join('\n');
    if (text.trim()) sections.push({ kind: 'text', text });
    paragraph = [];
  };

  let i = 0;
  // YAML front matter is metadata, not a setext heading underlined by its closing "---".
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((l, k) => k > 0 && (l.trim() === '---' || l.trim() === '...'));
    if (end > 0) {
      paragraph = lines.slice(0, end + 1);
      flush();
      i = end + 1;
    }
  }

  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';

    const fence = FENCE_OPEN.exec(line);
    if (fence) {
      flush();
      const open = fence[1] ?? '```';
      const block = [line];
      while (++i < lines.length) {
        const inner = lines[i] ?? '';
        block.push(inner);
        if (closingFence(inner, open)) break;
      }
      paragraph = block;
      flush();
      continue;
    }

    if (!line.trim()) {
      flush();
      continue;
    }

    const atx = ATX_HEADING.exec(line);
    if (atx) {
      flush();
      const text = (atx[2] ?? '').replace(/(^|[ \t]+)#+$/, '').trim();
      if (text) sections.push({ kind: 'heading', text, level: atx[1]?.length ?? 1 });
      continue;
    }

    const setext = SETEXT_UNDERLINE.exec(line);
    if (setext && paragraph.length > 0) {
      const text = paragraph.map((l) => l.trim()).join(' ');
      paragraph = [];
      sections.push({ kind: 'heading', text, level: setext[1]?.startsWith('=') ? 1 : 2 });
      continue;
    }

    if (THEMATIC_BREAK.test(line)) {
      flush();
      continue;
    }

    const next = lines[i + 1];
    if (line.includes('|') && next !== undefined && TABLE_DELIMITER_ROW.test(next) && next.includes('|')) {
      const header = splitTableRow(line);
      if (splitTableRow(next).length === header.length) {
        flush();
        const rows: string[][] = [header];
        i += 2;
        for (; i < lines.length; i++) {
          const rowLine = lines[i] ?? '';
          if (!rowLine.trim() || !rowLine.includes('|')) break;
          // GFM: rows are cut or padded to the header's width.
          const cells = splitTableRow(rowLine).slice(0, header.length);
          while (cells.length < header.length) cells.push('');
          rows.push(cells);
        }
        i--;
        sections.push({ kind: 'table', rows, hasHeader: true });
        continue;
      }
    }

    paragraph.push(line);
  }
  flush();
  return sections;
}

export const markdownParser: Parser = {
  type: 'md',
  parse: async (bytes): Promise<ParsedFile> => ({ sections: markdownToSections(decodeText(bytes)) }),
};
