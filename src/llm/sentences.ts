import { load } from 'cheerio';

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

/**
 * Table chunks are stored as HTML; each row becomes one line with its cells separated by " | ",
 * so a row reads as one sentence. cheerio parses the markup and decodes the entities.
 */
export function htmlToText(html: string): string {
  const $ = load(html, null, false);
  $('script, style').remove();
  $('td, th').each((_, cell) => {
    const next = $(cell).next('td, th');
    if (next.length > 0) $(cell).append(' | ');
  });
  $('tr, br, p, div, li, table, caption, h1, h2, h3, h4, h5, h6').each((_, block) => {
    $(block).before('\n').after('\n');
  });
  return $.root().text();
}

export function looksLikeHtml(text: string): boolean {
  return /<(table|tr|td|th|p|div|br)\b[^>]*>/i.test(text);
}
