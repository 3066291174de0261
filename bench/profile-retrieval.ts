/**
 * Runs the SciFact test queries against an existing database, for profiling a retrieval:
 *   npx tsx bench/run.ts --only=100k --keep        # prints the folder of the kept databases
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile-retrieval.ts <db> [passes] [k=v ...]
 * Extra k=v pairs are retrieve() options (e.g. vectorSimilarityWeight=0, pageSize=30).
 */
import { performance } from 'node:perf_hooks';
import { RagFlow, type RetrieveInput } from '../src/index.js';
import { loadScifactTestQueries } from './lib/data.js';
import { summarize, turn } from './lib/util.js';

const [path, passesArg = '2', ...pairs] = process.argv.slice(2);
if (!path) throw new Error('usage: profile-retrieval.ts <db path> [passes] [option=value ...]');
const options: Record<string, number> = {};
for (const pair of pairs) {
  const [key, value] = pair.split('=');
  if (key && value !== undefined) options[key] = Number(value);
}

const rag = await RagFlow.open({ path, embeddingModel: 'hash@Builtin' });
const { items } = await rag.datasets.list({ pageSize: 10 });
const dataset = items[0];
if (!dataset) throw new Error(`no dataset in ${path}`);
const queries = loadScifactTestQueries();
const base: Omit<RetrieveInput, 'question'> = { datasetIds: [dataset.id], pageSize: 10, ...options };
for (let pass = 1; pass <= Number(passesArg); pass++) {
  const times: number[] = [];
  for (const q of queries) {
    await turn();
    const t0 = performance.now();
    await rag.retrieve({ ...base, question: q.text });
    times.push(performance.now() - t0);
  }
  const s = summarize(times);
  process.stdout.write(
    `pass ${pass}: ${dataset.chunkCount} chunks, p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, mean ${s.mean.toFixed(1)} ms\n`,
  );
}
await rag.close();
