import type BetterSqlite3 from 'better-sqlite3';
import { Yielder } from '../../../util/yield.js';
import type { ChunkRow } from '../rows.js';
import type { Sql } from '../sql.js';
import { fts5AsciiTokens } from './fts5-tokens.js';
import { IndexData, type ChunkSource } from './index-data.js';
import { PAIR_WORDS, pairBits, type Segment } from './segment.js';
import { TopK } from './top-k.js';
import type { VectorStore } from './vector-store.js';

/**
 * An in-memory mirror of the file's search structures (FTS5 postings and sqlite-vec vectors) that
 * answers searchText, searchVector, the candidates' terms and vectors, and term statistics with
 * exactly the results of the SQL path (docs/scoring.md), without visiting every posting in SQLite.
 *
 * Life cycle: built in the background on the first search (queries take the SQL path meanwhile),
 * with cooperative yielding so the event loop never blocks for long. The store is the only writer
 * of this connection: every committed change to chunks, documents or datasets reaches the index
 * as an IndexOp (queued while a build runs and replayed after it, which is safe because every op
 * is idempotent: it states the outcome, not a difference). A commit by another connection changes
 * `pragma data_version`, which drops the index and starts a rebuild.
 */

export type IndexOp =
  | { kind: 'upsert'; chunk: ChunkSource }
  | { kind: 'remove'; seq: number }
  /** Re-read one chunk from SQLite (an edit of its text, availability or vector). */
  | { kind: 'reload'; seq: number }
  | { kind: 'removeDocument'; documentId: string }
  | { kind: 'removeDataset'; datasetId: string }
  | { kind: 'documentEnabled'; documentId: string; enabled: boolean }
  /** A chunk swap's switch: the document's chunks of this generation become the readable ones. */
  | { kind: 'documentGeneration'; documentId: string; generation: number };

export interface ScoredChunk {
  chunkId: string;
  score: number;
}

/** The chunks columns the build reads (readChunks). */
type ChunkPageRow = Pick<
  ChunkRow,
  'seq' | 'id' | 'dataset_id' | 'document_id' | 'title_terms' | 'keyword_terms' | 'content_terms' | 'available' | 'dimension'
>;

// Chunks read per step of the build (~3-4 ms at 100k); steps run back to back for up to sliceMs
// (10 ms) per turn of the event loop.
const PAGE = 100;
const FIRST_BUILD_DELAY_MS = 150;
// FTS5's bm25() constants (fts5_aux.c).
const K1 = 1.2;
const B = 0.75;

export class SearchIndex {
  private data: IndexData | undefined;
  private building: Promise<void> | undefined;
  private queued: IndexOp[] = [];
  /** Bumped to abandon a running build. */
  private generation = 0;
  private dataVersion = -1;
  /** Set when a build threw (an unexpected schema, say): searches stay on the SQL path. */
  private failed = false;
  private firstBuild = true;
  private readonly scratch = { acc: new Float64Array(0), stamp: new Int32Array(0), touched: new Int32Array(0), mark: 0 };

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly sql: Sql,
    private readonly sliceMs = 10,
  ) {}

  /** The index when it can answer now; otherwise undefined (and a build is started). */
  ready(): IndexData | undefined {
    const version = this.readDataVersion();
    if (this.data && version !== this.dataVersion) this.invalidate();
    if (this.building && version !== this.dataVersion) this.invalidate();
    if (!this.data && !this.building && !this.failed && this.db.open) this.building = this.build();
    return this.data;
  }

  /** Resolves once the index is built (a new build is started if needed). */
  async whenReady(): Promise<void> {
    for (let i = 0; i < 10 && !this.ready(); i++) await this.building;
  }

  /** Drops the index; the next search rebuilds it. */
  invalidate(): void {
    this.generation++;
    this.data = undefined;
    this.building = undefined;
    this.queued = [];
  }

  /** Applies committed changes (or queues them for the build in progress). */
  apply(ops: readonly IndexOp[]): void {
    if (ops.length === 0) return;
    if (this.building) {
      this.queued.push(...ops);
      return;
    }
    const data = this.data;
    if (!data) return; // nothing built: the next build reads the committed state
    for (const op of ops) this.applyOne(data, op);
    // Dead slots cost scan time and memory until a rebuild.
    const dead = data.deadSlots();
    if (dead > 4096 && dead > data.liveSlots() / 4) this.invalidate();
  }

  bytes(): number {
    return this.data?.bytes() ?? 0;
  }

  private readDataVersion(): number {
    return this.db.open ? (this.sql('pragma data_version').pluck().get() as number) : -1;
  }

  private applyOne(data: IndexData, op: IndexOp): void {
    switch (op.kind) {
      case 'upsert':
        data.upsert(op.chunk);
        break;
      case 'remove':
        data.remove(op.seq);
        break;
      case 'reload': {
        const chunk = this.readChunks(`c.seq = ?`, [op.seq])[0];
        if (chunk) data.upsert(chunk);
        else data.remove(op.seq);
        break;
      }
      case 'removeDocument':
        for (const seq of data.documentSeqs(op.documentId)) data.remove(seq);
        break;
      case 'removeDataset': {
        const segment = data.segments.get(op.datasetId);
        if (!segment) break;
        for (let s = 0; s < segment.count; s++) if (segment.alive[s]) data.remove(segment.seqs[s] as number);
        data.segments.delete(op.datasetId);
        break;
      }
      case 'documentEnabled':
        data.setDocumentEnabled(op.documentId, op.enabled);
        break;
      case 'documentGeneration':
        data.setDocumentGeneration(op.documentId, op.generation);
        break;
    }
  }

  private async build(): Promise<void> {
    const generation = ++this.generation;
    this.queued = [];
    this.dataVersion = this.readDataVersion();
    const stale = (): boolean => generation !== this.generation || !this.db.open || this.readDataVersion() !== this.dataVersion;
    const yielder = new Yielder(undefined, this.sliceMs);
    try {
      // The first build after opening waits a moment: its first slices read cold pages (~20 ms
      // each at 100k) and would otherwise land between the steps of the very query that asked,
      // doubling the first query's time. Rebuilds start at once.
      const delay = this.firstBuild ? FIRST_BUILD_DELAY_MS : 0;
      this.firstBuild = false;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      await yielder.now();
      if (stale()) return;
      const data = new IndexData();
      const documents = this.sql(`select id, enabled, chunk_generation from documents`).all() as {
        id: string;
        enabled: number;
        chunk_generation: number;
      }[];
      for (const d of documents) data.document(d.id, d.enabled === 1, d.chunk_generation);
      // Vector stores sized up front from the datasets' counters (counting chunks per dimension
      // would scan the chunks table in one slice): their memory can grow but never shrink.
      const datasets = this.sql(`select id, seq, embedding_dimension, chunk_count from datasets`).all() as {
        id: string;
        seq: number;
        embedding_dimension: number;
        chunk_count: number;
      }[];
      for (const d of datasets) {
        if (d.embedding_dimension > 0 && d.chunk_count > 0) {
          data.segment(d.id, d.seq).reserveVectors(d.embedding_dimension, d.chunk_count);
        }
      }
      let after = -1;
      for (;;) {
        // Several pages per turn of the event loop, up to sliceMs: the build needs its share of
        // turns while slow (SQL-path) searches hold the others.
        await yielder.tick();
        if (stale()) return;
        const page = this.readChunks(`c.seq > ?`, [after], PAGE);
        for (const chunk of page) {
          data.upsert(chunk);
          after = chunk.seq;
        }
        if (page.length < PAGE) break;
      }
      for (const segment of data.segments.values()) {
        for (const _ of segment.compact()) {
          await yielder.tick();
          if (stale()) return;
        }
      }
      if (stale()) return;
      for (const op of this.queued) this.applyOne(data, op);
      this.queued = [];
      this.data = data;
    } catch {
      // Nobody awaits a background build: a failure must not surface as an unhandled rejection.
      if (generation === this.generation) this.failed = true;
    } finally {
      if (generation === this.generation) this.building = undefined;
    }
  }

  /** Chunks with their documents' state and vectors, in seq order. */
  private readChunks(where: string, params: unknown[], limit = 1): ChunkSource[] {
    const rows = this.sql(
      `select c.seq, c.id, c.dataset_id, s.seq as dataset_seq, c.document_id, d.enabled, c.generation,
         d.chunk_generation, c.title_terms, c.keyword_terms, c.content_terms, c.available, c.dimension
       from chunks c join documents d on d.id = c.document_id join datasets s on s.id = c.dataset_id
       where ${where} order by c.seq limit ?`,
    ).all(...params, limit) as (ChunkPageRow & {
      dataset_seq: number;
      enabled: number;
      generation: number;
      chunk_generation: number;
    })[];
    const vectors = this.readVectors(rows);
    return rows.map((r) => ({
      seq: r.seq,
      id: r.id,
      datasetId: r.dataset_id,
      datasetSeq: r.dataset_seq,
      documentId: r.document_id,
      documentEnabled: r.enabled === 1,
      generation: r.generation,
      documentGeneration: r.chunk_generation,
      available: r.available === 1,
      titleTerms: r.title_terms,
      keywordTerms: r.keyword_terms,
      contentTerms: r.content_terms,
      vector: vectors.get(r.seq),
    }));
  }

  /**
   * The vectors of these chunks. A vec0 point lookup costs ~60 µs and a range scan reads the whole
   * table, so pages are read from sqlite-vec's storage tables directly (rowid -> chunk and offset,
   * then one blob per 1,024 vectors); if their layout is not the one known (sqlite-vec 0.1.x), the
   * point lookups are used instead.
   */
  private readVectors(rows: readonly { seq: number; dimension: number }[]): Map<number, Float32Array> {
    const out = new Map<number, Float32Array>();
    const byDim = new Map<number, number[]>();
    for (const r of rows) {
      if (r.dimension <= 0) continue;
      const list = byDim.get(r.dimension) ?? [];
      list.push(r.seq);
      byDim.set(r.dimension, list);
    }
    for (const [dim, seqs] of byDim) {
      if (!Number.isInteger(dim) || dim > 8192) continue;
      try {
        const positions = this.sql(
          `select rowid, chunk_id, chunk_offset from chunk_vec_${dim}_rowids where rowid between ? and ?`,
        ).all(Math.min(...seqs), Math.max(...seqs)) as { rowid: number; chunk_id: number; chunk_offset: number }[];
        const at = new Map(positions.map((p) => [p.rowid, p]));
        const blobs = new Map<number, Buffer>();
        const blobOf = this.sql(`select vectors from chunk_vec_${dim}_vector_chunks00 where rowid = ?`).pluck();
        for (const seq of seqs) {
          const p = at.get(seq);
          if (!p) continue;
          let blob = blobs.get(p.chunk_id);
          if (!blob) {
            blob = blobOf.get(p.chunk_id) as Buffer;
            blobs.set(p.chunk_id, blob);
          }
          const start = blob.byteOffset + p.chunk_offset * dim * 4;
          if (p.chunk_offset * dim * 4 + dim * 4 > blob.byteLength) throw new Error('unexpected vec0 layout');
          out.set(seq, new Float32Array(blob.buffer.slice(start, start + dim * 4)));
        }
      } catch {
        const one = this.sql(`select embedding from chunk_vec_${dim} where rowid = ?`).pluck();
        for (const seq of seqs) {
          const blob = one.get(BigInt(seq)) as Buffer | undefined;
          if (blob) out.set(seq, new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength)));
        }
      }
    }
    return out;
  }

  // ---- queries ----------------------------------------------------------------------------------

  private segmentsOf(data: IndexData, datasetIds: readonly string[]): Segment[] {
    const out: Segment[] = [];
    for (const id of new Set(datasetIds)) {
      const segment = data.segments.get(id);
      if (segment) out.push(segment);
    }
    return out;
  }

  /** Document filter as a mask over document indexes (undefined: no filter). */
  private documentMask(data: IndexData, documentIds: readonly string[] | undefined): Uint8Array | undefined {
    if (!documentIds || documentIds.length === 0) return undefined;
    const mask = new Uint8Array(data.documentIndex.size);
    for (const id of documentIds) {
      const index = data.documentIndex.get(id);
      if (index !== undefined) mask[index] = 1;
    }
    return mask;
  }

  /**
   * FTS5's `bm25(chunk_fts, 0, 5, 15, 1)` ranking of the chunks matching any of `terms` (a term of
   * several tokens is a phrase), best first, visible chunks of the datasets (and documents) only.
   * Undefined when the index cannot answer (not built, or a term FTS5 would read differently).
   */
  searchText(
    datasetIds: readonly string[],
    terms: readonly string[],
    limit: number,
    documentIds?: readonly string[],
  ): ScoredChunk[] | undefined {
    const data = this.ready();
    if (!data) return undefined;
    const phrases: (number[] | null)[] = [];
    for (const term of terms) {
      const tokens = fts5AsciiTokens(term);
      if (tokens.length === 0) return undefined; // an empty phrase: leave it to FTS5
      const ids: number[] = [];
      for (const token of tokens) {
        const id = data.terms.get(token);
        if (id === undefined) break;
        ids.push(id);
      }
      phrases.push(ids.length === tokens.length ? ids : null);
    }
    const segments = this.segmentsOf(data, datasetIds);
    if (segments.length === 0 || limit <= 0) return [];
    const totals = this.ftsTotals();
    if (!totals) return undefined;
    if (totals.rows === 0) return [];
    const mask = this.documentMask(data, documentIds);

    // Phrases of several tokens: their matches (in scope) and their document count (whole file).
    const phraseMatches = phrases.map((ids) => (ids && ids.length > 1 ? new Map<Segment, number[]>() : undefined));
    const idf = phrases.map((ids, i) => {
      if (!ids) return 0;
      let hits = 0;
      if (ids.length === 1) {
        hits = data.df[ids[0] as number] as number;
      } else {
        for (const segment of data.segments.values()) {
          const inScope = segments.includes(segment);
          const found: number[] = [];
          hits += this.phraseHits(segment, ids, inScope ? found : undefined);
          if (inScope) phraseMatches[i]?.set(segment, found);
        }
      }
      const value = Math.log((totals.rows - hits + 0.5) / (hits + 0.5));
      return value <= 0 ? 1e-6 : value;
    });

    const avgdl = totals.tokens / totals.rows;
    const best: { score: number; seq: number; id: string }[] = [];
    for (const segment of segments) {
      const { acc, stamp, mark, touched } = this.scratchFor(segment.count);
      let touchedCount = 0;
      const visible = segment.visible;
      const lengths = segment.lengths;
      const documents = segment.documents;
      for (let i = 0; i < phrases.length; i++) {
        const ids = phrases[i];
        if (!ids) continue;
        const weight = idf[i] as number;
        if (ids.length === 1) {
          const posting = segment.postings.get(ids[0] as number);
          if (!posting) continue;
          const { slots, freqs, n } = posting;
          for (let e = 0; e < n; e++) {
            const slot = slots[e] as number;
            if (!visible[slot]) continue;
            if (mask && !mask[documents[slot] as number]) continue;
            const f = freqs[e] as number;
            const D = lengths[slot] as number;
            if (stamp[slot] !== mark) {
              stamp[slot] = mark;
              acc[slot] = 0;
              touched[touchedCount++] = slot;
            }
            acc[slot] = (acc[slot] as number) + weight * ((f * (K1 + 1.0)) / (f + K1 * (1 - B + (B * D) / avgdl)));
          }
        } else {
          const found = phraseMatches[i]?.get(segment) ?? [];
          for (let e = 0; e < found.length; e += 2) {
            const slot = found[e] as number;
            if (!visible[slot]) continue;
            if (mask && !mask[documents[slot] as number]) continue;
            const f = found[e + 1] as number;
            const D = lengths[slot] as number;
            if (stamp[slot] !== mark) {
              stamp[slot] = mark;
              acc[slot] = 0;
              touched[touchedCount++] = slot;
            }
            acc[slot] = (acc[slot] as number) + weight * ((f * (K1 + 1.0)) / (f + K1 * (1 - B + (B * D) / avgdl)));
          }
        }
      }
      const top = new TopK(Math.min(limit, touchedCount));
      const seqs = segment.seqs;
      for (let t = 0; t < touchedCount; t++) {
        const slot = touched[t] as number;
        top.push(acc[slot] as number, seqs[slot] as number, slot);
      }
      for (const { score, tie, item } of top.sorted()) best.push({ score, seq: tie, id: segment.ids[item] as string });
    }
    best.sort((a, b) => b.score - a.score || a.seq - b.seq);
    return best.slice(0, limit).map((b) => ({ chunkId: b.id, score: b.score }));
  }

  /**
   * FTS5's own row count and token total (its "averages" record, rowid 1 of chunk_fts_data: SQLite
   * varints, the row count then one total per column). bm25() takes N and avgdl from there, and they
   * are not always the live rows' (after some deletes from this contentless table they stay higher),
   * so they are read, not counted.
   */
  private ftsTotals(): { rows: number; tokens: number } | undefined {
    const block = this.sql(`select block from chunk_fts_data where id = 1`).pluck().get() as Buffer | undefined;
    if (!block) return { rows: 0, tokens: 0 };
    const values: number[] = [];
    let i = 0;
    while (i < block.length) {
      let value = 0;
      let n = 0;
      for (;;) {
        const byte = block[i++] as number;
        if (n === 8) {
          value = value * 256 + byte; // the ninth byte of a SQLite varint carries 8 bits
          break;
        }
        value = value * 128 + (byte & 0x7f);
        n++;
        if (!(byte & 0x80) || i >= block.length) break;
      }
      values.push(value);
    }
    if (values.length !== 5) return undefined; // one row count and four columns, or not the known layout
    const [rows, ...columns] = values as [number, ...number[]];
    return { rows, tokens: columns.reduce((a, b) => a + b, 0) };
  }

  /**
   * Live rows holding the phrase; their slots and weighted frequencies go to `found` (pairs). Only
   * rows holding every token are scanned for adjacency: postings are in slot order, so the
   * candidates are the merge-intersection of the tokens' postings, rarest first.
   */
  private phraseHits(segment: Segment, ids: readonly number[], found: number[] | undefined): number {
    const postings: { slots: Int32Array; n: number }[] = [];
    for (const id of new Set(ids)) {
      const posting = segment.postings.get(id);
      if (!posting || posting.live === 0) return 0;
      postings.push(posting);
    }
    postings.sort((x, y) => x.n - y.n);
    const first = postings[0];
    if (!first) return 0;
    let candidates: Int32Array = first.slots.subarray(0, first.n);
    for (let p = 1; p < postings.length && candidates.length > 0; p++) {
      const other = postings[p] as { slots: Int32Array; n: number };
      const next = new Int32Array(candidates.length);
      let k = 0;
      let j = 0;
      for (let i = 0; i < candidates.length; i++) {
        const slot = candidates[i] as number;
        while (j < other.n && (other.slots[j] as number) < slot) j++;
        if (j === other.n) break;
        if (other.slots[j] === slot) next[k++] = slot;
      }
      candidates = next.subarray(0, k);
    }
    // Signature words and masks of the phrase's adjacent pairs.
    const words: number[] = [];
    const masks: number[] = [];
    for (let i = 0; i + 1 < ids.length; i++) {
      const bits = pairBits(ids[i] as number, ids[i + 1] as number);
      for (const bit of [bits & 511, bits >>> 9]) {
        words.push(bit >>> 5);
        masks.push(1 << (bit & 31));
      }
    }
    const signatures = segment.pairSignatures;
    let hits = 0;
    next: for (let e = 0; e < candidates.length; e++) {
      const slot = candidates[e] as number;
      if (!segment.alive[slot]) continue;
      const base = slot * PAIR_WORDS;
      for (let w = 0; w < words.length; w++) {
        const mask = masks[w] as number;
        if (((signatures[base + (words[w] as number)] as number) & mask) !== mask) continue next;
      }
      const f = segment.phraseFrequency(slot, ids);
      if (f === 0) continue;
      hits++;
      found?.push(slot, f);
    }
    return hits;
  }

  private scratchFor(size: number): { acc: Float64Array; stamp: Int32Array; touched: Int32Array; mark: number } {
    const s = this.scratch;
    if (s.acc.length < size) {
      s.acc = new Float64Array(Math.max(size, s.acc.length * 2));
      s.stamp = new Int32Array(s.acc.length);
      s.touched = new Int32Array(s.acc.length);
      s.mark = 0;
    }
    s.mark = (s.mark + 1) | 0;
    if (s.mark === 0) {
      s.stamp.fill(0);
      s.mark = 1;
    }
    return { acc: s.acc, stamp: s.stamp, touched: s.touched, mark: s.mark };
  }

  /**
   * The `limit` visible chunks nearest to `vector` by cosine. Without a document filter: an int8
   * pass over every vector keeps the best `limit · 2 + 128`, which are then scored exactly (measured
   * on the 100k-chunk bench corpus: the exact top 128 is always among the int8 top 256). With
   * documents: their chunks are scored exactly, as the SQL path does.
   */
  searchVector(
    datasetIds: readonly string[],
    vector: Float32Array,
    limit: number,
    documentIds?: readonly string[],
  ): ScoredChunk[] | undefined {
    const data = this.ready();
    if (!data) return undefined;
    const dim = vector.length;
    const segments = this.segmentsOf(data, datasetIds);
    if (limit <= 0) return [];
    let queryNorm = 0;
    for (let d = 0; d < dim; d++) queryNorm += (vector[d] as number) * (vector[d] as number);
    queryNorm = Math.sqrt(queryNorm);
    const mask = this.documentMask(data, documentIds);
    // Items are indexes into parallel arrays (segment, slot) filled as candidates are considered.
    const candidateSlots: number[] = [];
    const candidateSegments: Segment[] = [];
    const top = new TopK(limit);
    // The segment's store comes from the caller, which has looked it up once per segment.
    const offer = (segment: Segment, store: VectorStore, row: number): void => {
      const slot = store.slots[row] as number;
      const score = store.cosine(vector, queryNorm, row);
      const item = candidateSlots.length;
      candidateSlots.push(slot);
      candidateSegments.push(segment);
      top.push(score, segment.seqs[slot] as number, item);
    };
    for (const segment of segments) {
      const store = segment.vectors.get(dim);
      if (!store || store.rows === 0) continue;
      if (mask) {
        for (let row = 0; row < store.rows; row++) {
          const slot = store.slots[row] as number;
          if (segment.visible[slot] && mask[segment.documents[slot] as number]) offer(segment, store, row);
        }
        continue;
      }
      const rows = store.approximateBest(vector, limit * 2 + 128, segment.visible);
      if (rows.length === 0) {
        // A zero query: every cosine is 0, as vec_distance_cosine would make them all equal.
        for (let row = 0; row < store.rows && candidateSlots.length < limit; row++) {
          if (segment.visible[store.slots[row] as number]) offer(segment, store, row);
        }
        continue;
      }
      for (const row of rows) offer(segment, store, row);
    }
    return top.sorted().map(({ score, item }) => ({
      chunkId: (candidateSegments[item] as Segment).ids[candidateSlots[item] as number] as string,
      score,
    }));
  }

  /**
   * Document, vector and the query terms each holds of candidate chunks, by chunk id (live chunks
   * only). Only membership of the query terms is tested: no chunk's full term set is built.
   */
  candidates(
    chunkIds: readonly string[],
    dim: number,
    queryTerms: readonly string[],
  ): Map<string, IndexedCandidate> | undefined {
    const data = this.ready();
    if (!data) return undefined;
    const out = new Map<string, IndexedCandidate>();
    // Query terms the index knows, by id; a term it does not know is in no chunk.
    const queryIds: number[] = [];
    for (const term of new Set(queryTerms)) {
      const id = data.terms.get(term);
      if (id !== undefined) queryIds.push(id);
    }
    // The vectors are copied into one buffer, one view each: one allocation instead of one per
    // candidate (each ArrayBuffer costs the garbage collector far more than its bytes).
    const buffer = new Float32Array(chunkIds.length * dim);
    let used = 0;
    for (const id of chunkIds) {
      const seq = data.seqOfId.get(id);
      if (seq === undefined) continue;
      const segment = data.segmentOfSeq.get(seq);
      const slot = segment?.slotOfSeq.get(seq);
      if (!segment || slot === undefined) continue;
      let vector: Float32Array | undefined;
      if (segment.vectorDim[slot] === dim) {
        const store = segment.vectors.get(dim);
        // A copy (one allocation): the caller owns it, and the store moves rows on removal.
        const row = segment.vectorRow[slot] as number;
        if (store) {
          vector = buffer.subarray(used, used + dim);
          vector.set(store.vectors.subarray(row * dim, row * dim + dim));
          used += dim;
        }
      }
      out.set(id, {
        documentId: data.documentIds[segment.documents[slot] as number] as string,
        matchedTerms: slotMatches(data, segment, slot, queryIds),
        vector,
      });
    }
    return out;
  }

  /**
   * In how many chunks of the datasets each term occurs (title, keywords or content), or undefined
   * when a term is not one FTS5 token (the SQL path then decides what it means).
   */
  documentFrequencies(terms: readonly string[], datasetIds: readonly string[]): Map<string, number> | undefined {
    const data = this.ready();
    if (!data) return undefined;
    const segments = this.segmentsOf(data, datasetIds);
    const out = new Map<string, number>();
    for (const term of terms) {
      const tokens = fts5AsciiTokens(term);
      // zzscope tokens also occur in the scope column, which the vocabulary table counts.
      if (tokens.length !== 1 || tokens[0] !== term || term.startsWith('zzscope')) return undefined;
      const id = data.terms.get(term);
      let df = 0;
      if (id !== undefined) for (const segment of segments) df += segment.postings.get(id)?.live ?? 0;
      out.set(term, df);
    }
    return out;
  }
}

/** What the index knows of a candidate chunk for scoring (the store adds the document's name). */
export interface IndexedCandidate {
  documentId: string;
  matchedTerms: ReadonlySet<string>;
  vector: Float32Array | undefined;
}

/**
 * The query terms (by id) among a slot's tokens: the query ids are stamped, then the slot's tokens
 * scanned once against the stamps (an integer compare per token, no string hashed).
 */
function slotMatches(data: IndexData, segment: Segment, slot: number, queryIds: readonly number[]): Set<string> {
  const matched = new Set<string>();
  if (queryIds.length === 0) return matched;
  const start = segment.tokenStart[slot] as number;
  const end = start + (segment.lengths[slot] as number) - 1;
  const names = data.names;
  const tokens = segment.tokens;
  const mark = data.nextMark();
  const stamp = data.stampArray();
  for (const id of queryIds) stamp[id] = mark;
  let left = queryIds.length;
  for (let i = start; i < end && left > 0; i++) {
    const t = tokens[i] as number;
    if (stamp[t] !== mark) continue;
    // Unstamped once found, so each term is added once and the scan stops when all are found.
    stamp[t] = mark - 1;
    matched.add(names[t] as string);
    left--;
  }
  return matched;
}
