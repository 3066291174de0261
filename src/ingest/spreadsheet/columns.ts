import type { ChunkFieldValue } from '../../types.js';

/**
 * What a column holds, inferred over all its non-empty cells (RAGFlow's table method keeps typed
 * columns so rows can be filtered and compared; its suffixes _long, _flt, _dt, _kwd/_tks match):
 *
 * | type      | when                                                           | field value          |
 * |-----------|----------------------------------------------------------------|----------------------|
 * | `int`     | every cell is a whole number                                   | number               |
 * | `float`   | every cell is a number, some with a fraction                   | number               |
 * | `date`    | every cell is an ISO date (yyyy-mm-dd, optionally with a time) | ISO string           |
 * | `boolean` | every cell is TRUE/FALSE (a spreadsheet boolean or the word)   | boolean              |
 * | `text`    | anything else, including an empty column                       | the cell as shown    |
 *
 * Spreadsheet cells bring their own type; CSV and text cells are strings and are recognised by
 * their spelling. An integer written with a leading zero ("007", a code or a postcode) is text, so
 * its zeros are not lost.
 */
export type ColumnType = 'int' | 'float' | 'date' | 'boolean' | 'text';

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const LEADING_ZERO = /^[+-]?0\d/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const BOOLEAN = /^(?:true|false)$/i;

function cellType(value: ChunkFieldValue): ColumnType {
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'boolean') return 'boolean';
  const text = value.trim();
  if (NUMBER.test(text) && !LEADING_ZERO.test(text)) {
    const n = Number(text);
    if (Number.isFinite(n)) return Number.isInteger(n) && !/[.eE]/.test(text) ? 'int' : 'float';
  }
  if (ISO_DATE.test(text)) return 'date';
  if (BOOLEAN.test(text)) return 'boolean';
  return 'text';
}

function combine(a: ColumnType | undefined, b: ColumnType): ColumnType {
  if (a === undefined || a === b) return b;
  if ((a === 'int' && b === 'float') || (a === 'float' && b === 'int')) return 'float';
  return 'text';
}

/** Accumulates column types one row at a time (a long table is walked with pauses). */
export class ColumnTypes {
  private readonly types: (ColumnType | undefined)[];

  constructor(width: number) {
    this.types = new Array<ColumnType | undefined>(width).fill(undefined);
  }

  add(row: readonly (ChunkFieldValue | null)[]): void {
    for (let c = 0; c < this.types.length; c++) this.addCell(c, row[c] ?? null);
  }

  addCell(column: number, value: ChunkFieldValue | null): void {
    if (value === null || value === '' || this.types[column] === 'text') return;
    this.types[column] = combine(this.types[column], cellType(value));
  }

  result(): ColumnType[] {
    return this.types.map((t) => t ?? 'text');
  }
}

/** The cell as a value of its column's type; the shown text when the column is text. */
export function fieldValue(type: ColumnType, value: ChunkFieldValue | null, shown: string): ChunkFieldValue {
  if (value === null) return shown;
  switch (type) {
    case 'int':
    case 'float':
      return typeof value === 'number' ? value : Number(value.toString().trim());
    case 'boolean':
      return typeof value === 'boolean' ? value : /^true$/i.test(value.toString().trim());
    case 'date':
      return value.toString().trim();
    default:
      return shown;
  }
}

/**
 * Header cells as field names: an empty header becomes "column N" (N counts from 1) and a repeated
 * one gets " (2)", " (3)"... so every column keeps a name of its own.
 */
export function uniqueHeaders(header: readonly string[]): string[] {
  const taken = new Set<string>();
  const names: string[] = [];
  const base = header.map((h, c) => h.replace(/\s+/g, ' ').trim() || `column ${c + 1}`);
  // Names as written are kept first, so "price" stays "price" even if a later empty header would clash.
  for (const name of base) taken.add(name);
  const seen = new Set<string>();
  for (const name of base) {
    if (!seen.has(name)) {
      seen.add(name);
      names.push(name);
      continue;
    }
    let n = 2;
    while (taken.has(`${name} (${n})`)) n++;
    const unique = `${name} (${n})`;
    taken.add(unique);
    names.push(unique);
  }
  return names;
}
