import { stemmer } from 'stemmer';
import { englishFrequencies } from './word-frequency.js';

/**
 * Text analysis shared by indexing and querying. Documents and questions must go through exactly
 * the same steps, or stems and CJK words would not line up in FTS5.
 *
 * Steps: NFKC (full-width -> half-width), lowercase, Latin diacritics removed (café = cafe),
 * words = runs of letters/digits; runs holding Han or Kana are segmented with Intl.Segmenter
 * (ICU's dictionary), because CJK has no spaces; ASCII words are Porter-stemmed, as RAGFlow's
 * tokenizer does for English.
 */

export interface AnalyzedToken {
  /** The index form (stemmed, lowercased). */
  term: string;
  /** Offsets into the original string, for highlighting. */
  start: number;
  end: number;
}

const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const ASCII_WORD = /^[a-z]+$/;
const LATIN_MARKS = /[\u0300-\u036f]/g;

let segmenter: Intl.Segmenter | undefined;
const cjkSegmenter = (): Intl.Segmenter => (segmenter ??= new Intl.Segmenter('zh', { granularity: 'word' }));

/** The index form of one word (already isolated). Exported for callers that match surface words. */
export function normalizeWord(word: string): string {
  const lower = word.normalize('NFKC').toLowerCase();
  const folded = /[\u00c0-\u024f]/.test(lower) ? lower.normalize('NFD').replace(LATIN_MARKS, '') : lower;
  return ASCII_WORD.test(folded) && folded.length > 2 ? stemmer(folded) : folded;
}

export function analyze(text: string): AnalyzedToken[] {
  const tokens: AnalyzedToken[] = [];
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    const start = match.index;
    if (!CJK.test(word)) {
      tokens.push({ term: normalizeWord(word), start, end: start + word.length });
      continue;
    }
    for (const seg of cjkSegmenter().segment(word)) {
      if (!seg.isWordLike) continue;
      const segStart = start + seg.index;
      tokens.push({ term: normalizeWord(seg.segment), start: segStart, end: segStart + seg.segment.length });
    }
  }
  return tokens;
}

/**
 * Space-joined index terms: what is stored in FTS5 (whose own tokenizer then only splits on spaces).
 * The parts of closed compounds (compoundParts) follow all the words, so that a question saying
 * "view" finds "viewpoint" while the text's own word pairs stay adjacent for phrase matching.
 * Only indexing does this: questions and the hash embedder keep the words as they are.
 */
export function indexText(text: string): string {
  const terms: string[] = [];
  const parts: string[] = [];
  for (const token of analyze(text)) {
    terms.push(token.term);
    // Most words are too short to split: no substring for them.
    if (token.end - token.start < 2 * COMPOUND_MIN_PART) continue;
    const split = compoundParts(text.slice(token.start, token.end), token.term);
    if (split) for (const part of split) parts.push(normalizeWord(part));
  }
  return terms.concat(parts).join(' ');
}

/** Both halves of a compound must be at least this long, and this common in general English. */
const COMPOUND_MIN_PART = 4;
const COMPOUND_MIN_PART_COUNT = 300;

/**
 * The two words of an English closed compound ("viewpoint" -> view, point; "bloodstream" -> blood,
 * stream), or undefined. Frequency-based splitting (Koehn & Knight, 2003): a split counts when both
 * halves are words of general English (word-frequency.ts), each more frequent than the whole word,
 * and the most frequent such split wins. Guards against taking a suffix for a word: the right half
 * must keep at least three letters of the word's stem (`stem`, its index form), so "signal|ling" and
 * "specific|ally" are not compounds; and stopword halves ("further|more", "over|come") are left whole.
 */
export function compoundParts(word: string, stem: string): [string, string] | undefined {
  if (word.length < 2 * COMPOUND_MIN_PART || !/^[a-z]+$/i.test(word)) return undefined;
  const lower = word.toLowerCase();
  const { words } = englishFrequencies();
  const wholeCount = words.get(lower) ?? 0;
  let best: [string, string] | undefined;
  let bestCount = 0;
  const lastSplit = Math.min(lower.length - COMPOUND_MIN_PART, stem.length - 3);
  for (let i = COMPOUND_MIN_PART; i <= lastSplit; i++) {
    const left = lower.slice(0, i);
    const right = lower.slice(i);
    if (STOPWORDS.has(left) || STOPWORDS.has(right)) continue;
    const count = Math.min(words.get(left) ?? 0, words.get(right) ?? 0);
    if (count >= COMPOUND_MIN_PART_COUNT && count > wholeCount && count > bestCount) {
      best = [left, right];
      bestCount = count;
    }
  }
  return best;
}

// Function words and question words carry no topic; RAGFlow drops them from questions (rmWWW).
// Documents keep them: term weights and BM25 idf already make them cheap there.
const STOPWORDS = new Set(
  (
    'a an and are as at be but by for if in into is it no not of on or such that the their then there these they ' +
    'this to was will with what who whom whose how which where when why do does did doing done can could would should ' +
    'shall may might must i me my we our you your he she his her its it\'s them am been being have has had having ' +
    'than so too very just about from up down out over under again further once here any both each few more most ' +
    'other some own same only nor s t don'
  ).split(' '),
);
const STOP_TERMS = new Set([...STOPWORDS].map(normalizeWord));

export function isStopTerm(term: string): boolean {
  return STOP_TERMS.has(term);
}

/** Distinct query terms in first-seen order, stopwords removed (unless nothing else is left). */
export function queryTerms(question: string): string[] {
  const all = [...new Set(analyze(question).map((t) => t.term))];
  const content = all.filter((term) => !STOP_TERMS.has(term));
  return content.length > 0 ? content : all;
}
