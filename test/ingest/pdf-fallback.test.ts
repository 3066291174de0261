import { describe, it, expect } from 'vitest';
import { extractPdf } from '../../src/ingest/pdf/extract.js';
import { pdfAssetDirs } from '../../src/ingest/pdf/assets.js';
import { parseFile, sectionsToText } from '../../src/ingest/index.js';
import { corpusFile } from './fixtures.js';

// Own file: the fallback is sticky for the process once the worker cannot load pdf.js.
describe('PDF extraction fallback', () => {
  it('finds pdf.js for the worker thread', () => {
    expect(pdfAssetDirs().moduleUrl).toMatch(/^file:.*pdfjs-dist\/legacy\/build\/pdf\.mjs$/);
  });

  it('runs pdf.js on the calling thread when the worker cannot load it', async () => {
    const { moduleUrl: _real, ...assets } = pdfAssetDirs();
    const options = { verbosity: 0, isEvalSupported: false, disableFontFace: true, useSystemFonts: false, cMapPacked: true, ...assets };
    const events = [];
    for await (const e of extractPdf(await corpusFile('pdf/picture_classification.pdf'), options, 'file:///nowhere/pdf.mjs')) {
      events.push(e.type);
    }
    expect(events).toEqual(['document', 'page', 'page']);
    const parsed = await parseFile(await corpusFile('pdf/multi_page.pdf'), 'after.pdf');
    expect(parsed.pageCount).toBe(5);
    expect(sectionsToText(parsed)).toContain('The Evolution of the Word Processor');
  });
});
