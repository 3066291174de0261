/**
 * The Store conformance suite. Every implementation of `Store` (SQLite now, Postgres later) runs
 * these same tests through `describeStoreContract`; implementation-specific checks live next to
 * the call (see sqlite.test.ts).
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { indexText } from '../../src/retrieval/analyzer.js';
import type { ChunkRecord, DocumentQuery, Store } from '../../src/store/types.js';
import type { ChatAssistant, ChatSession, ChunkFieldValue, ChunkPosition, ChunkSource, Dataset, Document, ParserConfig, SessionMessage } from '../../src/types.js';

export interface OpenedStore {
  store: Store;
  /** Opens the same data again; the caller closes the previous store first. */
  reopen?: () => Promise<Store>;
  /** Closes every store this handle opened and removes what it created. */
  cleanup(): Promise<void>;
}

// ---- fixtures -------------------------------------------------------------------------------------

const TENANT = 'tenant-a';
const OTHER_TENANT = 'tenant-b';

const PARSER_CONFIG: ParserConfig = {
  chunkTokenNum: 512,
  delimiter: '\n!?;。；！？',
  layoutRecognize: true,
  filenameEmbdWeight: 0.1,
};

/** Strictly increasing timestamps, so ordering by time is deterministic. */
let clock = 1_700_000_000_000;
const tick = (): number => (clock += 1000);
const newId = (): string => randomUUID().replaceAll('-', '');

export function makeDataset(overrides: Partial<Dataset> = {}): Dataset {
  const time = tick();
  return {
    id: newId(),
    tenantId: TENANT,
    name: `dataset ${time}`,
    description: 'a test dataset',
    avatar: '',
    language: 'English',
    permission: 'me',
    chunkMethod: 'naive',
    parserConfig: { ...PARSER_CONFIG },
    embeddingModel: 'hash@builtin',
    embeddingDimension: 0,
    similarityThreshold: 0.2,
    vectorSimilarityWeight: 0.3,
    documentCount: 0,
    chunkCount: 0,
    tokenCount: 0,
    createTime: time,
    updateTime: time,
    ...overrides,
  };
}

export function makeDocument(dataset: Dataset, overrides: Partial<Document> = {}): Document {
  const time = tick();
  return {
    id: newId(),
    tenantId: dataset.tenantId,
    datasetId: dataset.id,
    name: `file-${time}.txt`,
    type: 'txt',
    size: 10,
    chunkMethod: dataset.chunkMethod,
    parserConfig: { ...dataset.parserConfig },
    run: 'UNSTART',
    progress: 0,
    progressMsg: '',
    processBeginAt: null,
    processDuration: 0,
    chunkCount: 0,
    tokenCount: 0,
    enabled: true,
    createTime: time,
    updateTime: time,
    ...overrides,
  };
}

export interface ChunkOptions {
  id?: string;
  keywords?: string[];
  available?: boolean;
  vector?: readonly number[];
  positions?: ChunkPosition[];
  source?: ChunkSource;
  fields?: Record<string, ChunkFieldValue>;
  imageId?: string;
}

/** A chunk of `document` with its analysed terms (as the ingest pipeline would produce them). */
export function makeChunk(document: Document, content: string, options: ChunkOptions = {}): ChunkRecord {
  const keywords = options.keywords ?? [];
  return {
    chunk: {
      id: options.id ?? newId(),
      datasetId: document.datasetId,
      documentId: document.id,
      documentName: document.name,
      content,
      importantKeywords: keywords,
      available: options.available ?? true,
      positions: options.positions ?? [],
      source: options.source ?? {},
      fields: options.fields ?? {},
      imageId: options.imageId ?? '',
      createTime: tick(),
    },
    contentTerms: indexText(content),
    keywordTerms: indexText(keywords.join(' ')),
    titleTerms: indexText(document.name),
    vector: options.vector ? Float32Array.from(options.vector) : undefined,
  };
}

/** Analysed query terms of `text`. */
const terms = (text: string): string[] => indexText(text).split(' ').filter(Boolean);

/** Cosine similarity computed from the float32 values a store keeps. */
function cosine(a: readonly number[], b: readonly number[]): number {
  const fa = Float32Array.from(a);
  const fb = Float32Array.from(b);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < fa.length; i++) {
    const x = fa[i] ?? 0;
    const y = fb[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return dot / Math.sqrt(na * nb);
}

const ids = (items: readonly { id: string }[]): string[] => items.map((item) => item.id);
const chunkIds = (hits: readonly { chunkId: string }[]): string[] => hits.map((hit) => hit.chunkId);

function allBytes(): Uint8Array {
  const bytes = new Uint8Array(512);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + 3) % 256; // every value, twice, scrambled
  return bytes;
}

const docQuery = (overrides: Partial<DocumentQuery> = {}): DocumentQuery => ({
  page: 1,
  pageSize: 30,
  orderBy: 'create_time',
  desc: false,
  ...overrides,
});

// ---- the suite ------------------------------------------------------------------------------------

export function describeStoreContract(label: string, openStore: () => Promise<OpenedStore>): void {
  describe(`Store contract: ${label}`, () => {
    let opened: OpenedStore;
    let store: Store;

    beforeEach(async () => {
      opened = await openStore();
      store = opened.store;
    });

    afterEach(async () => {
      await opened.cleanup();
    });

    async function addDataset(overrides: Partial<Dataset> = {}): Promise<Dataset> {
      const dataset = makeDataset(overrides);
      await store.insertDataset(dataset);
      return dataset;
    }

    async function addDocument(
      dataset: Dataset,
      overrides: Partial<Document> = {},
      content: Uint8Array = new TextEncoder().encode('hello'),
    ): Promise<Document> {
      const document = makeDocument(dataset, { size: content.byteLength, ...overrides });
      await store.insertDocument(document, content);
      return document;
    }

    /** A dataset with one document holding `chunks` (made by the callback), stored via replaceDocumentChunks. */
    async function addParsed(
      chunks: (document: Document) => ChunkRecord[],
      options: { dataset?: Dataset; document?: Partial<Document>; tokenCount?: number } = {},
    ): Promise<{ dataset: Dataset; document: Document; records: ChunkRecord[] }> {
      const dataset = options.dataset ?? (await addDataset());
      const document = await addDocument(dataset, options.document);
      const records = chunks(document);
      await store.replaceDocumentChunks(document.id, records, {
        run: 'DONE',
        progress: 1,
        tokenCount: options.tokenCount ?? records.length * 10,
      });
      return { dataset, document, records };
    }

    // ---- datasets ------------------------------------------------------------------------------

    describe('datasets', () => {
      it('stores a dataset and reads it back unchanged', async () => {
        const dataset = await addDataset({ description: 'notes', avatar: 'data:image/png;base64,AAA=', permission: 'team' });
        expect(await store.getDataset(TENANT, dataset.id)).toEqual(dataset);
        expect(await store.getDataset(TENANT, 'no-such-id')).toBeUndefined();
      });

      it("reports another tenant's dataset as missing and does not let it be changed or deleted", async () => {
        const { dataset, records } = await addParsed((d) => [makeChunk(d, 'tenant isolation zebra', { vector: [1, 0, 0] })]);
        expect(await store.getDataset(OTHER_TENANT, dataset.id)).toBeUndefined();
        expect(await store.updateDataset(OTHER_TENANT, dataset.id, { name: 'stolen' })).toBeUndefined();
        await store.deleteDatasets(OTHER_TENANT, [dataset.id]);

        const after = await store.getDataset(TENANT, dataset.id);
        expect(after?.name).toBe(dataset.name);
        expect(after?.chunkCount).toBe(1);
        const chunkId = records[0]?.chunk.id;
        expect(chunkIds(await store.searchText({ datasetIds: [dataset.id], terms: terms('zebra'), limit: 10 }))).toEqual([chunkId]);
        expect(chunkIds(await store.searchVector({ datasetIds: [dataset.id], vector: Float32Array.from([1, 0, 0]), limit: 10 }))).toEqual([chunkId]);
      });

      it('refuses a second dataset with the same id', async () => {
        const dataset = await addDataset();
        await expect(store.insertDataset({ ...dataset, name: 'copy', tenantId: OTHER_TENANT })).rejects.toThrow();
        expect(await store.getDataset(TENANT, dataset.id)).toEqual(dataset);
        expect(await store.datasetNames(OTHER_TENANT)).toEqual(new Set());
      });

      it("lists the tenant's dataset names lower-cased", async () => {
        await addDataset({ name: 'Alpha Docs' });
        await addDataset({ name: 'beta' });
        await addDataset({ name: 'Gamma', tenantId: OTHER_TENANT });
        expect(await store.datasetNames(TENANT)).toEqual(new Set(['alpha docs', 'beta']));
        expect(await store.datasetNames(OTHER_TENANT)).toEqual(new Set(['gamma']));
        expect(await store.datasetNames('nobody')).toEqual(new Set());
      });

      describe('listDatasets', () => {
        let a: Dataset;
        let b: Dataset;
        let c: Dataset;
        beforeEach(async () => {
          // created in order b, c, a; names sort a, b, c
          b = await addDataset({ name: 'bravo' });
          c = await addDataset({ name: 'charlie' });
          a = await addDataset({ name: 'alpha' });
          await addDataset({ name: 'alpha', tenantId: OTHER_TENANT });
          // c becomes the most recently updated
          await store.updateDataset(TENANT, c.id, { updateTime: tick() });
        });
        const query = { page: 1, pageSize: 30, orderBy: 'create_time', desc: false } as const;

        it('orders by create_time, update_time and name, ascending and descending', async () => {
          expect(ids((await store.listDatasets(TENANT, query)).items)).toEqual([b.id, c.id, a.id]);
          expect(ids((await store.listDatasets(TENANT, { ...query, desc: true })).items)).toEqual([a.id, c.id, b.id]);
          expect(ids((await store.listDatasets(TENANT, { ...query, orderBy: 'update_time' })).items)).toEqual([b.id, a.id, c.id]);
          expect(ids((await store.listDatasets(TENANT, { ...query, orderBy: 'update_time', desc: true })).items)).toEqual([
            c.id,
            a.id,
            b.id,
          ]);
          expect(ids((await store.listDatasets(TENANT, { ...query, orderBy: 'name' })).items)).toEqual([a.id, b.id, c.id]);
          expect(ids((await store.listDatasets(TENANT, { ...query, orderBy: 'name', desc: true })).items)).toEqual([c.id, b.id, a.id]);
        });

        it('pages (1-based) and reports the total of all matches', async () => {
          const first = await store.listDatasets(TENANT, { ...query, orderBy: 'name', pageSize: 2 });
          expect(ids(first.items)).toEqual([a.id, b.id]);
          expect(first.total).toBe(3);
          const second = await store.listDatasets(TENANT, { ...query, orderBy: 'name', pageSize: 2, page: 2 });
          expect(ids(second.items)).toEqual([c.id]);
          expect(second.total).toBe(3);
          const beyond = await store.listDatasets(TENANT, { ...query, pageSize: 2, page: 3 });
          expect(beyond).toEqual({ items: [], total: 3 });
        });

        it('filters by name and by id within the tenant', async () => {
          const byName = await store.listDatasets(TENANT, { ...query, name: 'alpha' });
          expect(ids(byName.items)).toEqual([a.id]);
          expect(byName.total).toBe(1);
          const byId = await store.listDatasets(TENANT, { ...query, id: b.id });
          expect(byId.items).toHaveLength(1);
          expect(byId.items[0]?.name).toBe('bravo');
          expect(await store.listDatasets(TENANT, { ...query, id: b.id, name: 'alpha' })).toEqual({ items: [], total: 0 });
          expect(await store.listDatasets(OTHER_TENANT, { ...query, id: b.id })).toEqual({ items: [], total: 0 });
          expect(await store.listDatasets(TENANT, { ...query, name: 'delta' })).toEqual({ items: [], total: 0 });
        });
      });

      it('patches only the given fields, round-tripping parserConfig as JSON', async () => {
        const dataset = await addDataset();
        const parserConfig: ParserConfig = { chunkTokenNum: 128, delimiter: '`##`\n"quoted"', layoutRecognize: false, filenameEmbdWeight: 0.25 };
        const updated = await store.updateDataset(TENANT, dataset.id, {
          name: 'renamed',
          parserConfig,
          embeddingDimension: 384,
          similarityThreshold: 0.5,
          chunkMethod: 'qa',
          updateTime: dataset.updateTime + 5,
        });
        const expected: Dataset = {
          ...dataset,
          name: 'renamed',
          parserConfig,
          embeddingDimension: 384,
          similarityThreshold: 0.5,
          chunkMethod: 'qa',
          updateTime: dataset.updateTime + 5,
        };
        expect(updated).toEqual(expected);
        expect(await store.getDataset(TENANT, dataset.id)).toEqual(expected);
        // an empty patch changes nothing and still returns the dataset
        expect(await store.updateDataset(TENANT, dataset.id, {})).toEqual(expected);
        expect(await store.updateDataset(TENANT, 'no-such-id', { name: 'x' })).toBeUndefined();
      });

      it('deletes datasets with their documents, files, chunks, text index and vectors', async () => {
        const gone = await addParsed((d) => [
          makeChunk(d, 'doomed walrus text', { vector: [1, 0, 0] }),
          makeChunk(d, 'another doomed paragraph', { vector: [0, 1, 0] }),
        ]);
        const kept = await addParsed((d) => [makeChunk(d, 'surviving walrus text', { vector: [1, 0.1, 0] })]);
        const bothIds = [gone.dataset.id, kept.dataset.id];

        await store.deleteDatasets(TENANT, [gone.dataset.id, 'no-such-id']);

        expect(await store.getDataset(TENANT, gone.dataset.id)).toBeUndefined();
        expect(await store.getDocument(TENANT, gone.dataset.id, gone.document.id)).toBeUndefined();
        expect(await store.readDocumentFile(gone.document.id)).toBeUndefined();
        expect(await store.getChunk(gone.document.id, gone.records[0]?.chunk.id ?? '')).toBeUndefined();
        expect(await store.getCandidates(ids(gone.records.map((r) => r.chunk)), 3, terms('doomed'))).toEqual([]);
        expect(await store.getChunksByIds(ids(gone.records.map((r) => r.chunk)))).toEqual([]);
        expect(await store.datasetNames(TENANT)).toEqual(new Set([kept.dataset.name.toLowerCase()]));

        const keptChunk = kept.records[0]?.chunk.id;
        expect(chunkIds(await store.searchText({ datasetIds: bothIds, terms: terms('walrus doomed'), limit: 10 }))).toEqual([keptChunk]);
        expect(await store.searchText({ datasetIds: [gone.dataset.id], terms: terms('doomed'), limit: 10 })).toEqual([]);
        expect(chunkIds(await store.searchVector({ datasetIds: bothIds, vector: Float32Array.from([1, 0, 0]), limit: 10 }))).toEqual([keptChunk]);
        expect(
          chunkIds(await store.searchVector({ datasetIds: bothIds, documentIds: [gone.document.id, kept.document.id], vector: Float32Array.from([1, 0, 0]), limit: 10 })),
        ).toEqual([keptChunk]);

        const stats = await store.termStatistics(terms('doomed walrus'), bothIds);
        expect(stats.chunkCount).toBe(1);
        expect(Object.fromEntries(stats.documentFrequency)).toEqual({ doom: 0, walru: 1 });
      });
    });

    // ---- documents -----------------------------------------------------------------------------

    describe('documents', () => {
      it('stores the document and its bytes byte-for-byte, and counts it on the dataset', async () => {
        const dataset = await addDataset();
        const bytes = allBytes();
        const document = await addDocument(dataset, { name: 'binary.bin', type: 'bin' }, bytes);
        const empty = await addDocument(dataset, { name: 'empty.txt' }, new Uint8Array(0));

        expect(await store.getDocument(TENANT, dataset.id, document.id)).toEqual(document);
        expect(await store.getDocument(TENANT, dataset.id, empty.id)).toEqual(empty);
        const read = await store.readDocumentFile(document.id);
        expect(read).toBeInstanceOf(Uint8Array);
        expect(Array.from(read ?? [])).toEqual(Array.from(bytes));
        const readEmpty = await store.readDocumentFile(empty.id);
        expect(readEmpty).toBeInstanceOf(Uint8Array);
        expect(readEmpty?.byteLength).toBe(0);
        expect(await store.readDocumentFile('no-such-id')).toBeUndefined();
        expect((await store.getDataset(TENANT, dataset.id))?.documentCount).toBe(2);
      });

      it('refuses a document of an unknown dataset or a reused id, storing nothing', async () => {
        const dataset = await addDataset();
        const orphan = makeDocument(makeDataset());
        await expect(store.insertDocument(orphan, new Uint8Array([1]))).rejects.toThrow();
        expect(await store.readDocumentFile(orphan.id)).toBeUndefined();
        expect(await store.documentsWithRun('UNSTART')).toEqual([]);

        const document = await addDocument(dataset, {}, new Uint8Array([1, 2]));
        await expect(store.insertDocument({ ...document, name: 'again.txt' }, new Uint8Array([9]))).rejects.toThrow();
        expect(await store.getDocument(TENANT, dataset.id, document.id)).toEqual(document);
        expect(Array.from((await store.readDocumentFile(document.id)) ?? [])).toEqual([1, 2]);
        expect((await store.getDataset(TENANT, dataset.id))?.documentCount).toBe(1);
      });

      it('keeps the stored bytes independent of the caller buffer', async () => {
        const dataset = await addDataset();
        const bytes = new Uint8Array([1, 2, 3, 4]);
        const document = await addDocument(dataset, {}, bytes.subarray(1, 3));
        bytes.fill(0);
        expect(Array.from((await store.readDocumentFile(document.id)) ?? [])).toEqual([2, 3]);
      });

      it('scopes getDocument by tenant and dataset', async () => {
        const dataset = await addDataset();
        const other = await addDataset();
        const document = await addDocument(dataset);
        expect(await store.getDocument(TENANT, dataset.id, document.id)).toEqual(document);
        expect(await store.getDocument(OTHER_TENANT, dataset.id, document.id)).toBeUndefined();
        expect(await store.getDocument(TENANT, other.id, document.id)).toBeUndefined();
        expect(await store.getDocument(TENANT, dataset.id, 'no-such-id')).toBeUndefined();
      });

      it("lists a dataset's document names lower-cased", async () => {
        const dataset = await addDataset();
        const other = await addDataset();
        await addDocument(dataset, { name: 'Report.PDF' });
        await addDocument(dataset, { name: 'notes.txt' });
        await addDocument(other, { name: 'Elsewhere.md' });
        expect(await store.documentNames(dataset.id)).toEqual(new Set(['report.pdf', 'notes.txt']));
        expect(await store.documentNames(other.id)).toEqual(new Set(['elsewhere.md']));
        expect(await store.documentNames('no-such-id')).toEqual(new Set());
      });

      describe('listDocuments', () => {
        let dataset: Dataset;
        let x: Document;
        let y: Document;
        let z: Document;
        beforeEach(async () => {
          dataset = await addDataset();
          // created in order y, z, x; names sort x, y, z; sizes sort z, x, y
          y = await addDocument(dataset, { name: 'y-Annual-Report.pdf', run: 'DONE' }, new Uint8Array(300));
          z = await addDocument(dataset, { name: 'z-minutes.txt', run: 'FAIL' }, new Uint8Array(100));
          x = await addDocument(dataset, { name: 'x-report-draft.docx', run: 'DONE' }, new Uint8Array(200));
          await addDocument(await addDataset(), { name: 'report-elsewhere.txt' });
          await store.updateDocument(z.id, { updateTime: tick() });
        });

        it('orders by create_time, update_time, name and size, ascending and descending', async () => {
          expect(ids((await store.listDocuments(dataset.id, docQuery())).items)).toEqual([y.id, z.id, x.id]);
          expect(ids((await store.listDocuments(dataset.id, docQuery({ desc: true }))).items)).toEqual([x.id, z.id, y.id]);
          expect(ids((await store.listDocuments(dataset.id, docQuery({ orderBy: 'update_time' }))).items)).toEqual([y.id, x.id, z.id]);
          expect(ids((await store.listDocuments(dataset.id, docQuery({ orderBy: 'update_time', desc: true }))).items)).toEqual([
            z.id,
            x.id,
            y.id,
          ]);
          expect(ids((await store.listDocuments(dataset.id, docQuery({ orderBy: 'name' }))).items)).toEqual([x.id, y.id, z.id]);
          expect(ids((await store.listDocuments(dataset.id, docQuery({ orderBy: 'name', desc: true }))).items)).toEqual([z.id, y.id, x.id]);
          expect(ids((await store.listDocuments(dataset.id, docQuery({ orderBy: 'size' }))).items)).toEqual([z.id, x.id, y.id]);
          expect(ids((await store.listDocuments(dataset.id, docQuery({ orderBy: 'size', desc: true }))).items)).toEqual([y.id, x.id, z.id]);
        });

        it('pages (1-based) and reports the total of all matches', async () => {
          const first = await store.listDocuments(dataset.id, docQuery({ orderBy: 'name', pageSize: 2 }));
          expect(ids(first.items)).toEqual([x.id, y.id]);
          expect(first.total).toBe(3);
          const second = await store.listDocuments(dataset.id, docQuery({ orderBy: 'name', pageSize: 2, page: 2 }));
          expect(ids(second.items)).toEqual([z.id]);
          expect(second.total).toBe(3);
          expect(await store.listDocuments(dataset.id, docQuery({ pageSize: 2, page: 5 }))).toEqual({ items: [], total: 3 });
        });

        it('filters by name substring (case-insensitive), exact name, id and run status', async () => {
          const byKeyword = await store.listDocuments(dataset.id, docQuery({ keywords: 'REPORT', orderBy: 'name' }));
          expect(ids(byKeyword.items)).toEqual([x.id, y.id]);
          expect(byKeyword.total).toBe(2);
          // a substring, not a word prefix or pattern
          expect(ids((await store.listDocuments(dataset.id, docQuery({ keywords: 'nual-rep' }))).items)).toEqual([y.id]);
          expect((await store.listDocuments(dataset.id, docQuery({ keywords: '%' }))).total).toBe(0);
          expect((await store.listDocuments(dataset.id, docQuery({ keywords: '_' }))).total).toBe(0);

          expect(ids((await store.listDocuments(dataset.id, docQuery({ name: 'z-minutes.txt' }))).items)).toEqual([z.id]);
          expect((await store.listDocuments(dataset.id, docQuery({ name: 'minutes' }))).total).toBe(0);
          expect(ids((await store.listDocuments(dataset.id, docQuery({ id: x.id }))).items)).toEqual([x.id]);
          const done = await store.listDocuments(dataset.id, docQuery({ run: 'DONE' }));
          expect(ids(done.items)).toEqual([y.id, x.id]);
          expect(done.total).toBe(2);
          expect(ids((await store.listDocuments(dataset.id, docQuery({ run: 'DONE', keywords: 'draft' }))).items)).toEqual([x.id]);
          expect(await store.listDocuments(dataset.id, docQuery({ run: 'RUNNING' }))).toEqual({ items: [], total: 0 });
        });
      });

      it('patches only the given fields and returns the document', async () => {
        const dataset = await addDataset();
        const document = await addDocument(dataset);
        const parserConfig: ParserConfig = { ...PARSER_CONFIG, chunkTokenNum: 64 };
        const begin = tick();
        const expected: Document = {
          ...document,
          name: 'renamed.txt',
          run: 'RUNNING',
          progress: 0.5,
          progressMsg: 'Parsing page 3\nstill going',
          processBeginAt: begin,
          parserConfig,
          chunkMethod: 'book',
        };
        const updated = await store.updateDocument(document.id, {
          name: 'renamed.txt',
          run: 'RUNNING',
          progress: 0.5,
          progressMsg: 'Parsing page 3\nstill going',
          processBeginAt: begin,
          parserConfig,
          chunkMethod: 'book',
        });
        expect(updated).toEqual(expected);
        expect(await store.getDocument(TENANT, dataset.id, document.id)).toEqual(expected);

        const finished = await store.updateDocument(document.id, { processBeginAt: null, enabled: false, processDuration: 1.25, progress: -1, run: 'FAIL' });
        expect(finished).toEqual({ ...expected, processBeginAt: null, enabled: false, processDuration: 1.25, progress: -1, run: 'FAIL' });
        expect(await store.updateDocument('no-such-id', { name: 'x' })).toBeUndefined();
      });

      it('deletes documents with their files and chunks and adjusts the dataset counters', async () => {
        const { dataset, document: gone, records } = await addParsed(
          (d) => [makeChunk(d, 'ephemeral ocelot', { vector: [1, 0] }), makeChunk(d, 'ephemeral lynx', { vector: [0, 1] })],
          { tokenCount: 40 },
        );
        const { document: kept, records: keptRecords } = await addParsed((d) => [makeChunk(d, 'durable ocelot', { vector: [1, 0.2] })], {
          dataset,
          tokenCount: 7,
        });
        const otherDataset = await addDataset();
        const foreign = await addDocument(otherDataset);
        expect(await store.getDataset(TENANT, dataset.id)).toMatchObject({ documentCount: 2, chunkCount: 3, tokenCount: 47 });

        // ids of another dataset and unknown ids are ignored
        await store.deleteDocuments(dataset.id, [gone.id, foreign.id, 'no-such-id']);

        expect(await store.getDocument(TENANT, dataset.id, gone.id)).toBeUndefined();
        expect(await store.readDocumentFile(gone.id)).toBeUndefined();
        for (const record of records) expect(await store.getChunk(gone.id, record.chunk.id)).toBeUndefined();
        expect(await store.getDataset(TENANT, dataset.id)).toMatchObject({ documentCount: 1, chunkCount: 1, tokenCount: 7 });
        expect(await store.getDocument(TENANT, otherDataset.id, foreign.id)).toEqual(foreign);
        expect((await store.getDataset(TENANT, otherDataset.id))?.documentCount).toBe(1);

        const keptId = keptRecords[0]?.chunk.id;
        expect(chunkIds(await store.searchText({ datasetIds: [dataset.id], terms: terms('ephemeral ocelot'), limit: 10 }))).toEqual([keptId]);
        expect(chunkIds(await store.searchVector({ datasetIds: [dataset.id], vector: Float32Array.from([1, 0]), limit: 10 }))).toEqual([keptId]);
        expect((await store.termStatistics(terms('ephemeral'), [dataset.id])).documentFrequency.get('ephemer')).toBe(0);
        expect(await store.documentNames(dataset.id)).toEqual(new Set([kept.name.toLowerCase()]));
      });

      it('finds documents by run status across tenants', async () => {
        const mine = await addDataset();
        const theirs = await addDataset({ tenantId: OTHER_TENANT });
        const a = await addDocument(mine, { run: 'RUNNING' });
        await addDocument(mine, { run: 'DONE' });
        const b = await addDocument(theirs, { run: 'RUNNING' });
        const c = await addDocument(mine);
        await store.updateDocument(c.id, { run: 'RUNNING' });
        const running = await store.documentsWithRun('RUNNING');
        expect(ids(running).sort()).toEqual([a.id, b.id, c.id].sort());
        expect(running.find((d) => d.id === b.id)).toEqual(b);
        expect(await store.documentsWithRun('CANCEL')).toEqual([]);
      });
    });

    // ---- chunks --------------------------------------------------------------------------------

    describe('chunks', () => {
      it('replaceDocumentChunks stores the chunks and sets document and dataset counters', async () => {
        const dataset = await addDataset();
        const document = await addDocument(dataset);
        const records = [
          makeChunk(document, 'first paragraph', { keywords: ['Intro'], positions: [[1, 10, 200, 30, 60]], imageId: 'img-1' }),
          makeChunk(document, 'second paragraph', { available: false }),
        ];
        const begin = tick();
        await store.replaceDocumentChunks(document.id, records, {
          run: 'DONE',
          progress: 1,
          progressMsg: 'done',
          processBeginAt: begin,
          processDuration: 2.5,
          tokenCount: 33,
          chunkCount: 99, // the store counts what it stored
        });
        expect(await store.getDocument(TENANT, dataset.id, document.id)).toEqual({
          ...document,
          run: 'DONE',
          progress: 1,
          progressMsg: 'done',
          processBeginAt: begin,
          processDuration: 2.5,
          tokenCount: 33,
          chunkCount: 2,
        });
        expect(await store.getDataset(TENANT, dataset.id)).toMatchObject({ documentCount: 1, chunkCount: 2, tokenCount: 33 });
        for (const record of records) expect(await store.getChunk(document.id, record.chunk.id)).toEqual(record.chunk);
      });

      it('replaceDocumentChunks replaces the previous chunks, also when called again', async () => {
        const { dataset, document, records: first } = await addParsed(
          (d) => [makeChunk(d, 'obsolete heron', { vector: [1, 0] }), makeChunk(d, 'obsolete crane', { vector: [0, 1] })],
          { tokenCount: 20 },
        );
        await addParsed((d) => [makeChunk(d, 'neighbour text')], { dataset, tokenCount: 5 });
        expect(await store.getDataset(TENANT, dataset.id)).toMatchObject({ chunkCount: 3, tokenCount: 25 });

        const second = [makeChunk(document, 'fresh pelican', { vector: [1, 0.1] })];
        await store.replaceDocumentChunks(document.id, second, { tokenCount: 8 });
        expect(await store.getDocument(TENANT, dataset.id, document.id)).toMatchObject({ chunkCount: 1, tokenCount: 8 });
        expect(await store.getDataset(TENANT, dataset.id)).toMatchObject({ chunkCount: 2, tokenCount: 13 });
        for (const record of first) expect(await store.getChunk(document.id, record.chunk.id)).toBeUndefined();
        const freshId = second[0]?.chunk.id;
        expect(await store.searchText({ datasetIds: [dataset.id], terms: terms('obsolete heron'), limit: 10 })).toEqual([]);
        expect(chunkIds(await store.searchText({ datasetIds: [dataset.id], terms: terms('pelican'), limit: 10 }))).toEqual([freshId]);
        expect(chunkIds(await store.searchVector({ datasetIds: [dataset.id], vector: Float32Array.from([0, 1]), limit: 10 }))).toEqual([freshId]);

        // the same again: nothing doubles
        await store.replaceDocumentChunks(document.id, second, { tokenCount: 8 });
        expect(await store.getDocument(TENANT, dataset.id, document.id)).toMatchObject({ chunkCount: 1, tokenCount: 8 });
        expect(await store.getDataset(TENANT, dataset.id)).toMatchObject({ chunkCount: 2, tokenCount: 13 });
        expect((await store.listChunks(document.id, { page: 1, pageSize: 10 })).total).toBe(1);
        expect(chunkIds(await store.searchVector({ datasetIds: [dataset.id], vector: Float32Array.from([1, 0.1]), limit: 10 }))[0]).toBe(freshId);

        // replacing with nothing empties the document
        await store.replaceDocumentChunks(document.id, [], { tokenCount: 0 });
        expect(await store.getDocument(TENANT, dataset.id, document.id)).toMatchObject({ chunkCount: 0, tokenCount: 0 });
        expect(await store.getDataset(TENANT, dataset.id)).toMatchObject({ chunkCount: 1, tokenCount: 5 });
        expect(await store.searchVector({ datasetIds: [dataset.id], vector: Float32Array.from([1, 0]), limit: 10 })).toEqual([]);
      });

      it('replaceDocumentChunks is atomic: a failing batch leaves the old chunks and counters', async () => {
        const { dataset, document, records } = await addParsed((d) => [makeChunk(d, 'steadfast tortoise')], { tokenCount: 4 });
        const duplicate = makeChunk(document, 'clashing hare');
        await expect(
          store.replaceDocumentChunks(document.id, [makeChunk(document, 'lost hare'), duplicate, duplicate], { tokenCount: 99, run: 'FAIL' }),
        ).rejects.toThrow();
        expect(await store.getDocument(TENANT, dataset.id, document.id)).toMatchObject({ chunkCount: 1, tokenCount: 4, run: 'DONE' });
        expect(await store.getDataset(TENANT, dataset.id)).toMatchObject({ chunkCount: 1, tokenCount: 4 });
        expect(await store.getChunk(document.id, records[0]?.chunk.id ?? '')).toEqual(records[0]?.chunk);
        expect(await store.searchText({ datasetIds: [dataset.id], terms: terms('hare'), limit: 10 })).toEqual([]);
        expect(chunkIds(await store.searchText({ datasetIds: [dataset.id], terms: terms('tortoise'), limit: 10 }))).toEqual([
          records[0]?.chunk.id,
        ]);
      });

      it('a rolled-back write that brought the first vector of a new size leaves that size usable', async () => {
        const { dataset, document, records } = await addParsed((d) => [makeChunk(d, 'plain')]);
        const seven = [1, 2, 3, 4, 5, 6, 7];
        await expect(
          store.replaceDocumentChunks(
            document.id,
            [makeChunk(document, 'seven', { id: 'dup', vector: seven }), makeChunk(document, 'again', { id: 'dup' })],
            {},
          ),
        ).rejects.toThrow();
        const q = { datasetIds: [dataset.id], vector: Float32Array.from(seven), limit: 10 };
        expect(await store.searchVector(q)).toEqual([]);
        expect(await store.searchVector({ ...q, documentIds: [document.id] })).toEqual([]);
        expect((await store.getCandidates([records[0]?.chunk.id ?? ''], 7, []))[0]?.vector).toBeUndefined();
        const added = makeChunk(document, 'seven again', { vector: seven });
        await store.upsertChunks(document.id, [added], 1);
        expect(await store.searchVector(q)).toEqual([{ chunkId: added.chunk.id, score: expect.closeTo(1, 5) }]);
      });

      it('upsertChunks adds chunks and adjusts document and dataset counters', async () => {
        const { dataset, document } = await addParsed((d) => [makeChunk(d, 'base chunk')], { tokenCount: 10 });
        const added = [makeChunk(document, 'added one'), makeChunk(document, 'added two')];
        await store.upsertChunks(document.id, added, 6);
        expect(await store.getDocument(TENANT, dataset.id, document.id)).toMatchObject({ chunkCount: 3, tokenCount: 16 });
        expect(await store.getDataset(TENANT, dataset.id)).toMatchObject({ chunkCount: 3, tokenCount: 16 });
        expect(await store.getChunk(document.id, added[1]?.chunk.id ?? '')).toEqual(added[1]?.chunk);
      });

      it('upsertChunks replaces an existing id in place without counting it twice', async () => {
        const { dataset, document, records } = await addParsed(
          (d) => [
            makeChunk(d, 'alpha original', { vector: [1, 0, 0] }),
            makeChunk(d, 'beta original', { vector: [0, 1, 0] }),
            makeChunk(d, 'gamma original', { vector: [0, 0, 1] }),
          ],
          { tokenCount: 30 },
        );
        const middle = records[1];
        if (!middle) throw new Error('fixture');
        const replacement = makeChunk(document, 'beta rewritten platypus', { id: middle.chunk.id, keywords: ['monotreme'], vector: [1, 1, 0] });
        await store.upsertChunks(document.id, [replacement], 2);

        expect(await store.getDocument(TENANT, dataset.id, document.id)).toMatchObject({ chunkCount: 3, tokenCount: 32 });
        expect(await store.getDataset(TENANT, dataset.id)).toMatchObject({ chunkCount: 3, tokenCount: 32 });
        expect(await store.getChunk(document.id, middle.chunk.id)).toEqual(replacement.chunk);
        // the chunk keeps its place in the document
        expect(ids((await store.listChunks(document.id, { page: 1, pageSize: 10 })).items)).toEqual(ids(records.map((r) => r.chunk)));
        // re-indexed: new terms found, old ones not
        expect(chunkIds(await store.searchText({ datasetIds: [dataset.id], terms: terms('platypus monotreme'), limit: 10 }))).toEqual([middle.chunk.id]);
        expect(chunkIds(await store.searchText({ datasetIds: [dataset.id], terms: terms('beta'), limit: 10 }))).toEqual([middle.chunk.id]);
        expect(chunkIds(await store.searchText({ datasetIds: [dataset.id], terms: terms('original'), limit: 10 })).sort()).toEqual(
          [records[0]?.chunk.id, records[2]?.chunk.id].sort(),
        );
        const nearest = await store.searchVector({ datasetIds: [dataset.id], vector: Float32Array.from([1, 1, 0]), limit: 3 });
        expect(nearest[0]).toEqual({ chunkId: middle.chunk.id, score: expect.closeTo(1, 5) });
        expect(nearest).toHaveLength(3);
        expect((await store.termStatistics(['origin'], [dataset.id])).documentFrequency.get('origin')).toBe(2);
      });

      it('updateChunk re-indexes content and keywords: new terms are found, old ones are not', async () => {
        const { dataset, document, records } = await addParsed((d) => [
          makeChunk(d, 'the quick brown fox', { keywords: ['canine'] }),
          makeChunk(d, 'an unrelated sentence'),
        ]);
        const target = records[0]?.chunk;
        if (!target) throw new Error('fixture');
        await store.updateChunk(document.id, target.id, {
          content: 'a lazy sleeping dog',
          contentTerms: indexText('a lazy sleeping dog'),
        });
        expect(await store.getChunk(document.id, target.id)).toEqual({ ...target, content: 'a lazy sleeping dog' });
        const search = async (text: string): Promise<string[]> =>
          chunkIds(await store.searchText({ datasetIds: [dataset.id], terms: terms(text), limit: 10 }));
        expect(await search('fox')).toEqual([]);
        expect(await search('sleeping')).toEqual([target.id]);
        expect(await search('canine')).toEqual([target.id]); // keywords untouched

        await store.updateChunk(document.id, target.id, { importantKeywords: ['Feline', 'cat'], keywordTerms: indexText('Feline cat') });
        expect((await store.getChunk(document.id, target.id))?.importantKeywords).toEqual(['Feline', 'cat']);
        expect(await search('canine')).toEqual([]);
        expect(await search('feline')).toEqual([target.id]);
        expect(await search('sleeping')).toEqual([target.id]); // content untouched
        // the title (document name) stays indexed
        expect((await search(document.name)).sort()).toEqual(ids(records.map((r) => r.chunk)).sort());

        const positions: ChunkPosition[] = [[2, 0, 100, 5, 50]];
        await store.updateChunk(document.id, target.id, { positions });
        expect((await store.getChunk(document.id, target.id))?.positions).toEqual(positions);

        // Terms of the replaced content and keywords no longer match; the new ones and the title do.
        const held = [...terms('a lazy sleeping dog'), ...terms('Feline cat'), ...terms(document.name)];
        const candidate = (await store.getCandidates([target.id], 0, [...held, ...terms('fox canine')]))[0];
        expect(candidate?.matchedTerms).toEqual(new Set(held));
        expect((await store.getChunksByIds([target.id]))[0]).toEqual({ ...target, content: 'a lazy sleeping dog', importantKeywords: ['Feline', 'cat'], positions });
      });

      it('updateChunk availability hides a chunk from both searches and shows it again', async () => {
        const { dataset, document, records } = await addParsed((d) => [
          makeChunk(d, 'toggle marmot', { vector: [1, 0] }),
          makeChunk(d, 'steady badger', { vector: [0.6, 0.8] }),
        ]);
        const target = records[0]?.chunk.id ?? '';
        const other = records[1]?.chunk.id ?? '';
        const text = async (): Promise<string[]> =>
          chunkIds(await store.searchText({ datasetIds: [dataset.id], terms: terms('marmot badger'), limit: 10 })).sort();
        const vector = async (documentIds?: string[]): Promise<string[]> =>
          chunkIds(
            await store.searchVector({ datasetIds: [dataset.id], vector: Float32Array.from([1, 0]), limit: 10, ...(documentIds ? { documentIds } : {}) }),
          );

        await store.updateChunk(document.id, target, { available: false });
        expect((await store.getChunk(document.id, target))?.available).toBe(false);
        expect(await text()).toEqual([other]);
        expect(await vector()).toEqual([other]);
        expect(await vector([document.id])).toEqual([other]);
        // still listed for the document's owner
        expect((await store.listChunks(document.id, { page: 1, pageSize: 10 })).total).toBe(2);

        await store.updateChunk(document.id, target, { available: true });
        expect(await text()).toEqual([target, other].sort());
        expect(await vector()).toEqual([target, other]);
        expect(await vector([document.id])).toEqual([target, other]);
      });

      it('updateChunk replaces the vector, also with one of another size', async () => {
        const { dataset, document, records } = await addParsed((d) => [
          makeChunk(d, 'mover', { vector: [1, 0, 0] }),
          makeChunk(d, 'stayer', { vector: [0, 1, 0] }),
        ]);
        const mover = records[0]?.chunk.id ?? '';
        const stayer = records[1]?.chunk.id ?? '';
        await store.updateChunk(document.id, mover, { vector: Float32Array.from([0, 0.8, 0.6]) });
        const hits = await store.searchVector({ datasetIds: [dataset.id], vector: Float32Array.from([0, 0, 1]), limit: 10 });
        expect(hits).toEqual([
          { chunkId: mover, score: expect.closeTo(0.6, 5) },
          { chunkId: stayer, score: expect.closeTo(0, 5) },
        ]);
        expect(Array.from((await store.getCandidates([mover], 3, []))[0]?.vector ?? [])).toEqual(Array.from(Float32Array.from([0, 0.8, 0.6])));

        await store.updateChunk(document.id, mover, { vector: Float32Array.from([0.5, 0.5, 0.5, 0.5]) });
        expect(chunkIds(await store.searchVector({ datasetIds: [dataset.id], vector: Float32Array.from([0, 0, 1]), limit: 10 }))).toEqual([stayer]);
        expect(chunkIds(await store.searchVector({ datasetIds: [dataset.id], vector: Float32Array.from([1, 0, 0, 0]), limit: 10 }))).toEqual([mover]);
        expect((await store.getCandidates([mover], 3, []))[0]?.vector).toBeUndefined();
        expect(Array.from((await store.getCandidates([mover], 4, []))[0]?.vector ?? [])).toEqual([0.5, 0.5, 0.5, 0.5]);
      });

      it('updateChunk through another document changes nothing', async () => {
        const { dataset, records } = await addParsed((d) => [makeChunk(d, 'guarded content')]);
        const stranger = await addDocument(dataset);
        const chunk = records[0]?.chunk;
        if (!chunk) throw new Error('fixture');
        await store.updateChunk(stranger.id, chunk.id, { content: 'hijacked', contentTerms: 'hijack', available: false });
        expect(await store.getChunk(chunk.documentId, chunk.id)).toEqual(chunk);
        expect(await store.searchText({ datasetIds: [dataset.id], terms: ['hijack'], limit: 10 })).toEqual([]);
      });

      it('deleteChunks deletes all of the ids or none', async () => {
        const { dataset, document, records } = await addParsed(
          (d) => [
            makeChunk(d, 'keep kestrel', { vector: [1, 0] }),
            makeChunk(d, 'drop falcon', { vector: [0.9, 0.1] }),
            makeChunk(d, 'drop osprey', { vector: [0.8, 0.2] }),
          ],
          { tokenCount: 30 },
        );
        const [keep, drop1, drop2] = ids(records.map((r) => r.chunk));
        if (!keep || !drop1 || !drop2) throw new Error('fixture');
        const { document: neighbour, records: neighbourRecords } = await addParsed((d) => [makeChunk(d, 'neighbour falcon')], { dataset });

        expect(await store.deleteChunks(document.id, [drop1, 'no-such-id'])).toBe(false);
        expect(await store.deleteChunks(document.id, [drop1, neighbourRecords[0]?.chunk.id ?? ''])).toBe(false);
        expect((await store.listChunks(document.id, { page: 1, pageSize: 10 })).total).toBe(3);
        expect(await store.getDocument(TENANT, dataset.id, document.id)).toMatchObject({ chunkCount: 3 });
        expect(await store.getDataset(TENANT, dataset.id)).toMatchObject({ chunkCount: 4 });

        expect(await store.deleteChunks(document.id, [drop1, drop2])).toBe(true);
        expect(await store.getChunk(document.id, drop1)).toBeUndefined();
        expect(await store.getChunk(document.id, drop2)).toBeUndefined();
        expect(await store.getDocument(TENANT, dataset.id, document.id)).toMatchObject({ chunkCount: 1 });
        expect(await store.getDataset(TENANT, dataset.id)).toMatchObject({ chunkCount: 2 });
        expect(await store.getDocument(TENANT, dataset.id, neighbour.id)).toMatchObject({ chunkCount: 1 });
        expect(chunkIds(await store.searchText({ datasetIds: [dataset.id], terms: terms('drop falcon osprey kestrel'), limit: 10 })).sort()).toEqual(
          [keep, neighbourRecords[0]?.chunk.id].sort(),
        );
        expect(chunkIds(await store.searchVector({ datasetIds: [dataset.id], vector: Float32Array.from([0.8, 0.2]), limit: 10 }))).toEqual([keep]);
        expect(await store.getCandidates([drop1, drop2], 2, [])).toEqual([]);
        expect((await store.getChunksByIds([drop1, keep, drop2])).map((c) => c.id)).toEqual([keep]);

        expect(await store.deleteChunks(document.id, [drop1])).toBe(false);
        expect(await store.deleteChunks('no-such-document', [keep])).toBe(false);
        expect(await store.getChunk(document.id, keep)).toBeDefined();
      });

      it('getChunk returns the chunk of that document only, with the current document name', async () => {
        const { dataset, document, records } = await addParsed((d) => [
          makeChunk(d, 'full record', { keywords: ['k1', 'k2'], positions: [[3, 1, 2, 3, 4], [4, 5, 6, 7, 8]], imageId: 'img-9', available: false,
          source: { pages: [3, 4], sheet: 'Prices', rows: [2, 2], headingPath: ['Part I', 'Costs'], part: 'a.xlsx' },
          fields: { price: 4.5, name: 'tea', sold: true, since: '2026-01-15' } }),
        ]);
        const chunk = records[0]?.chunk;
        if (!chunk) throw new Error('fixture');
        expect(await store.getChunk(document.id, chunk.id)).toEqual(chunk);
        const other = await addDocument(dataset);
        expect(await store.getChunk(other.id, chunk.id)).toBeUndefined();
        expect(await store.getChunk(document.id, 'no-such-id')).toBeUndefined();
        await store.updateDocument(document.id, { name: 'renamed.md' });
        expect((await store.getChunk(document.id, chunk.id))?.documentName).toBe('renamed.md');
      });

      it('listChunks pages in document order, filters by id and by terms (best first)', async () => {
        const { dataset, document, records } = await addParsed((d) => [
          makeChunk(d, 'one gazelle grazing by the river with many other words around it today'),
          makeChunk(d, 'two'),
          makeChunk(d, 'three'),
          makeChunk(d, 'four', { keywords: ['gazelle'] }),
          makeChunk(d, 'five'),
        ]);
        await addParsed((d) => [makeChunk(d, 'gazelle elsewhere')], { dataset });
        const all = ids(records.map((r) => r.chunk));

        const page2 = await store.listChunks(document.id, { page: 2, pageSize: 2 });
        expect(ids(page2.items)).toEqual(all.slice(2, 4));
        expect(page2.total).toBe(5);
        expect(page2.items[0]).toEqual(records[2]?.chunk);
        expect(ids((await store.listChunks(document.id, { page: 3, pageSize: 2 })).items)).toEqual(all.slice(4));
        expect(await store.listChunks(document.id, { page: 4, pageSize: 2 })).toEqual({ items: [], total: 5 });

        const byId = await store.listChunks(document.id, { page: 1, pageSize: 10, id: all[1] ?? '' });
        expect(byId).toEqual({ items: [records[1]?.chunk], total: 1 });
        expect(await store.listChunks(document.id, { page: 1, pageSize: 10, id: 'no-such-id' })).toEqual({ items: [], total: 0 });

        const byTerms = await store.listChunks(document.id, { page: 1, pageSize: 10, terms: terms('gazelle') });
        expect(ids(byTerms.items)).toEqual([all[3], all[0]]);
        expect(byTerms.total).toBe(2);
        const byTwoTerms = await store.listChunks(document.id, { page: 1, pageSize: 1, terms: terms('gazelle five') });
        expect(byTwoTerms.total).toBe(3);
        expect(byTwoTerms.items).toHaveLength(1);
        expect(await store.listChunks(document.id, { page: 1, pageSize: 10, terms: ['absent'] })).toEqual({ items: [], total: 0 });
      });
    });

    // ---- search --------------------------------------------------------------------------------

    describe('searchText', () => {
      it('ranks the chunk holding the rare query term first, with decreasing positive scores', async () => {
        const { dataset, records } = await addParsed((d) => [
          makeChunk(d, 'common words about the common weather'),
          makeChunk(d, 'common words about a rare aardvark'),
          makeChunk(d, 'more common words here'),
          makeChunk(d, 'nothing relevant'),
        ]);
        const hits = await store.searchText({ datasetIds: [dataset.id], terms: terms('common aardvark'), limit: 10 });
        expect(hits).toHaveLength(3);
        expect(hits[0]?.chunkId).toBe(records[1]?.chunk.id);
        for (const hit of hits) expect(hit.score).toBeGreaterThan(0);
        for (let i = 1; i < hits.length; i++) expect(hits[i - 1]?.score ?? 0).toBeGreaterThanOrEqual(hits[i]?.score ?? 0);
        expect(await store.searchText({ datasetIds: [dataset.id], terms: terms('common aardvark'), limit: 2 })).toEqual(hits.slice(0, 2));
        expect(await store.searchText({ datasetIds: [dataset.id], terms: [], limit: 10 })).toEqual([]);
        expect(await store.searchText({ datasetIds: [], terms: terms('common'), limit: 10 })).toEqual([]);
      });

      it('matches a term holding spaces as a phrase', async () => {
        const { dataset, records } = await addParsed((d) => [
          makeChunk(d, 'red blood cells carry oxygen'),
          makeChunk(d, 'blood that is red'),
          makeChunk(d, 'nothing relevant'),
        ]);
        const hits = await store.searchText({ datasetIds: [dataset.id], terms: ['red blood'], limit: 10 });
        expect(hits.map((h) => h.chunkId)).toEqual([records[0]?.chunk.id]);
        expect(hits[0]?.score).toBeGreaterThan(0);
      });

      it('counts title and keyword fields, and keywords more than content', async () => {
        const { dataset, records } = await addParsed(
          (d) => [
            makeChunk(d, 'plain body text'),
            makeChunk(d, 'body mentions the nebula once', { keywords: [] }),
            makeChunk(d, 'body without it', { keywords: ['nebula'] }),
          ],
          { document: { name: 'Galaxy-Survey.pdf' } },
        );
        const all = ids(records.map((r) => r.chunk));
        const byTitle = await store.searchText({ datasetIds: [dataset.id], terms: terms('galaxy'), limit: 10 });
        expect(chunkIds(byTitle).sort()).toEqual([...all].sort());
        const byKeyword = await store.searchText({ datasetIds: [dataset.id], terms: terms('nebula'), limit: 10 });
        expect(chunkIds(byKeyword)).toEqual([all[2], all[1]]);
      });

      it('respects the dataset and document scope', async () => {
        const one = await addParsed((d) => [makeChunk(d, 'scoped quokka one')]);
        const two = await addParsed((d) => [makeChunk(d, 'scoped quokka two')], { dataset: one.dataset });
        const three = await addParsed((d) => [makeChunk(d, 'scoped quokka three')]);
        const q = terms('quokka');
        const idOf = (x: { records: ChunkRecord[] }): string => x.records[0]?.chunk.id ?? '';
        expect(chunkIds(await store.searchText({ datasetIds: [one.dataset.id], terms: q, limit: 10 })).sort()).toEqual([idOf(one), idOf(two)].sort());
        expect(chunkIds(await store.searchText({ datasetIds: [three.dataset.id], terms: q, limit: 10 }))).toEqual([idOf(three)]);
        expect(chunkIds(await store.searchText({ datasetIds: [one.dataset.id, three.dataset.id], terms: q, limit: 10 }))).toHaveLength(3);
        expect(chunkIds(await store.searchText({ datasetIds: [one.dataset.id], documentIds: [two.document.id], terms: q, limit: 10 }))).toEqual([idOf(two)]);
        // a document outside the datasets does not widen the scope
        expect(await store.searchText({ datasetIds: [one.dataset.id], documentIds: [three.document.id], terms: q, limit: 10 })).toEqual([]);
        expect(chunkIds(await store.searchText({ datasetIds: [one.dataset.id], documentIds: [], terms: q, limit: 10 }))).toHaveLength(2);
      });

      it('never returns unavailable chunks or chunks of disabled documents', async () => {
        const { dataset, records } = await addParsed((d) => [
          makeChunk(d, 'hidden iguana', { available: false }),
          makeChunk(d, 'visible iguana'),
        ]);
        const disabled = await addParsed((d) => [makeChunk(d, 'disabled iguana')], { dataset });
        const q = { datasetIds: [dataset.id], terms: terms('iguana hidden disabled'), limit: 10 };
        expect(chunkIds(await store.searchText(q)).sort()).toEqual([records[1]?.chunk.id, disabled.records[0]?.chunk.id].sort());
        await store.updateDocument(disabled.document.id, { enabled: false });
        expect(chunkIds(await store.searchText(q))).toEqual([records[1]?.chunk.id]);
        expect(chunkIds(await store.searchText({ ...q, documentIds: [disabled.document.id] }))).toEqual([]);
        await store.updateDocument(disabled.document.id, { enabled: true });
        expect(chunkIds(await store.searchText({ ...q, documentIds: [disabled.document.id] }))).toEqual([disabled.records[0]?.chunk.id]);
      });

      it('treats terms literally (quotes and FTS syntax are not operators)', async () => {
        const { dataset, records } = await addParsed((d) => [makeChunk(d, 'near and or not')]);
        for (const term of ['"', 'near(', 'and', 'or', 'not', '*', 'a"b']) {
          await expect(store.searchText({ datasetIds: [dataset.id], terms: [term], limit: 10 })).resolves.toBeInstanceOf(Array);
        }
        expect(chunkIds(await store.searchText({ datasetIds: [dataset.id], terms: ['or'], limit: 10 }))).toEqual([records[0]?.chunk.id]);
        expect(chunkIds(await store.searchText({ datasetIds: [dataset.id], terms: ['not'], limit: 10 }))).toEqual([records[0]?.chunk.id]);
      });
    });

    describe('searchVector', () => {
      const QUERY = [1, 0.2, 0];
      const VECTORS: number[][] = [
        [0, 1, 0],
        [1, 0, 0],
        [0.9, 0.3, 0.1],
        [-1, 0, 0],
        [0.5, 0.5, 0.5],
      ];

      it('returns the nearest chunks first, scored 1 - cosine distance', async () => {
        const { dataset, records } = await addParsed((d) => VECTORS.map((vector, i) => makeChunk(d, `chunk ${i}`, { vector })));
        const expected = VECTORS.map((vector, i) => ({ chunkId: records[i]?.chunk.id ?? '', score: cosine(QUERY, vector) })).sort(
          (a, b) => b.score - a.score,
        );
        const hits = await store.searchVector({ datasetIds: [dataset.id], vector: Float32Array.from(QUERY), limit: 10 });
        expect(chunkIds(hits)).toEqual(chunkIds(expected));
        hits.forEach((hit, i) => expect(hit.score).toBeCloseTo(expected[i]?.score ?? NaN, 5));
        expect(hits.at(-1)?.score).toBeCloseTo(1 - 1.980581, 4); // the opposite vector: negative similarity

        const top2 = await store.searchVector({ datasetIds: [dataset.id], vector: Float32Array.from(QUERY), limit: 2 });
        expect(chunkIds(top2)).toEqual(chunkIds(expected).slice(0, 2));
      });

      it('stays within the datasets asked for and returns at most limit hits over several datasets', async () => {
        const a = await addParsed((d) => [makeChunk(d, 'a1', { vector: [1, 0, 0] }), makeChunk(d, 'a2', { vector: [0, 1, 0] })]);
        const b = await addParsed((d) => [makeChunk(d, 'b1', { vector: [0.95, 0.05, 0] }), makeChunk(d, 'b2', { vector: [0, 0, 1] })]);
        const q = Float32Array.from([1, 0, 0]);
        const idsOf = (x: { records: ChunkRecord[] }): string[] => ids(x.records.map((r) => r.chunk));
        expect(chunkIds(await store.searchVector({ datasetIds: [a.dataset.id], vector: q, limit: 10 }))).toEqual(idsOf(a));
        expect(chunkIds(await store.searchVector({ datasetIds: [b.dataset.id], vector: q, limit: 1 }))).toEqual([idsOf(b)[0]]);
        const both = await store.searchVector({ datasetIds: [a.dataset.id, b.dataset.id], vector: q, limit: 2 });
        expect(chunkIds(both)).toEqual([idsOf(a)[0], idsOf(b)[0]]);
        expect(await store.searchVector({ datasetIds: [], vector: q, limit: 10 })).toEqual([]);
        expect(await store.searchVector({ datasetIds: ['no-such-dataset'], vector: q, limit: 10 })).toEqual([]);
      });

      it('scores exactly within the given documents', async () => {
        const { dataset, document, records } = await addParsed((d) => VECTORS.map((vector, i) => makeChunk(d, `chunk ${i}`, { vector })));
        // many closer vectors elsewhere in the dataset must not crowd the document out
        await addParsed((d) => Array.from({ length: 30 }, (_, i) => makeChunk(d, `near ${i}`, { vector: [1, 0.2, i / 1000] })), { dataset });
        const expected = VECTORS.map((vector, i) => ({ chunkId: records[i]?.chunk.id ?? '', score: cosine(QUERY, vector) })).sort(
          (a, b) => b.score - a.score,
        );
        const hits = await store.searchVector({ datasetIds: [dataset.id], documentIds: [document.id], vector: Float32Array.from(QUERY), limit: 3 });
        expect(chunkIds(hits)).toEqual(chunkIds(expected).slice(0, 3));
        hits.forEach((hit, i) => expect(hit.score).toBeCloseTo(expected[i]?.score ?? NaN, 5));
        const other = await addDataset();
        expect(await store.searchVector({ datasetIds: [other.id], documentIds: [document.id], vector: Float32Array.from(QUERY), limit: 3 })).toEqual([]);
      });

      it('skips unavailable chunks and disabled documents without starving the result', async () => {
        const { dataset, records } = await addParsed((d) => [
          makeChunk(d, 'nearest but hidden', { vector: [1, 0], available: false }),
          makeChunk(d, 'second', { vector: [0.9, 0.1] }),
          makeChunk(d, 'third', { vector: [0.5, 0.5] }),
        ]);
        const disabled = await addParsed(
          (d) => Array.from({ length: 5 }, (_, i) => makeChunk(d, `disabled ${i}`, { vector: [1, 0.001 * (i + 1)] })),
          { dataset, document: { enabled: false } },
        );
        await store.updateDocument(disabled.document.id, { enabled: false });
        const q = { datasetIds: [dataset.id], vector: Float32Array.from([1, 0]) };
        expect(chunkIds(await store.searchVector({ ...q, limit: 1 }))).toEqual([records[1]?.chunk.id]);
        expect(chunkIds(await store.searchVector({ ...q, limit: 10 }))).toEqual([records[1]?.chunk.id, records[2]?.chunk.id]);
        expect(chunkIds(await store.searchVector({ ...q, limit: 10, documentIds: [disabled.document.id] }))).toEqual([]);
      });

      it('keeps vectors of different sizes in different datasets apart', async () => {
        const small = await addParsed((d) => [makeChunk(d, 'three dims', { vector: [0, 0, 1] })]);
        const large = await addParsed((d) => [
          makeChunk(d, 'four dims', { vector: [0, 0, 0, 1] }),
          makeChunk(d, 'no vector at all'),
        ]);
        const smallId = small.records[0]?.chunk.id;
        const largeId = large.records[0]?.chunk.id;
        const both = [small.dataset.id, large.dataset.id];
        expect(await store.searchVector({ datasetIds: both, vector: Float32Array.from([0, 0, 1]), limit: 10 })).toEqual([
          { chunkId: smallId, score: expect.closeTo(1, 5) },
        ]);
        expect(await store.searchVector({ datasetIds: both, vector: Float32Array.from([0, 0, 0, 1]), limit: 10 })).toEqual([
          { chunkId: largeId, score: expect.closeTo(1, 5) },
        ]);
        expect(await store.searchVector({ datasetIds: [large.dataset.id], vector: Float32Array.from([0, 0, 1]), limit: 10 })).toEqual([]);
        expect(await store.searchVector({ datasetIds: both, vector: Float32Array.from([0, 1]), limit: 10 })).toEqual([]);
        expect(
          chunkIds(await store.searchVector({ datasetIds: both, documentIds: [large.document.id], vector: Float32Array.from([0, 0, 0, 1]), limit: 10 })),
        ).toEqual([largeId]);
      });
    });

    describe('getCandidates', () => {
      it('returns each known chunk with its document, the query terms it holds and its stored vector', async () => {
        const vector = [0.125, -0.5, 0.333333, 1e-7];
        const { dataset, document, records } = await addParsed(
          (d) => [
            makeChunk(d, 'Running runners ran', { keywords: ['Speed', 'running'], vector }),
            makeChunk(d, 'no vector here'),
          ],
          { document: { name: 'Track-Notes.txt' } },
        );
        const [withVector, without] = records;
        if (!withVector || !without) throw new Error('fixture');
        // Content, keyword and title terms of the chunks, one of neither, one no chunk holds.
        const asked = [...terms('runners speed track vector'), ...terms('here'), 'zzzabsent'];
        const candidates = await store.getCandidates([withVector.chunk.id, 'no-such-id', without.chunk.id], 4, asked);
        expect(candidates).toHaveLength(2);
        const first = candidates.find((c) => c.chunkId === withVector.chunk.id);
        const second = candidates.find((c) => c.chunkId === without.chunk.id);
        expect(first).toMatchObject({ documentId: document.id, documentName: 'Track-Notes.txt' });
        expect(first?.matchedTerms).toEqual(new Set([...terms('runners speed track')]));
        expect(first?.vector).toBeInstanceOf(Float32Array);
        expect(Array.from(first?.vector ?? [])).toEqual(Array.from(Float32Array.from(vector)));
        expect(second).toMatchObject({ documentId: document.id, documentName: 'Track-Notes.txt', vector: undefined });
        expect(second?.matchedTerms).toEqual(new Set([...terms('track vector here')]));

        // no query terms: nothing matched; another dimension: no vector
        expect((await store.getCandidates([withVector.chunk.id], 4, []))[0]?.matchedTerms).toEqual(new Set());
        expect((await store.getCandidates([withVector.chunk.id], 3, asked))[0]?.vector).toBeUndefined();
        expect(await store.getCandidates([], 4, asked)).toEqual([]);
        expect(dataset.id).toBe(document.datasetId);
      });

      it('reports the current document name', async () => {
        const { document, records } = await addParsed((d) => [makeChunk(d, 'renamed soon')]);
        await store.updateDocument(document.id, { name: 'After.txt' });
        const [candidate] = await store.getCandidates([records[0]?.chunk.id ?? ''], 3, []);
        expect(candidate?.documentName).toBe('After.txt');
      });

      it('handles many ids at once', async () => {
        const { records } = await addParsed((d) => Array.from({ length: 1200 }, (_, i) => makeChunk(d, `bulk ${i}`, { vector: [i, 1] })));
        const wanted = ids(records.map((r) => r.chunk));
        const candidates = await store.getCandidates(wanted, 2, terms('bulk'));
        expect(candidates.map((c) => c.chunkId).sort()).toEqual([...wanted].sort());
        expect(candidates.every((c) => c.matchedTerms.has('bulk'))).toBe(true);
        const last = candidates.find((c) => c.chunkId === wanted[1199]);
        expect(Array.from(last?.vector ?? [])).toEqual([1199, 1]);
      });
    });

    describe('getChunksByIds', () => {
      it('returns the chunk records in the order asked, skipping unknown ids', async () => {
        const { records } = await addParsed((d) => [makeChunk(d, 'alpha one'), makeChunk(d, 'beta two'), makeChunk(d, 'gamma three')]);
        const [a, b, c] = records.map((r) => r.chunk);
        if (!a || !b || !c) throw new Error('fixture');
        expect(await store.getChunksByIds([c.id, 'no-such-id', a.id, b.id])).toEqual([c, a, b]);
        expect(await store.getChunksByIds([])).toEqual([]);
      });

      it('handles many ids at once', async () => {
        const { records } = await addParsed((d) => Array.from({ length: 1200 }, (_, i) => makeChunk(d, `bulk ${i}`)));
        const wanted = ids(records.map((r) => r.chunk)).reverse();
        expect((await store.getChunksByIds(wanted)).map((c) => c.id)).toEqual(wanted);
      });
    });

    describe('termStatistics', () => {
      it('counts the chunks each term occurs in, over content, title and keywords', async () => {
        const first = await addParsed((d) => [
          makeChunk(d, 'apple banana'),
          makeChunk(d, 'apple apple cherry'),
          makeChunk(d, 'durian', { keywords: ['banana'] }),
        ]);
        const second = await addParsed((d) => [makeChunk(d, 'apple elderberry')], { document: { name: 'fig.txt' } });
        const probe = ['appl', 'banana', 'cherri', 'fig', 'missing'];
        const stats = await store.termStatistics(probe, [first.dataset.id, second.dataset.id]);
        expect(stats.chunkCount).toBe(4);
        expect(Object.fromEntries(stats.documentFrequency)).toEqual({ appl: 3, banana: 2, cherri: 1, fig: 1, missing: 0 });
      });

      it('counts only inside the given datasets (no statistics leak between datasets or tenants)', async () => {
        const mine = await addParsed((d) => [makeChunk(d, 'apple banana'), makeChunk(d, 'apple cherry')]);
        await addParsed((d) => [makeChunk(d, 'apple banana'), makeChunk(d, 'banana split')], {
          dataset: await addDataset({ tenantId: OTHER_TENANT }),
        });
        const stats = await store.termStatistics(['appl', 'banana', 'split'], [mine.dataset.id]);
        expect(stats.chunkCount).toBe(2);
        expect(Object.fromEntries(stats.documentFrequency)).toEqual({ appl: 2, banana: 1, split: 0 });
      });

      it('is zero on an empty store', async () => {
        const stats = await store.termStatistics(['anything'], []);
        expect(stats.chunkCount).toBe(0);
        expect(Object.fromEntries(stats.documentFrequency)).toEqual({ anything: 0 });
      });
    });

    // ---- chats, sessions, messages -------------------------------------------------------------

    describe('chats and sessions', () => {
      const makeChat = (overrides: Partial<ChatAssistant> = {}): ChatAssistant => ({
        id: randomUUID().replaceAll('-', ''),
        tenantId: TENANT,
        name: `chat-${randomUUID().slice(0, 8)}`,
        description: 'd',
        avatar: '',
        language: 'English',
        datasetIds: ['x'],
        llm: { modelName: 'extractive@Builtin', temperature: 0.1, topP: 0.3, presencePenalty: 0.4, frequencyPenalty: 0.7, maxTokens: 512 },
        prompt: {
          prompt: 'Use {knowledge}',
          opener: 'Hi',
          emptyResponse: 'none',
          variables: [{ key: 'knowledge', optional: false }],
          showQuote: true,
          refineMultiturn: false,
          keyword: false,
          similarityThreshold: 0.2,
          keywordsSimilarityWeight: 0.7,
          topN: 6,
          rerankModel: '',
        },
        topK: 1024,
        createTime: 1000,
        updateTime: 1000,
        ...overrides,
      });
      const message = (role: SessionMessage['role'], content: string, extra: Partial<SessionMessage> = {}): SessionMessage => ({
        id: randomUUID().replaceAll('-', ''),
        role,
        content,
        createTime: 2000,
        ...extra,
      });
      const makeSession = (chat: ChatAssistant, overrides: Partial<ChatSession> = {}): ChatSession => ({
        id: randomUUID().replaceAll('-', ''),
        tenantId: chat.tenantId,
        chatId: chat.id,
        name: 'New session',
        messages: [message('assistant', 'Hi')],
        createTime: 1500,
        updateTime: 1500,
        ...overrides,
      });
      const page = { page: 1, pageSize: 30, orderBy: 'create_time' as const, desc: false };

      it('stores a chat whole and scopes it by tenant', async () => {
        const chat = makeChat({ name: 'Support' });
        await store.insertChat(chat);
        expect(await store.getChat(TENANT, chat.id)).toEqual(chat);
        expect(await store.getChat(OTHER_TENANT, chat.id)).toBeUndefined();
        expect(await store.chatNames(TENANT)).toEqual(new Set(['support']));
        expect(await store.chatNames(OTHER_TENANT)).toEqual(new Set());
      });

      it('lists chats with filters, paging and order, and updates them', async () => {
        const a = makeChat({ name: 'alpha', createTime: 1 });
        const b = makeChat({ name: 'beta', createTime: 2 });
        await store.insertChat(a);
        await store.insertChat(b);
        await store.insertChat(makeChat({ name: 'alpha', tenantId: OTHER_TENANT }));
        expect((await store.listChats(TENANT, page)).items.map((c) => c.name)).toEqual(['alpha', 'beta']);
        expect((await store.listChats(TENANT, { ...page, desc: true, pageSize: 1 })).items.map((c) => c.name)).toEqual(['beta']);
        expect((await store.listChats(TENANT, { ...page, name: 'ALPHA' })).total).toBe(1);
        expect((await store.listChats(TENANT, { ...page, id: b.id })).items.map((c) => c.id)).toEqual([b.id]);
        const renamed = { ...a, name: 'gamma', topK: 7, prompt: { ...a.prompt, topN: 2 }, updateTime: 5 };
        await store.updateChat(renamed);
        expect(await store.getChat(TENANT, a.id)).toEqual(renamed);
      });

      it('keeps sessions and their messages in order, with references', async () => {
        const chat = makeChat();
        await store.insertChat(chat);
        const session = makeSession(chat);
        await store.insertSession(session);
        expect(await store.getSession(TENANT, chat.id, session.id)).toEqual(session);
        expect(await store.getSession(OTHER_TENANT, chat.id, session.id)).toBeUndefined();
        expect(await store.getSession(TENANT, 'other-chat', session.id)).toBeUndefined();
        const question = message('user', 'Why?');
        const reference = { total: 1, chunks: [], docAggs: [{ docName: 'a.txt', docId: 'd1', count: 1 }] };
        const answer = message('assistant', 'Because ##0$$', { id: question.id, reference });
        expect(await store.appendMessages(TENANT, chat.id, session.id, [question], 3000)).toBe(true);
        expect(await store.appendMessages(TENANT, chat.id, session.id, [answer], 3001)).toBe(true);
        const stored = await store.getSession(TENANT, chat.id, session.id);
        expect(stored?.messages).toEqual([...session.messages, question, answer]);
        expect(stored?.updateTime).toBe(3001);
        expect(await store.appendMessages(OTHER_TENANT, chat.id, session.id, [message('user', 'x')], 4000)).toBe(false);
        expect(await store.appendMessages(TENANT, 'other-chat', session.id, [message('user', 'x')], 4000)).toBe(false);
        expect((await store.getSession(TENANT, chat.id, session.id))?.messages).toHaveLength(session.messages.length + 2);
      });

      it('lists, renames and deletes sessions all or nothing', async () => {
        const chat = makeChat();
        await store.insertChat(chat);
        const one = makeSession(chat, { name: 'one', createTime: 1 });
        const two = makeSession(chat, { name: 'two', createTime: 2 });
        await store.insertSession(one);
        await store.insertSession(two);
        const listed = await store.listSessions(chat.id, page);
        expect(listed.items.map((s) => s.name)).toEqual(['one', 'two']);
        expect(listed.items[0]?.messages).toEqual(one.messages);
        expect(listed.items[1]?.messages).toEqual(two.messages);
        await store.renameSession(one.id, 'first', 9);
        expect((await store.getSession(TENANT, chat.id, one.id))?.name).toBe('first');
        await store.deleteSessions(chat.id, [one.id]);
        expect((await store.listSessions(chat.id, page)).items.map((s) => s.id)).toEqual([two.id]);
      });

      it('deleting a chat deletes its sessions and messages', async () => {
        const chat = makeChat();
        await store.insertChat(chat);
        const session = makeSession(chat);
        await store.insertSession(session);
        await store.deleteChats(OTHER_TENANT, [chat.id]);
        expect(await store.getChat(TENANT, chat.id)).toBeDefined();
        await store.deleteChats(TENANT, [chat.id]);
        expect(await store.getChat(TENANT, chat.id)).toBeUndefined();
        expect(await store.getSession(TENANT, chat.id, session.id)).toBeUndefined();
        expect((await store.listSessions(chat.id, page)).total).toBe(0);
      });
    });

    // ---- API keys ------------------------------------------------------------------------------

    describe('API keys', () => {
      it('stores digests, finds by digest, lists by tenant and deletes', async () => {
        const a = { id: 'k1', tenantId: TENANT, digest: 'a'.repeat(64), hint: 'ragflow-aaa', createTime: 1 };
        const b = { id: 'k2', tenantId: OTHER_TENANT, digest: 'b'.repeat(64), hint: 'ragflow-bbb', createTime: 2 };
        await store.insertApiKey(a);
        await store.insertApiKey(b);
        expect(await store.findApiKey('a'.repeat(64))).toEqual(a);
        expect(await store.findApiKey('c'.repeat(64))).toBeUndefined();
        expect(await store.listApiKeys()).toEqual([a, b]);
        expect(await store.listApiKeys(OTHER_TENANT)).toEqual([b]);
        expect(await store.deleteApiKey('k1')).toBe(true);
        expect(await store.deleteApiKey('k1')).toBe(false);
        expect(await store.findApiKey('a'.repeat(64))).toBeUndefined();
      });
    });

    // ---- persistence ---------------------------------------------------------------------------

    describe('persistence', () => {
      it('keeps datasets, documents, files, chunks, the text index and vectors across a reopen', async (context) => {
        if (!opened.reopen) {
          context.skip();
          return;
        }
        const bytes = allBytes();
        const small = await addParsed((d) => [
          makeChunk(d, 'persistent narwhal', { keywords: ['tusk'], vector: [1, 0, 0] }),
          makeChunk(d, 'persistent beluga', { vector: [0, 1, 0] }),
        ], { tokenCount: 12 });
        const large = await addParsed((d) => [makeChunk(d, 'persistent orca', { vector: [0, 0, 0, 1] })]);
        const file = await addDocument(small.dataset, { name: 'raw.bin' }, bytes);
        const datasetBefore = await store.getDataset(TENANT, small.dataset.id);
        const documentBefore = await store.getDocument(TENANT, small.dataset.id, small.document.id);

        await store.close();
        store = await opened.reopen();

        expect(await store.getDataset(TENANT, small.dataset.id)).toEqual(datasetBefore);
        expect(datasetBefore).toMatchObject({ documentCount: 2, chunkCount: 2, tokenCount: 12 });
        expect(await store.getDocument(TENANT, small.dataset.id, small.document.id)).toEqual(documentBefore);
        expect(Array.from((await store.readDocumentFile(file.id)) ?? [])).toEqual(Array.from(bytes));
        expect(await store.getChunk(small.document.id, small.records[0]?.chunk.id ?? '')).toEqual(small.records[0]?.chunk);
        expect(await store.documentNames(small.dataset.id)).toEqual(new Set([small.document.name.toLowerCase(), 'raw.bin']));

        const both = [small.dataset.id, large.dataset.id];
        expect(chunkIds(await store.searchText({ datasetIds: both, terms: terms('narwhal tusk'), limit: 10 }))).toEqual([small.records[0]?.chunk.id]);
        expect((await store.searchText({ datasetIds: both, terms: terms('persistent'), limit: 10 })).length).toBe(3);
        expect(chunkIds(await store.searchVector({ datasetIds: both, vector: Float32Array.from([0, 1, 0]), limit: 1 }))).toEqual([
          small.records[1]?.chunk.id,
        ]);
        expect(chunkIds(await store.searchVector({ datasetIds: both, vector: Float32Array.from([0, 0, 0, 1]), limit: 5 }))).toEqual([
          large.records[0]?.chunk.id,
        ]);
        expect(Array.from((await store.getCandidates([small.records[0]?.chunk.id ?? ''], 3, []))[0]?.vector ?? [])).toEqual([1, 0, 0]);
        expect((await store.termStatistics(['persist'], both)).documentFrequency.get('persist')).toBe(3);

        // and it keeps working: writes after the reopen land in the existing indexes
        const more = makeChunk(small.document, 'late arrival walrus', { vector: [0, 0.9, 0.1] });
        await store.upsertChunks(small.document.id, [more], 3);
        expect(chunkIds(await store.searchVector({ datasetIds: both, vector: Float32Array.from([0, 0.9, 0.1]), limit: 1 }))).toEqual([more.chunk.id]);
        await store.deleteDatasets(TENANT, [small.dataset.id]);
        expect(await store.searchVector({ datasetIds: both, vector: Float32Array.from([0, 1, 0]), limit: 10 })).toEqual([]);
      });
    });
  });
}

