import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { CliError } from './usage.js';

/** Each non-blank line of a text file with its 1-based number; a missing file is one clear error. */
export async function* lines(path: string): AsyncGenerator<{ line: string; number: number }> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', reject);
  });
  try {
    await opened;
  } catch (error) {
    throw new CliError(`Cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let number = 0;
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
    number++;
    if (line.trim() !== '') yield { line, number };
  }
}

/** One JSON object per line. */
export async function* jsonLines(path: string): AsyncGenerator<{ value: Record<string, unknown>; where: string }> {
  for await (const { line, number } of lines(path)) {
    const where = `${path}:${number}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new CliError(`${where}: not a JSON object`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CliError(`${where}: not a JSON object`);
    yield { value: value as Record<string, unknown>, where };
  }
}

const idOf = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;

/** Queries as JSON lines: BEIR's `{_id, text}` or `{id, question}`. */
export async function readQueries(path: string): Promise<{ id: string; question: string }[]> {
  const queries: { id: string; question: string }[] = [];
  for await (const { value, where } of jsonLines(path)) {
    const id = idOf(value['_id'] ?? value['id']);
    const question = value['text'] ?? value['question'] ?? value['query'];
    if (id === undefined) throw new CliError(`${where}: missing "_id" (or "id")`);
    if (typeof question !== 'string') throw new CliError(`${where}: missing "text" (or "question")`);
    queries.push({ id, question });
  }
  return queries;
}

/**
 * Judgments, tab or space separated: `query-id corpus-id score` (BEIR, header line allowed) or
 * TREC's `query-id 0 doc-id grade`.
 */
export async function readQrels(path: string): Promise<Record<string, Record<string, number>>> {
  const qrels: Record<string, Record<string, number>> = {};
  for await (const { line, number } of lines(path)) {
    const fields = line.trim().split(/\s+/);
    const [queryId, docId, grade] = fields.length === 4 ? [fields[0], fields[2], fields[3]] : fields;
    const value = Number(grade);
    if (fields.length < 3 || fields.length > 4 || queryId === undefined || docId === undefined || grade === undefined) {
      throw new CliError(`${path}:${number}: expected "query-id corpus-id score"`);
    }
    if (!Number.isFinite(value) || grade.trim() === '') {
      if (number === 1) continue; // the header
      throw new CliError(`${path}:${number}: the score "${grade}" is not a number`);
    }
    (qrels[queryId] ??= {})[docId] = value;
  }
  return qrels;
}
