/**
 * The in-memory search index (src/store/sqlite/search-index/) must answer exactly as the SQL path
 * does: same ids in the same order, BM25 scores equal to FTS5's within 1e-9 (relative), the same
 * term statistics and candidates, vectors within float32 rounding, on random corpora that go
 * through every kind of write, and after another connection writes the file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { fts5AsciiTokens } from '../../src/store/sqlite/search-index/fts5-tokens.js';
import { createScanner } from '../../src/store/sqlite/search-index/int8-kernel.js';
import type { Store } from '../../src/store/types.js';
import type { Dataset, Document } from '../../src/types.js';
import { describeStoreContract, makeChunk, makeDataset, makeDocument, type OpenedStore } from './contract.js';

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A small vocabulary, so that terms repeat, phrases recur and ties happen.
const WORDS = (
  'cell death protein vitamin cancer risk gene expression blood pressure heart disease mouse model ' +
  'trial dose effect brain signal receptor growth factor immune response virus infection 12 345 a b'
).split(' ');

const DIM = 24;

function text(next: () => number, n: number): string {
  return Array.from({ length: n }, () => WORDS[Math.floor(next() * WORDS.length)]).join(' ');
}

function vector(next: () => number): number[] {
  return Array.from({ length: DIM }, () => next() * 2 - 1);
}

const dirs: string[] = [];
const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function openPair(): { indexed: SqliteStore; plain: SqliteStore; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ragflow-index-'));
  dirs.push(dir);
  const path = join(dir, 'store.db');
  const indexed = SqliteStore.open({ path });
  // The other connection, as another process would write the file.
  const plain = SqliteStore.open({ path, searchIndex: false });
  stores.push(indexed, plain);
  return { indexed, plain, path };
}

interface World {
  datasets: Dataset[];
  documents: Document[];
  chunkIds: Map<string, string[]>;
}

async function populate(store: Store, next: () => number, world: World, chunks: number): Promise<void> {
  for (let i = 0; i < chunks; i++) {
    if (world.documents.length === 0 || next() < 0.1) {
      if (world.datasets.length === 0 || next() < 0.3) {
        const dataset = makeDataset({ tenantId: next() < 0.5 ? 'tenant-a' : 'tenant-b' });
        await store.insertDataset(dataset);
        world.datasets.push(dataset);
      }
      const dataset = world.datasets[Math.floor(next() * world.datasets.length)] as Dataset;
      const document = makeDocument(dataset, { name: `${text(next, 2)}.txt` });
      await store.insertDocument(document, new Uint8Array([1]));
      world.documents.push(document);
      world.chunkIds.set(document.id, []);
    }
    const document = world.documents[Math.floor(next() * world.documents.length)] as Document;
    const record = makeChunk(document, text(next, 3 + Math.floor(next() * 30)), {
      keywords: next() < 0.3 ? [text(next, 1)] : [],
      available: next() > 0.1,
      ...(next() > 0.05 && { vector: vector(next) }),
    });
    await store.upsertChunks(document.id, [record], 1);
    world.chunkIds.get(document.id)?.push(record.chunk.id);
  }
}

/** Deletes, edits, disables: every write path that reaches the index. */
async function churn(store: Store, next: () => number, world: World): Promise<void> {
  for (let i = 0; i < 12; i++) {
    const document = world.documents[Math.floor(next() * world.documents.length)] as Document;
    const ids = world.chunkIds.get(document.id) ?? [];
    const pick = next();
    if (pick < 0.2 && ids.length > 0) {
      const id = ids.splice(Math.floor(next() * ids.length), 1)[0] as string;
      await store.deleteChunks(document.id, [id]);
    } else if (pick < 0.4 && ids.length > 0) {
      const id = ids[Math.floor(next() * ids.length)] as string;
      const content = text(next, 5);
      const edited = makeChunk(document, content, { keywords: [text(next, 2)] });
      await store.updateChunk(document.id, id, {
        content,
        contentTerms: edited.contentTerms,
        keywordTerms: edited.keywordTerms,
        available: next() < 0.7,
        vector: Float32Array.from(vector(next)),
      });
    } else if (pick < 0.55) {
      await store.updateDocument(document.id, { enabled: next() < 0.5 });
    } else if (pick < 0.65) {
      await store.deleteDocuments(document.datasetId, [document.id]);
      world.documents.splice(world.documents.indexOf(document), 1);
    } else if (pick < 0.8) {
      const records = Array.from({ length: 3 }, () => makeChunk(document, text(next, 10), { vector: vector(next) }));
      await store.replaceDocumentChunks(document.id, records, { chunkCount: 3 });
      world.chunkIds.set(document.id, records.map((r) => r.chunk.id));
    } else if (pick < 0.85 && world.datasets.length > 2) {
      const dataset = world.datasets.splice(Math.floor(next() * world.datasets.length), 1)[0] as Dataset;
      await store.deleteDatasets(dataset.tenantId, [dataset.id]);
      world.documents = world.documents.filter((d) => d.datasetId !== dataset.id);
    } else {
      const records = Array.from({ length: 4 }, () => makeChunk(document, text(next, 8), { vector: vector(next) }));
      await store.upsertChunks(document.id, records, 4);
      ids.push(...records.map((r) => r.chunk.id));
    }
    if (world.documents.length === 0) break;
  }
}

function exactNearest(
  store: SqliteStore,
  datasetIds: readonly string[],
  documentIds: readonly string[] | undefined,
  v: Float32Array,
  limit: number,
): { chunkId: string; score: number }[] {
  const marks = (n: number): string => Array.from({ length: n }, () => '?').join(',');
  const docFilter = documentIds && documentIds.length > 0 ? `and c.document_id in (${marks(documentIds.length)})` : '';
  return store.db
    .prepare(
      `select c.id as chunkId, 1 - vec_distance_cosine(v.embedding, ?) as score
       from chunks c join documents d on d.id = c.document_id join chunk_vec_${DIM} v on v.rowid = c.seq
       where c.dimension = ? and c.dataset_id in (${marks(datasetIds.length)}) and c.available = 1 and d.enabled = 1 ${docFilter}
       order by score desc, c.seq limit ?`,
    )
    .all(Buffer.from(v.buffer), DIM, ...datasetIds, ...(documentIds && documentIds.length > 0 ? documentIds : []), limit) as { chunkId: string; score: number }[];
}

/** Every search answer of both stores, for a few random queries over random scopes. */
async function compare(indexed: SqliteStore, path: string, next: () => number, world: World): Promise<void> {
  // Opened now: a connection learns of vector tables when it opens.
  const plain = SqliteStore.open({ path, searchIndex: false });
  stores.push(plain);
  await indexed.searchIndex?.whenReady();
  expect(indexed.searchIndex?.ready()).toBeDefined();
  for (let q = 0; q < 25; q++) {
    const datasets = world.datasets.filter(() => next() < 0.6);
    const scope = datasets.length > 0 ? datasets : world.datasets.slice(0, 1);
    const datasetIds = scope.map((d) => d.id);
    const docs = world.documents.filter((d) => datasetIds.includes(d.datasetId) && next() < 0.3);
    const documentIds = next() < 0.3 ? docs.map((d) => d.id) : undefined;
    const words = text(next, 1 + Math.floor(next() * 5)).split(' ');
    const terms = [...new Set(words)];
    const pairs = words.slice(1).map((w, i) => `${words[i]} ${w}`);
    const limit = 1 + Math.floor(next() * 20);
    for (const t of [terms, pairs, [...terms, 'unknownterm']]) {
      if (t.length === 0) continue;
      const query = { datasetIds, terms: t, limit, ...(documentIds && { documentIds }) };
      const a = await indexed.searchText(query);
      const b = await plain.searchText(query);
      expect(a.length).toBe(b.length);
      // Same scores in the same order; equal scores may list their chunks in another order.
      for (let i = 0; i < a.length; i++) {
        const x = a[i]?.score as number;
        const y = b[i]?.score as number;
        expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-9 * Math.abs(y));
      }
      const strictlyAbove = (list: typeof a, cut: number): string[] =>
        list.filter((h) => h.score > cut * (1 + 1e-9)).map((h) => h.chunkId).sort();
      const cut = b.at(-1)?.score ?? 0;
      expect(strictlyAbove(a, cut)).toEqual(strictlyAbove(b, cut));
    }
    const v = Float32Array.from(vector(next));
    const query = { datasetIds, vector: v, limit, ...(documentIds && { documentIds }) };
    const a = await indexed.searchVector(query);
    // The reference is an exact scan: the SQL path's KNN over several dataset partitions can miss
    // nearer chunks (sqlite-vec 0.1.9 with a partition-key IN), which the index does not.
    const b = exactNearest(plain, datasetIds, documentIds, v, limit);
    expect(a.map((h) => h.chunkId)).toEqual(b.map((h) => h.chunkId));
    for (let i = 0; i < a.length; i++) expect(a[i]?.score).toBeCloseTo(b[i]?.score as number, 5);
    if (!documentIds && datasetIds.length === 1) {
      const knn = await plain.searchVector(query);
      expect(a.map((h) => h.chunkId)).toEqual(knn.map((h) => h.chunkId));
    }

    const sa = await indexed.termStatistics(terms, datasetIds);
    const sb = await plain.termStatistics(terms, datasetIds);
    expect([...sa.documentFrequency]).toEqual([...sb.documentFrequency]);
    expect(sa.chunkCount).toBe(sb.chunkCount);

    const ids = [...new Set([...b.map((h) => h.chunkId), ...(world.chunkIds.get(docs[0]?.id ?? '') ?? []), 'missing'])];
    const norm = (cs: Awaited<ReturnType<Store['getCandidates']>>): unknown =>
      cs
        .map((c) => ({ ...c, matchedTerms: [...c.matchedTerms].sort(), vector: c.vector && [...c.vector] }))
        .sort((x, y) => (x.chunkId < y.chunkId ? -1 : 1));
    // Every corpus word, the query's terms, a term no chunk holds and a repeated one.
    const asked = [...WORDS, ...terms, 'zzznowhere', WORDS[0] as string];
    const ca = await indexed.getCandidates(ids, DIM, asked);
    const cb = await plain.getCandidates(ids, DIM, asked);
    expect(norm(ca)).toEqual(norm(cb));
    expect(ca.length).toBe(ids.length - 1);
    const chunksA = await indexed.getChunksByIds(ids);
    expect(chunksA).toEqual(await plain.getChunksByIds(ids));
    expect(chunksA.map((c) => c.id)).toEqual(ids.slice(0, -1));
  }
}

describe('in-memory search index', () => {
  for (const seed of [1, 2, 3]) {
    it(`answers as the SQL path does on a random corpus (seed ${seed}), through writes of every kind`, async () => {
      const { indexed, path } = openPair();
      const next = random(seed);
      const world: World = { datasets: [], documents: [], chunkIds: new Map() };
      await populate(indexed, next, world, 150);
      await compare(indexed, path, next, world);
      // Writes through the indexed store keep the built index in step.
      for (let round = 0; round < 3; round++) {
        await churn(indexed, next, world);
        if (world.documents.length === 0) break;
        expect(indexed.searchIndex?.ready()).toBeDefined();
        await compare(indexed, path, next, world);
      }
    });
  }

  it('drops and rebuilds the index when another connection writes the file', async () => {
    const { indexed, plain, path } = openPair();
    const next = random(7);
    const world: World = { datasets: [], documents: [], chunkIds: new Map() };
    await populate(indexed, next, world, 80);
    await indexed.searchIndex?.whenReady();
    expect(indexed.searchIndex?.ready()).toBeDefined();
    await churn(plain, next, world); // the other connection
    await populate(plain, next, world, 20);
    expect(indexed.searchIndex?.ready()).toBeUndefined(); // noticed: SQL answers until rebuilt
    await compare(indexed, path, next, world);
  });

  it('keeps writes made while it is being built', async () => {
    const { indexed, path } = openPair();
    const next = random(11);
    const world: World = { datasets: [], documents: [], chunkIds: new Map() };
    await populate(indexed, next, world, 100);
    expect(indexed.searchIndex?.ready()).toBeUndefined(); // starts the build
    await churn(indexed, next, world);
    await populate(indexed, next, world, 20);
    await compare(indexed, path, next, world);
  });

  it('tokenizes as FTS5 ascii does', () => {
    expect(fts5AsciiTokens('Hello, wörld_x 12.5 ÉTÉ')).toEqual(['hello', 'wörld', 'x', '12', '5', 'ÉtÉ']);
  });

  it('int8 kernel: WebAssembly and JavaScript agree on exact integer dot products', () => {
    for (const js of [false, true]) {
      const scanner = createScanner(js);
      const stride = 32;
      const q = new Int16Array(scanner.memory.buffer, 0, stride);
      const codes = new Int8Array(scanner.memory.buffer, 1024, 3 * stride);
      for (let i = 0; i < stride; i++) q[i] = i % 2 === 0 ? 32767 : -32768 + i;
      for (let i = 0; i < codes.length; i++) codes[i] = (i * 37) % 255 - 127;
      scanner.scan(0, 1024, 3, stride, 512);
      const out = new Int32Array(scanner.memory.buffer, 512, 3);
      for (let r = 0; r < 3; r++) {
        let expected = 0;
        for (let d = 0; d < stride; d++) expected += (codes[r * stride + d] as number) * (q[d] as number);
        expect(out[r]).toBe(expected);
      }
    }
  });
});

/** The whole Store contract again, with every search answered by the built index. */
describeStoreContract('SqliteStore with a ready search index', async (): Promise<OpenedStore> => {
  const store = SqliteStore.open({ path: ':memory:' });
  const index = store.searchIndex;
  const searching = new Set(['searchText', 'searchVector', 'getCandidates', 'termStatistics']);
  const proxied = new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (typeof key === 'string' && searching.has(key)) {
        return async (...args: unknown[]) => {
          await index?.whenReady();
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
  return { store: proxied, cleanup: () => store.close() };
});
