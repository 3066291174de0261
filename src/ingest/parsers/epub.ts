import type { ParsedFile, Parser, ParseContext, Section } from '../types.js';
import { IngestError } from '../types.js';
import { Yielder } from '../../util/yield.js';
import { openPackage, readEntry, type BookPackage, type ManifestItem } from '../epub/package.js';
import { chapterTitles } from '../epub/toc.js';
import { assertNotDrmProtected } from '../epub/drm.js';
import { chapterSections, firstHeading } from '../epub/chapter.js';
import { baseName } from '../epub/paths.js';

/*
 * EPUB is read with jszip and cheerio directly: the EPUB libraries on npm are unmaintained or
 * browser-only, and a book is just a ZIP of XHTML chapters listed by an XML package file.
 */

const CHAPTER_TYPES = new Set(['application/xhtml+xml', 'text/html']);

/**
 * The chapters to read in order. Items marked linear="no" (notes, answer keys, pop-ups a reader
 * opens from links) are still the book's text, so they are read, but after the main flow rather than
 * where they would interrupt it. The navigation document is the table of contents, not content.
 */
function readingOrder(book: BookPackage): ManifestItem[] {
  const chapters = book.spine.filter(({ item }) => CHAPTER_TYPES.has(item.mediaType) && !item.properties.includes('nav'));
  const seen = new Set<string>();
  const ordered: ManifestItem[] = [];
  for (const { item } of [...chapters.filter((c) => c.linear), ...chapters.filter((c) => !c.linear)]) {
    if (seen.has(item.path)) continue;
    seen.add(item.path);
    ordered.push(item);
  }
  return ordered;
}

async function parseEpub(bytes: Uint8Array, context: ParseContext): Promise<ParsedFile> {
  const yielder = new Yielder(context.signal);
  const book = await openPackage(bytes, context.fileName, context.signal);
  await assertNotDrmProtected(book);
  const chapters = readingOrder(book);
  if (chapters.length === 0) throw new IngestError('The EPUB has no chapters: its spine lists no XHTML documents.');
  const titles = await chapterTitles(book);

  const sections: Section[] = [];
  if (book.title) sections.push({ kind: 'heading', text: book.title, level: 1 });
  let read = 0;
  for (const [index, chapter] of chapters.entries()) {
    await yielder.now();
    context.onProgress?.(index / chapters.length, `Chapter ${index + 1}/${chapters.length}`);
    const xhtml = await readEntry(book.zip, chapter.path);
    // A damaged book missing one chapter still has the others worth reading.
    if (xhtml === undefined) continue;
    read++;
    const own = await chapterSections(xhtml, book.title ? 1 : 0, context.signal);
    const part = titles.get(chapter.path) ?? firstHeading(own) ?? baseName(chapter.path);
    for (const section of own) sections.push({ ...section, source: { ...section.source, part } });
  }
  if (read === 0) throw new IngestError('The EPUB is damaged: none of the chapters its spine lists is in the package.');
  return { sections };
}

export const epubParser: Parser = { type: 'epub', parse: parseEpub };
