import { fts5AsciiTokens } from './fts5-tokens.js';
import { Segment } from './segment.js';

/** One chunk as the index receives it: its analysed text as stored, and its vector. */
export interface ChunkSource {
  seq: number;
  id: string;
  datasetId: string;
  datasetSeq: number;
  documentId: string;
  documentEnabled: boolean;
  /** The chunk's generation and its document's current one (only the current one is readable). */
  generation: number;
  documentGeneration: number;
  available: boolean;
  titleTerms: string;
  keywordTerms: string;
  contentTerms: string;
  vector: Float32Array | undefined;
}

function grownInt32(array: Int32Array, size: number): Int32Array {
  if (size <= array.length) return array;
  const next = new Int32Array(Math.max(size, array.length * 2));
  next.set(array);
  return next;
}

/**
 * Everything the index holds, for the whole file: a term dictionary with each term's document
 * frequency over all datasets (FTS5's idf is over the whole table), and one Segment per dataset.
 * A build fills a fresh IndexData and swaps it in whole.
 */
export class IndexData {
  readonly terms = new Map<string, number>();
  /** Live rows holding each term (by id) in title, keywords or content, over all datasets. */
  df: Int32Array = new Int32Array(1024);
  /** Term by id. */
  readonly names: string[] = [];
  /** Per term id: scratch counters for adding and removing rows (zero / stamps between uses). */
  private freqScratch: Int32Array = new Int32Array(1024);
  private stamp: Int32Array = new Int32Array(1024);
  private mark = 0;
  private readonly distinct: number[] = [];
  /**
   * Live rows and their tokens (all columns, scope included). bm25() itself takes N and avgdl from
   * FTS5's own totals record, which can count more after deletes (search-index.ts, ftsTotals); these
   * serve the dead-slot ratio and the size report.
   */
  rows = 0;
  tokens = 0;
  readonly segments = new Map<string, Segment>();
  readonly segmentOfSeq = new Map<number, Segment>();
  readonly seqOfId = new Map<string, number>();
  readonly documentIndex = new Map<string, number>();
  /** Document id by document index (indexes are never reused). */
  readonly documentIds: string[] = [];
  documentEnabled: Uint8Array = new Uint8Array(64);
  documentGeneration: Int32Array = new Int32Array(64);

  termId(term: string): number {
    let id = this.terms.get(term);
    if (id === undefined) {
      id = this.terms.size;
      this.terms.set(term, id);
      this.names.push(term);
      if (id >= this.df.length) {
        this.df = grownInt32(this.df, id + 1);
        this.freqScratch = grownInt32(this.freqScratch, id + 1);
        this.stamp = grownInt32(this.stamp, id + 1);
      }
    }
    return id;
  }

  private tokenIds(text: string): number[] {
    return fts5AsciiTokens(text).map((t) => this.termId(t));
  }

  document(documentId: string, enabled: boolean, generation: number): number {
    let index = this.documentIndex.get(documentId);
    if (index === undefined) {
      index = this.documentIndex.size;
      this.documentIndex.set(documentId, index);
      this.documentIds.push(documentId);
      if (index >= this.documentEnabled.length) {
        const next = new Uint8Array(this.documentEnabled.length * 2);
        next.set(this.documentEnabled);
        this.documentEnabled = next;
        this.documentGeneration = grownInt32(this.documentGeneration, next.length);
      }
    }
    this.documentEnabled[index] = enabled ? 1 : 0;
    this.documentGeneration[index] = generation;
    return index;
  }

  /** The dataset's segment, created on first use. */
  segment(datasetId: string, datasetSeq: number): Segment {
    let segment = this.segments.get(datasetId);
    if (!segment) {
      segment = new Segment(datasetId, datasetSeq);
      this.segments.set(datasetId, segment);
    }
    return segment;
  }

  /** Adds or replaces a chunk (by seq). */
  upsert(source: ChunkSource): void {
    this.remove(source.seq);
    const segment = this.segment(source.datasetId, source.datasetSeq);
    const documentIndex = this.document(source.documentId, source.documentEnabled, source.documentGeneration);
    const current = source.generation === source.documentGeneration;
    const entry = {
      seq: source.seq,
      id: source.id,
      documentIndex,
      available: source.available,
      generation: source.generation,
      title: this.tokenIds(source.titleTerms),
      keywords: this.tokenIds(source.keywordTerms),
      content: this.tokenIds(source.contentTerms),
      vector: source.vector,
    };
    const slot = segment.add(entry, source.documentEnabled && current, this.freqScratch, this.distinct);
    for (const t of this.distinct) this.df[t] = (this.df[t] as number) + 1;
    this.rows++;
    this.tokens += segment.lengths[slot] as number;
    this.segmentOfSeq.set(source.seq, segment);
    // Ids repeat across generations: an id names the current generation's chunk (setDocumentGeneration).
    if (current) this.seqOfId.set(source.id, source.seq);
  }

  remove(seq: number): void {
    const segment = this.segmentOfSeq.get(seq);
    if (!segment) return;
    const slot = segment.slotOfSeq.get(seq);
    this.segmentOfSeq.delete(seq);
    if (slot === undefined) return;
    const id = segment.ids[slot] as string;
    if (this.seqOfId.get(id) === seq) this.seqOfId.delete(id);
    segment.remove(slot, this.stamp, this.nextMark(), this.distinct);
    for (const t of this.distinct) this.df[t] = (this.df[t] as number) - 1;
    this.rows--;
    this.tokens -= segment.lengths[slot] as number;
  }

  /** A fresh mark for stampArray(): entries equal to it were seen since this call. */
  nextMark(): number {
    this.mark = (this.mark + 1) | 0;
    if (this.mark === 0) {
      this.stamp.fill(0);
      this.mark = 1;
    }
    return this.mark;
  }

  /** Scratch per term id, for de-duplicating with nextMark(). */
  stampArray(): Int32Array {
    return this.stamp;
  }

  /** The seqs of a document's live chunks. */
  documentSeqs(documentId: string): number[] {
    const index = this.documentIndex.get(documentId);
    const out: number[] = [];
    if (index === undefined) return out;
    for (const segment of this.segments.values()) {
      for (let s = 0; s < segment.count; s++) {
        if (segment.alive[s] && segment.documents[s] === index) out.push(segment.seqs[s] as number);
      }
    }
    return out;
  }

  setDocumentEnabled(documentId: string, enabled: boolean): void {
    const index = this.documentIndex.get(documentId);
    if (index === undefined) return;
    this.documentEnabled[index] = enabled ? 1 : 0;
    for (const segment of this.segments.values()) {
      segment.refreshDocument(index, enabled, this.documentGeneration[index] as number);
    }
  }

  /** A swap's switch: the document's chunks of `generation` become the readable ones. */
  setDocumentGeneration(documentId: string, generation: number): void {
    const index = this.documentIndex.get(documentId);
    if (index === undefined) return; // no chunk of it indexed: the next upsert brings the generation
    this.documentGeneration[index] = generation;
    const enabled = this.documentEnabled[index] === 1;
    for (const segment of this.segments.values()) {
      segment.refreshDocument(index, enabled, generation);
      for (let s = 0; s < segment.count; s++) {
        if (segment.alive[s] && segment.documents[s] === index && segment.generations[s] === generation) {
          this.seqOfId.set(segment.ids[s] as string, segment.seqs[s] as number);
        }
      }
    }
  }

  /** Slots alive in all segments. */
  liveSlots(): number {
    return this.rows;
  }

  deadSlots(): number {
    let dead = 0;
    for (const segment of this.segments.values()) dead += segment.dead;
    return dead;
  }

  bytes(): number {
    let total = this.df.byteLength * 3 + this.terms.size * 48 + this.seqOfId.size * 80 + this.segmentOfSeq.size * 40;
    for (const segment of this.segments.values()) total += segment.bytes();
    return total;
  }
}
