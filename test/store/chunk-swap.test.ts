import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { afterEach, describe, expect, it } from 'vitest';
import { indexText } from '../../src/retrieval/analyzer.js';
import { migrate } from '../../src/store/sqlite/migrations.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { ChunkRecord } from '../../src/store/types.js';
import type { Dataset, Document } from '../../src/types.js';
import { makeChunk, makeDataset, makeDocument } from './contract.js';

/**
 * The chunk swap of a parse (decision 31): written in many small transactions, switched in one.
 * `swapSliceMs: 0` makes every chunk its own transaction, so readers get a turn between any two.
 */

const dirs: string[] = [];
const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function newPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ragflow-swap-'));
  dirs.push(dir);
  return join(dir, 'swap.db');
}

function open(path: string, searchIndex: boolean): SqliteStore {
  const store = SqliteStore.open({ path, searchIndex, swapSliceMs: 0 });
  stores.push(store);
  return store;
}

async function parsed(store: SqliteStore, contents: readonly string[]): Promise<{ dataset: Dataset; document: Document }> {
  const dataset = makeDataset();
  await store.insertDataset(dataset);
  const document = makeDocument(dataset);
  await store.insertDocument(document, new Uint8Array([1]));
  await store.replaceDocumentChunks(document.id, records(document, contents, 'old'), { tokenCount: contents.length });
  return { dataset, document };
}

/** Chunk ids derive from content in the engine: the same content keeps its id across parses. */
function records(document: Document, contents: readonly string[], vectorSeed: string): ChunkRecord[] {
  return contents.map((content, i) =>
    makeChunk(document, `${content} wombat`, { id: `chunk-${content}`, vector: [1, vectorSeed === 'old' ? 0 : 1, i] }),
  );
}

/** Everything a reader can see of the document, as one comparable value. */
async function snapshot(store: SqliteStore, dataset: Dataset, document: Document): Promise<unknown> {
  const listed = await store.listChunks(document.id, { page: 1, pageSize: 100 });
  const byTerm = await store.searchText({ datasetIds: [dataset.id], terms: [indexText('wombat')], limit: 100 });
  const byVector = await store.searchVector({ datasetIds: [dataset.id], vector: Float32Array.from([1, 0, 0]), limit: 100 });
  const ids = listed.items.map((c) => c.id);
  const candidates = await store.getCandidates(ids, 3, [indexText('wombat')]);
  const records = await store.getChunksByIds(ids);
  const doc = await store.getDocument(dataset.tenantId, dataset.id, document.id);
  const set = await store.getDataset(dataset.tenantId, dataset.id);
  return {
    listed: listed.items.map((c) => c.content).sort(),
    total: listed.total,
    byTerm: byTerm.map((h) => h.chunkId).sort(),
    byVector: byVector.map((h) => h.chunkId).sort(),
    vectors: candidates.map((c) => `${c.chunkId}:${[...(c.vector ?? [])].join(',')}`).sort(),
    records: records.map((c) => c.content).sort(),
    one: (await store.getChunk(document.id, 'chunk-b'))?.content ?? null,
    documentChunks: doc?.chunkCount,
    run: doc?.run,
    datasetChunks: set?.chunkCount,
    datasetTokens: set?.tokenCount,
  };
}

/** Rows of the document in SQLite, whatever their generation. */
function rawRows(store: SqliteStore, documentId: string): number {
  return store.db.prepare(`select count(*) as n from chunks where document_id = ?`).pluck().get(documentId) as number;
}

describe.each([
  ['SQL path', false],
  ['search index', true],
])('chunk swap (%s)', (_, searchIndex) => {
  it('readers see the old chunks or the new ones between every two writes, never a mix', async () => {
    const store = open(newPath(), searchIndex);
    const { dataset, document } = await parsed(store, ['a', 'b', 'c']);
    await store.searchIndex?.whenReady();
    const before = await snapshot(store, dataset, document);

    // b and c survive the re-parse with their ids: the same id exists in both generations meanwhile.
    const next = records(document, ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'], 'new');
    let done = false;
    const seen: unknown[] = [];
    const swap = store.replaceDocumentChunks(document.id, next, { run: 'DONE', tokenCount: 80 }).finally(() => {
      done = true;
    });
    while (!done) {
      seen.push(await snapshot(store, dataset, document));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await swap;
    const after = await snapshot(store, dataset, document);

    expect(after).not.toEqual(before);
    expect(after).toMatchObject({ total: 8, documentChunks: 8, datasetChunks: 8, datasetTokens: 80, run: 'DONE' });
    // Proof that readers did run while the new chunks were being written (one per transaction).
    expect(seen.length).toBeGreaterThan(next.length);
    for (const view of seen) expect([before, after]).toContainEqual(view);
    // The old generation is gone from SQLite too, not only hidden.
    expect(rawRows(store, document.id)).toBe(8);
  });

  it('a stop before the switch keeps the old chunks; what was written is deleted by the next swap', async () => {
    const store = open(newPath(), searchIndex);
    const { dataset, document } = await parsed(store, ['a', 'b', 'c']);
    await store.searchIndex?.whenReady();
    const before = await snapshot(store, dataset, document);

    const controller = new AbortController();
    const swap = store.replaceDocumentChunks(document.id, records(document, ['x', 'y', 'z', 'w'], 'new'), { run: 'DONE' }, controller);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await expect(swap).rejects.toThrow(/abort/i);
    expect(await snapshot(store, dataset, document)).toEqual(before);
    expect(rawRows(store, document.id)).toBeGreaterThan(3); // invisible leftovers, until the next swap

    await store.replaceDocumentChunks(document.id, records(document, ['b', 'q'], 'new'), { tokenCount: 2 });
    expect(rawRows(store, document.id)).toBe(2);
    expect(await snapshot(store, dataset, document)).toMatchObject({ listed: ['b wombat', 'q wombat'], datasetChunks: 2 });
  });

  it('a crash during a swap leaves readers the old chunks; the leftovers are purged after the next open', async () => {
    const path = newPath();
    const crashed = open(path, searchIndex);
    const { dataset, document } = await parsed(crashed, ['a', 'b', 'c']);
    const before = await snapshot(crashed, dataset, document);
    // The process dies with the swap half-written: closing the connection under it is the same for SQLite.
    const swap = crashed.replaceDocumentChunks(document.id, records(document, ['x', 'y', 'z', 'w'], 'new'), {});
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    await crashed.close();
    await expect(swap).rejects.toThrow();

    const reopened = open(path, searchIndex);
    expect(rawRows(reopened, document.id)).toBeGreaterThan(3);
    expect(await snapshot(reopened, dataset, document)).toEqual(before);
    await reopened.staleChunksPurged;
    expect(rawRows(reopened, document.id)).toBe(3);
    // Their FTS5 postings went with them: only the live chunks hold the word.
    const vocabulary = reopened.db.prepare(`select doc from chunk_terms where term = ?`).pluck();
    expect(vocabulary.get(indexText('wombat'))).toBe(3);
    expect(vocabulary.get(indexText('x'))).toBeUndefined();
  });

  it('chunks added or edited during a swap belong to the generation being replaced', async () => {
    const store = open(newPath(), searchIndex);
    const { dataset, document } = await parsed(store, ['a', 'b']);
    const swap = store.replaceDocumentChunks(document.id, records(document, ['b', 'c', 'd'], 'new'), {});
    await new Promise((resolve) => setImmediate(resolve));
    await store.upsertChunks(document.id, [makeChunk(document, 'hand-written wombat', { id: 'chunk-b' })], 0);
    expect((await store.getChunk(document.id, 'chunk-b'))?.content).toBe('hand-written wombat');
    await swap;
    expect((await store.getChunk(document.id, 'chunk-b'))?.content).toBe('b wombat');
    expect(await snapshot(store, dataset, document)).toMatchObject({ total: 3, documentChunks: 3, datasetChunks: 3 });
  });

  it('never switches to a partial set: staged rows taken by another connection fail the swap', async () => {
    const store = open(newPath(), searchIndex);
    const { dataset, document } = await parsed(store, ['a', 'b']);
    const before = await snapshot(store, dataset, document);
    const swap = store.replaceDocumentChunks(document.id, records(document, ['x', 'y', 'z'], 'new'), { run: 'DONE' });
    await new Promise((resolve) => setImmediate(resolve));
    // What another process's clean-up would do (vectors are outside the cascades).
    const staged = `select c.seq from chunks c join documents d on d.id = c.document_id
      where c.document_id = ? and c.generation > d.chunk_generation`;
    store.db.prepare(`delete from chunk_vec_3 where rowid in (${staged})`).run(document.id);
    expect(store.db.prepare(`delete from chunks where seq in (${staged})`).run(document.id).changes).toBeGreaterThan(0);
    await expect(swap).rejects.toThrow(/changed while being written/);
    expect(await snapshot(store, dataset, document)).toEqual(before);
  });

  it('deleting the document during a swap deletes everything written so far', async () => {
    const store = open(newPath(), searchIndex);
    const { dataset, document } = await parsed(store, ['a']);
    const swap = store.replaceDocumentChunks(document.id, records(document, ['x', 'y', 'z'], 'new'), {});
    await new Promise((resolve) => setImmediate(resolve));
    await store.deleteDocuments(dataset.id, [document.id]);
    await swap;
    expect(store.db.prepare(`select count(*) from chunks`).pluck().get()).toBe(0);
    expect(await store.getDataset(dataset.tenantId, dataset.id)).toMatchObject({ chunkCount: 0, documentCount: 0 });
  });
});

describe('schema 5 (chunk generations)', () => {
  it('keeps the chunks, postings and vectors of a schema 4 file', async () => {
    const path = newPath();
    const raw = new BetterSqlite3(path);
    sqliteVec.load(raw);
    migrate(raw, 4);
    raw.exec(`
      insert into datasets (id, tenant_id, name, language, permission, chunk_method, parser_config, embedding_model,
        embedding_dimension, similarity_threshold, vector_similarity_weight, document_count, chunk_count, create_time, update_time)
        values ('ds', 't', 'old', 'English', 'me', 'naive', '{}', 'hash@Builtin', 2, 0.2, 0.3, 1, 1, 1, 1);
      insert into documents (id, tenant_id, dataset_id, name, type, size, chunk_method, parser_config, run, chunk_count, create_time, update_time)
        values ('doc', 't', 'ds', 'old.txt', 'txt', 1, 'naive', '{}', 'DONE', 1, 1, 1);
      insert into chunks (seq, id, dataset_id, document_id, content, content_terms, keyword_terms, title_terms, dimension, create_time, source)
        values (7, 'c1', 'ds', 'doc', 'Kept wombat', 'kept wombat', '', 'old', 2, 1, '{"pages":[1,1]}');
      insert into chunk_fts (rowid, scope, title, keywords, content) values (7, 'zzscope1', 'old', '', 'kept wombat');
      create virtual table chunk_vec_2 using vec0 (dataset_seq integer partition key, embedding float[2] distance_metric=cosine);
    `);
    raw.prepare(`insert into chunk_vec_2 (rowid, dataset_seq, embedding) values (?, ?, ?)`).run(7n, 1n, Buffer.from(Float32Array.from([1, 0]).buffer));
    raw.close();

    const store = open(path, false);
    expect(store.db.pragma('user_version', { simple: true })).toBe(5);
    expect((await store.getChunk('doc', 'c1'))?.source).toEqual({ pages: [1, 1] });
    expect(await store.searchText({ datasetIds: ['ds'], terms: ['wombat'], limit: 5 })).toEqual([{ chunkId: 'c1', score: expect.any(Number) }]);
    expect(await store.searchVector({ datasetIds: ['ds'], vector: Float32Array.from([1, 0]), limit: 5 })).toEqual([
      { chunkId: 'c1', score: expect.closeTo(1, 5) },
    ]);
    // Deleting a chunk still deletes its postings (the trigger came back with the new table).
    await store.deleteChunks('doc', ['c1']);
    expect(await store.searchText({ datasetIds: ['ds'], terms: ['wombat'], limit: 5 })).toEqual([]);
    expect(store.db.prepare(`select doc from chunk_terms where term = 'wombat'`).pluck().get()).toBeUndefined();
  });
});
