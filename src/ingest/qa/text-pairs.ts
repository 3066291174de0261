import { hasQaMarkers, MarkerReader } from './marker-reader.js';
import { startsWithQuestionMarker, type QaPair } from './pair.js';

/** The cells of a "question<TAB>answer" line; trailing empty cells (a stray tab) do not count. */
function tabFields(line: string): string[] {
  const fields = line.split('\t').map((f) => f.trim());
  while (fields.length > 0 && fields[fields.length - 1] === '') fields.pop();
  return fields;
}

/**
 * RAGFlow's text Q&A: each "question<TAB>answer" line starts a pair and a following line without
 * a tab continues its answer. A line with more than two cells is not a pair and is skipped.
 */
function* tabPairs(lines: readonly string[]): Generator<QaPair> {
  let open: { question: string; answer: string[] } | undefined;
  for (const line of lines) {
    if (!line.includes('\t')) {
      open?.answer.push(line);
      continue;
    }
    const fields = tabFields(line);
    if (fields.length > 2) continue;
    if (open) yield { question: open.question, answer: open.answer.join('\n') };
    open = { question: fields[0] ?? '', answer: [fields[1] ?? ''] };
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

/** Pairs of a plain-text file: "Q: … / A: …" blocks when it has them, else tab-separated lines. */
export function textPairs(text: string): Generator<QaPair> {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const tabbed = lines.reduce((n, line) => n + (tabFields(line).length === 2 ? 1 : 0), 0);
  const marked = lines.reduce((n, line) => n + (startsWithQuestionMarker(line) ? 1 : 0), 0);
  return hasQaMarkers(lines) && marked > tabbed ? markerPairs(lines) : tabPairs(lines);
}
