import type { ChunkFieldValue, ChunkSource } from '../../types.js';
import type { ChunkDraft, ParsedFile, Section } from '../types.js';
import { IngestError } from '../types.js';
import { decodeText } from '../text-decode.js';
import { ColumnTypes, fieldValue, uniqueHeaders } from '../spreadsheet/columns.js';
import { Yielder } from '../../util/yield.js';
import type { Chunker, ChunkContext } from './types.js';

type Table = Extract<Section, { kind: 'table' }>;

/** A .txt file read as RAGFlow's table method reads it: tab-separated cells, the first line the header. */
async function tabSeparatedTable(bytes: Uint8Array, yielder: Yielder): Promise<Table | undefined> {
  const lines = decodeText(bytes).split(/\r\n|\r|\n/);
  const rows: string[][] = [];
  const rowNumbers: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim()) {
      rows.push(line.split('\t').map((c) => c.trim()));
      rowNumbers.push(i + 1);
    }
    await yielder.tick();
  }
  if (rows.length === 0) return undefined;
  if ((rows[0] as string[]).length < 2) {
    throw new IngestError('The "table" parse method reads a .txt file as tab-separated columns under a header line, and this file has no tab in its first line.');
  }
  return { kind: 'table', rows, hasHeader: true, rowNumbers };
}

/** One chunk per data row: "header: value; …" with the row's typed fields and its place in the sheet. */
async function chunkTable(table: Table, yielder: Yielder, out: ChunkDraft[]): Promise<void> {
  const width = table.rows.reduce((w, r) => Math.max(w, r.length), 0);
  const offset = table.hasHeader ? 1 : 0;
  const headers = uniqueHeaders(table.hasHeader ? Array.from({ length: width }, (_, c) => table.rows[0]?.[c] ?? '') : new Array<string>(width).fill(''));
  const valueAt = (r: number, c: number): ChunkFieldValue | null => {
    const typed = table.typedRows?.[r]?.[c];
    if (typed !== undefined) return typed;
    const shown = table.rows[r]?.[c] ?? '';
    return shown === '' ? null : shown;
  };

  const columns = new ColumnTypes(width);
  for (let r = offset; r < table.rows.length; r++) {
    for (let c = 0; c < width; c++) columns.addCell(c, valueAt(r, c));
    await yielder.tick();
  }
  const types = columns.result();

  for (let r = offset; r < table.rows.length; r++) {
    await yielder.tick();
    const row = table.rows[r] as string[];
    const parts: string[] = [];
    const fields: Record<string, ChunkFieldValue> = {};
    for (let c = 0; c < width; c++) {
      const shown = (row[c] ?? '').trim();
      if (!shown) continue;
      const name = headers[c] as string;
      parts.push(`${name}: ${shown}`);
      fields[name] = fieldValue(types[c] ?? 'text', valueAt(r, c), shown);
    }
    if (parts.length === 0) continue;
    const line = table.rowNumbers?.[r] ?? r + 1;
    const source: ChunkSource = { ...table.source, rows: [line, line] };
    out.push({ content: parts.join('; '), positions: [], source, fields });
  }
}

async function chunkTables(parsed: ParsedFile, context: ChunkContext): Promise<ChunkDraft[]> {
  const yielder = new Yielder(context.signal);
  const tables: Table[] = [];
  if (context.fileType === 'txt') {
    const table = await tabSeparatedTable(context.bytes, yielder);
    if (table) tables.push(table);
  } else {
    for (const section of parsed.sections) if (section.kind === 'table') tables.push(section);
  }
  const drafts: ChunkDraft[] = [];
  for (const table of tables) await chunkTable(table, yielder, drafts);
  return drafts;
}

/**
 * RAGFlow's "Table" method: every data row of a spreadsheet sheet, CSV/TSV file or tab-separated
 * .txt becomes one chunk reading "header: value; header: value" (empty cells left out), with the
 * row's cells as typed `fields` (column types inferred over the whole column, see columns.ts) and
 * the sheet and row it came from. A header row alone gives no chunks.
 */
export const tableChunker: Chunker = {
  method: 'table',
  accepts: ['spreadsheet', 'csv', 'txt'],
  chunk: chunkTables,
};
