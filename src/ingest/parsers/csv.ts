import { parse } from 'csv-parse';
import type { ParsedFile, ParseContext, Parser } from '../types.js';
import { IngestError } from '../types.js';
import { fileExtension } from '../detect.js';
import { decodeText } from '../text-decode.js';
import { Yielder } from '../../util/yield.js';

/** Tab for .tsv; otherwise guessed from the first line (spreadsheet exports use tab or semicolon). */
export function guessDelimiter(fileName: string, text: string): string {
  if (fileExtension(fileName) === 'tsv') return '\t';
  const first = text.slice(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'));
  if (first.includes('\t') && !first.includes(',')) return '\t';
  if (first.includes(';') && !first.includes(',') && !first.includes('\t')) return ';';
  return ',';
}

/** Bytes fed to the CSV parser between yields to the event loop. */
const SLICE_BYTES = 64 * 1024;

interface CsvRecord {
  cells: string[];
  /** The line the record starts on (1-based): what a text editor, or a spreadsheet app, shows for it. */
  line: number;
}

/** Line breaks inside a record's quoted cells: the record started that many lines before it ended. */
function innerLineBreaks(cells: readonly string[]): number {
  let count = 0;
  for (const cell of cells) {
    if (!cell.includes('\n') && !cell.includes('\r')) continue;
    count += cell.match(/\r\n|\r|\n/g)?.length ?? 0;
  }
  return count;
}

async function readRows(text: string, delimiter: string, yielder: Yielder): Promise<CsvRecord[]> {
  const rows: CsvRecord[] = [];
  const parser = parse({
    info: true,
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
  });
  let failure: unknown;
  parser.on('error', (error) => {
    failure = error;
  });
  const drain = (): void => {
    let entry: { record: string[]; info: { lines: number } } | null;
    while ((entry = parser.read() as typeof entry) !== null) {
      // csv-parse reports the line a record ends on.
      rows.push({ cells: entry.record, line: entry.info.lines - innerLineBreaks(entry.record) });
    }
  };
  // One slice at a time, drained before the next: records are produced as each slice is written, so
  // no single step parses the whole file, and the event loop gets a turn between slices.
  const bytes = Buffer.from(text, 'utf8');
  for (let offset = 0; offset < bytes.length && failure === undefined; offset += SLICE_BYTES) {
    parser.write(bytes.subarray(offset, offset + SLICE_BYTES));
    drain();
    await yielder.tick();
  }
  if (failure === undefined) {
    const ended = new Promise<void>((resolve) => {
      parser.on('end', () => resolve());
      parser.on('error', () => resolve());
      parser.on('readable', drain);
    });
    parser.end();
    drain();
    await ended;
  }
  if (failure !== undefined) {
    const detail = failure instanceof Error ? failure.message : String(failure);
    throw new IngestError(`The CSV file could not be parsed: ${detail}`, { cause: failure });
  }
  return rows;
}

async function parseCsv(bytes: Uint8Array, context: ParseContext): Promise<ParsedFile> {
  const text = decodeText(bytes);
  const yielder = new Yielder(context.signal);
  const rows = await readRows(text, guessDelimiter(context.fileName, text), yielder);
  if (rows.length === 0) return { sections: [] };
  const width = rows.reduce((w, r) => Math.max(w, r.cells.length), 0);
  const grid: string[][] = [];
  const rowNumbers: number[] = [];
  for (const row of rows) {
    const cells = row.cells.map((c) => c.trim());
    while (cells.length < width) cells.push('');
    grid.push(cells);
    rowNumbers.push(row.line);
    if (grid.length % 1000 === 0) await yielder.tick();
  }
  return { sections: [{ kind: 'table', rows: grid, hasHeader: true, rowNumbers }] };
}

export const csvParser: Parser = {
  type: 'csv',
  parse: parseCsv,
};
