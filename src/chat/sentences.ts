/**
 * Cuts an answer into the sentence pieces that citations attach to, as RAGFlow's insert_citations
 * does. Joining the pieces gives back the answer exactly, so markers can be spliced in between.
 */

export interface Piece {
  text: string;
  /** Code fences are quoted verbatim from somewhere else: never split, never cited. */
  code: boolean;
}

const FENCE = '```';
// CJK terminators and the newline end a sentence wherever they are, except right after a table
// bar: "|\n" ends a Markdown table row, and a row is not a claim to cite.
const HARD_END = /[；。？!！\n]/;
// Latin punctuation only ends a sentence after a lower-case letter and before a space, so that
// "3.14", "U.S.A." and "node.js" mid-sentence stay whole.
const SOFT_END = /[.?;!]/;

function splitProse(text: string, into: Piece[]): void {
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    const prev = i > 0 ? text[i - 1] : undefined;
    const next = text[i + 1];
    const hard = HARD_END.test(ch) && prev !== undefined && prev !== '|';
    const soft = SOFT_END.test(ch) && prev !== undefined && /[a-z]/.test(prev) && (next === ' ' || next === '\n');
    if (hard || soft) {
      into.push({ text: text.slice(start, i + 1), code: false });
      start = i + 1;
    }
  }
  if (start < text.length) into.push({ text: text.slice(start), code: false });
}

export function splitSentences(answer: string): Piece[] {
  const pieces: Piece[] = [];
  let at = 0;
  while (at < answer.length) {
    const open = answer.indexOf(FENCE, at);
    if (open < 0) {
      splitProse(answer.slice(at), pieces);
      break;
    }
    const close = answer.indexOf(FENCE, open + FENCE.length);
    // An unclosed fence runs to the end, as a Markdown renderer would show it.
    const end = close < 0 ? answer.length : close + FENCE.length;
    splitProse(answer.slice(at, open), pieces);
    pieces.push({ text: answer.slice(open, end), code: true });
    at = end;
  }
  return pieces;
}
