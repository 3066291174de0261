import { createCanvas, loadImage } from '@napi-rs/canvas';
import UTIF from 'utif2';
import { describe, expect, it, vi } from 'vitest';
import { chunkerFor } from '../../src/ingest/chunkers/index.js';
import { imageMimeType, pictureChunker, wordCount } from '../../src/ingest/chunkers/picture.js';
import type { ChunkContext } from '../../src/ingest/chunkers/types.js';
import { IngestError, type ParsedFile, type Section } from '../../src/ingest/types.js';
import type { VisionModel } from '../../src/llm/vision/index.js';
import { RagFlow } from '../../src/ragflow.js';
import type { Document } from '../../src/types.js';
import { startFakeOllamaVision } from '../llm/fake-vision-servers.js';
import { bmp as encodeBmp, TESSDATA } from '../fixtures/ocr-images.js';

/** A white PNG with these lines in black, large enough for OCR to read. */
async function renderText(lines: readonly string[]): Promise<Uint8Array> {
  const canvas = createCanvas(1400, 60 + 50 * lines.length);
  const draw = canvas.getContext('2d');
  draw.fillStyle = '#ffffff';
  draw.fillRect(0, 0, canvas.width, canvas.height);
  draw.fillStyle = '#000000';
  draw.font = '30px DejaVu Sans';
  lines.forEach((text, i) => draw.fillText(text, 30, 60 + 50 * i));
  return new Uint8Array(await canvas.encode('png'));
}

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const LONG_TEXT = [
  'Quarterly revenue grew eleven percent on the back of strong subscription renewals in Europe,',
  'while hardware sales fell slightly; operating margin reached nineteen percent and the board',
  'approved a dividend of forty cents per share payable in March.',
];
const line = (text: string, box: [number, number, number, number, number]): Section => ({ kind: 'text', text, positions: [box] });

function contextFor(overrides: Partial<ChunkContext> = {}): ChunkContext {
  return { fileType: 'image', fileName: 'scan.png', chunkTokenNum: 128, delimiter: '\n!?。；！？', bytes: PNG, ...overrides };
}

describe('picture chunker', () => {
  it('uses OCR text of more than 32 words alone, without asking the vision model', async () => {
    const describeImage = vi.fn(async () => 'never used');
    const parsed: ParsedFile = {
      sections: LONG_TEXT.map((text, i) => line(text, [1, 10, 600, 20 + 30 * i, 40 + 30 * i])),
    };
    expect(wordCount(LONG_TEXT.join(' '))).toBeGreaterThan(32);
    const chunks = await pictureChunker.chunk(parsed, contextFor({ describeImage }));
    expect(chunks).toEqual([
      {
        content: LONG_TEXT.join('\n'),
        positions: [
          [1, 10, 600, 20, 40],
          [1, 10, 600, 50, 70],
          [1, 10, 600, 80, 100],
        ],
        source: {},
      },
    ]);
    expect(describeImage).not.toHaveBeenCalled();
  });

  it('adds the description of the model after short OCR text, sending the bytes and their MIME type', async () => {
    const describeImage = vi.fn(async () => '  A bar chart of sales by region; Europe leads with 42%. ');
    const controller = new AbortController();
    const parsed: ParsedFile = { sections: [line('Sales by region', [1, 5, 200, 5, 25])] };
    const chunks = await pictureChunker.chunk(parsed, contextFor({ describeImage, signal: controller.signal }));
    expect(chunks).toEqual([
      {
        content: 'Sales by region\nDescription: A bar chart of sales by region; Europe leads with 42%.',
        positions: [[1, 5, 200, 5, 25]],
        source: {},
      },
    ]);
    expect(describeImage).toHaveBeenCalledWith(PNG, 'image/png', controller.signal);
  });

  it('makes a chunk of the description alone when OCR found nothing', async () => {
    const chunks = await pictureChunker.chunk({ sections: [] }, contextFor({ describeImage: async () => 'A cat on a sofa.' }));
    expect(chunks).toEqual([{ content: 'Description: A cat on a sofa.', positions: [], source: {} }]);
  });

  it('without a model keeps short OCR text, and makes no chunk when there is none', async () => {
    const parsed: ParsedFile = { sections: [line('EXIT', [1, 1, 50, 1, 20])] };
    expect(await pictureChunker.chunk(parsed, contextFor())).toEqual([
      { content: 'EXIT', positions: [[1, 1, 50, 1, 20]], source: {} },
    ]);
    expect(await pictureChunker.chunk({ sections: [{ kind: 'text', text: '  ' }] }, contextFor())).toEqual([]);
  });

  it('keeps the OCR text when the description fails', async () => {
    const describeImage = vi.fn(async () => {
      throw new Error('The vision API rejected the image description request (HTTP 400)');
    });
    const parsed: ParsedFile = { sections: [line('Fig. 3', [1, 1, 60, 1, 15])] };
    expect(await pictureChunker.chunk(parsed, contextFor({ describeImage }))).toEqual([
      { content: 'Fig. 3', positions: [[1, 1, 60, 1, 15]], source: {} },
    ]);
    expect(describeImage).toHaveBeenCalledTimes(1);
  });

  it('fails the document with the reason when the description fails and OCR found nothing', async () => {
    const describeImage = async (): Promise<string> => {
      throw new Error('Ollama is not reachable at http://127.0.0.1:11434 — is it running?');
    };
    const failure = pictureChunker.chunk({ sections: [] }, contextFor({ describeImage }));
    await expect(failure).rejects.toBeInstanceOf(IngestError);
    await expect(failure).rejects.toThrow(/could not describe it: Ollama is not reachable/);
  });

  it('lets an abort through as an abort, not as a bad file', async () => {
    const controller = new AbortController();
    const describeImage = async (): Promise<string> => {
      controller.abort();
      throw controller.signal.reason;
    };
    const parsed: ParsedFile = { sections: [line('Fig. 3', [1, 1, 60, 1, 15])] };
    await expect(pictureChunker.chunk(parsed, contextFor({ describeImage, signal: controller.signal }))).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('makes no chunk when the model sees nothing to say and OCR found nothing', async () => {
    expect(await pictureChunker.chunk({ sections: [] }, contextFor({ describeImage: async () => '   ' }))).toEqual([]);
  });

  it('names the pages of a multi-page TIFF, from the sections or from the boxes', async () => {
    const pages: ParsedFile = {
      sections: [
        { kind: 'text', text: 'Page one', positions: [[1, 0, 10, 0, 10]], source: { pages: [1] } },
        { kind: 'text', text: 'Page two', positions: [[2, 0, 10, 0, 10]], source: { pages: [2] } },
      ],
    };
    const [fromSections] = await pictureChunker.chunk(pages, contextFor({ fileName: 'fax.tif' }));
    expect(fromSections?.source).toEqual({ pages: [1, 2] });
    const boxesOnly: ParsedFile = { sections: pages.sections.map(({ source: _source, ...rest }) => rest as Section) };
    const [fromBoxes] = await pictureChunker.chunk(boxesOnly, contextFor({ fileName: 'fax.tif' }));
    expect(fromBoxes?.source).toEqual({ pages: [1, 2] });
    expect(fromBoxes?.content).toBe('Page one\nPage two');
  });

  it('counts each Chinese or Japanese character as a word', () => {
    expect(wordCount('two words')).toBe(2);
    expect(wordCount('第十二条 applies')).toBe(5);
    expect(wordCount('')).toBe(0);
  });

  it('tells the model the image type from the bytes, the extension only when they say nothing', () => {
    expect(imageMimeType('photo.png', new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(imageMimeType('a.bin', PNG)).toBe('image/png');
    expect(imageMimeType('fax.tif', new Uint8Array([0x4d, 0x4d, 0x00, 0x2a]))).toBe('image/tiff');
    expect(imageMimeType('fax.tif', new Uint8Array([0x49, 0x49, 0x2a, 0x00]))).toBe('image/tiff');
    expect(imageMimeType('x', new Uint8Array([0x42, 0x4d, 0, 0]))).toBe('image/bmp');
    const webp = new Uint8Array([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50]);
    expect(imageMimeType('x', webp)).toBe('image/webp');
    expect(imageMimeType('scan.JPEG', new Uint8Array([0, 0, 0]))).toBe('image/jpeg');
  });

  it('redraws a TIFF (first page) or BMP as PNG for the model, which cannot read those formats', async () => {
    const received: { bytes: Uint8Array; mimeType: string }[] = [];
    const describeImage = async (bytes: Uint8Array, mimeType: string): Promise<string> => {
      received.push({ bytes, mimeType });
      return 'A grey rectangle.';
    };
    const rgba = new Uint8Array(40 * 30 * 4).fill(128);
    const tiff = new Uint8Array(UTIF.encodeImage(rgba, 40, 30));
    const bmp = encodeBmp({ rgba: new Uint8Array(12 * 7 * 4).fill(255), width: 12, height: 7 });
    for (const [fileName, bytes] of [['scan.tif', tiff], ['old.bmp', bmp]] as const) {
      const chunks = await pictureChunker.chunk({ sections: [] }, contextFor({ fileName, bytes, describeImage }));
      expect(chunks.map((c) => c.content)).toEqual(['Description: A grey rectangle.']);
    }
    expect(received.map((r) => r.mimeType)).toEqual(['image/png', 'image/png']);
    const sizes = await Promise.all(received.map(async (r) => loadImage(Buffer.from(r.bytes))));
    expect(sizes.map((image) => [image.width, image.height])).toEqual([
      [40, 30],
      [12, 7],
    ]);
  });

  it('sends a TIFF it cannot decode as it is, for the model to judge', async () => {
    const received: string[] = [];
    const broken = new Uint8Array([0x49, 0x49, 0x2a, 0x00, 0xff, 0xff, 0xff, 0xff]);
    const describeImage = async (_bytes: Uint8Array, mimeType: string): Promise<string> => {
      received.push(mimeType);
      return 'Unreadable.';
    };
    await pictureChunker.chunk({ sections: [] }, contextFor({ fileName: 'bad.tif', bytes: broken, describeImage }));
    expect(received).toEqual(['image/tiff']);
  });

  it('reads images only', () => {
    expect(() => chunkerFor('picture', 'pdf')).toThrow(IngestError);
    expect(chunkerFor('picture', 'image')).toBe(pictureChunker);
  });
});

describe('picture method through RagFlow.open({ visionModel })', () => {
  it('describes an uploaded PNG with the configured model and stores the description as its chunk', async () => {
    const canvas = createCanvas(160, 120);
    const draw = canvas.getContext('2d');
    draw.fillStyle = '#ffffff';
    draw.fillRect(0, 0, 160, 120);
    draw.fillStyle = '#d02020';
    draw.fillRect(50, 30, 60, 60);
    const png = new Uint8Array(await canvas.encode('png'));

    const seen: { bytes: Uint8Array; mimeType: string }[] = [];
    const visionModel: VisionModel = {
      id: 'fake-eyes@Custom',
      describe: async (image, { mimeType }) => {
        seen.push({ bytes: image, mimeType });
        return 'A red square centred on a white background.';
      },
    };
    const rag = await RagFlow.open({
      path: ':memory:',
      visionModel,
      ocr: { langPath: TESSDATA, languages: ['eng'] },
    });
    try {
      const dataset = await rag.datasets.create({ name: 'pictures', chunkMethod: 'picture' });
      const [doc] = (await rag.documents.upload(dataset.id, { name: 'square.png', data: png })) as Document[];
      const [done] = await rag.documents.parse(dataset.id, [doc!.id], { wait: true });
      expect(done?.progressMsg).not.toMatch(/not implemented/);
      expect(done).toMatchObject({ run: 'DONE', chunkCount: 1 });
      expect(seen).toHaveLength(1);
      expect(seen[0]!.mimeType).toBe('image/png');
      expect(Buffer.from(seen[0]!.bytes).equals(Buffer.from(png))).toBe(true);
      const { chunks } = await rag.chunks.list(dataset.id, doc!.id);
      expect(chunks).toHaveLength(1);
      expect(chunks[0]!.content).toMatch(/(^|\n)Description: A red square centred on a white background\.$/);
      const hits = await rag.retrieve({ datasetIds: [dataset.id], question: 'red square' });
      expect(hits.chunks[0]?.documentId).toBe(doc!.id);
    } finally {
      await rag.close();
    }
  });

  it('sends the picture to the model named in open() and puts the description after the OCR text', async () => {
    const server = await startFakeOllamaVision();
    const png = await renderText(['Invoice 2041', 'Total due: 310 EUR']);
    const rag = await RagFlow.open({
      path: ':memory:',
      visionModel: 'llava@Ollama',
      providers: { ollama: { host: server.url } },
      ocr: { langPath: TESSDATA, languages: ['eng'] },
    });
    try {
      const dataset = await rag.datasets.create({ name: 'scans' });
      // No method given: an image gets `picture` on upload, as RAGFlow does.
      const [doc] = (await rag.documents.upload(dataset.id, { name: 'invoice.png', data: png })) as Document[];
      expect(doc?.chunkMethod).toBe('picture');
      const [done] = await rag.documents.parse(dataset.id, [doc!.id], { wait: true });
      expect(done).toMatchObject({ run: 'DONE', chunkCount: 1 });
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]!.body).toMatchObject({
        model: 'llava',
        messages: [{ role: 'user', images: [Buffer.from(png).toString('base64')] }],
      });
      const [chunk] = (await rag.chunks.list(dataset.id, doc!.id)).chunks;
      expect(chunk?.content).toMatch(/^Invoice 2041\s+Total due: 310 EUR\nDescription: A test pattern of \d+ bytes\.$/);
      expect(chunk?.content).toContain(`of ${png.byteLength} bytes`);
      expect(chunk?.positions.length).toBeGreaterThan(0);
    } finally {
      await rag.close();
      await server.close();
    }
  });

  it('does not ask the model about a picture whose OCR text is long enough on its own', async () => {
    const server = await startFakeOllamaVision();
    const png = await renderText([
      'The committee met on Tuesday to review the annual budget for the city library,',
      'and agreed to extend opening hours on weekends, to buy new reading tables for',
      'the children section, and to repair the roof of the east wing before the winter.',
    ]);
    const rag = await RagFlow.open({
      path: ':memory:',
      visionModel: 'llava@Ollama',
      providers: { ollama: { host: server.url } },
      ocr: { langPath: TESSDATA, languages: ['eng'] },
    });
    try {
      const dataset = await rag.datasets.create({ name: 'scans', chunkMethod: 'picture' });
      const [doc] = (await rag.documents.upload(dataset.id, { name: 'minutes.png', data: png })) as Document[];
      const [done] = await rag.documents.parse(dataset.id, [doc!.id], { wait: true });
      expect(done).toMatchObject({ run: 'DONE', chunkCount: 1 });
      expect(server.requests).toHaveLength(0);
      const [chunk] = (await rag.chunks.list(dataset.id, doc!.id)).chunks;
      expect(chunk?.content).toMatch(/^The committee met on Tuesday/);
      expect(chunk?.content).toMatch(/east wing before the winter\.$/);
      expect(chunk?.content).not.toContain('Description:');
    } finally {
      await rag.close();
      await server.close();
    }
  });
});
