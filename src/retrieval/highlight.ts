import { analyze } from './analyzer.js';

const SENTENCE_END = /[.?!;。？！；\n]/;

/**
 * RAGFlow's highlight for prose: the sentences of the original text that contain a query term,
 * each matching word wrapped in <em>, joined with "...". Matching is on analysed terms, so
 * "running" in the text lights up for "run" in the question, and CJK words match by segment.
 * With no matching sentence the content comes back unmarked.
 */
export function highlight(content: string, terms: ReadonlySet<string>): string {
  const hits = analyze(content).filter((token) => terms.has(token.term));
  if (hits.length === 0) return content;
  const sentences: string[] = [];
  let cursor = 0;
  let hitIndex = 0;
  while (cursor < content.length && hitIndex < hits.length) {
    let end = cursor;
    while (end < content.length && !SENTENCE_END.test(content[end] as string)) end++;
    end = Math.min(end + 1, content.length);
    let marked = '';
    let last = cursor;
    let found = false;
    while (hitIndex < hits.length && (hits[hitIndex]?.start ?? Infinity) < end) {
      const hit = hits[hitIndex++] as { start: number; end: number };
      marked += `${content.slice(last, hit.start)}<em>${content.slice(hit.start, hit.end)}</em>`;
      last = hit.end;
      found = true;
    }
    if (found) sentences.push((marked + content.slice(last, end)).trim());
    cursor = end;
  }
  return sentences.join('...');
}
