import { argumentError } from '../errors.js';
import { optionalNumber, stringList } from '../validation.js';
import type { Qrels } from './metrics.js';

export interface EvalQuestion {
  id: string;
  question: string;
}

export interface EvaluateInput {
  datasetIds: string[];
  queries: EvalQuestion[];
  /** queryId → (document id, name, or name without extension) → grade; grade > 0 is relevant. */
  qrels: Record<string, Record<string, number>>;
  /** Documents ranked per query and the Recall cutoff (default 100). */
  k?: number;
  signal?: AbortSignal;
  /** Called after each query. */
  onProgress?: (done: number, total: number) => void;
}

export interface CheckedInput {
  datasetIds: string[];
  queries: EvalQuestion[];
  qrels: Qrels;
  k: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export const DEFAULT_K = 100;
export const MAX_K = 10_000;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function checkQueries(value: unknown): EvalQuestion[] {
  if (!Array.isArray(value)) throw argumentError('`queries` must be a list of { id, question }');
  if (value.length === 0) throw argumentError('`queries` must not be empty');
  const seen = new Set<string>();
  return value.map((entry: unknown, i) => {
    if (!isRecord(entry)) throw argumentError(`\`queries[${i}]\` must be an object { id, question }`);
    const { id, question } = entry;
    if (typeof id !== 'string' || id === '') throw argumentError(`\`queries[${i}].id\` must be a non-empty string`);
    if (seen.has(id)) throw argumentError(`\`queries[${i}].id\` repeats the query id "${id}"`);
    seen.add(id);
    if (typeof question !== 'string' || question.trim() === '') {
      throw argumentError(`\`queries[${i}].question\` must be a non-empty string`);
    }
    return { id, question };
  });
}

function checkQrels(value: unknown): Qrels {
  if (!isRecord(value)) throw argumentError('`qrels` must be an object { queryId: { document: grade } }');
  const qrels: Record<string, Record<string, number>> = {};
  for (const [queryId, judged] of Object.entries(value)) {
    if (!isRecord(judged)) throw argumentError(`\`qrels.${queryId}\` must be an object { document: grade }`);
    const grades: Record<string, number> = {};
    for (const [doc, grade] of Object.entries(judged)) {
      if (typeof grade !== 'number' || !Number.isFinite(grade)) {
        throw argumentError(`\`qrels.${queryId}.${doc}\` must be a number (the grade)`);
      }
      grades[doc] = grade;
    }
    qrels[queryId] = grades;
  }
  return qrels;
}

/** Checks everything before the first retrieval; each error (code 101) names its field. */
export function checkEvaluateInput(input: unknown): CheckedInput {
  if (!isRecord(input)) throw argumentError('evaluate() takes an object { datasetIds, queries, qrels, k? }');
  const datasetIds = stringList('datasetIds', input['datasetIds']);
  const queries = checkQueries(input['queries']);
  const qrels = checkQrels(input['qrels']);
  const k = optionalNumber('k', input['k'], DEFAULT_K, { integer: true, min: 1, max: MAX_K });
  const { signal, onProgress } = input;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw argumentError('`signal` must be an AbortSignal');
  if (onProgress !== undefined && typeof onProgress !== 'function') throw argumentError('`onProgress` must be a function');
  return {
    datasetIds,
    queries,
    qrels,
    k,
    ...(signal instanceof AbortSignal && { signal }),
    ...(typeof onProgress === 'function' && { onProgress: onProgress as CheckedInput['onProgress'] & object }),
  };
}
