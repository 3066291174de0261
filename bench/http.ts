/**
 * HTTP benchmark of `ragflow serve` (npm run bench:http; not part of npm test). Prints a markdown
 * report on stdout, progress on stderr.
 *
 * 1. Starts the real CLI server (a child process) on a temporary data dir.
 * 2. Builds a dataset of 10,000 chunks (SciFact passages, varied) through the HTTP chunk-add route.
 * 3. autocannon: POST /api/v1/retrieval at 20 connections for 10 s, questions rotating over the
 *    SciFact test queries.
 * 4. The same again while the biggest PDF of ../shared/data/parsing-docling/pdf, uploaded several
 *    times, is being parsed (finished parses are restarted, so parsing lasts the whole run).
 *
 * Options: --duration=S (default 10), --connections=N (default 20), --chunks=N (default 10000),
 * --pdf-copies=N (default 4), --keep (keep the data dir; its path is printed).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DATA_DIR, loadScifactCorpus, loadScifactTestQueries, scifactPassages, syntheticChunks } from './lib/data.js';
import { machineInfo } from './lib/machine.js';
import { startServer, tempDataDir } from '../test/http/server-process.js';

// autocannon ships no types: the part of its API used here.
interface AutocannonHistogram {
  average: number;
  p50: number;
  p99: number;
  max: number;
}
interface AutocannonResult {
  requests: AutocannonHistogram & { total: number };
  latency: AutocannonHistogram;
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  requests?: Array<{
    setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
    onResponse?: (status: number, body: string) => void;
  }>;
}
type Autocannon = (options: AutocannonOptions) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const arg = args.find((a) => a.startsWith(`--${name}=`));
  const value = arg ? Number(arg.slice(name.length + 3)) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
};
const DURATION = option('duration', 10);
const CONNECTIONS = option('connections', 20);
const CHUNKS = option('chunks', 10_000);
const PDF_COPIES = option('pdf-copies', 4);
const KEEP = args.includes('--keep');
const BATCH = 500;
const KEY = 'ragflow-bench-key-0123456789abcdefghijklmnop';

const log = (line: string): void => void process.stderr.write(`${line}\n`);

async function call(api: string, method: string, path: string, body?: unknown | FormData): Promise<any> {
  const headers: Record<string, string> = { authorization: `Bearer ${KEY}` };
  let payload: string | FormData | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(api + path, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${method} ${path} → HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`);
  }
  if (response.status !== 200 || json.code !== 0) throw new Error(`${method} ${path} → HTTP ${response.status}: ${text.slice(0, 300)}`);
  return json.data;
}

function biggestPdf(): { path: string; name: string; bytes: number } {
  const dir = join(DATA_DIR, 'parsing-docling', 'pdf');
  const pdfs = readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.pdf'))
    .map((name) => ({ path: join(dir, name), name, bytes: statSync(join(dir, name)).size }))
    .sort((a, b) => b.bytes - a.bytes);
  const first = pdfs[0];
  if (!first) throw new Error(`no PDF in ${dir}`);
  return first;
}

interface Row {
  scenario: string;
  result: AutocannonResult;
  note: string;
  /** Replies with HTTP 200 whose envelope code was not 0 (autocannon only sees the status). */
  failed: number;
}

async function main(): Promise<void> {
  const machine = machineInfo();
  const tmp = await tempDataDir();
  log(`data dir: ${tmp.dir}`);
  const server = await startServer({ dataDir: tmp.dir, apiKey: KEY });
  const api = server.api;
  log(`server: ${server.origin}`);
  const rows: Row[] = [];
  try {
    // --- 10k chunks through POST /dataset/:id/document/:doc/chunk ------------------------------
    const ds = await call(api, 'POST', '/dataset', { name: 'bench' });
    const fd = new FormData();
    fd.append('file', new Blob(['SciFact passages added chunk by chunk over HTTP.'], { type: 'text/plain' }), 'scifact.txt');
    const [doc] = await call(api, 'POST', `/dataset/${ds.id}/document`, fd);
    const texts = [...syntheticChunks(scifactPassages(loadScifactCorpus()), CHUNKS)];
    const buildStart = performance.now();
    for (let i = 0; i < texts.length; i += BATCH) {
      await call(api, 'POST', `/dataset/${ds.id}/document/${doc.id}/chunk`, { content: texts.slice(i, i + BATCH) });
      if ((i / BATCH) % 4 === 3) log(`  ${i + BATCH} chunks added`);
    }
    const buildSeconds = (performance.now() - buildStart) / 1000;
    const [dataset] = await call(api, 'GET', `/dataset?id=${ds.id}`);
    if (dataset.chunk_count !== CHUNKS) throw new Error(`expected ${CHUNKS} chunks, the dataset has ${dataset.chunk_count}`);
    log(`dataset built: ${CHUNKS} chunks in ${buildSeconds.toFixed(1)} s`);

    const questions = loadScifactTestQueries().map((q) => q.text);
    const bodies = questions.map((question) => JSON.stringify({ dataset_ids: [ds.id], question }));
    const probe = await call(api, 'POST', '/retrieval', { dataset_ids: [ds.id], question: questions[0] });
    if (!(probe.chunks.length > 0)) throw new Error('the probe retrieval found nothing');

    let next = 0;
    let failed = 0;
    let checked = 0;
    const retrieval = (): AutocannonOptions => ({
      url: `${server.origin}/api/v1/retrieval`,
      connections: CONNECTIONS,
      duration: DURATION,
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      requests: [
        {
          setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] as string }),
          onResponse: (status, body) => {
            checked++;
            if (status === 200 && !body.startsWith('{"code":0,')) failed++;
          },
        },
      ],
    });

    // Warm-up (first queries load the FTS and vector pages), not measured.
    await autocannon({ ...retrieval(), duration: 2 });

    log('retrieval, idle server...');
    failed = 0;
    const idle = await autocannon(retrieval());
    if (checked === 0) throw new Error('autocannon reported no response bodies');
    rows.push({ scenario: `POST /api/v1/retrieval (${CHUNKS} chunks)`, result: idle, note: 'server idle', failed });

    // --- the same while parsing a large PDF several times ---------------------------------------
    const pdf = biggestPdf();
    const upload = new FormData();
    const bytes = readFileSync(pdf.path);
    for (let i = 0; i < PDF_COPIES; i++) upload.append('file', new Blob([bytes], { type: 'application/pdf' }), pdf.name);
    const pdfDocs: Array<{ id: string }> = await call(api, 'POST', `/dataset/${ds.id}/document`, upload);
    const ids = pdfDocs.map((d) => d.id);
    let parsesDone = 0;
    let parsing = true;
    const keepParsing = (async () => {
      await call(api, 'POST', `/dataset/${ds.id}/chunk`, { documents: ids });
      while (parsing) {
        await new Promise((r) => setTimeout(r, 250));
        const info = await call(api, 'GET', `/dataset/${ds.id}/info?page_size=100`);
        const finished = info.docs.filter((d: any) => ids.includes(d.id) && (d.run === '3' || d.run === '4'));
        for (const d of finished) if (d.run === '4') throw new Error(`parse of ${d.name} failed: ${d.progress_msg}`);
        if (finished.length > 0 && parsing) {
          parsesDone += finished.length;
          await call(api, 'POST', `/dataset/${ds.id}/chunk`, { documents: finished.map((d: any) => d.id) });
        }
      }
    })();
    log(`retrieval while parsing ${PDF_COPIES} × ${pdf.name}...`);
    failed = 0;
    const busy = await autocannon(retrieval());
    parsing = false;
    await keepParsing;
    const info = await call(api, 'GET', `/dataset/${ds.id}/info?page_size=100`);
    const running = info.docs.filter((d: any) => ids.includes(d.id) && d.run === '1').length;
    rows.push({
      scenario: `POST /api/v1/retrieval (${CHUNKS} chunks)`,
      result: busy,
      failed,
      note: `parsing ${PDF_COPIES} × ${pdf.name} (${(pdf.bytes / 1024 / 1024).toFixed(1)} MB): ${parsesDone} parses finished during the run, ${running} still running at its end`,
    });
    const after = await call(api, 'POST', '/retrieval', { dataset_ids: [ds.id], question: questions[0] });
    if (!(after.chunks.length > 0)) throw new Error('retrieval found nothing after the run');

    // --- report ----------------------------------------------------------------------------------
    const cmd = process.env['npm_lifecycle_event'] === 'bench:http' ? 'npm run bench:http' : `tsx bench/http.ts ${args.join(' ')}`.trim();
    const out: string[] = [];
    out.push('## HTTP benchmark (`ragflow serve`)', '');
    out.push(`- Command: \`${cmd}${cmd.startsWith('npm') && args.length > 0 ? ` -- ${args.join(' ')}` : ''}\``);
    out.push(`- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGiB.toFixed(1)} GiB RAM, ${machine.os}, Node ${machine.node}, SQLite ${machine.sqlite}, sqlite-vec ${machine.sqliteVec}`);
    out.push(`- Server: \`ragflow serve --port 0 --host 127.0.0.1\` (a child process; default embedding model hash@Builtin, parse concurrency 2); load generator: autocannon in the parent process, same machine`);
    out.push(`- Dataset: ${CHUNKS} chunks (SciFact passages) added through \`POST /dataset/{id}/document/{doc}/chunk\` in batches of ${BATCH}: ${buildSeconds.toFixed(1)} s (${Math.round(CHUNKS / buildSeconds)} chunks/s)`);
    out.push(`- Requests: \`POST /api/v1/retrieval {dataset_ids, question}\` with defaults (page_size 30, top_k 1024, vector weight 0.3), questions rotating over ${bodies.length} SciFact test queries; ${CONNECTIONS} connections, ${DURATION} s each, after a 2 s warm-up`, '');
    out.push('| scenario | condition | requests | req/s | p50 ms | p99 ms | max ms | non-2xx | code ≠ 0 | errors |');
    out.push('|---|---|---|---|---|---|---|---|---|---|');
    for (const { scenario, result, note, failed: notOk } of rows) {
      out.push(
        `| ${scenario} | ${note} | ${result.requests.total} | ${result.requests.average.toFixed(1)} | ${result.latency.p50} | ${result.latency.p99} | ${result.latency.max} | ${result.non2xx} | ${notOk} | ${result.errors + result.timeouts} |`,
      );
    }
    out.push('', `The load generator (autocannon) runs in the benchmark process on the same ${machine.cores} cores as the server.`);
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    const exit = await server.stop();
    if (exit.signal === 'SIGKILL') log('the server had to be killed');
    if (KEEP) log(`kept ${tmp.dir}`);
    else await tmp.cleanup();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
