import type { ChunkSource } from '../../types.js';
import type { Section } from '../types.js';
import { isAnswerLabel, isQuestionLabel, type QaPair } from './pair.js';

export type TableSection = Extract<Section, { kind: 'table' }>;

/** Question and answer columns named by a header row ("No. | Question | Answer | Topic"). */
function labelledColumns(header: readonly string[]): [number, number] | undefined {
  const question = header.findIndex(isQuestionLabel);
  const answer = header.findIndex((cell, i) => i !== question && isAnswerLabel(cell));
  return question >= 0 && answer >= 0 ? [question, answer] : undefined;
}

/** The first two columns holding anything: a sheet may start with blank columns. */
function firstFilledColumns(rows: readonly (readonly string[])[]): [number, number] | undefined {
  const width = rows.reduce((w, r) => Math.max(w, r.length), 0);
  const filled: number[] = [];
  for (let col = 0; col < width && filled.length < 2; col++) {
    if (rows.some((row) => (row[col] ?? '').trim() !== '')) filled.push(col);
  }
  return filled.length === 2 ? [filled[0] as number, filled[1] as number] : undefined;
}

/** True when a table's header row names a question and an answer column: its rows are pairs. */
export const isQaTable = (table: TableSection): boolean => table.rows[0] !== undefined && labelledColumns(table.rows[0]) !== undefined;

/**
 * One pair per row: the question and answer columns are the ones the header names, else the first
 * two filled columns. A header of labels is skipped; parsers mark every sheet's first row as a
 * header, but a Q&A sheet without titles starts with a real pair, so only labels decide.
 * Each pair keeps its sheet and row number.
 */
export function* tablePairs(table: TableSection, source?: ChunkSource): Generator<QaPair> {
  const header = table.rows[0];
  if (!header) return;
  const labelled = labelledColumns(header);
  const columns = labelled ?? firstFilledColumns(table.rows);
  if (!columns) return;
  const [questionColumn, answerColumn] = columns;
  const skipHeader = labelled !== undefined || isQuestionLabel(header[questionColumn] ?? '') || isAnswerLabel(header[answerColumn] ?? '');
  const base = { ...table.source, ...source };
  for (let i = skipHeader ? 1 : 0; i < table.rows.length; i++) {
    const row = table.rows[i] as string[];
    // Without numbers from the parser (CSV), the record number is the row a spreadsheet would show.
    const rowNumber = table.rowNumbers?.[i] ?? i + 1;
    yield { question: row[questionColumn] ?? '', answer: row[answerColumn] ?? '', source: { ...base, rows: [rowNumber, rowNumber] } };
  }
}
