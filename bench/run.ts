/**
 * Performance benchmark of the public facade (npm run bench). Prints a markdown report on stdout,
 * progress on stderr. Options:
 *   --quick           small sizes (a smoke run of every phase, ~1 min)
 *   --only=a,b        phases among text,pdf,quality,10k,100k,cold,peers (cold needs 100k)
 *   --keep            keep the temporary databases (their folder is printed)
 * Data is read from ../shared/data next to the repository (BENCH_DATA_DIR overrides).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import {
  DATA_DIR,
  REPO_ROOT,
  loadScifactCorpus,
  loadScifactTestQueries,
  scifactPassages,
  syntheticChunks,
} from './lib/data.js';
import { commandLine, machineInfo } from './lib/machine.js';
import { pdfIngestion, textIngestion, type PdfIngestResult, type TextIngestResult } from './phases/ingest.js';
import { scifactQuality, type QualityResult } from './phases/quality.js';
import { peersSection, runPeers } from './peers/run.js';
import { coldStart, retrievalAtScale, type ColdStartResult, type ScaleResult } from './phases/retrieval.js';
import {
  int,
  mb,
  memory,
  mib,
  ms,
  progress,
  seconds,
  table,
  type LatencySummary,
  type LoopDelay,
  type MemorySnapshot,
} from './lib/util.js';

const PHASES = ['text', 'pdf', 'quality', '10k', '100k', 'cold', 'peers'] as const;
type Phase = (typeof PHASES)[number];

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const keep = args.includes('--keep');
const onlyArg = args.find((a) => a.startsWith('--only='));
const only = new Set<Phase>(
  onlyArg ? (onlyArg.slice('--only='.length).split(',').filter((p) => (PHASES as readonly string[]).includes(p)) as Phase[]) : PHASES,
);
const unknown = args.filter((a) => a !== '--quick' && a !== '--keep' && !a.startsWith('--only='));
if (unknown.length > 0) {
  process.stderr.write(`unknown arguments: ${unknown.join(' ')}\n`);
  process.exit(2);
}

const SIZES = quick ? { textDocs: 500, small: 2_000, large: 10_000 } : { textDocs: Infinity, small: 10_000, large: 100_000 };

interface MemoryRow {
  phase: string;
  memory: MemorySnapshot;
  dbBytes?: { db: number; wal: number };
}

const loopCells = (d: LoopDelay): string[] => [ms(d.maxMs), ms(d.p99Ms), ms(d.meanMs)];

function textSection(r: TextIngestResult): string {
  const s = (r.uploadMs + r.parseMs) / 1000;
  return [
    '## 1. Text ingestion (SciFact corpus as .txt, full pipeline)',
    '',
    `${int(r.abstracts)} abstracts in ${r.files} .txt files of 50 ("title\\n\\ntext", blank line between abstracts); ` +
      'one `documents.upload` call, then `documents.parse(..., { wait: true })`: parse, naive chunking ' +
      '(128 tokens, default delimiters), hash@Builtin embedding, FTS5 + sqlite-vec indexing; parseConcurrency 2 (default). MB = 10^6 bytes of UTF-8.',
    '',
    table(
      ['MB of text', 'upload s', 'parse s', 'total s', 'MB/s (total)', 'MB/s (parse only)', 'chunks', 'chunks/s', 'failed docs'],
      [
        [
          mb(r.bytes),
          seconds(r.uploadMs),
          seconds(r.parseMs),
          s.toFixed(2),
          (r.bytes / 1e6 / s).toFixed(3),
          (r.bytes / 1e6 / (r.parseMs / 1000)).toFixed(3),
          int(r.outcome.chunks),
          int(r.outcome.chunks / s),
          r.outcome.failed.length,
        ],
      ],
    ),
    ...(r.outcome.failed.length > 0 ? ['', 'Failures:', ...r.outcome.failed.slice(0, 10).map((f) => `- ${f}`)] : []),
  ].join('\n');
}

function pdfSection(r: PdfIngestResult): string {
  const total = r.rounds.reduce((s, x) => s + x.ms, 0);
  const warm = r.rounds.slice(1);
  const warmMs = warm.reduce((s, x) => s + x.ms, 0);
  const failed = [...new Set(r.rounds.flatMap((x) => x.failed))];
  return [
    '## 2. PDF parsing (parsing-docling/pdf)',
    '',
    `${r.files.length} PDFs, ${r.pages} pages (pdf.js numPages), uploaded once (${seconds(r.uploadMs)} s), then parsed ` +
      `${r.rounds.length} times over (each round re-parses all of them; round 1 includes loading pdf.js).`,
    '',
    table(
      ['round', 'seconds', 'pages/s', 'chunks'],
      r.rounds.map((x, i) => [i + 1, seconds(x.ms), (r.pages / (x.ms / 1000)).toFixed(1), x.chunks]),
    ),
    '',
    table(
      ['pages parsed', 'seconds', 'pages/s (all rounds)', 'pages/s (rounds 2+)'],
      [
        [
          r.pages * r.rounds.length,
          seconds(total),
          ((r.pages * r.rounds.length) / (total / 1000)).toFixed(1),
          warm.length > 0 ? ((r.pages * warm.length) / (warmMs / 1000)).toFixed(1) : 'n/a',
        ],
      ],
    ),
    '',
    'Per file (pages with chunks = distinct pages in the chunk positions of the last round):',
    '',
    table(
      ['file', 'KiB', 'pages', 'pages with chunks'],
      r.files.map((f) => [f.name, (f.bytes / 1024).toFixed(0), f.pages, f.pagesWithChunks]),
    ),
    ...(failed.length > 0 ? ['', 'Failures:', ...failed.map((f) => `- ${f}`)] : []),
  ].join('\n');
}

function loopSection(rows: { phase: string; loop: LoopDelay }[]): string {
  return [
    '## 3. Event-loop responsiveness',
    '',
    '`perf_hooks.monitorEventLoopDelay({ resolution: 10 })` enabled for the whole phase. A sample is the time ' +
      'between two 10 ms ticks, so an idle loop reads ~10 ms and a block of B ms reads ~B + 10 ms. Requirement: no block longer than ~100 ms.',
    '',
    table(
      ['phase', 'max ms', 'p99 ms', 'mean ms', 'verdict'],
      rows.map((r) => [r.phase, ...loopCells(r.loop), r.loop.maxMs - 10 <= 100 ? 'ok' : `**blocked ~${ms(r.loop.maxMs - 10, 0)} ms**`]),
    ),
  ].join('\n');
}

function scaleSection(rows: ScaleResult[], quality: QualityResult | undefined): string {
  const q = quality?.rows.find((r) => r.vectorSimilarityWeight === 0.3);
  const latencyCells = (l: LatencySummary): string[] => [ms(l.p50), ms(l.p95), ms(l.p99), ms(l.mean), ms(l.max)];
  return [
    '## 4. Retrieval latency',
    '',
    'Chunks: SciFact abstracts cut into sentence groups of ~100-130 words (title in the first group); beyond one pass over ' +
      'the corpus, further passes drop a random 10% of the words per copy. Built with `chunks.add` in batches of 500, ' +
      '5,000 chunks per document, one database file per size. Queries: the 300 SciFact test queries, one warm-up pass, then ' +
      'one timed pass, one query per macrotask; `retrieve({ datasetIds, question, pageSize: 10 })`, other options default ' +
      '(hybrid, vector weight 0.3, threshold 0.2). "keyword only" = the same pass again with `vectorSimilarityWeight: 0` ' +
      '(no vector KNN).',
    '',
    table(
      ['chunks', 'mode', 'p50 ms', 'p95 ms', 'p99 ms', 'mean ms', 'max ms', 'hits/query'],
      [
        ...(quality && q
          ? [[`${int(quality.chunks)} (whole abstracts, §5)`, 'hybrid, pageSize 11, threshold 0', ...latencyCells(q.latency), '11']]
          : []),
        ...rows.flatMap((r) => [
          [int(r.build.chunks), 'hybrid (defaults)', ...latencyCells(r.latency.summary), r.latency.meanHits.toFixed(1)],
          [int(r.build.chunks), 'keyword only', ...latencyCells(r.keywordOnly.summary), r.keywordOnly.meanHits.toFixed(1)],
        ]),
      ],
    ),
    '',
    'Build (`chunks.add`: analysis, hash embedding, FTS5 + vec0 insert in one transaction per call):',
    '',
    table(
      ['chunks', 'documents', 'build s', 'chunks/s', 'chunks.add(500) p50 ms', 'chunks.add(500) max ms', 'DB MiB'],
      [
        ...(quality ? [[`${int(quality.chunks)} (§5)`, Math.ceil(quality.corpusDocs / 1000), seconds(quality.buildMs), int(quality.chunks / (quality.buildMs / 1000)), '—', '—', mib(quality.dbBytes.db + quality.dbBytes.wal)]] : []),
        ...rows.map((r) => [
          int(r.build.chunks),
          r.build.documents,
          seconds(r.build.ms),
          int(r.build.chunks / (r.build.ms / 1000)),
          ms(r.build.batches.p50),
          ms(r.build.batches.max),
          mib(r.dbBytes.db + r.dbBytes.wal),
        ]),
      ],
    ),
  ].join('\n');
}

function qualitySection(r: QualityResult): string {
  return [
    '## 5. Retrieval quality sanity (SciFact test, 300 queries)',
    '',
    `One chunk per SciFact document ("title text", ${int(r.chunks)} chunks` +
      (r.merged > 0 ? `; ${r.merged} duplicate texts merged by the content-derived chunk id` : '') +
      '), 1,000 per engine document; top 10 with `similarityThreshold: 0`. trec_eval conventions: linear gain, a hit whose ' +
      'id equals the query id dropped (11 fetched, cut to 10), mean over queries with a relevant judgment.',
    '',
    table(
      ['system', 'nDCG@10', 'R@10', 'MRR@10', 'p50 ms', 'p95 ms'],
      [
        ...r.rows.map((x) => [
          `ragflow-ts ${x.label}`,
          x.ndcg10.toFixed(4),
          x.recall10.toFixed(4),
          x.mrr10.toFixed(4),
          ms(x.latency.p50),
          ms(x.latency.p95),
        ]),
        ['BASELINES: SQLite FTS5 bm25 (porter unicode61)', '0.6874', '0.8245', '0.6513', '5.0 (top 10)', '—'],
        ['BASELINES: bm25-lucene k1=0.9 b=0.4 (≈ Anserini flat)', '0.6788', '0.8038', '0.6456', '1.2', '8.6'],
        ['BASELINES: FTS5 + vec(hash-256) RRF(60)', '0.5427', '—', '—', '6.4-7.0', '11.7-12.8'],
      ],
    ),
  ].join('\n');
}

function coldSection(inProcess: ColdStartResult | undefined, child: Record<string, number> | undefined, wallMs: number): string {
  const rows: (string | number)[][] = [];
  if (inProcess) {
    rows.push(['same process, new connection', '—', ms(inProcess.openMs), ms(inProcess.firstQueryMs), ms(inProcess.secondQueryMs), '—', '—']);
  }
  if (child) {
    rows.push([
      'fresh process (`tsx bench/cold-start.ts`)',
      ms(child['importMs'] ?? Number.NaN),
      ms(child['openMs'] ?? Number.NaN),
      ms(child['firstQueryMs'] ?? Number.NaN),
      ms(child['secondQueryMs'] ?? Number.NaN),
      ms(wallMs, 0),
      ((child['maxRssKiB'] ?? Number.NaN) / 1024).toFixed(0),
    ]);
  }
  return [
    '## 7. Cold start on the 100k-chunk file',
    '',
    '`RagFlow.open({ path })` on the existing file, then the first and second query (SciFact test queries 1 and 2). ' +
      'The OS page cache is warm (the file was just written); SQLite\'s own cache starts empty.',
    '',
    table(['how', 'import ms', 'open ms', 'first query ms', 'second query ms', 'process wall ms', 'peak RSS MiB'], rows),
  ].join('\n');
}

function memorySection(rows: MemoryRow[]): string {
  return [
    '## 6. Memory and database size',
    '',
    'Peak RSS = `process.resourceUsage().maxRSS` after the phase (a high-water mark of the whole process, so it only grows); ' +
      'RSS = current resident set. DB = the SQLite file (+ WAL) after `close()`.',
    '',
    table(
      ['after phase', 'peak RSS MiB', 'RSS MiB', 'live heap MiB (after GC)', 'DB MiB'],
      rows.map((r) => [
        r.phase,
        (r.memory.maxRssKiB / 1024).toFixed(0),
        mib(r.memory.rss),
        mib(r.memory.heapUsed),
        r.dbBytes ? `${mib(r.dbBytes.db)}${r.dbBytes.wal > 0 ? ` (+${mib(r.dbBytes.wal)} WAL)` : ''}` : '—',
      ]),
    ),
  ].join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadAtStart = loadavg();
  const dir = mkdtempSync(join(tmpdir(), 'ragflow-bench-'));
  progress(`data: ${DATA_DIR}; databases in ${dir}`);
  const machine = machineInfo();
  const sections: [number, string][] = [];
  const loops: { phase: string; loop: LoopDelay }[] = [];
  const memoryRows: MemoryRow[] = [{ phase: 'start', memory: memory() }];

  try {
    const corpusAll = loadScifactCorpus();
    const corpus = Number.isFinite(SIZES.textDocs) ? corpusAll.slice(0, SIZES.textDocs) : corpusAll;
    const queries = loadScifactTestQueries();
    progress(`SciFact: ${corpusAll.length} docs, ${queries.length} test queries`);

    const failures: string[] = [];
    /** Runs one phase; a failure is reported and the other phases still run. */
    const attempt = async <T>(name: string, fn: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await fn();
      } catch (error) {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        progress(`${name} FAILED: ${message}`);
        process.exitCode = 1;
        failures.push(`- ${name}: ${message.split('\n').slice(0, 3).join(' | ')}`);
        return undefined;
      }
    };

    const text = only.has('text') ? await attempt('text ingestion', () => textIngestion(corpus, dir)) : undefined;
    if (text) {
      const r = text;
      progress(`text ingestion: ${mb(r.bytes)} MB in ${seconds(r.uploadMs + r.parseMs)} s, ${r.outcome.chunks} chunks`);
      sections.push([1, textSection(r)]);
      loops.push({ phase: 'text ingestion (upload + parse)', loop: r.loop });
      memoryRows.push({ phase: 'text ingestion', memory: r.memory, dbBytes: r.dbBytes });
    }
    const pdf = only.has('pdf')
      ? await attempt('PDF parsing', () =>
          pdfIngestion(dir, quick ? { minRounds: 2, maxRounds: 2, minTotalMs: 0 } : { minRounds: 3, maxRounds: 15, minTotalMs: 8_000 }),
        )
      : undefined;
    if (pdf) {
      const r = pdf;
      sections.push([2, pdfSection(r)]);
      loops.push({ phase: 'PDF parsing (upload + all rounds)', loop: r.loop });
      const [first, ...rest] = r.rounds;
      if (first) loops.push({ phase: 'PDF round 1 (cold: first module loads, pdf.js worker start)', loop: first.loop });
      if (rest.length > 0) {
        loops.push({
          phase: `PDF rounds 2-${r.rounds.length} (worst round)`,
          loop: {
            maxMs: Math.max(...rest.map((x) => x.loop.maxMs)),
            p99Ms: Math.max(...rest.map((x) => x.loop.p99Ms)),
            meanMs: rest.reduce((s, x) => s + x.loop.meanMs, 0) / rest.length,
            samples: rest.reduce((s, x) => s + x.loop.samples, 0),
          },
        });
      }
      memoryRows.push({ phase: 'PDF parsing', memory: r.memory, dbBytes: r.dbBytes });
    }
    const quality: QualityResult | undefined = only.has('quality')
      ? await attempt('quality', () =>
          scifactQuality(join(dir, 'quality.db'), quick ? corpusAll.slice(0, 2000) : corpusAll, queries, [
            { label: 'hybrid (default weight 0.3)', weight: undefined },
            { label: 'keyword only (weight 0)', weight: 0 },
            { label: 'vector only (weight 1)', weight: 1 },
          ]),
        )
      : undefined;
    if (quality) {
      memoryRows.push({ phase: `quality (${int(quality.chunks)} chunks)`, memory: quality.memory, dbBytes: quality.dbBytes });
    }
    const passages = scifactPassages(corpusAll);
    progress(`passages: ${passages.length} from ${corpusAll.length} abstracts`);
    const scale: ScaleResult[] = [];
    const largePath = join(dir, 'chunks-large.db');
    const small = only.has('10k')
      ? await attempt(`${SIZES.small / 1000}k retrieval`, () =>
          retrievalAtScale(join(dir, 'chunks-small.db'), `${SIZES.small / 1000}k`, syntheticChunks(passages, SIZES.small), SIZES.small, queries),
        )
      : undefined;
    if (small) {
      const r = small;
      scale.push(r);
      loops.push({ phase: `build ${SIZES.small / 1000}k chunks (chunks.add)`, loop: r.build.loop });
      loops.push({ phase: `retrieval at ${SIZES.small / 1000}k (timed pass, one query per macrotask)`, loop: r.latency.loop });
      memoryRows.push({ phase: `${SIZES.small / 1000}k chunks`, memory: r.memory, dbBytes: r.dbBytes });
    }
    const large = only.has('100k')
      ? await attempt(`${SIZES.large / 1000}k retrieval`, () =>
          retrievalAtScale(largePath, `${SIZES.large / 1000}k`, syntheticChunks(passages, SIZES.large), SIZES.large, queries),
        )
      : undefined;
    if (large) {
      const r = large;
      scale.push(r);
      loops.push({ phase: `build ${SIZES.large / 1000}k chunks (chunks.add)`, loop: r.build.loop });
      loops.push({ phase: `retrieval at ${SIZES.large / 1000}k (timed pass, one query per macrotask)`, loop: r.latency.loop });
      memoryRows.push({ phase: `${SIZES.large / 1000}k chunks`, memory: r.memory, dbBytes: r.dbBytes });
    }
    if (scale.length > 0 || quality) sections.push([4, scaleSection(scale, quality)]);
    if (quality) sections.push([5, qualitySection(quality)]);
    sections.push([3, loopSection(loops)]);
    sections.push([6, memorySection(memoryRows)]);

    if (only.has('cold') && large) {
      progress('cold start: same process');
      const inProcess = await attempt('cold start (same process)', () => coldStart(largePath, queries));
      progress('cold start: fresh process');
      const t0 = performance.now();
      const child = await attempt('cold start (fresh process)', async () => {
        const { stdout } = await promisify(execFile)(
          process.execPath,
          ['--import', 'tsx', join(REPO_ROOT, 'bench', 'cold-start.ts'), largePath, queries[0]?.text ?? 'cancer', queries[1]?.text ?? 'vaccine'],
          { cwd: REPO_ROOT },
        );
        return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, number>;
      });
      sections.push([7, coldSection(inProcess, child, performance.now() - t0)]);
    }
    if (only.has('peers')) {
      const peers = await attempt('peers', () => runPeers(dir, quick ? corpusAll.slice(0, 2000) : corpusAll, queries, SIZES.large));
      if (peers) sections.push([7.5, peersSection(peers)]);
    }
    if (failures.length > 0) sections.push([8, ['## Failed phases', '', ...failures].join('\n')]);
  } finally {
    if (keep) progress(`kept databases in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }

  const total = (performance.now() - started) / 1000;
  const header = [
    '# ragflow-ts benchmark',
    '',
    `- Command: \`${commandLine()}\` (in ${REPO_ROOT})${quick ? ' — QUICK MODE: reduced sizes' : ''}`,
    `- Date: ${new Date().toISOString()}; total run time ${total.toFixed(0)} s`,
    `- Embedding model: hash@Builtin (offline, 256-dim); databases: files under ${tmpdir()} (deleted at the end)`,
    `- Data: ${DATA_DIR}`,
    '',
    '## Machine',
    '',
    table(
      ['CPU', 'cores', 'RAM GiB', 'OS', 'Node', 'SQLite', 'sqlite-vec', 'packages'],
      [
        [
          machine.cpu,
          machine.cores,
          machine.ramGiB.toFixed(1),
          machine.os,
          machine.node,
          machine.sqlite,
          machine.sqliteVec,
          Object.entries(machine.packages)
            .map(([k, v]) => `${k} ${v}`)
            .join(', '),
        ],
      ],
    ),
    '',
    `Load average (1/5/15 min) at start ${loadAtStart.map((x) => x.toFixed(2)).join(' / ')}, at end ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' / ')}. The machine is shared: with a load above the core count, every figure here (tail latencies and ` +
      'event-loop delays most of all) is inflated by CPU contention; expect ±30% run-to-run noise.',
  ].join('\n');
  process.stdout.write(`${[header, ...sections.sort((a, b) => a[0] - b[0]).map(([, text]) => text)].join('\n\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
