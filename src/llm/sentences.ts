/**
 * Chunk text cut into sentences, for answering with sentences verbatim. English ends (. ! ? then
 * whitespace) and CJK ends (。！？；, no space needed) both count, and so do line breaks, which in
 * chunks mostly separate headings, list items and table rows.
 */

// Closing quotes and brackets stay with the sentence they close.
const SENTENCE_END = /(?<=[.!?]["'”’)\]]*)\s+|(?<=[。！？；…]["'”’」』）)]*)(?!["'”’」』）)])|\n/u;

// A line break between lower-case words (or after a comma) is hard wrapping inside a sentence, not
// the end of a heading or list item: it must not cut the sentence.
const WRAPPED_LINE = /([\p{Ll},;:-])[ \t]*\n[ \t]*(?=\p{Ll})/gu;

export function splitSentences(text: string): string[] {
  return text
    .replace(WRAPPED_LINE, '$1 ')
    .split(SENTENCE_END)
    .map((sentence) => sentence.replace(/\s+/g, ' ').trim())
    .filter((sentence) => /[\p{L}\p{N}]/u.test(sentence));
}
