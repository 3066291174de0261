import { hasQaMarkers, MarkerReader } from './marker-reader.js';
import { startsWithAnswerMarker, startsWithQuestionMarker, type QaPair } from './pair.js';

/** The cells of a "question<TAB>answer" line; trailing empty cells (a stray separator) do not count. */
function fields(line: string, separator: string): string[] {
  const cells = line.split(separator).map((f) => f.trim());
  while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
  return cells;
}

/**
 * RAGFlow's text Q&A: each "question<TAB>answer" line starts a pair and a following line that is a
 * single cell continues its answer. A line with more than two cells is not a pair and is skipped.
 */
function* separatedPairs(lines: readonly string[], separator: string): Generator<QaPair> {
  let open: { question: string; answer: string[] } | undefined;
  for (const line of lines) {
    const cells = fields(line, separator);
    if (cells.length <= 1) {
      open?.answer.push(line);
      continue;
    }
    if (cells.length > 2) continue;
    if (open) yield { question: open.question, answer: open.answer.join('\n') };
    open = { question: cells[0] ?? '', answer: [cells[1] ?? ''] };
  }
  if (open) yield { question: open.question, answer: open.answer.join('\n') };
}

function* markerPairs(lines: readonly string[]): Generator<QaPair> {
  const reader = new MarkerReader();
  for (const line of lines) {
    const pair = reader.line(line);
    if (pair) yield pair;
  }
  const last = reader.flush();
  if (last) yield last;
}

const LAYOUT_SAMPLE_LINES = 5000;

const count = (lines: readonly string[], test: (line: string) => boolean): number =>
  lines.reduce((n, line) => n + (test(line) ? 1 : 0), 0);

/**
 * Pairs of a plain-text file: "Q: … / A: …" blocks when it has at least as many of them as separated lines;
 * else "question<TAB>answer" lines, or "question,answer" when more lines split in two at a comma
 * than at a tab (RAGFlow's choice).
 */
export function textPairs(text: string): Generator<QaPair> {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  // A file keeps one layout throughout: its beginning tells which, and a huge file is not scanned
  // three times in one go.
  const sample = lines.slice(0, LAYOUT_SAMPLE_LINES);
  const tabbed = count(sample, (line) => fields(line, '\t').length === 2);
  const marked = count(sample, startsWithQuestionMarker);
  // A marked answer with a comma in it ("A: Yes, daily.") is no "question,answer" line.
  const commas = count(sample, (line) => !startsWithAnswerMarker(line) && !startsWithQuestionMarker(line) && fields(line, ',').length === 2);
  if (hasQaMarkers(sample) && marked >= Math.max(tabbed, commas)) return markerPairs(lines);
  return separatedPairs(lines, commas > tabbed ? ',' : '\t');
}
