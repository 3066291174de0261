import { once } from 'node:events';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { RagFlow, type Document } from '../../src/index.js';
import { pdfFiles, type CorpusDoc } from '../lib/data.js';
import {
  databaseBytes,
  memory,
  progress,
  throttle,
  watchEventLoop,
  loopSettled,
  type LoopDelay,
  type MemorySnapshot,
} from '../lib/util.js';

const EMBEDDING_MODEL = 'hash@Builtin';

export interface ParseOutcome {
  documents: number;
  failed: string[];
  chunks: number;
}

/** Parses and waits, logging finished documents on stderr; returns what ended in DONE. */
async function parseAll(rag: RagFlow, datasetId: string, ids: readonly string[], label: string): Promise<ParseOutcome> {
  const finished = new Set<string>();
  const say = throttle(2000);
  const documents: Document[] = await rag.documents.parse(datasetId, ids, {
    wait: true,
    onProgress: (doc) => {
      if (doc.run === 'DONE' || doc.run === 'FAIL' || doc.run === 'CANCEL') finished.add(doc.id);
      say(() => progress(`${label}: ${finished.size}/${ids.length} documents finished`));
    },
  });
  const failed = documents.filter((d) => d.run !== 'DONE').map((d) => `${d.name}: ${d.run} ${d.progressMsg.split('\n').pop() ?? ''}`);
  return { documents: documents.length, failed, chunks: documents.reduce((s, d) => s + d.chunkCount, 0) };
}

export interface TextIngestResult {
  files: number;
  abstracts: number;
  bytes: number;
  uploadMs: number;
  parseMs: number;
  outcome: ParseOutcome;
  loop: LoopDelay;
  dbBytes: { db: number; wal: number };
  memory: MemorySnapshot;
}

/** The SciFact corpus as .txt files of `perFile` abstracts each ("title\n\ntext"), uploaded and parsed. */
export async function textIngestion(corpus: readonly CorpusDoc[], dir: string, perFile = 50): Promise<TextIngestResult> {
  const files: { name: string; data: Uint8Array }[] = [];
  for (let i = 0; i < corpus.length; i += perFile) {
    const text = corpus
      .slice(i, i + perFile)
      .map((d) => `${d.title}\n\n${d.text}`)
      .join('\n\n');
    files.push({ name: `scifact-${String(files.length + 1).padStart(4, '0')}.txt`, data: Buffer.from(text, 'utf8') });
  }
  const bytes = files.reduce((s, f) => s + f.data.byteLength, 0);
  const path = join(dir, 'text-ingest.db');
  const rag = await RagFlow.open({ path, embeddingModel: EMBEDDING_MODEL });
  try {
    const dataset = await rag.datasets.create({ name: 'scifact-text' });
    progress(`text ingestion: uploading ${files.length} files (${(bytes / 1e6).toFixed(2)} MB)`);
    const loop = watchEventLoop();
    const t0 = performance.now();
    const docs = await rag.documents.upload(dataset.id, files);
    const t1 = performance.now();
    const outcome = await parseAll(
      rag,
      dataset.id,
      docs.map((d) => d.id),
      'text ingestion',
    );
    const t2 = performance.now();
    await loopSettled();
    const delay = loop.stop();
    await rag.close();
    return {
      files: files.length,
      abstracts: corpus.length,
      bytes,
      uploadMs: t1 - t0,
      parseMs: t2 - t1,
      outcome,
      loop: delay,
      dbBytes: databaseBytes(path),
      memory: memory(),
    };
  } finally {
    await rag.close();
  }
}

export interface PdfRound {
  ms: number;
  loop: LoopDelay;
  chunks: number;
  failed: string[];
}

export interface PdfIngestResult {
  files: { name: string; bytes: number; pages: number; pagesWithChunks: number }[];
  pages: number;
  uploadMs: number;
  rounds: PdfRound[];
  loop: LoopDelay;
  dbBytes: { db: number; wal: number };
  memory: MemorySnapshot;
}

/**
 * Page counts straight from pdf.js (independent of the engine's parser), in a short-lived worker
 * thread so that the bench's own pdf.js does not stay in this process's heap and RSS figures.
 */
async function countPages(files: readonly string[]): Promise<number[]> {
  const moduleUrl = pathToFileURL(createRequire(import.meta.url).resolve('pdfjs-dist/legacy/build/pdf.mjs')).href;
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { readFileSync } = require('node:fs');
    (async () => {
      const pdfjs = await import(workerData.moduleUrl);
      const pages = [];
      for (const file of workerData.files) {
        const task = pdfjs.getDocument({ data: new Uint8Array(readFileSync(file)), isEvalSupported: false, verbosity: 0 });
        const doc = await task.promise;
        pages.push(doc.numPages);
        await task.destroy();
      }
      parentPort.postMessage(pages);
    })().catch((error) => parentPort.postMessage({ error: String(error && error.stack || error) }));
  `;
  const worker = new Worker(source, { eval: true, workerData: { moduleUrl, files } });
  try {
    const [message] = (await once(worker, 'message')) as [number[] | { error: string }];
    if (!Array.isArray(message)) throw new Error(`counting PDF pages failed: ${message.error}`);
    return message;
  } finally {
    await worker.terminate();
  }
}

/**
 * The parsing-docling PDFs, uploaded once and parsed `minRounds`..`maxRounds` times (until
 * `minTotalMs` of parsing has been timed). Round 1 includes loading pdf.js.
 */
export async function pdfIngestion(
  dir: string,
  options: { minRounds: number; maxRounds: number; minTotalMs: number },
): Promise<PdfIngestResult> {
  const paths = pdfFiles();
  const path = join(dir, 'pdf-ingest.db');
  const rag = await RagFlow.open({ path, embeddingModel: EMBEDDING_MODEL });
  try {
    const dataset = await rag.datasets.create({ name: 'docling-pdf' });
    const loop = watchEventLoop();
    const t0 = performance.now();
    const docs = await rag.documents.upload(dataset.id, paths);
    const uploadMs = performance.now() - t0;
    const ids = docs.map((d) => d.id);
    const rounds: PdfRound[] = [];
    let total = 0;
    while (rounds.length < options.maxRounds && (rounds.length < options.minRounds || total < options.minTotalMs)) {
      const roundLoop = watchEventLoop();
      const start = performance.now();
      const outcome = await parseAll(rag, dataset.id, ids, `pdf round ${rounds.length + 1}`);
      const elapsed = performance.now() - start;
      total += elapsed;
      await loopSettled();
      rounds.push({ ms: elapsed, loop: roundLoop.stop(), chunks: outcome.chunks, failed: outcome.failed });
      progress(`pdf round ${rounds.length}: ${(elapsed / 1000).toFixed(2)} s, ${outcome.chunks} chunks`);
    }
    const delay = loop.stop();

    const pageCounts = await countPages(paths);
    const files: PdfIngestResult['files'] = [];
    for (const [i, file] of paths.entries()) {
      const doc = docs[i];
      const pagesSeen = new Set<number>();
      if (doc) {
        for (let page = 1; ; page++) {
          const list = await rag.chunks.list(dataset.id, doc.id, { page, pageSize: 1024 });
          for (const chunk of list.chunks) for (const position of chunk.positions) pagesSeen.add(position[0]);
          if (list.chunks.length < 1024) break;
        }
      }
      files.push({ name: basename(file), bytes: statSync(file).size, pages: pageCounts[i] ?? 0, pagesWithChunks: pagesSeen.size });
    }
    await rag.close();
    return {
      files,
      pages: files.reduce((s, f) => s + f.pages, 0),
      uploadMs,
      rounds,
      loop: delay,
      dbBytes: databaseBytes(path),
      memory: memory(),
    };
  } finally {
    await rag.close();
  }
}
