import { describe, it, expect } from 'vitest';
import { parseFile, sectionsToText, IngestError, type Section } from '../../src/ingest/index.js';
import { extractInline } from '../../src/ingest/pdf/extract-inline.js';
import { pdfAssetDirs } from '../../src/ingest/pdf/assets.js';
import { corpusFile, encryptedPdf } from './fixtures.js';
import { bestOfTwo } from '../fixtures/event-loop.js';

const textOf = (s: Section): string => (s.kind === 'table' ? '' : s.text);

describe('PDF parsing (real documents)', () => {
  it('reads a 5-page document with page numbers, positions from the top of the page and headings', async () => {
    const bytes = await corpusFile('pdf/multi_page.pdf');
    const progress: Array<[number, string | undefined]> = [];
    const parsed = await parseFile(bytes, 'multi_page.pdf', { onProgress: (f, m) => progress.push([f, m]) });

    expect(parsed.pageCount).toBe(5);
    expect(progress.slice(0, 5)).toEqual([
      [0.2, 'Page 1/5'],
      [0.4, 'Page 2/5'],
      [0.6, 'Page 3/5'],
      [0.8, 'Page 4/5'],
      [1, 'Page 5/5'],
    ]);
    const first = parsed.sections[0];
    expect(first).toMatchObject({ kind: 'heading', text: 'The Evolution of the Word Processor' });
    // US Letter, 612 x 792 points; the title sits near the top, so its top is small.
    const [page, left, right, top, bottom] = first?.positions?.[0] ?? [];
    expect(page).toBe(1);
    expect(left).toBeGreaterThan(50);
    expect(right).toBeGreaterThan(left ?? 0);
    expect(top).toBeGreaterThan(40);
    expect(top).toBeLessThan(120);
    expect(bottom).toBeGreaterThan(top ?? 0);

    const pages = new Set(parsed.sections.flatMap((s) => s.positions ?? []).map((p) => p[0]));
    expect([...pages].sort()).toEqual([1, 2, 3, 4, 5]);
    for (const s of parsed.sections) {
      for (const [, l, r, t, b] of s.positions ?? []) {
        expect(l).toBeLessThanOrEqual(r);
        expect(t).toBeLessThanOrEqual(b);
        expect(r).toBeLessThanOrEqual(612);
        expect(b).toBeLessThanOrEqual(792);
      }
    }
    const text = sectionsToText(parsed);
    expect(text).toContain('The origins of word processing can be traced back to the invention of the typewriter');
    expect(parsed.sections.filter((s) => s.kind === 'heading').map(textOf)).toContain('The Rise of Personal Computers (1980s)');
  });

  it('reads a two-column page column by column, not line by line across the gutter', async () => {
    const parsed = await parseFile(await corpusFile('pdf/amt_handbook_sample.pdf'), 'amt.pdf');
    const text = sectionsToText(parsed);
    // The left column's paragraph is continuous, and the right column comes after it.
    expect(text).toContain(
      'The spring keeps the locking and load-carrying sections such a distance apart that the two sets of threads are out of phase',
    );
    const leftColumn = text.indexOf('Boots self-locking nuts are made with three different spring styles');
    const rightColumn = text.indexOf('The elastic stop nut is a standard nut with the height increased');
    expect(leftColumn).toBeGreaterThanOrEqual(0);
    expect(rightColumn).toBeGreaterThan(leftColumn);
    expect(parsed.sections.find((s) => s.kind === 'heading' && s.text === 'Elastic Stop Nut')).toBeDefined();
    // The page number "7-45" at the foot of the page is furniture, not content.
    expect(parsed.sections.map(textOf)).not.toContain('7-45');
  });

  it('removes running footers that repeat across pages and control-character garbage', async () => {
    const text = sectionsToText(await parseFile(await corpusFile('pdf/redp5110_sampled.pdf'), 'redp.pdf'));
    expect(text).not.toMatch(/Copyright IBM Corp\. 2014\. All rights reserved/);
    expect(text).not.toMatch(/[\u0000-\u0008\u000e-\u001f]/);
    expect(text).toContain('Row and Column Access Control');
  });

  it('reads right-to-left text in logical order with spaces around embedded Latin words', async () => {
    const text = sectionsToText(await parseFile(await corpusFile('pdf/right_to_left_01.pdf'), 'rtl.pdf'));
    expect(text).toContain('تعتبر البرمجة بلغة R و Python من الأدوات القوية');
    expect(text).toContain('الإنتاجية');
  });

  it('reads Korean text with its word spaces', async () => {
    const text = sectionsToText(await parseFile(await corpusFile('pdf/normal_4pages.pdf'), 'ko.pdf'));
    expect(text).toContain('마시는 물 또는 식품을 매개로');
  });

  it('gives the same page content when pdf.js runs on the calling thread (fallback path)', async () => {
    const bytes = await corpusFile('pdf/multi_page.pdf');
    const { moduleUrl: _unused, ...assets } = pdfAssetDirs();
    const events = [];
    for await (const e of extractInline(bytes, { verbosity: 0, isEvalSupported: false, disableFontFace: true, useSystemFonts: false, cMapPacked: true, ...assets })) {
      events.push(e);
    }
    expect(events[0]).toEqual({ type: 'document', numPages: 5 });
    expect(events.filter((e) => e.type === 'page')).toHaveLength(5);
    const firstPage = events[1];
    expect(firstPage?.type === 'page' && firstPage.items.some((i) => i.str.includes('The Evolution of the Word Processor'))).toBe(true);
  });
});

describe('PDF parsing: responsiveness and cancellation', () => {
  it('never holds the event loop for long, even on pages with large CJK fonts', async () => {
    await parseFile(await corpusFile('pdf/picture_classification.pdf'), 'warm-up.pdf');
    const bytes = await corpusFile('pdf/normal_4pages.pdf');
    // pdf.js alone blocks ~150-350 ms on this file's first pages when run on the main thread.
    const { worstMs } = await bestOfTwo(() => parseFile(bytes, 'ko.pdf'));
    expect(worstMs).toBeLessThan(100);
  });

  it('rejects with the abort reason when aborted midway', async () => {
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    const pages: number[] = [];
    const run = parseFile(await corpusFile('pdf/redp5110_sampled.pdf'), 'redp.pdf', {
      signal: controller.signal,
      onProgress: (fraction) => {
        pages.push(fraction);
        if (pages.length === 2) controller.abort(reason);
      },
    });
    await expect(run).rejects.toBe(reason);
    expect(pages.length).toBeLessThan(18);
    // The next document is parsed normally (by a fresh worker if the old one was stopped).
    const next = await parseFile(await corpusFile('pdf/picture_classification.pdf'), 'next.pdf');
    expect(next.pageCount).toBe(2);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      parseFile(await corpusFile('pdf/multi_page.pdf'), 'x.pdf', { signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('PDF parsing: broken and protected files', () => {
  it('reports an encrypted PDF (pdf.js asks for a password)', async () => {
    // The fixture really is password protected for pdf.js.
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const task = pdfjs.getDocument({ data: encryptedPdf(), verbosity: 0 });
    await expect(task.promise).rejects.toMatchObject({ name: 'PasswordException' });
    await task.destroy();

    const error = await parseFile(encryptedPdf(), 'secret.pdf').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestError);
    expect((error as Error).message).toBe(
      'The PDF is encrypted (password protected); remove the password and upload it again.',
    );
  });

  it('reports a truncated PDF as corrupt', async () => {
    const whole = await corpusFile('pdf/multi_page.pdf');
    const error = await parseFile(whole.subarray(0, Math.floor(whole.length / 2)), 'cut.pdf').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestError);
    expect((error as Error).message).toMatch(/^The PDF is corrupt or truncated: /);
  });

  it('reports garbage after a PDF header as corrupt', async () => {
    const garbage = new Uint8Array(4096).map((_, i) => (i * 7919 + 13) % 256);
    const bytes = new Uint8Array([...new TextEncoder().encode('%PDF-1.7\n'), ...garbage]);
    await expect(parseFile(bytes, 'garbage.pdf')).rejects.toThrow(/^The PDF is corrupt or truncated: /);
  });

  it('keeps working after failures (the shared worker survives bad input)', async () => {
    await expect(parseFile(encryptedPdf(), 'secret.pdf')).rejects.toThrow(IngestError);
    const parsed = await parseFile(await corpusFile('pdf/picture_classification.pdf'), 'ok.pdf');
    expect(parsed.pageCount).toBe(2);
    expect(sectionsToText(parsed).length).toBeGreaterThan(1000);
  });
});
