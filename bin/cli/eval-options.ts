import { basename, join, resolve } from 'node:path';
import { flagOrEnv, parseCommandLine } from './args.js';
import { DEFAULT_DATA_DIR } from './options.js';
import { EVAL_USAGE, UsageError } from './usage.js';

export interface EvalOptions {
  dataDir: string;
  dataset: string;
  queries: string;
  qrels: string;
  k: number;
  /** A BEIR folder to import into `dataset` first (when the dataset is missing or incomplete). */
  beir?: string;
  /** Chunk budget of the dataset a BEIR import creates. */
  chunkTokenNum: number;
}

/**
 * RAGFlow's current default budget. A BEIR corpus entry is what the judgments grade; cut into
 * 128-token pieces (our dataset default) it is ranked by its best piece, which measures our
 * splitting as much as our ranking (SciFact: nDCG@10 0.6851 at 128, 0.6881 at 512).
 */
const BEIR_CHUNK_TOKEN_NUM = 512;

const EVAL_FLAGS = {
  'data-dir': { type: 'string' },
  dataset: { type: 'string' },
  queries: { type: 'string' },
  qrels: { type: 'string' },
  k: { type: 'string' },
  beir: { type: 'string' },
  split: { type: 'string' },
  'chunk-token-num': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** undefined when --help was asked for. */
export function parseEvalOptions(args: readonly string[], env: NodeJS.ProcessEnv): EvalOptions | undefined {
  const { values } = parseCommandLine(args, EVAL_FLAGS, EVAL_USAGE);
  if (values['help'] === true) return undefined;
  const text = (flag: string): string | undefined => {
    const value = values[flag];
    if (typeof value !== 'string') return undefined;
    if (value.trim() === '') throw new UsageError(`--${flag} must not be blank`, EVAL_USAGE);
    return value;
  };
  const kText = text('k');
  const k = kText === undefined ? 100 : Number(kText);
  if (!Number.isInteger(k) || k < 1 || k > 10_000) {
    throw new UsageError(`--k must be an integer 1-10000, got "${kText}"`, EVAL_USAGE);
  }
  const beir = text('beir');
  const split = text('split');
  if (split !== undefined && beir === undefined) throw new UsageError('--split is only used with --beir', EVAL_USAGE);
  const budgetText = text('chunk-token-num');
  if (budgetText !== undefined && beir === undefined) throw new UsageError('--chunk-token-num is only used with --beir', EVAL_USAGE);
  const chunkTokenNum = budgetText === undefined ? BEIR_CHUNK_TOKEN_NUM : Number(budgetText);
  if (!Number.isInteger(chunkTokenNum) || chunkTokenNum < 1 || chunkTokenNum > 2048) {
    throw new UsageError(`--chunk-token-num must be an integer 1-2048, got "${budgetText}"`, EVAL_USAGE);
  }
  const dataset = text('dataset') ?? (beir === undefined ? undefined : basename(resolve(beir)));
  const queries = text('queries') ?? (beir === undefined ? undefined : join(beir, 'queries.jsonl'));
  const qrels = text('qrels') ?? (beir === undefined ? undefined : join(beir, 'qrels', `${split ?? 'test'}.tsv`));
  if (dataset === undefined) throw new UsageError('Missing --dataset (or --beir DIR)', EVAL_USAGE);
  if (queries === undefined) throw new UsageError('Missing --queries (or --beir DIR)', EVAL_USAGE);
  if (qrels === undefined) throw new UsageError('Missing --qrels (or --beir DIR)', EVAL_USAGE);
  const dataDir = flagOrEnv(values, 'data-dir', env, 'RAGFLOW_DATA_DIR') ?? DEFAULT_DATA_DIR;
  return { dataDir, dataset, queries, qrels, k, chunkTokenNum, ...(beir !== undefined && { beir }) };
}
