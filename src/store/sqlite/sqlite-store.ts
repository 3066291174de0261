import BetterSqlite3 from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import type { ChatAssistant, ChatSession, Chunk, Dataset, Document, Page, RunStatus, SessionMessage } from '../../types.js';
import { yieldToEventLoop } from '../../util/yield.js';
import type {
  Candidate,
  ChunkQuery,
  ChunkRecord,
  ChunkUpdate,
  DatasetPatch,
  DocumentPatch,
  DocumentQuery,
  NamedQuery,
  ScoredId,
  ApiKeyRecord,
  SearchScope,
  Store,
  TextSearch,
  VectorSearch,
} from '../types.js';
import { ChatTables } from './chat-tables.js';
import { migrate } from './migrations.js';
import { SearchIndex, type IndexOp } from './search-index/search-index.js';
import { listNamed, placeholders } from './sql.js';
import {
  DATASET_COLUMNS,
  DOCUMENT_COLUMNS,
  toChunk,
  toDataset,
  toDocument,
  toSqlValue,
  type ChunkRow,
  type DatasetRow,
  type DocumentRow,
} from './rows.js';

interface ApiKeyRow {
  id: string;
  tenant_id: string;
  digest: string;
  hint: string;
  create_time: number;
}

const toApiKey = (row: ApiKeyRow): ApiKeyRecord => ({
  id: row.id,
  tenantId: row.tenant_id,
  digest: row.digest,
  hint: row.hint,
  createTime: row.create_time,
});

export interface SqliteStoreOptions {
  /** A file path, or ':memory:'. */
  path: string;
  /** Page-cache budget in MiB (vector scans read every page of the vector table). */
  cacheSizeMb?: number;
  /**
   * Keep an in-memory search index (postings and quantised vectors) next to FTS5 and sqlite-vec,
   * built in the background on the first search (default true). Same results, much faster at scale;
   * costs memory: about 1.3 KB per chunk of ~100 words plus 5 bytes per vector dimension (float32
   * copy and int8 code), ~250 MiB for 100k chunks with 256-dimension vectors.
   */
  searchIndex?: boolean;
  /**
   * How long one write transaction of a chunk swap may run before the event loop gets a turn
   * (default 10 ms; 0 writes one chunk per transaction, which tests use to interleave readers).
   */
  swapSliceMs?: number;
}


// FTS5 column weights in bm25(): scope (not text), title, important keywords, content, in RAGFlow's
// ratios 10 / 30 / 2 (title_tks^10, important_kwd^30, content_ltks^2). FTS5 multiplies a term's
// frequency by the weight inside BM25's saturation, so the scale acts like k1: content at 1 gets the
// usual k1 = 1.2, where 2 would halve it (measured on SciFact: nDCG@10 0.6848 vs 0.6822; docs/scoring.md).
const BM25_WEIGHTS = '0.0, 5.0, 15.0, 1.0';
const TEXT_COLUMNS = '{title keywords content}';
const VECTOR_TABLE = /^chunk_vec_(\d+)$/;
// SQLite's default limit on bound parameters is 32766; stay far below it.
const MAX_IN = 500;
// Stale chunks deleted per statement while a swap cleans up (several statements per slice).
const STALE_BATCH = 256;
/** A chunk is readable when it belongs to its document's current generation (decision 31). */
const CURRENT = 'c.generation = d.chunk_generation';

const CHUNK_COLUMNS = `c.seq, c.id, c.dataset_id, c.document_id, d.name as document_name, c.content, c.content_terms,
  c.keyword_terms, c.title_terms, c.important_keywords, c.available, c.positions, c.source, c.fields, c.image_id, c.dimension,
  c.create_time`;
// What toChunk reads: candidates whose terms come from the search index skip the three term columns.
const RECORD_COLUMNS = `c.seq, c.id, c.dataset_id, c.document_id, d.name as document_name, c.content, c.important_keywords,
  c.available, c.positions, c.source, c.fields, c.image_id, c.dimension, c.create_time`;

const ftsQuery = (terms: readonly string[]): string =>
  `${TEXT_COLUMNS} : (${terms.map((t) => `"${t.replaceAll('"', '""')}"`).join(' OR ')})`;
/** The token in the FTS `scope` column that names a chunk's dataset (never produced by analysis of text). */
const scopeToken = (datasetSeq: number): string => `zzscope${datasetSeq}`;
const vectorBlob = (v: Float32Array): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
const blobVector = (b: Buffer): Float32Array =>
  new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));

interface DocumentState {
  datasetSeq: number;
  enabled: boolean;
  /** The document's current chunk generation. */
  generation: number;
}

function chunked<T>(items: readonly T[], size = MAX_IN): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export class SqliteStore implements Store {
  readonly db: BetterSqlite3.Database;
  private readonly vectorTables = new Set<number>();
  /** The in-memory search index, when enabled (see search-index/search-index.ts). */
  readonly searchIndex: SearchIndex | undefined;
  /** Index changes of the write transaction in progress, applied once it commits. */
  private pendingOps: IndexOp[] | undefined;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  /** Per document, the chunk swap or clean-up in progress: one at a time per document. */
  private readonly swaps = new Map<string, Promise<void>>();
  private readonly swapSliceMs: number;
  /** Resolves once chunks that an interrupted swap left behind (found at open) are deleted. */
  readonly staleChunksPurged: Promise<void>;
  private readonly chats = new ChatTables(
    (source) => this.sql(source),
    (fn) => this.write(fn),
  );

  private constructor(db: BetterSqlite3.Database, searchIndex: boolean, swapSliceMs: number) {
    this.db = db;
    this.searchIndex = searchIndex ? new SearchIndex(db, (source) => this.sql(source)) : undefined;
    this.swapSliceMs = swapSliceMs;
    this.staleChunksPurged = this.purgeStaleChunks();
  }

  static open(options: SqliteStoreOptions): SqliteStore {
    const db = new BetterSqlite3(options.path);
    try {
      sqliteVec.load(db);
      if (options.path !== ':memory:') db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      db.pragma(`cache_size = -${(options.cacheSizeMb ?? 256) * 1024}`);
      db.pragma('mmap_size = 1073741824');
      migrate(db);
    } catch (error) {
      db.close();
      throw error;
    }
    const store = new SqliteStore(db, options.searchIndex ?? true, options.swapSliceMs ?? 10);
    store.loadVectorTables();
    return store;
  }

  async close(): Promise<void> {
    this.searchIndex?.invalidate();
    if (this.db.open) this.db.close();
  }

  // ---- datasets -------------------------------------------------------------------------------

  async insertDataset(d: Dataset): Promise<void> {
    this.sql(
        `insert into datasets (id, tenant_id, name, description, avatar, language, permission, chunk_method,
          parser_config, embedding_model, embedding_dimension, similarity_threshold, vector_similarity_weight,
          document_count, chunk_count, token_count, create_time, update_time)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?)`,
      )
      .run(
        d.id,
        d.tenantId,
        d.name,
        d.description,
        d.avatar,
        d.language,
        d.permission,
        d.chunkMethod,
        JSON.stringify(d.parserConfig),
        d.embeddingModel,
        d.embeddingDimension,
        d.similarityThreshold,
        d.vectorSimilarityWeight,
        d.createTime,
        d.updateTime,
      );
  }

  async getDataset(tenantId: string, id: string): Promise<Dataset | undefined> {
    const row = this.sql(`select * from datasets where id = ? and tenant_id = ?`).get(id, tenantId) as
      | DatasetRow
      | undefined;
    return row && toDataset(row);
  }

  async datasetNames(tenantId: string): Promise<Set<string>> {
    const rows = this.sql(`select lower(name) as name from datasets where tenant_id = ?`).all(tenantId) as {
      name: string;
    }[];
    return new Set(rows.map((r) => r.name));
  }

  async listDatasets(tenantId: string, q: NamedQuery): Promise<Page<Dataset>> {
    const { rows, total } = listNamed<DatasetRow>((source) => this.sql(source), 'datasets', 'tenant_id', tenantId, q);
    return { items: rows.map(toDataset), total };
  }

  async updateDataset(tenantId: string, id: string, patch: DatasetPatch): Promise<Dataset | undefined> {
    this.applyPatch('datasets', DATASET_COLUMNS, patch, 'id = ? and tenant_id = ?', [id, tenantId]);
    return this.getDataset(tenantId, id);
  }

  async deleteDatasets(tenantId: string, ids: readonly string[]): Promise<void> {
    const del = this.sql(`delete from datasets where id = ? and tenant_id = ?`);
    this.write(() => {
      for (const id of ids) {
        // scoped like the delete below: another tenant's dataset keeps its vectors
        this.deleteVectors(
          `select c.seq, c.dimension from chunks c join datasets s on s.id = c.dataset_id
           where c.dataset_id = ? and s.tenant_id = ?`,
          [id, tenantId],
        );
        if (del.run(id, tenantId).changes > 0) this.emit({ kind: 'removeDataset', datasetId: id });
      }
    });
  }

  // ---- documents ------------------------------------------------------------------------------

  async insertDocument(doc: Document, content: Uint8Array): Promise<void> {
    this.write(() => {
      this.sql(
          `insert into documents (id, tenant_id, dataset_id, name, type, size, chunk_method, parser_config, run,
            progress, progress_msg, process_begin_at, process_duration, chunk_count, token_count, enabled,
            create_time, update_time)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?)`,
        )
        .run(
          doc.id,
          doc.tenantId,
          doc.datasetId,
          doc.name,
          doc.type,
          doc.size,
          doc.chunkMethod,
          JSON.stringify(doc.parserConfig),
          doc.run,
          doc.progress,
          doc.progressMsg,
          doc.processBeginAt,
          doc.processDuration,
          doc.enabled ? 1 : 0,
          doc.createTime,
          doc.updateTime,
        );
      this.sql(`insert into files (document_id, data) values (?, ?)`).run(doc.id, Buffer.from(content));
      this.sql(`update datasets set document_count = document_count + 1 where id = ?`).run(doc.datasetId);
    });
  }

  async getDocument(tenantId: string, datasetId: string, id: string): Promise<Document | undefined> {
    const row = this.sql(`select * from documents where id = ? and dataset_id = ? and tenant_id = ?`)
      .get(id, datasetId, tenantId) as DocumentRow | undefined;
    return row && toDocument(row);
  }

  async documentNames(datasetId: string): Promise<Set<string>> {
    const rows = this.sql(`select lower(name) as name from documents where dataset_id = ?`).all(datasetId) as {
      name: string;
    }[];
    return new Set(rows.map((r) => r.name));
  }

  async listDocuments(datasetId: string, q: DocumentQuery): Promise<Page<Document>> {
    const filters = [
      ...(q.keywords ? [{ clause: 'instr(lower(name), lower(?)) > 0', value: q.keywords }] : []),
      ...(q.run !== undefined ? [{ clause: 'run = ?', value: q.run }] : []),
    ];
    const { rows, total } = listNamed<DocumentRow>((source) => this.sql(source), 'documents', 'dataset_id', datasetId, q, filters);
    return { items: rows.map(toDocument), total };
  }

  async readDocumentFile(documentId: string): Promise<Uint8Array | undefined> {
    const row = this.sql(`select data from files where document_id = ?`).get(documentId) as
      | { data: Buffer }
      | undefined;
    return row && new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength);
  }

  async updateDocument(documentId: string, patch: DocumentPatch): Promise<Document | undefined> {
    this.applyPatch('documents', DOCUMENT_COLUMNS, patch, 'id = ?', [documentId]);
    if (patch.enabled !== undefined) this.emit({ kind: 'documentEnabled', documentId, enabled: patch.enabled });
    const row = this.sql(`select * from documents where id = ?`).get(documentId) as DocumentRow | undefined;
    return row && toDocument(row);
  }

  async deleteDocuments(datasetId: string, ids: readonly string[]): Promise<void> {
    this.write(() => {
      for (const id of ids) {
        const doc = this.sql(`select chunk_count, token_count from documents where id = ? and dataset_id = ?`)
          .get(id, datasetId) as { chunk_count: number; token_count: number } | undefined;
        if (!doc) continue;
        this.deleteVectors(`select seq, dimension from chunks where document_id = ?`, [id]);
        this.sql(`delete from documents where id = ?`).run(id);
        this.emit({ kind: 'removeDocument', documentId: id });
        this.sql(
            `update datasets set document_count = document_count - 1, chunk_count = chunk_count - ?,
              token_count = token_count - ? where id = ?`,
          )
          .run(doc.chunk_count, doc.token_count, datasetId);
      }
    });
  }

  async documentsWithRun(run: RunStatus): Promise<Document[]> {
    return (this.sql(`select * from documents where run = ? order by seq`).all(run) as DocumentRow[]).map(
      toDocument,
    );
  }

  // ---- chunks ---------------------------------------------------------------------------------

  /**
   * Readers see the old chunks until one small transaction makes the new ones current: the new
   * chunks are first written under the document's next generation, invisible, in transactions of
   * `swapSliceMs` with the event loop free in between, and the old generation is deleted the same way
   * afterwards (decision 31). A failure, a stop or a crash before the switch leaves the old chunks in
   * place; what was written is deleted before the document's next swap, or after the next open().
   */
  async replaceDocumentChunks(
    documentId: string,
    chunks: readonly ChunkRecord[],
    documentPatch: DocumentPatch,
    options: { signal?: AbortSignal } = {},
  ): Promise<void> {
    const { signal } = options;
    await this.exclusive(documentId, async () => {
      await this.deleteStaleChunks(documentId, () => signal?.throwIfAborted() ?? false);
      const base = this.currentGeneration(documentId);
      if (base === undefined) return; // deleted while parsing: nothing to replace
      const next = base + 1;
      for (let i = 0; i < chunks.length; ) {
        signal?.throwIfAborted();
        const written = this.write(() => {
          const doc = this.documentState(documentId);
          if (doc?.generation !== base) return -1;
          const deadline = performance.now() + this.swapSliceMs;
          let n = 0;
          do this.writeChunk(chunks[i + n] as ChunkRecord, null, next, doc);
          while (i + ++n < chunks.length && performance.now() < deadline);
          return n;
        });
        if (written < 0) return;
        i += written;
        await yieldToEventLoop();
      }
      signal?.throwIfAborted();
      const switched = this.write(() => {
        const doc = this.sql(`select dataset_id, chunk_count, token_count, chunk_generation from documents where id = ?`)
          .get(documentId) as { dataset_id: string; chunk_count: number; token_count: number; chunk_generation: number } | undefined;
        if (!doc || doc.chunk_generation !== base) return false;
        const stored = this.countChunks(documentId, next);
        if (stored !== chunks.length) {
          // Only another connection's clean-up can take staged rows: never switch to a partial set.
          throw new Error(`The new chunks of document ${documentId} were changed while being written; parse it again.`);
        }
        const tokens = documentPatch.tokenCount ?? doc.token_count;
        this.applyPatch('documents', DOCUMENT_COLUMNS, { ...documentPatch, chunkCount: stored }, 'id = ?', [documentId]);
        this.sql(`update documents set chunk_generation = ? where id = ?`).run(next, documentId);
        this.sql(`update datasets set chunk_count = chunk_count + ?, token_count = token_count + ? where id = ?`)
          .run(stored - doc.chunk_count, tokens - doc.token_count, doc.dataset_id);
        this.emit({ kind: 'documentGeneration', documentId, generation: next });
        if (documentPatch.enabled !== undefined) {
          this.emit({ kind: 'documentEnabled', documentId, enabled: documentPatch.enabled });
        }
        return true;
      });
      // Past the switch the parse has succeeded: a stop now only leaves the old chunks for later.
      if (switched) await this.deleteStaleChunks(documentId, () => signal?.aborted === true || !this.db.open);
    });
  }

  async upsertChunks(documentId: string, chunks: readonly ChunkRecord[], tokenDelta: number): Promise<void> {
    this.write(() => {
      const doc = this.sql(`select dataset_id, chunk_count from documents where id = ?`).get(documentId) as
        | { dataset_id: string; chunk_count: number }
        | undefined;
      if (!doc) return;
      const state = this.documentState(documentId) as DocumentState;
      for (const record of chunks) {
        const existing = this.sql(`select seq, dimension from chunks where id = ? and generation = ?`)
          .get(record.chunk.id, state.generation) as { seq: number; dimension: number } | undefined;
        if (existing) this.removeChunkRow(existing.seq, existing.dimension);
        // same seq: the chunk keeps its place in the document
        this.writeChunk(record, existing?.seq ?? null, state.generation, state);
      }
      const stored = this.countChunks(documentId);
      this.sql(`update documents set chunk_count = ?, token_count = token_count + ? where id = ?`)
        .run(stored, tokenDelta, documentId);
      this.sql(`update datasets set chunk_count = chunk_count + ?, token_count = token_count + ? where id = ?`)
        .run(stored - doc.chunk_count, tokenDelta, doc.dataset_id);
    });
  }

  async updateChunk(documentId: string, chunkId: string, update: ChunkUpdate): Promise<void> {
    this.write(() => {
      const row = this.sql(
        `select c.seq, c.dataset_id, c.dimension, c.title_terms, c.content_terms, c.keyword_terms
         from chunks c join documents d on d.id = c.document_id where c.id = ? and c.document_id = ? and ${CURRENT}`,
      ).get(chunkId, documentId) as
        | {
            seq: number;
            dataset_id: string;
            dimension: number;
            title_terms: string;
            content_terms: string;
            keyword_terms: string;
          }
        | undefined;
      if (!row) return;
      const sets: string[] = [];
      const params: unknown[] = [];
      const set = (column: string, value: unknown): void => {
        sets.push(`${column} = ?`);
        params.push(toSqlValue(value));
      };
      if (update.content !== undefined) set('content', update.content);
      if (update.importantKeywords !== undefined) set('important_keywords', update.importantKeywords);
      if (update.available !== undefined) set('available', update.available);
      if (update.positions !== undefined) set('positions', update.positions);
      if (update.contentTerms !== undefined) set('content_terms', update.contentTerms);
      if (update.keywordTerms !== undefined) set('keyword_terms', update.keywordTerms);
      if (update.vector !== undefined) set('dimension', update.vector.length);
      if (sets.length > 0) this.sql(`update chunks set ${sets.join(', ')} where seq = ?`).run(...params, row.seq);
      const { datasetSeq } = this.documentState(documentId) as DocumentState;
      if (update.contentTerms !== undefined || update.keywordTerms !== undefined) {
        this.sql(`delete from chunk_fts where rowid = ?`).run(row.seq);
        this.indexText(row.seq, datasetSeq, row.title_terms, update.keywordTerms ?? row.keyword_terms, update.contentTerms ?? row.content_terms);
      }
      if (update.vector !== undefined) {
        if (row.dimension > 0) this.sql(`delete from chunk_vec_${row.dimension} where rowid = ?`).run(BigInt(row.seq));
        this.insertVector(row.seq, datasetSeq, update.vector);
      }
      this.emit({ kind: 'reload', seq: row.seq });
    });
  }

  async deleteChunks(documentId: string, ids: readonly string[]): Promise<boolean> {
    return this.write(() => {
      const doc = this.sql(`select dataset_id from documents where id = ?`).get(documentId) as
        | { dataset_id: string }
        | undefined;
      if (!doc) return false;
      const rows: { seq: number; dimension: number }[] = [];
      for (const id of new Set(ids)) {
        const row = this.sql(
          `select c.seq, c.dimension from chunks c join documents d on d.id = c.document_id
           where c.id = ? and c.document_id = ? and ${CURRENT}`,
        ).get(id, documentId) as
          | { seq: number; dimension: number }
          | undefined;
        if (!row) return false;
        rows.push(row);
      }
      for (const row of rows) this.removeChunkRow(row.seq, row.dimension);
      this.sql(`update documents set chunk_count = chunk_count - ? where id = ?`).run(rows.length, documentId);
      this.sql(`update datasets set chunk_count = chunk_count - ? where id = ?`).run(rows.length, doc.dataset_id);
      return true;
    });
  }

  async getChunk(documentId: string, chunkId: string): Promise<Chunk | undefined> {
    const row = this.sql(`select ${CHUNK_COLUMNS} from chunks c join documents d on d.id = c.document_id where c.id = ? and c.document_id = ? and ${CURRENT}`)
      .get(chunkId, documentId) as ChunkRow | undefined;
    return row && toChunk(row);
  }

  async listChunks(documentId: string, q: ChunkQuery): Promise<Page<Chunk>> {
    const offset = (q.page - 1) * q.pageSize;
    if (q.id !== undefined) {
      const chunk = await this.getChunk(documentId, q.id);
      return { items: chunk ? [chunk] : [], total: chunk ? 1 : 0 };
    }
    if (q.terms && q.terms.length > 0) {
      const match = ftsQuery(q.terms);
      const total = (
        this.sql(
          `select count(*) as n from chunk_fts f join chunks c on c.seq = f.rowid join documents d on d.id = c.document_id
           where chunk_fts match ? and c.document_id = ? and ${CURRENT}`,
        )
          .get(match, documentId) as { n: number }
      ).n;
      const rows = this.sql(
          `select ${CHUNK_COLUMNS} from chunk_fts f join chunks c on c.seq = f.rowid join documents d on d.id = c.document_id
           where chunk_fts match ? and c.document_id = ? and ${CURRENT} order by bm25(chunk_fts, ${BM25_WEIGHTS}) limit ? offset ?`,
        )
        .all(match, documentId, q.pageSize, offset) as ChunkRow[];
      return { items: rows.map(toChunk), total };
    }
    const total = this.countChunks(documentId);
    const rows = this.sql(
        `select ${CHUNK_COLUMNS} from chunks c join documents d on d.id = c.document_id
         where c.document_id = ? and ${CURRENT} order by c.seq limit ? offset ?`,
      )
      .all(documentId, q.pageSize, offset) as ChunkRow[];
    return { items: rows.map(toChunk), total };
  }

  // ---- search ---------------------------------------------------------------------------------

  async searchText(q: TextSearch): Promise<ScoredId[]> {
    if (q.terms.length === 0 || q.datasetIds.length === 0) return [];
    const fromIndex = this.searchIndex?.searchText(q.datasetIds, q.terms, q.limit, q.documentIds);
    if (fromIndex) return fromIndex;
    if (q.documentIds && q.documentIds.length > 0) {
      const scope = this.scopeClause(q);
      return this.sql(
        `select c.id as chunkId, -bm25(chunk_fts, ${BM25_WEIGHTS}) as score
         from chunk_fts f join chunks c on c.seq = f.rowid join documents d on d.id = c.document_id
         where chunk_fts match ? and ${scope.sql}
         order by bm25(chunk_fts, ${BM25_WEIGHTS}) limit ?`,
      ).all(ftsQuery(q.terms), ...scope.params, q.limit) as ScoredId[];
    }
    // Rank inside FTS5 first (joining every match before the sort costs twice as much), then drop
    // hidden chunks; fetch deeper only when hidden ones left the page short.
    const scopes = this.datasetSeqs(q.datasetIds).map(scopeToken);
    if (scopes.length === 0) return [];
    const match = `scope : (${scopes.join(' OR ')}) AND ${ftsQuery(q.terms)}`;
    for (let fetch = q.limit + 16; ; fetch *= 4) {
      const ranked = this.sql(
        `select rowid, -bm25(chunk_fts, ${BM25_WEIGHTS}) as score from chunk_fts
         where chunk_fts match ? order by bm25(chunk_fts, ${BM25_WEIGHTS}) limit ?`,
      ).all(match, fetch) as { rowid: number; score: number }[];
      const visible = this.visibleChunkIds(ranked.map((r) => r.rowid));
      const out: ScoredId[] = [];
      for (const row of ranked) {
        const chunkId = visible.get(row.rowid);
        if (chunkId !== undefined) out.push({ chunkId, score: row.score });
        if (out.length === q.limit) break;
      }
      if (out.length === q.limit || ranked.length < fetch) return out;
    }
  }

  /** seq -> id of the chunks among `seqs` that retrieval may return (available, document enabled). */
  private visibleChunkIds(seqs: readonly number[]): Map<number, string> {
    const visible = new Map<number, string>();
    for (const part of chunked(seqs)) {
      const rows = this.sql(
        `select c.seq, c.id from chunks c join documents d on d.id = c.document_id
         where c.seq in (${placeholders(part.length)}) and c.available = 1 and d.enabled = 1 and ${CURRENT}`,
      ).all(...part) as { seq: number; id: string }[];
      for (const row of rows) visible.set(row.seq, row.id);
    }
    return visible;
  }

  async searchVector(q: VectorSearch): Promise<ScoredId[]> {
    const dim = q.vector.length;
    if (!this.vectorTables.has(dim) || q.datasetIds.length === 0) return [];
    const fromIndex = this.searchIndex?.searchVector(q.datasetIds, q.vector, q.limit, q.documentIds);
    if (fromIndex) return fromIndex;
    const blob = vectorBlob(q.vector);
    const scope = this.scopeClause(q);
    if (q.documentIds && q.documentIds.length > 0) {
      // A KNN over whole datasets could miss the few documents asked for: score them exactly.
      return this.sql(
          `select c.id as chunkId, 1 - vec_distance_cosine(v.embedding, ?) as score
           from chunks c join documents d on d.id = c.document_id join chunk_vec_${dim} v on v.rowid = c.seq
           where c.dimension = ? and ${scope.sql} order by score desc limit ?`,
        )
        .all(blob, dim, ...scope.params, q.limit) as ScoredId[];
    }
    const seqs = this.datasetSeqs(q.datasetIds);
    if (seqs.length === 0 || q.limit <= 0) return [];
    // vec0 takes `k` or LIMIT, not both; a partition-key IN gives k rows per partition: re-rank them
    // globally. Unavailable chunks and disabled documents are filtered after the KNN, so widen k
    // until enough survive or nothing more is there.
    const knn = this.sql(
      `select rowid, distance from chunk_vec_${dim}
       where embedding match ? and k = ? and dataset_seq in (${placeholders(seqs.length)})`,
    );
    let k = Math.min(q.limit, 4096);
    for (;;) {
      const hits = knn.all(blob, k, ...seqs) as { rowid: number; distance: number }[];
      const visible = this.visibleChunkIds(hits.map((h) => Number(h.rowid)));
      const out: ScoredId[] = [];
      for (const hit of hits) {
        const chunkId = visible.get(Number(hit.rowid));
        if (chunkId !== undefined) out.push({ chunkId, score: 1 - hit.distance });
      }
      if (out.length >= q.limit || hits.length < k || k >= 4096) {
        return out.sort((a, b) => b.score - a.score).slice(0, q.limit);
      }
      k = Math.min(k * 4, 4096);
    }
  }

  async getCandidates(chunkIds: readonly string[], dimension: number, queryTerms: readonly string[]): Promise<Candidate[]> {
    const out: Candidate[] = [];
    const indexed = this.searchIndex?.candidates(chunkIds, dimension, queryTerms);
    if (indexed) {
      // Everything but the document names comes from memory; the names (a rename changes them) are
      // read once per document, not once per chunk.
      const names = new Map<string, string>();
      const documentIds = [...new Set([...indexed.values()].map((c) => c.documentId))];
      for (const part of chunked(documentIds)) {
        const rows = this.sql(`select id, name from documents where id in (${placeholders(part.length)})`)
          .raw(true)
          .all(...part) as [string, string][];
        for (const [id, name] of rows) names.set(id, name);
      }
      for (const [chunkId, found] of indexed) {
        const documentName = names.get(found.documentId);
        if (documentName === undefined) continue;
        out.push({ chunkId, documentId: found.documentId, documentName, matchedTerms: found.matchedTerms, vector: found.vector });
      }
      return out;
    }
    const wanted = new Set(queryTerms);
    const hasVectors = this.vectorTables.has(dimension);
    const vecStmt = hasVectors ? this.sql(`select embedding from chunk_vec_${dimension} where rowid = ?`) : undefined;
    for (const part of chunked(chunkIds)) {
      const rows = this.sql(
        `select c.seq, c.id, c.document_id, d.name as document_name, c.content_terms, c.title_terms, c.keyword_terms,
           c.dimension from chunks c join documents d on d.id = c.document_id
         where c.id in (${placeholders(part.length)}) and ${CURRENT}`,
      ).all(...part) as Pick<
        ChunkRow,
        'seq' | 'id' | 'document_id' | 'document_name' | 'content_terms' | 'title_terms' | 'keyword_terms' | 'dimension'
      >[];
      for (const row of rows) {
        const matchedTerms = new Set<string>();
        for (const text of [row.content_terms, row.title_terms, row.keyword_terms]) {
          for (const term of text.split(' ')) if (term && wanted.has(term)) matchedTerms.add(term);
        }
        let vector: Float32Array | undefined;
        if (vecStmt && row.dimension === dimension) {
          const v = vecStmt.get(BigInt(row.seq)) as { embedding: Buffer } | undefined;
          vector = v && blobVector(v.embedding);
        }
        out.push({ chunkId: row.id, documentId: row.document_id, documentName: row.document_name, matchedTerms, vector });
      }
    }
    return out;
  }

  async getChunksByIds(chunkIds: readonly string[]): Promise<Chunk[]> {
    const byId = new Map<string, Chunk>();
    for (const part of chunked(chunkIds)) {
      const rows = this.sql(
        `select ${RECORD_COLUMNS} from chunks c join documents d on d.id = c.document_id
         where c.id in (${placeholders(part.length)}) and ${CURRENT}`,
      ).all(...part) as ChunkRow[];
      for (const row of rows) byId.set(row.id, toChunk(row));
    }
    const out: Chunk[] = [];
    for (const id of chunkIds) {
      const chunk = byId.get(id);
      if (chunk) out.push(chunk);
    }
    return out;
  }

  async termStatistics(
    terms: readonly string[],
    datasetIds: readonly string[],
  ): Promise<{ documentFrequency: Map<string, number>; chunkCount: number }> {
    const seqs = this.datasetSeqs(datasetIds);
    const documentFrequency = new Map<string, number>(terms.map((term) => [term, 0]));
    if (seqs.length === 0) return { documentFrequency, chunkCount: 0 };
    // The datasets' chunk counters are kept in the same transactions as the chunks: reading them
    // spares this hot path two scans of the chunks table.
    const chunkCount = (
      this.sql(
        `select coalesce(sum(chunk_count), 0) as n from datasets where id in (${placeholders(datasetIds.length)})`,
      ).get(...datasetIds) as { n: number }
    ).n;
    const indexed = this.searchIndex?.documentFrequencies(terms, datasetIds);
    if (indexed) return { documentFrequency: indexed, chunkCount };
    const allChunks = (this.sql(`select coalesce(sum(chunk_count), 0) as n from datasets`).get() as { n: number }).n;
    if (chunkCount === allChunks) {
      // The usual case, one dataset per file: the vocabulary table answers without scanning postings.
      const vocab = this.sql(`select doc from chunk_terms where term = ?`);
      for (const term of terms) documentFrequency.set(term, (vocab.get(term) as { doc: number } | undefined)?.doc ?? 0);
    } else {
      const scope = `scope : (${seqs.map(scopeToken).join(' OR ')})`;
      const count = this.sql(`select count(*) as n from chunk_fts where chunk_fts match ?`);
      for (const term of terms) {
        documentFrequency.set(term, (count.get(`${scope} AND ${ftsQuery([term])}`) as { n: number }).n);
      }
    }
    return { documentFrequency, chunkCount };
  }

  // ---- chats, sessions, messages ------------------------------------------------------------------

  async insertChat(chat: ChatAssistant): Promise<void> {
    this.chats.insertChat(chat);
  }
  async getChat(tenantId: string, id: string): Promise<ChatAssistant | undefined> {
    return this.chats.getChat(tenantId, id);
  }
  async chatNames(tenantId: string): Promise<Set<string>> {
    return this.chats.chatNames(tenantId);
  }
  async listChats(tenantId: string, query: NamedQuery): Promise<Page<ChatAssistant>> {
    return this.chats.listChats(tenantId, query);
  }
  async updateChat(chat: ChatAssistant): Promise<void> {
    this.chats.updateChat(chat);
  }
  async deleteChats(tenantId: string, ids: readonly string[]): Promise<void> {
    this.chats.deleteChats(tenantId, ids);
  }
  async insertSession(session: ChatSession): Promise<void> {
    this.chats.insertSession(session);
  }
  async getSession(tenantId: string, chatId: string, id: string): Promise<ChatSession | undefined> {
    return this.chats.getSession(tenantId, chatId, id);
  }
  async listSessions(chatId: string, query: NamedQuery): Promise<Page<ChatSession>> {
    return this.chats.listSessions(chatId, query);
  }
  async renameSession(sessionId: string, name: string, updateTime: number): Promise<void> {
    this.chats.renameSession(sessionId, name, updateTime);
  }
  async deleteSessions(chatId: string, ids: readonly string[]): Promise<void> {
    this.chats.deleteSessions(chatId, ids);
  }
  async appendMessages(
    tenantId: string,
    chatId: string,
    sessionId: string,
    messages: readonly SessionMessage[],
    updateTime: number,
  ): Promise<boolean> {
    return this.chats.appendMessages(tenantId, chatId, sessionId, messages, updateTime);
  }

  // ---- API keys -------------------------------------------------------------------------------

  async insertApiKey(key: ApiKeyRecord): Promise<void> {
    this.sql(`insert into api_keys (id, tenant_id, digest, hint, create_time) values (?, ?, ?, ?, ?)`).run(
      key.id,
      key.tenantId,
      key.digest,
      key.hint,
      key.createTime,
    );
  }

  async findApiKey(digest: string): Promise<ApiKeyRecord | undefined> {
    const row = this.sql(`select * from api_keys where digest = ?`).get(digest) as ApiKeyRow | undefined;
    return row && toApiKey(row);
  }

  async listApiKeys(tenantId?: string): Promise<ApiKeyRecord[]> {
    const rows = (
      tenantId === undefined
        ? this.sql(`select * from api_keys order by seq`).all()
        : this.sql(`select * from api_keys where tenant_id = ? order by seq`).all(tenantId)
    ) as ApiKeyRow[];
    return rows.map(toApiKey);
  }

  async deleteApiKey(id: string): Promise<boolean> {
    return this.sql(`delete from api_keys where id = ?`).run(id).changes > 0;
  }

  // ---- internals ------------------------------------------------------------------------------

  /**
   * One transaction. A vec0 table created inside it disappears on rollback, so the set of known
   * vector tables is re-read from the schema when the transaction fails.
   */
  private write<T>(fn: () => T): T {
    if (this.pendingOps) {
      // Nested: the outer commit applies the ops. If this part fails and the caller goes on, its
      // ops may already be in the list, so the index is dropped rather than trusted.
      try {
        return this.db.transaction(fn)();
      } catch (error) {
        this.searchIndex?.invalidate();
        throw error;
      }
    }
    const ops: IndexOp[] = [];
    this.pendingOps = ops;
    let result: T;
    try {
      result = this.db.transaction(fn)();
    } catch (error) {
      this.loadVectorTables();
      throw error;
    } finally {
      this.pendingOps = undefined;
    }
    this.searchIndex?.apply(ops);
    return result;
  }

  /** Records an index change: with the transaction in progress, or at once after a lone statement. */
  private emit(op: IndexOp): void {
    if (!this.searchIndex) return;
    if (this.pendingOps) this.pendingOps.push(op);
    else this.searchIndex.apply([op]);
  }

  private loadVectorTables(): void {
    this.vectorTables.clear();
    for (const row of this.db.prepare(`select name from sqlite_master where type = 'table'`).all() as { name: string }[]) {
      const match = VECTOR_TABLE.exec(row.name);
      if (match) this.vectorTables.add(Number(match[1]));
    }
  }

  /** Prepared statements are reused: preparing costs more than running most of these queries. */
  private sql(source: string): BetterSqlite3.Statement {
    let statement = this.statements.get(source);
    if (!statement) {
      if (this.statements.size > 1000) this.statements.clear();
      statement = this.db.prepare(source);
      this.statements.set(source, statement);
    }
    return statement;
  }

  private applyPatch(
    table: string,
    columns: Record<string, string>,
    patch: object,
    where: string,
    whereParams: unknown[],
  ): void {
    const sets: string[] = [];
    const params: unknown[] = [];
    for (const [key, value] of Object.entries(patch)) {
      const column = columns[key];
      if (column === undefined || value === undefined) continue;
      sets.push(`${column} = ?`);
      params.push(toSqlValue(value));
    }
    if (sets.length === 0) return;
    this.sql(`update ${table} set ${sets.join(', ')} where ${where}`).run(...params, ...whereParams);
  }

  /** The document's chunks of one generation (by default its current one). */
  private countChunks(documentId: string, generation = this.currentGeneration(documentId) ?? 0): number {
    return (
      this.sql(`select count(*) as n from chunks where document_id = ? and generation = ?`).get(documentId, generation) as {
        n: number;
      }
    ).n;
  }

  /** What writing a chunk needs of its document: its dataset's seq (FTS scope, vector partition), state. */
  private documentState(documentId: string): DocumentState | undefined {
    const row = this.sql(
      `select s.seq as dataset_seq, d.enabled, d.chunk_generation from documents d join datasets s on s.id = d.dataset_id
       where d.id = ?`,
    ).get(documentId) as { dataset_seq: number; enabled: number; chunk_generation: number } | undefined;
    return row && { datasetSeq: row.dataset_seq, enabled: row.enabled === 1, generation: row.chunk_generation };
  }

  private currentGeneration(documentId: string): number | undefined {
    return this.sql(`select chunk_generation from documents where id = ?`).pluck().get(documentId) as number | undefined;
  }

  /** Runs `fn` once no other swap or clean-up of the document's chunks is running. */
  private async exclusive(documentId: string, fn: () => Promise<void>): Promise<void> {
    const run = (this.swaps.get(documentId) ?? Promise.resolve()).then(fn);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.swaps.set(documentId, settled);
    try {
      await run;
    } finally {
      if (this.swaps.get(documentId) === settled) this.swaps.delete(documentId);
    }
  }

  /**
   * Deletes the document's chunks of any generation but the current one, a slice per transaction.
   * `stop` is asked before each slice: true ends quietly (the rest is deleted later), a throw aborts.
   */
  private async deleteStaleChunks(documentId: string, stop: () => boolean): Promise<void> {
    const older = this.sql(`select seq, dimension from chunks where document_id = ? and generation < ? limit ${STALE_BATCH}`);
    const newer = this.sql(`select seq, dimension from chunks where document_id = ? and generation > ? limit ${STALE_BATCH}`);
    for (;;) {
      if (stop()) return;
      const finished = this.write(() => {
        const current = this.currentGeneration(documentId);
        if (current === undefined) return true;
        const deadline = performance.now() + this.swapSliceMs;
        for (;;) {
          let rows = older.all(documentId, current) as { seq: number; dimension: number }[];
          if (rows.length === 0) rows = newer.all(documentId, current) as { seq: number; dimension: number }[];
          if (rows.length === 0) return true;
          for (const row of rows) this.removeChunkRow(row.seq, row.dimension);
          if (performance.now() >= deadline) return false;
        }
      });
      if (finished) return;
      await yieldToEventLoop();
    }
  }

  /**
   * Chunks of another generation than their document's are what a crash during a swap leaves: found
   * at open (two index probes per document), deleted in the background.
   */
  private async purgeStaleChunks(): Promise<void> {
    try {
      const documentIds = this.sql(
        `select d.id from documents d
         where exists (select 1 from chunks c where c.document_id = d.id and c.generation < d.chunk_generation)
            or exists (select 1 from chunks c where c.document_id = d.id and c.generation > d.chunk_generation)`,
      ).pluck().all() as string[];
      if (documentIds.length === 0) return;
      await yieldToEventLoop();
      for (const id of documentIds) {
        if (!this.db.open) return;
        await this.exclusive(id, () => this.deleteStaleChunks(id, () => !this.db.open));
      }
    } catch {
      // Best effort: whatever is left is invisible, and the next swap of the document deletes it.
    }
  }

  /** `doc`: the chunk's document, read once per transaction by the caller, not once per chunk. */
  private writeChunk(record: ChunkRecord, reuseSeq: number | null, generation: number, doc: DocumentState): void {
    const c = record.chunk;
    const dimension = record.vector?.length ?? 0;
    const info = this.sql(
        `insert into chunks (seq, id, dataset_id, document_id, generation, content, content_terms, keyword_terms,
          title_terms, important_keywords, available, positions, source, fields, image_id, dimension, create_time)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        reuseSeq,
        c.id,
        c.datasetId,
        c.documentId,
        generation,
        c.content,
        record.contentTerms,
        record.keywordTerms,
        record.titleTerms,
        JSON.stringify(c.importantKeywords),
        c.available ? 1 : 0,
        JSON.stringify(c.positions),
        JSON.stringify(c.source),
        JSON.stringify(c.fields),
        c.imageId,
        dimension,
        c.createTime,
      );
    const seq = Number(info.lastInsertRowid);
    this.indexText(seq, doc.datasetSeq, record.titleTerms, record.keywordTerms, record.contentTerms);
    if (record.vector) this.insertVector(seq, doc.datasetSeq, record.vector);
    if (this.searchIndex) {
      this.emit({
        kind: 'upsert',
        chunk: {
          seq,
          id: c.id,
          datasetId: c.datasetId,
          datasetSeq: doc.datasetSeq,
          documentId: c.documentId,
          documentEnabled: doc.enabled,
          generation,
          documentGeneration: doc.generation,
          available: c.available,
          titleTerms: record.titleTerms,
          keywordTerms: record.keywordTerms,
          contentTerms: record.contentTerms,
          vector: record.vector,
        },
      });
    }
  }

  private indexText(seq: number, datasetSeq: number, title: string, keywords: string, content: string): void {
    this.sql(`insert into chunk_fts (rowid, scope, title, keywords, content) values (?, ?, ?, ?, ?)`).run(
      seq,
      scopeToken(datasetSeq),
      title,
      keywords,
      content,
    );
  }

  private insertVector(seq: number, datasetSeq: number, vector: Float32Array): void {
    const dim = vector.length;
    this.ensureVectorTable(dim);
    this.sql(`insert into chunk_vec_${dim} (rowid, dataset_seq, embedding) values (?, ?, ?)`)
      .run(BigInt(seq), BigInt(datasetSeq), vectorBlob(vector));
  }

  private ensureVectorTable(dim: number): void {
    if (this.vectorTables.has(dim)) return;
    if (!Number.isInteger(dim) || dim <= 0 || dim > 8192) throw new Error(`Invalid vector dimension ${dim}`);
    this.db.exec(
      `create virtual table if not exists chunk_vec_${dim} using vec0 (
         dataset_seq integer partition key,
         embedding float[${dim}] distance_metric=cosine
       )`,
    );
    this.vectorTables.add(dim);
  }

  private removeChunkRow(seq: number, dimension: number): void {
    if (dimension > 0 && this.vectorTables.has(dimension)) {
      this.sql(`delete from chunk_vec_${dimension} where rowid = ?`).run(BigInt(seq));
    }
    this.sql(`delete from chunks where seq = ?`).run(seq);
    this.emit({ kind: 'remove', seq });
  }

  /** vec0 tables are outside foreign-key cascades: remove vectors before their chunk rows go. */
  private deleteVectors(selectSql: string, params: unknown[]): void {
    const rows = this.sql(selectSql).all(...params) as { seq: number; dimension: number }[];
    for (const row of rows) {
      if (row.dimension > 0 && this.vectorTables.has(row.dimension)) {
        this.sql(`delete from chunk_vec_${row.dimension} where rowid = ?`).run(BigInt(row.seq));
      }
    }
  }

  private datasetSeqs(ids: readonly string[]): number[] {
    return (
      this.sql(`select seq from datasets where id in (${placeholders(ids.length)})`).all(...ids) as { seq: number }[]
    ).map((r) => r.seq);
  }

  private scopeClause(scope: SearchScope): { sql: string; params: unknown[] } {
    const parts = [`c.dataset_id in (${placeholders(scope.datasetIds.length)})`, 'c.available = 1', 'd.enabled = 1', CURRENT];
    const params: unknown[] = [...scope.datasetIds];
    if (scope.documentIds && scope.documentIds.length > 0) {
      parts.push(`c.document_id in (${placeholders(scope.documentIds.length)})`);
      params.push(...scope.documentIds);
    }
    return { sql: parts.join(' and '), params };
  }
}
