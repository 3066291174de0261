/**
 * Child process of bench/run.ts: a fresh process that imports the library, opens an existing
 * database and asks two questions. Prints one JSON line. Usage: tsx bench/cold-start.ts <db> <q1> <q2>
 */
import { performance } from 'node:perf_hooks';

const [path, q1 = 'cancer', q2 = 'vaccine'] = process.argv.slice(2);
if (!path) throw new Error('usage: cold-start.ts <db path> [question] [question]');

const t0 = performance.now();
const { RagFlow } = await import('../src/index.js');
const t1 = performance.now();
const rag = await RagFlow.open({ path, embeddingModel: 'hash@Builtin' });
const t2 = performance.now();
const { items } = await rag.datasets.list({ pageSize: 10 });
const dataset = items[0];
if (!dataset) throw new Error(`no dataset in ${path}`);
const t3 = performance.now();
const first = await rag.retrieve({ datasetIds: [dataset.id], question: q1, pageSize: 10 });
const t4 = performance.now();
await rag.retrieve({ datasetIds: [dataset.id], question: q2, pageSize: 10 });
const t5 = performance.now();
await rag.close();
process.stdout.write(
  `${JSON.stringify({
    importMs: t1 - t0,
    openMs: t2 - t1,
    firstQueryMs: t4 - t3,
    secondQueryMs: t5 - t4,
    firstHits: first.chunks.length,
    processUptimeMs: process.uptime() * 1000,
    maxRssKiB: process.resourceUsage().maxRSS,
    chunks: dataset.chunkCount,
  })}\n`,
);
