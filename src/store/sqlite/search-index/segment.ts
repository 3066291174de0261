import { VectorStore } from './vector-store.js';

/** FTS5 column weights of bm25() for title, keywords, content (the scope column weighs 0). */
export const TITLE_WEIGHT = 5;
export const KEYWORDS_WEIGHT = 15;
export const CONTENT_WEIGHT = 1;

/** 32-bit words of each slot's signature of adjacent token pairs (512 bits). */
export const PAIR_WORDS = 16;

/**
 * The two signature bits of the adjacent token pair (a, b): a phrase can only occur in a slot
 * whose signature holds the bits of each of its pairs. With ~130 pairs per chunk, 2 bits of 512
 * leave ~16% false positives, and let a phrase search skip most rows that hold both words apart.
 */
export function pairBits(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h & 0x3ffff; // two 9-bit bit numbers (no array: this runs for every token of the corpus)
}

/** The rows (slots) holding one term in one dataset, with the term's weighted frequency in each. */
export interface Posting {
  slots: Int32Array;
  /** TITLE_WEIGHT·tf(title) + KEYWORDS_WEIGHT·tf(keywords) + tf(content): FTS5's aFreq for the term. */
  freqs: Int32Array;
  /** Entries used (dead slots stay until the index is rebuilt). */
  n: number;
  /** Live slots holding the term: the term's document frequency within the dataset. */
  live: number;
}

/** What the index keeps of one chunk when it is added. */
export interface ChunkEntry {
  seq: number;
  id: string;
  documentIndex: number;
  available: boolean;
  /** The chunk generation it belongs to: readable only while that is its document's current one. */
  generation: number;
  /** FTS5 tokens (term ids) of title, keywords, content. */
  title: readonly number[];
  keywords: readonly number[];
  content: readonly number[];
  vector: Float32Array | undefined;
}

function grown<T extends Int32Array | Float64Array | Uint8Array>(array: T, size: number): T {
  if (size <= array.length) return array;
  const next = new (array.constructor as new (n: number) => T)(Math.max(size, array.length * 2, 16));
  next.set(array);
  return next;
}

/**
 * One dataset's part of the index. Slots are never reused: a removed chunk's slot is marked dead and
 * skipped, and the index is rebuilt once too many are dead.
 */
export class Segment {
  count = 0;
  dead = 0;
  seqs: Float64Array = new Float64Array(16);
  ids: string[] = [];
  documents: Int32Array = new Int32Array(16);
  alive: Uint8Array = new Uint8Array(16);
  available: Uint8Array = new Uint8Array(16);
  generations: Int32Array = new Int32Array(16);
  /** alive && available && document enabled && current generation: what retrieval may return. */
  visible: Uint8Array = new Uint8Array(16);
  /** FTS5's row size: tokens of scope (1), title, keywords and content. */
  lengths: Int32Array = new Int32Array(16);
  /** Tokens of each slot, title then keywords then content, from tokenStart. */
  tokenStart: Int32Array = new Int32Array(16);
  titleLength: Int32Array = new Int32Array(16);
  keywordsLength: Int32Array = new Int32Array(16);
  contentLength: Int32Array = new Int32Array(16);
  tokens: Int32Array = new Int32Array(1024);
  /** PAIR_WORDS words per slot: the adjacent-pair signature (pairBits). */
  pairSignatures: Int32Array = new Int32Array(16 * PAIR_WORDS);
  tokensUsed = 0;
  /** Dimension and row of the slot's vector (0 / -1 without one). */
  vectorDim: Int32Array = new Int32Array(16);
  vectorRow: Int32Array = new Int32Array(16);
  readonly slotOfSeq = new Map<number, number>();
  readonly postings = new Map<number, Posting>();
  readonly vectors = new Map<number, VectorStore>();

  constructor(
    readonly datasetId: string,
    readonly datasetSeq: number,
  ) {}

  /** `shown`: the document is enabled and `entry` is of its current generation. */
  add(entry: ChunkEntry, shown: boolean, freqScratch: Int32Array, distinct: number[]): number {
    const slot = this.count++;
    const size = slot + 1;
    this.seqs = grown(this.seqs, size);
    this.documents = grown(this.documents, size);
    this.alive = grown(this.alive, size);
    this.available = grown(this.available, size);
    this.generations = grown(this.generations, size);
    this.visible = grown(this.visible, size);
    this.lengths = grown(this.lengths, size);
    this.tokenStart = grown(this.tokenStart, size);
    this.titleLength = grown(this.titleLength, size);
    this.keywordsLength = grown(this.keywordsLength, size);
    this.contentLength = grown(this.contentLength, size);
    this.vectorDim = grown(this.vectorDim, size);
    this.vectorRow = grown(this.vectorRow, size);
    this.seqs[slot] = entry.seq;
    this.ids[slot] = entry.id;
    this.documents[slot] = entry.documentIndex;
    this.alive[slot] = 1;
    this.available[slot] = entry.available ? 1 : 0;
    this.generations[slot] = entry.generation;
    this.visible[slot] = entry.available && shown ? 1 : 0;
    const total = entry.title.length + entry.keywords.length + entry.content.length;
    this.lengths[slot] = 1 + total;
    this.tokens = grown(this.tokens, this.tokensUsed + total);
    this.tokenStart[slot] = this.tokensUsed;
    this.titleLength[slot] = entry.title.length;
    this.keywordsLength[slot] = entry.keywords.length;
    this.contentLength[slot] = entry.content.length;
    let o = this.tokensUsed;
    for (const t of entry.title) this.tokens[o++] = t;
    for (const t of entry.keywords) this.tokens[o++] = t;
    for (const t of entry.content) this.tokens[o++] = t;
    this.tokensUsed = o;
    this.slotOfSeq.set(entry.seq, slot);
    this.pairSignatures = grown(this.pairSignatures, size * PAIR_WORDS);
    const base = slot * PAIR_WORDS;
    this.pairSignatures.fill(0, base, base + PAIR_WORDS);
    const signatures = this.pairSignatures;
    for (const column of [entry.title, entry.keywords, entry.content]) {
      for (let i = 0; i + 1 < column.length; i++) {
        const bits = pairBits(column[i] as number, column[i + 1] as number);
        const b1 = bits & 511;
        const b2 = bits >>> 9;
        signatures[base + (b1 >>> 5)] = (signatures[base + (b1 >>> 5)] as number) | (1 << (b1 & 31));
        signatures[base + (b2 >>> 5)] = (signatures[base + (b2 >>> 5)] as number) | (1 << (b2 & 31));
      }
    }

    // Weighted frequency per distinct term, as FTS5's bm25() sums the column weights of each instance.
    distinct.length = 0;
    const count = (terms: readonly number[], weight: number): void => {
      for (const t of terms) {
        if (freqScratch[t] === 0) distinct.push(t);
        freqScratch[t] = (freqScratch[t] as number) + weight;
      }
    };
    count(entry.title, TITLE_WEIGHT);
    count(entry.keywords, KEYWORDS_WEIGHT);
    count(entry.content, CONTENT_WEIGHT);
    for (const t of distinct) {
      let posting = this.postings.get(t);
      if (!posting) {
        posting = { slots: new Int32Array(4) as Int32Array, freqs: new Int32Array(4) as Int32Array, n: 0, live: 0 };
        this.postings.set(t, posting);
      }
      if (posting.n === posting.slots.length) {
        posting.slots = grown(posting.slots, posting.n + 1);
        posting.freqs = grown(posting.freqs, posting.n + 1);
      }
      posting.slots[posting.n] = slot;
      posting.freqs[posting.n] = freqScratch[t] as number;
      posting.n++;
      posting.live++;
      freqScratch[t] = 0;
    }

    this.vectorDim[slot] = 0;
    this.vectorRow[slot] = -1;
    if (entry.vector && entry.vector.length > 0) this.setVector(slot, entry.vector);
    return slot;
  }

  /** Makes room for `rows` vectors of a dimension before a build adds them. */
  reserveVectors(dim: number, rows: number): void {
    if (!this.vectors.has(dim)) this.vectors.set(dim, new VectorStore(dim, rows));
  }

  /**
   * Trims every array to its used length (growth doubles them). In steps, so that a build can yield
   * between them: the postings alone are a few hundred thousand small arrays at 100k chunks.
   */
  *compact(): Generator<void> {
    const n = this.count;
    this.seqs = this.seqs.slice(0, n);
    this.documents = this.documents.slice(0, n);
    this.alive = this.alive.slice(0, n);
    this.available = this.available.slice(0, n);
    this.generations = this.generations.slice(0, n);
    this.visible = this.visible.slice(0, n);
    this.lengths = this.lengths.slice(0, n);
    this.tokenStart = this.tokenStart.slice(0, n);
    this.titleLength = this.titleLength.slice(0, n);
    this.keywordsLength = this.keywordsLength.slice(0, n);
    this.contentLength = this.contentLength.slice(0, n);
    this.vectorDim = this.vectorDim.slice(0, n);
    this.vectorRow = this.vectorRow.slice(0, n);
    this.pairSignatures = this.pairSignatures.slice(0, n * PAIR_WORDS);
    yield;
    this.tokens = this.tokens.slice(0, this.tokensUsed);
    yield;
    let done = 0;
    for (const posting of this.postings.values()) {
      if (posting.slots.length > posting.n) {
        posting.slots = posting.slots.slice(0, posting.n);
        posting.freqs = posting.freqs.slice(0, posting.n);
      }
      if (++done % 4096 === 0) yield;
    }
  }

  setVector(slot: number, vector: Float32Array | undefined): void {
    this.dropVector(slot);
    if (!vector || vector.length === 0) return;
    let store = this.vectors.get(vector.length);
    if (!store) {
      store = new VectorStore(vector.length);
      this.vectors.set(vector.length, store);
    }
    this.vectorDim[slot] = vector.length;
    this.vectorRow[slot] = store.add(slot, vector);
  }

  private dropVector(slot: number): void {
    const dim = this.vectorDim[slot] as number;
    if (dim === 0) return;
    const store = this.vectors.get(dim);
    const row = this.vectorRow[slot] as number;
    if (store && row >= 0) {
      const moved = store.remove(row);
      if (moved >= 0) this.vectorRow[moved] = row;
    }
    this.vectorDim[slot] = 0;
    this.vectorRow[slot] = -1;
  }

  /** Marks the slot dead; `distinctTerms` receives its distinct term ids (for the global counts). */
  remove(slot: number, stamp: Int32Array, mark: number, distinctTerms: number[]): void {
    if (!this.alive[slot]) return;
    this.alive[slot] = 0;
    this.visible[slot] = 0;
    this.dead++;
    this.slotOfSeq.delete(this.seqs[slot] as number);
    this.dropVector(slot);
    distinctTerms.length = 0;
    const start = this.tokenStart[slot] as number;
    const end = start + (this.lengths[slot] as number) - 1;
    for (let i = start; i < end; i++) {
      const t = this.tokens[i] as number;
      if (stamp[t] === mark) continue;
      stamp[t] = mark;
      distinctTerms.push(t);
      const posting = this.postings.get(t);
      if (posting) posting.live--;
    }
  }

  /** Whether the slot's title, keywords or content holds the term. */
  holds(slot: number, term: number): boolean {
    const start = this.tokenStart[slot] as number;
    const end = start + (this.lengths[slot] as number) - 1;
    const tokens = this.tokens;
    for (let i = start; i < end; i++) if (tokens[i] === term) return true;
    return false;
  }

  /** FTS5's aFreq for a phrase of two or more tokens in a slot: weighted count of its instances. */
  phraseFrequency(slot: number, phrase: readonly number[]): number {
    const start = this.tokenStart[slot] as number;
    const title = this.titleLength[slot] as number;
    const keywords = this.keywordsLength[slot] as number;
    const content = this.contentLength[slot] as number;
    return (
      TITLE_WEIGHT * this.phraseCount(start, title, phrase) +
      KEYWORDS_WEIGHT * this.phraseCount(start + title, keywords, phrase) +
      CONTENT_WEIGHT * this.phraseCount(start + title + keywords, content, phrase)
    );
  }

  private phraseCount(start: number, length: number, phrase: readonly number[]): number {
    const tokens = this.tokens;
    const first = phrase[0] as number;
    const n = phrase.length;
    let count = 0;
    for (let i = start, last = start + length - n; i <= last; i++) {
      if (tokens[i] !== first) continue;
      let j = 1;
      while (j < n && tokens[i + j] === phrase[j]) j++;
      if (j === n) count++;
    }
    return count;
  }

  /** Re-derives `visible` for the slots of one document. */
  refreshDocument(documentIndex: number, enabled: boolean, generation: number): void {
    for (let s = 0; s < this.count; s++) {
      if (this.documents[s] !== documentIndex) continue;
      this.visible[s] = enabled && this.alive[s] && this.available[s] && this.generations[s] === generation ? 1 : 0;
    }
  }

  bytes(): number {
    let total =
      this.seqs.byteLength +
      this.documents.byteLength +
      this.alive.byteLength * 3 +
      this.generations.byteLength +
      this.lengths.byteLength * 5 +
      this.vectorDim.byteLength * 2 +
      this.tokens.byteLength +
      this.pairSignatures.byteLength;
    for (const p of this.postings.values()) total += p.slots.byteLength + p.freqs.byteLength + 64;
    for (const v of this.vectors.values()) total += v.bytes();
    // Ids (~32 characters) and the seq map, roughly.
    total += this.count * (56 + 40);
    return total;
  }
}
