import type { BookPackage } from './package.js';
import { readEntry } from './package.js';
import { attribute, elementsNamed, parseXml, textContent } from './xml.js';
import { folderOf, resolveHref } from './paths.js';

/** Entry path -> its first title in the table of contents. */
export type ChapterTitles = Map<string, string>;

function addTitle(titles: ChapterTitles, path: string, title: string): void {
  if (path && title && !titles.has(path)) titles.set(path, title);
}

/** EPUB 3: the navigation document's toc <nav> (or its first <nav> when none is marked). */
async function navTitles(book: BookPackage, titles: ChapterTitles): Promise<void> {
  const nav = [...book.manifest.values()].find((item) => item.properties.includes('nav'));
  const text = nav && (await readEntry(book.zip, nav.path));
  if (!nav || text === undefined) return;
  const navs = elementsNamed(await parseXml(text, book.yielder), 'nav');
  const toc = navs.find((el) => (attribute(el, 'type') ?? '').split(/\s+/).includes('toc')) ?? navs[0];
  if (!toc) return;
  const folder = folderOf(nav.path);
  for (const link of elementsNamed(toc, 'a')) {
    const href = attribute(link, 'href');
    if (href) addTitle(titles, resolveHref(folder, href), textContent(link));
  }
}

/** EPUB 2: the NCX navMap's navPoints, in document order. */
async function ncxTitles(book: BookPackage, titles: ChapterTitles): Promise<void> {
  const text = book.ncx && (await readEntry(book.zip, book.ncx.path));
  if (!book.ncx || text === undefined) return;
  const folder = folderOf(book.ncx.path);
  for (const point of elementsNamed(await parseXml(text, book.yielder), 'navpoint')) {
    const label = elementsNamed(point, 'navlabel')[0];
    const content = elementsNamed(point, 'content')[0];
    const src = content && attribute(content, 'src');
    if (label && src) addTitle(titles, resolveHref(folder, src), textContent(label));
  }
}

/**
 * Chapter titles from the book's own table of contents. The EPUB 3 nav comes first: NCX labels are
 * often numbered by the tool that wrote them ("1. Intro"); the NCX fills in what the nav lacks.
 */
export async function chapterTitles(book: BookPackage): Promise<ChapterTitles> {
  const titles: ChapterTitles = new Map();
  await navTitles(book, titles);
  await ncxTitles(book, titles);
  return titles;
}
