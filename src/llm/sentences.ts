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
 * so a row reads as one sentence.
 */
export function htmlToText(html: string): string {
  return decodeEntities(
    html
      .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<\/t[dh]>\s*<t[dh]\b[^>]*>/gi, ' | ')
      .replace(/<\/?(tr|br|p|div|li|table|caption|h[1-6])\b[^>]*>/gi, '\n')
      .replace(/<[^>]*>/g, ' '),
  );
}

export function looksLikeHtml(text: string): boolean {
  return /<(table|tr|td|th|p|div|br)\b[^>]*>/i.test(text);
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[name.toLowerCase()] ?? whole;
  });
}
