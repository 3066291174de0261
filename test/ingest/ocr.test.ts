import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFile, sectionsToText } from '../../src/ingest/index.js';
import { IngestError, type OcrSettings, type ParsedFile } from '../../src/ingest/types.js';
import { recogniseImage, resolveOcrSettings, shutdownOcr } from '../../src/ingest/ocr/index.js';
import { RagFlow } from '../../src/ragflow.js';
import {
  OCR_PARAGRAPHS,
  TESSDATA,
  blankPng,
  bmp,
  degradedScan,
  greyTiff,
  ocrDataAvailable,
  renderPdfPage,
  textJpeg,
  textPdf,
  textPng,
  wordF1,
} from '../fixtures/ocr-images.js';

// Records tesseract.js's worker threads so a test can kill one. tesseract.js picks up the Worker
// class when it is first loaded, which happens lazily on the first OCR, after this runs.
const threads = createRequire(import.meta.url)('node:worker_threads') as { Worker: typeof Worker };
const tesseractThreads: Worker[] = [];
threads.Worker = class extends threads.Worker {
  constructor(...args: ConstructorParameters<typeof Worker>) {
    super(...args);
    if (String(args[0]).includes('tesseract')) tesseractThreads.push(this);
  }
};

const OCR: OcrSettings = { langPath: TESSDATA, languages: ['eng'] };
const EXPECTED = OCR_PARAGRAPHS.flat().join(' ');
const SLOW = 60_000;

afterAll(() => shutdownOcr());

async function expectIngestError(work: Promise<unknown>, message: RegExp): Promise<void> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IngestError);
  expect((error as Error).message).toMatch(message);
}

async function timed(work: () => Promise<ParsedFile>, label: string): Promise<ParsedFile> {
  const start = performance.now();
  const parsed = await work();
  console.info(`[ocr timing] ${label}: ${Math.round(performance.now() - start)} ms`);
  return parsed;
}

describe('resolveOcrSettings', () => {
  it('takes an explicit langPath as given and defaults the language to English', () => {
    expect(resolveOcrSettings({ langPath: '/data/tess' })).toEqual({ langPath: '/data/tess', languages: ['eng'] });
    expect(resolveOcrSettings({ langPath: '/x', languages: ['deu', 'eng'] })).toEqual({ langPath: '/x', languages: ['deu', 'eng'] });
  });

  it('is undefined when OCR is turned off', () => {
    expect(resolveOcrSettings(false)).toBeUndefined();
  });

  it('uses TESSDATA_PREFIX only when it holds the languages, and the system folders otherwise', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tessdata-'));
    const saved = process.env['TESSDATA_PREFIX'];
    try {
      process.env['TESSDATA_PREFIX'] = dir;
      await writeFile(join(dir, 'xyz.traineddata'), 'not really');
      expect(resolveOcrSettings({ languages: ['xyz'] })).toEqual({ langPath: dir, languages: ['xyz'] });
      // A language no folder has: nothing to use.
      expect(resolveOcrSettings({ languages: ['qqq'] })).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env['TESSDATA_PREFIX'];
      else process.env['TESSDATA_PREFIX'] = saved;
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('word F1 helper', () => {
  it('scores bags of words', () => {
    expect(wordF1('The fox, the dog.', 'the fox the dog')).toBe(1);
    expect(wordF1('the fox', 'the fox the dog')).toBeCloseTo(2 / 3, 6);
    expect(wordF1('', 'the fox')).toBe(0);
  });
});

describe.runIf(ocrDataAvailable())('image OCR', () => {
  it(
    'reads a PNG rendered from known text into paragraphs with pixel positions',
    async () => {
      const png = await textPng();
      const parsed = await timed(() => parseFile(png, 'letter.png', { ocr: OCR }), 'PNG 1700x2200 (first, includes worker start)');
      const text = sectionsToText(parsed);
      const f1 = wordF1(text, EXPECTED);
      console.info(`[ocr f1] PNG: ${f1.toFixed(3)}`);
      expect(f1).toBeGreaterThanOrEqual(0.9);
      expect(parsed.sections.every((s) => s.kind === 'text')).toBe(true);
      // Three paragraphs separated by blank space, as drawn.
      expect(parsed.sections.map((s) => (s.kind === 'table' ? '' : s.text))).toEqual(OCR_PARAGRAPHS.map((p) => p.join(' ')));
      expect(parsed.pageCount).toBe(1);
      const first = parsed.sections[0]!;
      expect(first.kind === 'text' && first.source).toBeFalsy();
      const [page, x0, x1, top, bottom] = first.positions![0]!;
      expect(page).toBe(1);
      // The text starts 60 pt from the left edge and its first baseline is 72 pt below the top, at 200 dpi.
      expect(Math.abs(x0 - (60 * 200) / 72)).toBeLessThan(15);
      expect(x1).toBeGreaterThan(x0 + 1000);
      expect(top).toBeGreaterThan(150);
      expect(top).toBeLessThan(230);
      expect(bottom).toBeGreaterThan(top);
      // The second paragraph starts below the first.
      expect(parsed.sections[1]!.positions![0]![3]).toBeGreaterThan(bottom);
    },
    SLOW,
  );

  it(
    'reads a JPEG',
    async () => {
      const parsed = await timed(async () => parseFile(await textJpeg(), 'scan.jpg', { ocr: OCR }), 'JPEG (warm worker, incl. render)');
      const f1 = wordF1(sectionsToText(parsed), EXPECTED);
      console.info(`[ocr f1] JPEG: ${f1.toFixed(3)}`);
      expect(f1).toBeGreaterThanOrEqual(0.9);
    },
    SLOW,
  );

  it(
    'reads a grainy, tilted, low-quality JPEG scan of small print',
    async () => {
      const page = await renderPdfPage(await textPdf(OCR_PARAGRAPHS, 10), 150);
      const scan = await degradedScan(new Uint8Array(await page.canvas.encode('png')), 1.5, 40, 50);
      const parsed = await timed(() => parseFile(scan, 'fax.jpg', { ocr: OCR }), 'degraded JPEG 1275x1650');
      const f1 = wordF1(sectionsToText(parsed), EXPECTED);
      console.info(`[ocr f1] degraded scan (10 pt, 150 dpi, 1.5 deg, grain 40, JPEG q50): ${f1.toFixed(3)}`);
      expect(f1).toBeGreaterThanOrEqual(0.9);
    },
    SLOW,
  );

  it(
    'finds no text in paper grain alone',
    async () => {
      const grain = await degradedScan(await blankPng(), 0, 60, 50);
      expect((await parseFile(grain, 'grain.jpg', { ocr: OCR })).sections).toEqual([]);
    },
    SLOW,
  );

  it(
    'reads WebP and BMP',
    async () => {
      const page = await renderPdfPage(await textPdf(), 150);
      const webp = new Uint8Array(await page.canvas.encode('webp', 90));
      for (const [name, bytes] of [['photo.webp', webp], ['old.bmp', bmp(page)]] as const) {
        const f1 = wordF1(sectionsToText(await parseFile(bytes, name, { ocr: OCR })), EXPECTED);
        console.info(`[ocr f1] ${name}: ${f1.toFixed(3)}`);
        expect(f1).toBeGreaterThanOrEqual(0.9);
      }
    },
    SLOW,
  );

  it(
    'reads page after page on one warm worker',
    async () => {
      const png = await textPng();
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const start = performance.now();
        const lines = await recogniseImage(png, OCR);
        times.push(Math.round(performance.now() - start));
        expect(lines.map((l) => l.text).join(' ')).toContain('Seven wizards quietly packed their boxes with liquor jugs.');
        expect(lines.every((l) => l.confidence > 50 && l.x1 > l.x0 && l.bottom > l.top)).toBe(true);
      }
      console.info(`[ocr timing] recognise, 1700x2200 PNG, warm worker: ${times.join(', ')} ms`);
    },
    SLOW,
  );

  it(
    'reads every page of a multi-page TIFF and says which page each paragraph is on',
    async () => {
      const second = [['Page two talks about harbour cranes and container ships.']];
      const pages = [await renderPdfPage(await textPdf(), 150), await renderPdfPage(await textPdf(second), 150)];
      const tiff = greyTiff(pages);
      const progress: string[] = [];
      const parsed = await timed(
        () => parseFile(tiff, 'fax.tif', { ocr: OCR, onProgress: (_f, m) => m && progress.push(m) }),
        'TIFF 2 pages at 150 dpi',
      );
      expect(parsed.pageCount).toBe(2);
      const onPage = (n: number): string =>
        parsed.sections
          .filter((s) => s.source?.pages?.[0] === n)
          .map((s) => (s.kind === 'table' ? '' : s.text))
          .join(' ');
      const f1One = wordF1(onPage(1), EXPECTED);
      const f1Two = wordF1(onPage(2), second.flat().join(' '));
      console.info(`[ocr f1] TIFF page 1: ${f1One.toFixed(3)}, page 2: ${f1Two.toFixed(3)}`);
      expect(f1One).toBeGreaterThanOrEqual(0.9);
      expect(f1Two).toBeGreaterThanOrEqual(0.9);
      expect(parsed.sections.filter((s) => s.source?.pages?.[0] === 2).every((s) => s.positions?.[0]?.[0] === 2)).toBe(true);
      expect(progress).toContain('OCR page 2/2');
    },
    SLOW,
  );

  it(
    'reads a single-page TIFF directly',
    async () => {
      const tiff = greyTiff([await renderPdfPage(await textPdf(), 150)]);
      const parsed = await parseFile(tiff, 'one.tiff', { ocr: OCR });
      expect(parsed.pageCount).toBe(1);
      expect(wordF1(sectionsToText(parsed), EXPECTED)).toBeGreaterThanOrEqual(0.9);
    },
    SLOW,
  );

  it(
    'gives no sections for an image without text',
    async () => {
      const messages: string[] = [];
      const parsed = await parseFile(await blankPng(), 'blank.png', { ocr: OCR, onProgress: (_f, m) => m && messages.push(m) });
      expect(parsed.sections).toEqual([]);
      expect(messages).toContain('OCR done: no text found');
    },
    SLOW,
  );

  it('fails clearly when the language data is missing, and the process carries on', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'no-tessdata-'));
    try {
      await expectIngestError(
        parseFile(await blankPng(), 'a.png', { ocr: { langPath: dir, languages: ['eng'] } }),
        new RegExp(`eng\\.traineddata not found in ${dir}.*tesseract-ocr-eng.*langPath`),
      );
      // A damaged file would crash tesseract.js past any try/catch; it is refused before that.
      await writeFile(join(dir, 'eng.traineddata'), 'garbage, not a model');
      await expectIngestError(
        parseFile(await blankPng(), 'a.png', { ocr: { langPath: dir, languages: ['eng'] } }),
        /damaged or not a Tesseract traineddata file/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const parsed = await parseFile(await textPng(), 'after.png', { ocr: OCR });
    expect(wordF1(sectionsToText(parsed), EXPECTED)).toBeGreaterThanOrEqual(0.9);
  }, SLOW);

  it('fails clearly without OCR settings and on bytes that are no image', async () => {
    await expectIngestError(parseFile(await blankPng(), 'x.png'), /Images are read by OCR, and OCR is not available: /);
    const junk = new Uint8Array(4000).map((_, i) => (i * 7919) % 251);
    junk.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    await expectIngestError(parseFile(junk, 'junk.png', { ocr: OCR }), /OCR could not read the image/);
  }, SLOW);

  it('stops on an aborted signal with the abort, not an IngestError', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await parseFile(await blankPng(), 'x.png', { ocr: OCR, signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('AbortError');
    const late = new AbortController();
    const running = parseFile(await textPng(), 'x.png', { ocr: OCR, signal: late.signal }).catch((e: unknown) => e);
    late.abort();
    expect(((await running) as Error).name).toBe('AbortError');
  }, SLOW);

  it('fails the page being read when the OCR thread dies, and recovers', async () => {
    const png = await textPng();
    await recogniseImage(png, OCR);
    const thread = tesseractThreads.at(-1)!;
    const reading = recogniseImage(png, OCR);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await thread.terminate();
    await expectIngestError(reading, /OCR stopped unexpectedly/);
    const lines = await recogniseImage(png, OCR);
    expect(lines.map((l) => l.text).join(' ')).toContain('liquor jugs');
    expect(tesseractThreads.at(-1)).not.toBe(thread);
  }, SLOW);

  it('starts a new worker after shutdownOcr()', async () => {
    await shutdownOcr();
    const png = await textPng();
    const parsed = await timed(() => parseFile(png, 'again.png', { ocr: OCR }), 'PNG after shutdown (cold worker)');
    expect(wordF1(sectionsToText(parsed), EXPECTED)).toBeGreaterThanOrEqual(0.9);
  }, SLOW);
});

describe.runIf(ocrDataAvailable())('images through the RagFlow facade', () => {
  it(
    'parses an uploaded PNG with the picture method and retrieves it by a word from the image',
    async () => {
      const rag = await RagFlow.open({ path: ':memory:', ocr: { langPath: TESSDATA } });
      try {
        const ds = await rag.datasets.create({ name: 'scans' });
        const [doc] = await rag.documents.upload(ds.id, { name: 'memo.png', data: await textPng() });
        expect(doc!.chunkMethod).toBe('picture');
        const [blank] = await rag.documents.upload(ds.id, { name: 'empty.png', data: await blankPng() });
        const done = await rag.documents.parse(ds.id, [doc!.id, blank!.id], { wait: true });
        expect(done.map((d) => d.run)).toEqual(['DONE', 'DONE']);
        expect(done[1]!.progressMsg).toMatch(/No chunk!/);
        const chunks = await rag.chunks.list(ds.id, doc!.id);
        expect(wordF1(chunks.chunks.map((c) => c.content).join(' '), EXPECTED)).toBeGreaterThanOrEqual(0.9);
        const found = await rag.retrieve({ datasetIds: [ds.id], question: 'wizards liquor jugs' });
        expect(found.chunks[0]?.documentId).toBe(doc!.id);
        expect(found.chunks[0]?.content).toMatch(/wizards/);
      } finally {
        await rag.close();
      }
    },
    SLOW,
  );
});
