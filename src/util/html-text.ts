import { load } from 'cheerio';

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
