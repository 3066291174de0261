import { afterEach, beforeEach, describe, it, expect } from 'vitest';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { parseFile, IngestError, type Section } from '../../src/ingest/index.js';
import { chunkerFor } from '../../src/ingest/chunkers/index.js';
import { presentationChunker } from '../../src/ingest/chunkers/presentation.js';
import type { ChunkContext } from '../../src/ingest/chunkers/types.js';
import type { FileType } from '../../src/ingest/types.js';
import { countTokens } from '../../src/ingest/tokens.js';
import type { RagFlow } from '../../src/ragflow.js';
import type { Dataset, Document } from '../../src/types.js';
import { openMemory } from '../ragflow/helpers.js';
import { corpusFile } from './fixtures.js';
import { deckBytes, MASTER, newDeck, sampleDeck } from './pptx-fixtures.js';

function context(fileType: FileType, bytes: Uint8Array, chunkTokenNum = 128): ChunkContext {
  return { fileType, fileName: `deck.${fileType}`, chunkTokenNum, delimiter: '\n!?;。；！？', bytes };
}

async function chunkFile(bytes: Uint8Array, fileType: 'pptx' | 'pdf', chunkTokenNum?: number) {
  const parsed = await parseFile(bytes, `deck.${fileType}`);
  return presentationChunker.chunk(parsed, context(fileType, bytes, chunkTokenNum));
}

/** A PDF of slide-like pages: a title and a line each, and one blank page. */
async function slidesPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const pages = [
    ['Wind farms', 'Turbines need steady coastal wind.'],
    [],
    ['Hydro dams', 'Reservoirs store energy for dry months.'],
  ];
  for (const lines of pages) {
    const page = pdf.addPage([720, 405]);
    lines.forEach((line, i) => page.drawText(line, { x: 40, y: 340 - i * 40, size: i === 0 ? 28 : 16, font }));
  }
  return pdf.save();
}

describe('presentation method', () => {
  it('makes one chunk per shown slide: title, text, table lines and notes; hidden and empty slides make none', async () => {
    const chunks = await chunkFile(await sampleDeck(), 'pptx');
    expect(chunks.map((c) => c.source)).toEqual([{ slides: [1] }, { slides: [3] }, { slides: [4] }, { slides: [6] }]);
    expect(chunks[0]).toEqual({
      content: [
        'Solar Power Basics',
        'A short history of photovoltaics',
        'Panels convert sunlight into current',
        'Inverters turn it into household AC',
        'Notes: Mention the twenty-five year warranty.',
      ].join('\n'),
      positions: [],
      source: { slides: [1] },
    });
    expect(chunks[1]?.content).toBe(
      [
        'Installation costs by region',
        'Region: North; Cost per kW: 1200 EUR',
        'Region: South; Cost per kW: 950 EUR',
        'Notes: Prices include mounting.',
      ].join('\n'),
    );
    expect(chunks[3]?.content).toBe('Questions and answers');
  });

  it('keeps a slide whole however far it exceeds the token budget', async () => {
    const deck = newDeck();
    const slide = deck.addSlide({ masterName: MASTER });
    slide.addText('A very dense slide', { placeholder: 'title' });
    const bullets = Array.from({ length: 60 }, (_, i) => ({ text: `Point ${i + 1} about grid storage and demand response`, options: { bullet: true } }));
    slide.addText(bullets, { x: 0.5, y: 1.5, w: 9, h: 4 });
    deck.addSlide({ masterName: MASTER }).addText('Short slide', { placeholder: 'title' });
    const chunks = await chunkFile(await deckBytes(deck), 'pptx', 32);
    expect(chunks).toHaveLength(2);
    expect(countTokens(chunks[0]!.content)).toBeGreaterThan(4 * 32);
    expect(chunks[0]!.content).toMatch(/^A very dense slide\nPoint 1 about[^]*Point 60 about grid storage and demand response$/);
    expect(chunks[1]).toMatchObject({ content: 'Short slide', source: { slides: [2] } });
  });

  it('makes one chunk per PDF page with its page number and boxes; a blank page makes none', async () => {
    const chunks = await chunkFile(await slidesPdf(), 'pdf');
    expect(chunks.map((c) => [c.content, c.source])).toEqual([
      ['Wind farms\nTurbines need steady coastal wind.', { pages: [1] }],
      ['Hydro dams\nReservoirs store energy for dry months.', { pages: [3] }],
    ]);
    expect(chunks[0]?.positions).toHaveLength(2);
    for (const [i, chunk] of chunks.entries()) {
      for (const position of chunk.positions) expect(position[0]).toBe(i === 0 ? 1 : 3);
    }
  });

  it('reads a real five-page PDF page by page', async () => {
    const bytes = await corpusFile('pdf/multi_page.pdf');
    const parsed = await parseFile(bytes, 'multi_page.pdf');
    const chunks = await presentationChunker.chunk(parsed, context('pdf', bytes));
    expect(chunks.map((c) => c.source?.pages)).toEqual([[1], [2], [3], [4], [5]]);
    for (const chunk of chunks) {
      const page = chunk.source?.pages?.[0];
      expect(chunk.positions.length).toBeGreaterThan(0);
      expect(chunk.positions.every((p) => p[0] === page)).toBe(true);
      const pageText = parsed.sections
        .filter((s) => s.positions?.[0]?.[0] === page)
        .map((s) => (s.kind === 'table' ? '' : s.text.trim()))
        .join('\n');
      expect(chunk.content).toBe(pageText);
    }
  });

  it('groups by explicit pages, keeps unplaced sections with the previous page and writes tables as lines', async () => {
    const sections: Section[] = [
      { kind: 'heading', text: 'Scanned title', level: 1, source: { pages: [2] } },
      { kind: 'text', text: 'A line the parser could not place' },
      { kind: 'table', rows: [['x', 'y'], ['1', '']], hasHeader: false, positions: [[2, 0, 10, 0, 10]] },
      { kind: 'text', text: 'Page one text', positions: [[1, 0, 10, 0, 10]] },
    ];
    const chunks = await presentationChunker.chunk({ sections }, context('pdf', new Uint8Array()));
    expect(chunks).toEqual([
      { content: 'Page one text', positions: [[1, 0, 10, 0, 10]], source: { pages: [1] } },
      {
        content: 'Scanned title\nA line the parser could not place\nx; y\n1',
        positions: [[2, 0, 10, 0, 10]],
        source: { pages: [2] },
      },
    ]);
  });

  it('refuses file types other than slides and PDFs', () => {
    expect(chunkerFor('presentation', 'pptx')).toBe(presentationChunker);
    expect(chunkerFor('presentation', 'pdf')).toBe(presentationChunker);
    expect(() => chunkerFor('presentation', 'docx')).toThrow(IngestError);
    expect(() => chunkerFor('presentation', 'docx')).toThrow(/"presentation" parse method cannot read \.docx files/);
  });
});

describe('presentation through the RagFlow facade', () => {
  let rag: RagFlow;
  let dataset: Dataset;
  beforeEach(async () => {
    rag = await openMemory();
    dataset = await rag.datasets.create({ name: 'energy', chunkMethod: 'naive' });
  });
  afterEach(async () => {
    await rag.close();
  });

  it('reads an uploaded deck slide by slide and finds a slide by its words', async () => {
    const [uploaded] = await rag.documents.upload(dataset.id, { name: 'solar.pptx', data: await sampleDeck() });
    expect(uploaded?.chunkMethod).toBe('presentation');
    const [parsed] = (await rag.documents.parse(dataset.id, [uploaded!.id], { wait: true })) as Document[];
    expect(parsed).toMatchObject({ run: 'DONE', chunkCount: 4 });

    const { chunks } = await rag.chunks.list(dataset.id, uploaded!.id);
    expect(chunks.map((c) => c.source.slides).sort()).toEqual([[1], [3], [4], [6]]);
    expect(chunks.find((c) => c.source.slides?.[0] === 3)?.content).toContain('Region: South; Cost per kW: 950 EUR');

    const result = await rag.retrieve({ datasetIds: [dataset.id], question: 'installation cost per kW in the south region' });
    expect(result.chunks[0]?.source).toEqual({ slides: [3] });
    expect(result.chunks[0]?.documentId).toBe(uploaded!.id);
  });
});
