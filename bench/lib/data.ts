import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { random } from './util.js';

/** Repository root (bench/lib/ -> ../..). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Evaluation data lives next to the repository, never inside it: ../shared/data (or BENCH_DATA_DIR). */
export const DATA_DIR = process.env['BENCH_DATA_DIR'] ?? resolve(REPO_ROOT, '..', 'shared', 'data');

export interface CorpusDoc {
  id: string;
  title: string;
  text: string;
}

function readJsonl(path: string): unknown[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);
}

export function loadScifactCorpus(): CorpusDoc[] {
  return readJsonl(join(DATA_DIR, 'scifact', 'corpus.jsonl')).map((row) => {
    const r = row as { _id: string; title?: string; text?: string };
    return { id: String(r._id), title: r.title ?? '', text: r.text ?? '' };
  });
}

export interface EvalQuery {
  id: string;
  text: string;
  /** corpus id -> graded relevance (> 0 only), as src/eval/metrics.ts takes judgments. */
  relevant: Record<string, number>;
}

/** The test queries (those with at least one relevant judgment), in qrels order. */
export function loadScifactTestQueries(): EvalQuery[] {
  const texts = new Map<string, string>();
  for (const row of readJsonl(join(DATA_DIR, 'scifact', 'queries.jsonl'))) {
    const r = row as { _id: string; text: string };
    texts.set(String(r._id), r.text);
  }
  const qrels = new Map<string, Record<string, number>>();
  const lines = readFileSync(join(DATA_DIR, 'scifact', 'qrels', 'test.tsv'), 'utf8').split('\n');
  for (const line of lines.slice(1)) {
    const [qid, docId, score] = line.trim().split('\t');
    if (!qid || !docId || score === undefined) continue;
    const rel = Number(score);
    if (!(rel > 0)) continue;
    let judged = qrels.get(qid);
    if (!judged) qrels.set(qid, (judged = {}));
    judged[docId] = rel;
  }
  const queries: EvalQuery[] = [];
  for (const [id, relevant] of qrels) {
    const text = texts.get(id);
    if (text === undefined) throw new Error(`query ${id} is in qrels/test.tsv but not in queries.jsonl`);
    queries.push({ id, text, relevant });
  }
  return queries;
}

export function pdfFiles(): string[] {
  const dir = join(DATA_DIR, 'parsing-docling', 'pdf');
  return readdirSync(dir)
    .filter((name) => name.toLowerCase().endsWith('.pdf'))
    .sort()
    .map((name) => join(dir, name));
}

const SENTENCE_END = /(?<=[.!?])\s+(?=[A-Z0-9(\[])/;
const wordCount = (s: string): number => s.split(/\s+/).filter(Boolean).length;

/**
 * Chunk texts cut from the abstracts: sentences grouped until a group reaches ~100 words (so most
 * are 100-130 words); a short tail is appended to the previous group of the same abstract. The
 * title opens the first group of each abstract.
 */
export function scifactPassages(corpus: readonly CorpusDoc[]): string[] {
  const out: string[] = [];
  for (const doc of corpus) {
    const sentences = doc.text.split(SENTENCE_END).filter((s) => s.trim() !== '');
    if (doc.title) sentences.unshift(doc.title.endsWith('.') ? doc.title : `${doc.title}.`);
    const groups: string[] = [];
    let current: string[] = [];
    let words = 0;
    for (const sentence of sentences) {
      current.push(sentence.trim());
      words += wordCount(sentence);
      if (words >= 100) {
        groups.push(current.join(' '));
        current = [];
        words = 0;
      }
    }
    if (current.length > 0) {
      const tail = current.join(' ');
      const last = groups.length - 1;
      if (last >= 0 && words < 40) groups[last] = `${groups[last]} ${tail}`;
      else groups.push(tail);
    }
    out.push(...groups);
  }
  return out;
}

/**
 * `count` chunk texts: the passages once as they are, then again and again with a random 10% of
 * the words dropped per copy, so that copies differ (deterministic: seeded).
 */
export function* syntheticChunks(passages: readonly string[], count: number, seed = 42): Generator<string> {
  const next = random(seed);
  let produced = 0;
  for (let round = 0; produced < count; round++) {
    for (const passage of passages) {
      if (produced >= count) return;
      if (round === 0) {
        yield passage;
      } else {
        const kept = passage.split(' ').filter(() => next() >= 0.1);
        yield kept.length > 0 ? kept.join(' ') : passage;
      }
      produced++;
    }
  }
}
