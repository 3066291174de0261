import { RagFlowError, type RagFlow } from '../../src/index.js';
import { existingDatabase, prepareDataDir } from './data-dir.js';
import { findDataset, importBeir } from './eval-beir.js';
import { readQrels, readQueries } from './eval-files.js';
import type { EvalOptions } from './eval-options.js';
import { Progress } from './eval-progress.js';
import { reportLines } from './eval-report.js';
import { openForKeys } from './open.js';
import { CliError } from './usage.js';

export interface EvalOutput {
  out(line: string): void;
  err(line: string): void;
}

/** The queries that have judgments, in file order; the others are named in a note. */
async function loadQuestions(options: EvalOptions, err: (line: string) => void) {
  const [all, qrels] = await Promise.all([readQueries(options.queries), readQrels(options.qrels)]);
  const queries = all.filter((q) => Object.hasOwn(qrels, q.id));
  if (queries.length === 0) throw new CliError(`No query of ${options.queries} has judgments in ${options.qrels}`);
  if (queries.length < all.length) err(`${all.length - queries.length} queries without judgments in ${options.qrels} are skipped`);
  const asked = new Set(queries.map((q) => q.id));
  const unasked = Object.keys(qrels).filter((id) => !asked.has(id)).length;
  if (unasked > 0) err(`${unasked} judged queries are not in ${options.queries}`);
  return { queries, qrels };
}

/**
 * `ragflow eval`: imports a BEIR folder first if asked, then scores retrieval on the judged
 * queries and prints the means as a markdown table. Opens the database like `keys` does, so the
 * parses of a server running on it are never taken over.
 */
export async function runEval(options: EvalOptions, output: EvalOutput): Promise<number> {
  const path = options.beir === undefined ? existingDatabase(options.dataDir) : prepareDataDir(options.dataDir);
  const { queries, qrels } = await loadQuestions(options, output.err);
  const rag = await openForKeys(path);
  try {
    return await evaluate(rag, options, queries, qrels, output);
  } catch (error) {
    if (error instanceof RagFlowError) throw new CliError(error.message);
    throw error;
  } finally {
    await rag.close();
  }
}

async function evaluate(
  rag: RagFlow,
  options: EvalOptions,
  queries: { id: string; question: string }[],
  qrels: Record<string, Record<string, number>>,
  output: EvalOutput,
): Promise<number> {
  const imported = options.beir === undefined ? undefined : await importBeir(rag, options.beir, options.dataset, options.chunkTokenNum, output.err);
  const dataset = imported?.dataset ?? (await findDataset(rag, options.dataset));
  if (!dataset) throw new CliError(`No dataset named "${options.dataset}" in ${options.dataDir}`);
  const bar = new Progress('query ', queries.length);
  const started = Date.now();
  const result = await rag.evaluate({
    datasetIds: [dataset.id],
    queries,
    qrels,
    k: options.k,
    onProgress: (done) => bar.update(done),
  });
  bar.end();
  const timing = { evalSeconds: (Date.now() - started) / 1000, ...(imported && { importSeconds: imported.seconds }) };
  if (result.unmatched.length > 0) {
    const examples = result.unmatched.slice(0, 5).join(', ');
    output.err(`${result.unmatched.length} relevant documents of the qrels match no document of "${dataset.name}" (e.g. ${examples})`);
  }
  for (const line of reportLines(dataset.name, result, timing)) output.out(line);
  return 0;
}
