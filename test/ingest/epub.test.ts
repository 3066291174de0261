import { describe, expect, it } from 'vitest';
import JSZip from 'jszip';
import { EPub } from 'epub-gen-memory';
import { parseFile, IngestError, type Section } from '../../src/ingest/index.js';
import { xhtmlForHtmlParser } from '../../src/ingest/epub/chapter.js';
import { chunkNaive } from '../../src/ingest/chunkers/naive.js';
import type { Document } from '../../src/types.js';
import { openMemory } from '../ragflow/helpers.js';
import { ControlledModel } from '../ragflow/test-models.js';

const CHAPTERS = [
  { title: 'The Harbour', content: '<p>Boats rock gently in the <em>harbour</em>.</p><h2>Night</h2><p>Lanterns glow on the pier.</p>' },
  { title: 'The Market', content: '<p>Fishmongers shout their prices.</p><ul><li>Cod</li><li>Herring</li></ul>' },
  { title: 'The Lighthouse', content: '<p>The keeper climbs 120 steps each evening.</p>' },
];

function makeBook(): Promise<Buffer> {
  return new EPub({ title: 'A Coastal Town', author: 'Ann Archer', verbose: false }, CHAPTERS).genEpub();
}

const textOf = (s: Section): string => (s.kind === 'table' ? s.rows.flat().join(' ') : s.text);

/** A hand-made EPUB 2 package; `files` overrides or adds entries (undefined removes one). */
async function handMadeEpub(files: Record<string, string | undefined> = {}): Promise<Uint8Array> {
  const entries: Record<string, string | undefined> = {
    mimetype: 'application/epub+zip',
    'META-INF/container.xml':
      '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">' +
      '<rootfiles><rootfile full-path="OPS/book.opf" media-type="application/oebps-package+xml"/></rootfiles></container>',
    'OPS/book.opf':
      '<?xml version="1.0"?><opf:package xmlns:opf="http://www.idpf.org/2007/opf" version="2.0">' +
      '<opf:metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Hand Made</dc:title></opf:metadata>' +
      '<opf:manifest>' +
      '<opf:item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>' +
      '<opf:item id="notes" href="text/notes.xhtml" media-type="application/xhtml+xml"/>' +
      '<opf:item id="c1" href="text/one%20two.xhtml" media-type="application/xhtml+xml"/>' +
      '<opf:item id="c2" href="text/plain.xhtml" media-type="application/xhtml+xml"/>' +
      '</opf:manifest>' +
      '<opf:spine toc="ncx"><opf:itemref idref="notes" linear="no"/><opf:itemref idref="c1"/><opf:itemref idref="c2"/></opf:spine>' +
      '</opf:package>',
    'OPS/toc.ncx':
      '<?xml version="1.0"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/"><navMap>' +
      '<navPoint id="n1"><navLabel><text>Opening</text></navLabel><content src="text/one%20two.xhtml#start"/></navPoint>' +
      '</navMap></ncx>',
    'OPS/text/one two.xhtml':
      '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title/></head>' +
      '<body><p>First chapter words.<a id="p1"/> Still first.</p></body></html>',
    'OPS/text/plain.xhtml':
      '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head><body><div><p>Second chapter, no heading.</p></div></body></html>',
    'OPS/text/notes.xhtml':
      '<html xmlns="http://www.w3.org/1999/xhtml"><body><h3>Endnotes</h3><p>Note one explains the harbour.</p></body></html>',
    ...files,
  };
  const zip = new JSZip();
  for (const [name, content] of Object.entries(entries)) if (content !== undefined) zip.file(name, content);
  return zip.generateAsync({ type: 'uint8array' });
}

describe('epub parser', () => {
  it('reads chapters in spine order under the book title, each tagged with its toc title', async () => {
    const progress: string[] = [];
    const { sections } = await parseFile(new Uint8Array(await makeBook()), 'town.epub', {
      onProgress: (_, message) => message && progress.push(message),
    });
    expect(sections[0]).toEqual({ kind: 'heading', text: 'A Coastal Town', level: 1 });
    const rest = sections.slice(1);
    expect(rest.map((s) => [s.kind, textOf(s), s.source?.part, s.kind === 'heading' ? s.level : null])).toEqual([
      ['heading', 'The Harbour', 'The Harbour', 2],
      ['text', 'Boats rock gently in the harbour.', 'The Harbour', null],
      ['heading', 'Night', 'The Harbour', 3],
      ['text', 'Lanterns glow on the pier.', 'The Harbour', null],
      ['heading', 'The Market', 'The Market', 2],
      ['text', 'Fishmongers shout their prices.', 'The Market', null],
      ['text', '- Cod', 'The Market', null],
      ['text', '- Herring', 'The Market', null],
      ['heading', 'The Lighthouse', 'The Lighthouse', 2],
      ['text', 'The keeper climbs 120 steps each evening.', 'The Lighthouse', null],
    ]);
    expect(progress).toEqual(['Chapter 1/3', 'Chapter 2/3', 'Chapter 3/3']);
  });

  it('gives naive chunks heading paths under the book title', async () => {
    const { sections } = await parseFile(new Uint8Array(await makeBook()), 'town.epub');
    const chunks = await chunkNaive(sections, { chunkTokenNum: 8, delimiter: '\n' });
    const night = chunks.find((c) => c.content.includes('Lanterns'));
    expect(night?.source).toEqual({ part: 'The Harbour', headingPath: ['A Coastal Town', 'The Harbour', 'Night'] });
  });

  it('reads a hand-made EPUB 2: NCX titles, first-heading or file-name parts, linear="no" last', async () => {
    const { sections } = await parseFile(await handMadeEpub(), 'hand.epub');
    expect(sections.map((s) => [textOf(s), s.source?.part])).toEqual([
      ['Hand Made', undefined],
      ['First chapter words. Still first.', 'Opening'],
      ['Second chapter, no heading.', 'plain.xhtml'],
      ['Endnotes', 'Endnotes'],
      ['Note one explains the harbour.', 'Endnotes'],
    ]);
  });

  it('names the missing package file', async () => {
    const noOpf = handMadeEpub({ 'OPS/book.opf': undefined });
    await expect(parseFile(await noOpf, 'broken.epub')).rejects.toThrow(
      new IngestError('The EPUB\'s OPF package file "OPS/book.opf" named in META-INF/container.xml is missing.'),
    );
    const noContainer = handMadeEpub({ 'META-INF/container.xml': undefined });
    await expect(parseFile(await noContainer, 'broken.epub')).rejects.toThrow(/has no META-INF\/container\.xml/);
  });

  it('refuses a DRM-protected book but not one with obfuscated fonts only', async () => {
    const encryption = (uri: string): string =>
      '<?xml version="1.0"?><encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">' +
      `<enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/><enc:CipherData><enc:CipherReference URI="${uri}"/></enc:CipherData></enc:EncryptedData>` +
      '</encryption>';
    const drm = await handMadeEpub({ 'META-INF/encryption.xml': encryption('OPS/text/plain.xhtml') });
    const parse = parseFile(drm, 'locked.epub');
    await expect(parse).rejects.toBeInstanceOf(IngestError);
    await expect(parse).rejects.toThrow(/The EPUB is DRM-protected/);

    const fontsOnly = await handMadeEpub({ 'META-INF/encryption.xml': encryption('OPS/fonts/serif.otf') });
    const { sections } = await parseFile(fontsOnly, 'fonts.epub');
    expect(sections.length).toBeGreaterThan(1);
  });

  it('propagates an abort', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(parseFile(new Uint8Array(await makeBook()), 'town.epub', { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('opens self-closed XHTML elements that an HTML parser would leave open', () => {
    expect(xhtmlForHtmlParser('<head><title/></head><p>a<a id="x" />b<br/></p>')).toBe(
      '<head><title></title></head><p>a<a id="x"></a>b<br/></p>',
    );
  });
});

describe('epub end to end', () => {
  it('parses an uploaded book with the naive method; chunks name their chapter', async () => {
    const model = new ControlledModel();
    const rag = await openMemory({ embeddingModels: [model] });
    try {
      // A small budget, so that chapters do not share chunks.
      const ds = await rag.datasets.create({ name: 'books', chunkMethod: 'naive', parserConfig: { chunkTokenNum: 4 }, embeddingModel: model.id });
      const [doc] = (await rag.documents.upload(ds.id, { name: 'town.epub', data: new Uint8Array(await makeBook()) })) as Document[];
      expect(doc?.chunkMethod).toBe('naive');
      const [done] = await rag.documents.parse(ds.id, [doc!.id], { wait: true });
      expect(done).toMatchObject({ run: 'DONE' });
      const { chunks } = await rag.chunks.list(ds.id, doc!.id);
      const keeper = chunks.find((c) => c.content.includes('120 steps'));
      expect(keeper?.source).toMatchObject({ part: 'The Lighthouse', headingPath: ['A Coastal Town', 'The Lighthouse'] });
      const result = await rag.retrieve({ datasetIds: [ds.id], question: 'fishmongers prices' });
      expect(result.chunks[0]?.source.part).toBe('The Market');
    } finally {
      await rag.close();
    }
  });
});
