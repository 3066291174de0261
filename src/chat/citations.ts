import { queryTerms } from '../retrieval/analyzer.js';
import { cosine, termSimilarity, termWeights, type TermStatistics } from '../retrieval/term-similarity.js';
import { splitSentences, type Piece } from './sentences.js';

/**
 * RAGFlow's insert_citations: each sentence of the answer is compared with every chunk the model
 * was given, by the same hybrid score retrieval uses, and followed by ` ##i$$` for the chunks it
 * most resembles (i indexes reference.chunks).
 */

export interface CitableChunk {
  /** Index terms of the chunk (content, title, keywords): all, or at least those of citationTerms(answer). */
  terms: ReadonlySet<string>;
  vector: Float32Array | undefined;
}

export interface CitationInput {
  answer: string;
  chunks: readonly CitableChunk[];
  /** w in (1 − w)·term + w·cosine; at 0 nothing is embedded. */
  vectorSimilarityWeight: number;
  /** Vectors for the sentences, by the model that embedded the chunks. */
  embed: (texts: readonly string[]) => Promise<readonly (Float32Array | undefined)[]>;
  /** Document frequencies in the chats' datasets, so rare shared words count for more. */
  statistics: (terms: readonly string[]) => Promise<TermStatistics>;
}

export interface CitationResult {
  answer: string;
  cited: ReadonlySet<number>;
}

const MARKER = / ?##\d+\$\$/g;
const MIN_PIECE_CHARS = 5;
const MAX_PER_PIECE = 4;
const FIRST_THRESHOLD = 0.63;
const THRESHOLD_DECAY = 0.8;
const LAST_THRESHOLD = 0.3;
// Chunks within 1% of the best are as good as the best: near-duplicates are all cited.
const NEAR_BEST = 0.99;

export const stripCitations = (text: string): string => text.replace(MARKER, '');

const marker = (index: number): string => ` ##${index}$$`;

/** Chunk indices a piece would cite at `threshold`, best first. */
function citationsAt(scores: readonly number[], threshold: number): number[] {
  const best = Math.max(0, ...scores) * NEAR_BEST;
  if (best < threshold || best <= 0) return [];
  return scores
    .map((score, index) => ({ score, index }))
    .filter((s) => s.score >= best)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, MAX_PER_PIECE)
    .map((s) => s.index);
}

/** The sentences of an answer (its splitSentences pieces) that may cite, with their query terms. */
function citingPieces(pieces: readonly Piece[]): { index: number; text: string; terms: string[] }[] {
  return pieces
    .map((piece, index) => ({ ...piece, index }))
    .filter((piece) => !piece.code && piece.text.trim().length >= MIN_PIECE_CHARS)
    .map((piece) => ({ index: piece.index, text: piece.text, terms: queryTerms(piece.text) }));
}

/**
 * Every term insertCitations may look up in a chunk's terms for this answer: a store asked which of
 * these each chunk holds (Store.getCandidates) gives CitableChunk.terms that score as the full set would.
 */
export function citationTerms(answer: string): string[] {
  return [...new Set(citingPieces(splitSentences(stripCitations(answer))).flatMap((piece) => piece.terms))];
}

export async function insertCitations(input: CitationInput): Promise<CitationResult> {
  const answer = stripCitations(input.answer);
  // Split once: the citing pieces index into these, and the answer is rebuilt from them.
  const pieces = splitSentences(answer);
  const candidates = citingPieces(pieces);
  if (candidates.length === 0 || input.chunks.length === 0) return { answer, cited: new Set() };

  const weight = input.vectorSimilarityWeight;
  const vectors = weight > 0 ? await input.embed(candidates.map((c) => c.text)) : [];
  const statistics = await input.statistics([...new Set(candidates.flatMap((c) => c.terms))]);
  const scores = candidates.map((candidate, i) => {
    const weights = termWeights(candidate.terms, statistics);
    const vector = vectors[i];
    return input.chunks.map((chunk) => {
      const term = candidate.terms.length > 0 ? termSimilarity(weights, chunk.terms) : 0;
      const vec = vector && chunk.vector ? Math.max(0, cosine(vector, chunk.vector)) : 0;
      return (1 - weight) * term + weight * vec;
    });
  });

  // A strict bar first; lowered only when it leaves the whole answer uncited.
  let perPiece: number[][] = [];
  for (let threshold = FIRST_THRESHOLD; threshold > LAST_THRESHOLD; threshold *= THRESHOLD_DECAY) {
    perPiece = scores.map((s) => citationsAt(s, threshold));
    if (perPiece.some((list) => list.length > 0)) break;
  }

  const byPiece = new Map(candidates.map((c, i) => [c.index, perPiece[i] ?? []]));
  const cited = new Set<number>();
  let out = '';
  pieces.forEach((piece, index) => {
    // A chunk is cited where it first matches; later sentences drawing on it add no new marker.
    const fresh = (byPiece.get(index) ?? []).filter((i) => !cited.has(i));
    for (const i of fresh) cited.add(i);
    // Markers go before trailing whitespace so a newline-ended sentence keeps them on its line.
    const body = piece.text.trimEnd();
    out += body + fresh.map(marker).join('') + piece.text.slice(body.length);
  });
  return { answer: out, cited };
}
