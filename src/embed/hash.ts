import { argumentError } from '../errors.js';
import { analyze } from '../retrieval/analyzer.js';
import { Yielder } from '../util/yield.js';
import { fnv1a32 } from '../util/fnv1a.js';
import type { EmbeddingModel, EmbedOptions, EmbedResult } from './types.js';

/**
 * `hash@Builtin`: feature hashing over the shared analyzer's terms. Lexical only, but needs no
 * download, is deterministic across processes and machines, and is always available, so it is the
 * offline default and the model the rest of the test suite can rely on.
 */

export const HASH_MODEL_ID = 'hash@Builtin';
export const HASH_DEFAULT_DIMENSIONS = 256;

// Sub-word n-grams let "retrieval" and "retrieve" share mass even when the stemmer splits them,
// but they must not outvote whole-word matches.
const NGRAM_WEIGHT = 0.5;
const NGRAM_SIZE = 3;
const BOUNDARY = '#';

export interface HashEmbeddingOptions {
  /** Vector length; default 256. */
  dimensions?: number;
}

export interface HashVector {
  vector: Float32Array;
  /** Word terms seen; reported as the token count. */
  terms: number;
}

export class HashEmbeddingModel implements EmbeddingModel {
  readonly id = HASH_MODEL_ID;
  readonly dimensions: number;
  // Batches only bound memory here: embed() slices its own work, so a large batch does not block.
  readonly maxBatchSize = 1024;

  constructor(options: HashEmbeddingOptions = {}) {
    const dimensions = options.dimensions ?? HASH_DEFAULT_DIMENSIONS;
    if (!Number.isInteger(dimensions) || dimensions < 1) {
      throw argumentError(`hash embedding dimensions must be a positive integer, got ${String(dimensions)}`);
    }
    this.dimensions = dimensions;
  }

  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<EmbedResult> {
    const { signal } = options;
    signal?.throwIfAborted();
    const embeddings: Float32Array[] = [];
    let tokens = 0;
    const yielder = new Yielder(signal);
    for (const text of texts) {
      await yielder.tick();
      const { vector, terms } = hashVector(text, this.dimensions);
      embeddings.push(vector);
      tokens += terms;
    }
    return { embeddings, tokens };
  }
}

/** The hashed, damped, L2-normalised feature vector of one text. */
export function hashVector(text: string, dimensions: number): HashVector {
  const words = new Map<string, number>();
  const grams = new Map<string, number>();
  let terms = 0;
  for (const { term } of analyze(text)) {
    terms += 1;
    words.set(term, (words.get(term) ?? 0) + 1);
    for (const gram of charNgrams(term)) grams.set(gram, (grams.get(gram) ?? 0) + 1);
  }

  const vector = new Float32Array(dimensions);
  // Separate key spaces: the word "ter" and the n-gram "ter" are different features.
  for (const [term, tf] of words) addFeature(vector, `w:${term}`, 1 + Math.log(tf));
  for (const [gram, tf] of grams) addFeature(vector, `g:${gram}`, NGRAM_WEIGHT * (1 + Math.log(tf)));

  let sumSquares = 0;
  for (const value of vector) sumSquares += value * value;
  if (sumSquares > 0) {
    const inverse = 1 / Math.sqrt(sumSquares);
    for (let i = 0; i < dimensions; i++) vector[i] = (vector[i] ?? 0) * inverse;
  }
  return { vector, terms };
}

function addFeature(vector: Float32Array, key: string, weight: number): void {
  const hash = fnv1a32(key);
  // The top bit picks the sign, so colliding features cancel out on average instead of piling up;
  // the bucket comes from the low bits, which stay independent of it.
  const sign = hash & 0x80000000 ? -1 : 1;
  const bucket = hash % vector.length;
  vector[bucket] = (vector[bucket] ?? 0) + sign * weight;
}

/** Character n-grams of `#term#`, by code point so astral characters stay whole. */
function charNgrams(term: string): string[] {
  const chars = [BOUNDARY, ...term, BOUNDARY];
  if (chars.length <= NGRAM_SIZE) return [chars.join('')];
  const grams: string[] = [];
  for (let i = 0; i + NGRAM_SIZE <= chars.length; i++) grams.push(chars.slice(i, i + NGRAM_SIZE).join(''));
  return grams;
}
