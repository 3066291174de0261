import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFile, sectionsToText } from '../../src/ingest/index.js';
import { IngestError, type OcrSettings, type Section } from '../../src/ingest/types.js';
import { shutdownOcr } from '../../src/ingest/ocr/index.js';
import { pdfAssetDirs } from '../../src/ingest/pdf/assets.js';
import { extractInline } from '../../src/ingest/pdf/extract-inline.js';
import type { PdfEvent } from '../../src/ingest/pdf/extract-types.js';
import { RagFlow } from '../../src/ragflow.js';
import { OCR_PARAGRAPHS, TESSDATA, mixedPdf, ocrDataAvailable, scannedPdf, textPng, wordF1 } from '../fixtures/ocr-images.js';

const OCR: OcrSettings = { langPath: TESSDATA, languages: ['eng'] };
const EXPECTED = OCR_PARAGRAPHS.flat().join(' ');
const TEXT_PAGE = ['Quarterly report of the northern depot.', 'Stock levels were checked on Monday morning.'];
const LAST_PAGE = ['Appendix with the signatures of both auditors.'];
const SLOW = 60_000;

let scanPng: Uint8Array;
beforeAll(async () => {
  scanPng = await textPng(200);
});
afterAll(() => shutdownOcr());

const textOf = (sections: readonly Section[]): string => sections.map((s) => (s.kind === 'table' ? '' : s.text)).join(' ');

async function failure(work: Promise<unknown>): Promise<Error> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

describe('scanned PDF pages without OCR', () => {
  it('refuses a PDF that is only scans, saying why OCR is unavailable', async () => {
    const pdf = await scannedPdf([scanPng]);
    const error = await failure(parseFile(pdf, 'scan.pdf'));
    expect(error).toBeInstanceOf(IngestError);
    expect(error.message).toMatch(/The PDF is scanned .*OCR is not available: (OCR is turned off \(ocr: false\)|no Tesseract language data)/);
  });

  it('reads the text pages of a mixed PDF and notes the skipped scan', async () => {
    const pdf = await mixedPdf([{ text: TEXT_PAGE }, { png: scanPng }, { text: LAST_PAGE }]);
    const messages: string[] = [];
    const parsed = await parseFile(pdf, 'mixed.pdf', { onProgress: (_f, m) => m && messages.push(m) });
    expect(sectionsToText(parsed)).toContain('Stock levels were checked on Monday morning.');
    expect(sectionsToText(parsed)).toContain('Appendix with the signatures');
    expect(sectionsToText(parsed)).not.toMatch(/wizards/);
    expect(messages.some((m) => /Skipped 1 scanned page \(2\) without a text layer: OCR is not available/.test(m))).toBe(true);
  });
});

describe('scanned PDF pages when OCR cannot start', () => {
  const broken: OcrSettings = { langPath: '/nowhere/tessdata', languages: ['eng'] };

  it('keeps the text pages and names the missing language data', async () => {
    const pdf = await mixedPdf([{ text: TEXT_PAGE }, { png: scanPng }, { png: scanPng }, { text: LAST_PAGE }]);
    const messages: string[] = [];
    const parsed = await parseFile(pdf, 'mixed.pdf', { ocr: broken, onProgress: (_f, m) => m && messages.push(m) });
    expect(parsed.sections.map((s) => s.positions?.[0]?.[0])).toEqual([1, 4]);
    expect(messages).toContain(
      'Skipped 2 scanned pages (2, 3) without a text layer: OCR language data eng.traineddata not found in /nowhere/tessdata; ' +
        "install Debian's tesseract-ocr-eng or pass ocr: { langPath }.",
    );
  });

  it('fails a PDF of scans only, with the same reason', async () => {
    const error = await failure(parseFile(await scannedPdf([scanPng]), 'scan.pdf', { ocr: broken }));
    expect(error).toBeInstanceOf(IngestError);
    expect(error.message).toMatch(/^The PDF is scanned .* cannot be read: OCR language data eng\.traineddata not found in \/nowhere\/tessdata/);
  });
});

describe.runIf(ocrDataAvailable())('scanned PDF pages with OCR', () => {
  it(
    'OCRs a page that is only an image, with positions in PDF points on its page',
    async () => {
      const pdf = await scannedPdf([scanPng]);
      const start = performance.now();
      const messages: string[] = [];
      const parsed = await parseFile(pdf, 'scan.pdf', { ocr: OCR, onProgress: (_f, m) => m && messages.push(m) });
      console.info(`[ocr timing] scanned PDF, 1 page (render 200 dpi + OCR, cold worker): ${Math.round(performance.now() - start)} ms`);
      const f1 = wordF1(sectionsToText(parsed), EXPECTED);
      console.info(`[ocr f1] scanned PDF: ${f1.toFixed(3)}`);
      expect(f1).toBeGreaterThanOrEqual(0.9);
      expect(parsed.pageCount).toBe(1);
      expect(messages).toContain('Page 1/1: OCR');
      // Three paragraphs separated by blank space, as drawn.
      expect(parsed.sections.map((s) => (s.kind === 'table' ? '' : s.text))).toEqual(OCR_PARAGRAPHS.map((p) => p.join(' ')));
      const first = parsed.sections[0]!;
      const [page, x0, x1, top, bottom] = first.positions![0]!;
      expect(page).toBe(1);
      // textPdf() sets its first line at x = 60 pt, baseline 72 pt below the top, in 15 pt type.
      expect(Math.abs(x0 - 60)).toBeLessThan(5);
      expect(x1).toBeLessThanOrEqual(612);
      expect(top).toBeGreaterThan(55);
      expect(top).toBeLessThan(75);
      expect(bottom).toBeGreaterThan(top);
    },
    SLOW,
  );

  it(
    'reads a mixed PDF page by page, in page order',
    async () => {
      const pdf = await mixedPdf([{ text: TEXT_PAGE }, { png: scanPng }, { text: LAST_PAGE }]);
      const start = performance.now();
      const parsed = await parseFile(pdf, 'mixed.pdf', { ocr: OCR });
      console.info(`[ocr timing] mixed PDF, 3 pages, 1 scanned (warm worker): ${Math.round(performance.now() - start)} ms`);
      const pageOf = (s: Section): number | undefined => s.positions?.[0]?.[0];
      expect(parsed.sections.map(pageOf)).toEqual([...parsed.sections.map(pageOf)].sort());
      expect(textOf(parsed.sections.filter((s) => pageOf(s) === 1))).toContain('Quarterly report of the northern depot.');
      const f1 = wordF1(textOf(parsed.sections.filter((s) => pageOf(s) === 2)), EXPECTED);
      console.info(`[ocr f1] mixed PDF, scanned page: ${f1.toFixed(3)}`);
      expect(f1).toBeGreaterThanOrEqual(0.9);
      expect(textOf(parsed.sections.filter((s) => pageOf(s) === 3))).toContain('Appendix with the signatures');
    },
    SLOW,
  );

  it(
    'OCRs every page of a longer scan and keeps each page apart',
    async () => {
      const pdf = await scannedPdf([scanPng, scanPng, scanPng, scanPng]);
      const pages: number[] = [];
      const start = performance.now();
      const parsed = await parseFile(pdf, 'four.pdf', { ocr: OCR, onProgress: (f) => pages.push(f) });
      const ms = performance.now() - start;
      console.info(`[ocr timing] scanned PDF, 4 pages: ${Math.round(ms)} ms (${Math.round(ms / 4)} ms/page)`);
      for (let p = 1; p <= 4; p++) {
        const onPage = parsed.sections.filter((s) => s.positions?.[0]?.[0] === p);
        expect(wordF1(textOf(onPage), EXPECTED)).toBeGreaterThanOrEqual(0.9);
      }
    },
    SLOW,
  );

  it(
    'stops a scanned PDF on abort with the abort itself',
    async () => {
      const pdf = await scannedPdf([scanPng, scanPng, scanPng]);
      const controller = new AbortController();
      const running = parseFile(pdf, 'abort.pdf', {
        ocr: OCR,
        signal: controller.signal,
        onProgress: (_f, m) => m === 'Page 1/3: OCR' && controller.abort(),
      });
      const error = await failure(running);
      expect(error.name).toBe('AbortError');
    },
    SLOW,
  );

  it(
    'flags and renders scanned pages on the calling-thread fallback too',
    async () => {
      const { moduleUrl: _worker, ...assets } = pdfAssetDirs();
      const options = { verbosity: 0, isEvalSupported: false, disableFontFace: true, useSystemFonts: false, cMapPacked: true, ...assets };
      const pdf = await mixedPdf([{ text: TEXT_PAGE }, { png: scanPng }]);
      const events: PdfEvent[] = [];
      for await (const e of extractInline(pdf, options, undefined, { render: true, dpi: 100 })) events.push(e);
      const pageEvents = events.filter((e) => e.type === 'page');
      expect(pageEvents[0]?.scan).toBeUndefined();
      const scan = pageEvents[1]?.scan;
      expect(scan?.pointsPerPixel).toBeCloseTo(0.72, 6);
      expect([...(scan?.png ?? []).slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    },
    SLOW,
  );

  it(
    'fails a scanned PDF clearly when OCR is turned off on the facade',
    async () => {
      const rag = await RagFlow.open({ path: ':memory:', ocr: false });
      try {
        const ds = await rag.datasets.create({ name: 'scans' });
        const [doc] = await rag.documents.upload(ds.id, { name: 'scan.pdf', data: await scannedPdf([scanPng]) });
        const [done] = await rag.documents.parse(ds.id, [doc!.id], { wait: true });
        expect(done!.run).toBe('FAIL');
        expect(done!.progressMsg).toMatch(/The PDF is scanned .*OCR is not available: OCR is turned off \(ocr: false\)/);
        const mixed = await mixedPdf([{ text: TEXT_PAGE }, { png: scanPng }]);
        const [partly] = await rag.documents.upload(ds.id, { name: 'mixed.pdf', data: mixed });
        const [read] = await rag.documents.parse(ds.id, [partly!.id], { wait: true });
        expect(read!.run).toBe('DONE');
        expect(read!.progressMsg).toMatch(/Skipped 1 scanned page \(2\) without a text layer: OCR is not available: OCR is turned off/);
      } finally {
        await rag.close();
      }
    },
    SLOW,
  );
});
