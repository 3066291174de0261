import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RagFlow } from '../../src/ragflow.js';
import type { Dataset, Document } from '../../src/types.js';
import { expectRagFlowError, openMemory, SHARED_DATA, text } from './helpers.js';
import { ControlledModel } from './test-models.js';

const MARKDOWN = [
  '# Solar power',
  '',
  'Photovoltaic cells turn sunlight into electricity. Panels work best facing the sun.',
  '',
  '## Storage',
  '',
  'Batteries store the surplus for the night.',
  '',
  '| Part | Lifetime |',
  '| --- | --- |',
  '| Panel | 25 years |',
  '| Inverter | 10 years |',
].join('\n');

let rag: RagFlow;
let model: ControlledModel;
let ds: Dataset;
beforeEach(async () => {
  model = new ControlledModel();
  rag = await openMemory({ embeddingModels: [model] });
  ds = await rag.datasets.create({ name: 'kb', embeddingModel: model.id });
});
afterEach(async () => {
  await rag.close();
});

async function upload(name: string, data: Uint8Array): Promise<Document> {
  return (await rag.documents.upload(ds.id, { name, data }))[0] as Document;
}

describe('parsing', () => {
  it('parses in the background and reports progress as RAGFlow does', async () => {
    const doc = await upload('solar.md', text(MARKDOWN));
    const seen: Document[] = [];
    const queued = await rag.documents.parse(ds.id, [doc.id], { onProgress: (d) => seen.push(d) });
    expect(queued[0]?.run).toBe('RUNNING');
    const [done] = await rag.documents.waitForParsing(ds.id, [doc.id]);
    expect(done).toMatchObject({ run: 'DONE', progress: 1 });
    expect(done!.chunkCount).toBeGreaterThan(0);
    expect(done!.tokenCount).toBeGreaterThan(0);
    expect(done!.processBeginAt).not.toBeNull();
    expect(done!.progressMsg).toMatch(
      /^\nTask has been received\.\nStart to parse\.\nFinish parsing\.\nFinished slicing files\(\d+\)\. Start to embedding the content\.\nFinished embedding\([\d.]+\)! Start to build index!\nDone!$/,
    );
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.at(-1)?.run).toBe('DONE');
    const progress = seen.map((d) => d.progress);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);

    const { chunks } = await rag.chunks.list(ds.id, doc.id);
    expect(chunks.map((c) => c.content).join('\n')).toContain('Photovoltaic cells');
    expect(chunks.some((c) => c.content.startsWith('<table>') && c.content.includes('Inverter'))).toBe(true);
    const dataset = await rag.datasets.get(ds.id);
    expect([dataset.chunkCount, dataset.tokenCount]).toEqual([done!.chunkCount, done!.tokenCount]);
    const hits = await rag.retrieve({ datasetIds: [ds.id], question: 'How long does an inverter last?' });
    expect(hits.chunks[0]?.content).toContain('Inverter');
  });

  it('keeps a parsed document DONE when its unchanged settings are sent back, and resets it on a change', async () => {
    const doc = await upload('solar.md', text(MARKDOWN));
    const [done] = await rag.documents.parse(ds.id, [doc.id], { wait: true });
    const same = await rag.documents.update(ds.id, doc.id, { chunkMethod: done!.chunkMethod, parserConfig: done!.parserConfig });
    expect(same.run).toBe('DONE');
    const changed = await rag.documents.update(ds.id, doc.id, { parserConfig: { chunkTokenNum: 64 } });
    expect(changed).toMatchObject({ run: 'UNSTART', progress: 0 });
    expect(changed.chunkCount).toBe(done!.chunkCount);
  });

  it('replaces the chunks of a re-parsed document instead of adding to them', async () => {
    const doc = await upload('solar.md', text(MARKDOWN));
    const [first] = await rag.documents.parse(ds.id, [doc.id], { wait: true });
    const [second] = await rag.documents.parse(ds.id, [doc.id], { wait: true });
    expect(second!.chunkCount).toBe(first!.chunkCount);
    expect((await rag.chunks.list(ds.id, doc.id)).total).toBe(first!.chunkCount);
    expect((await rag.datasets.get(ds.id)).chunkCount).toBe(first!.chunkCount);
    expect((await rag.datasets.get(ds.id)).tokenCount).toBe(first!.tokenCount);
  });

  it('parses real PDF and DOCX files with page positions', async () => {
    const pdf = await upload('multi_page.pdf', await readFile(join(SHARED_DATA, 'parsing-docling/pdf/multi_page.pdf')));
    const docx = await upload('word_sample.docx', await readFile(join(SHARED_DATA, 'parsing-docling/docx/word_sample.docx')));
    const done = await rag.documents.parse(ds.id, [pdf.id, docx.id], { wait: true });
    expect(done.map((d) => d.run)).toEqual(['DONE', 'DONE']);
    const { chunks } = await rag.chunks.list(ds.id, pdf.id, { pageSize: 1000 });
    const pages = new Set(chunks.flatMap((c) => c.positions.map((p) => p[0])));
    expect(pages.size).toBe(5);
    for (const chunk of chunks) expect(chunk.positions.length).toBeGreaterThan(0);
    expect((await rag.chunks.list(ds.id, docx.id)).total).toBeGreaterThan(0);
  });

  it('fails a corrupt PDF and an encrypted-looking DOCX with a clear message, and goes on', async () => {
    const real = await readFile(join(SHARED_DATA, 'parsing-docling/pdf/multi_page.pdf'));
    const broken = await upload('broken.pdf', real.subarray(0, 600));
    const fakeDocx = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(512).fill(0)]);
    const good = await upload('fine.txt', text('still parsed'));
    // Detection accepts the PDF header; the parser finds the body broken.
    const docs = [broken];
    const maybeDocx = await rag.documents.upload(ds.id, { name: 'locked.docx', data: fakeDocx }).catch((e: Error) => e);
    const results = await rag.documents.parse(ds.id, [...docs.map((d) => d.id), good.id], { wait: true });
    expect(results[0]).toMatchObject({ run: 'FAIL', progress: -1 });
    expect(results[0]!.progressMsg).toMatch(/\[ERROR\].*(corrupt|PDF)/i);
    expect(results[1]?.run).toBe('DONE');
    if (!(maybeDocx instanceof Error)) {
      const [locked] = await rag.documents.parse(ds.id, [maybeDocx[0]!.id], { wait: true });
      expect(locked).toMatchObject({ run: 'FAIL', progress: -1 });
      expect(locked!.progressMsg).toMatch(/\[ERROR\]/);
    } else {
      expect((maybeDocx as { code?: number }).code).toBe(101);
    }
  });

  it('keeps the previous chunks when a re-parse fails', async () => {
    const doc = await upload('solar.md', text(MARKDOWN));
    const [first] = await rag.documents.parse(ds.id, [doc.id], { wait: true });
    const before = (await rag.chunks.list(ds.id, doc.id)).chunks.map((c) => c.id);
    model.failWith = 'embedding service exploded';
    const [failed] = await rag.documents.parse(ds.id, [doc.id], { wait: true });
    expect(failed).toMatchObject({ run: 'FAIL', progress: -1 });
    expect(failed!.progressMsg).toContain('[ERROR]embedding service exploded');
    expect((await rag.chunks.list(ds.id, doc.id)).chunks.map((c) => c.id)).toEqual(before);
    expect(failed!.chunkCount).toBe(first!.chunkCount);
  });

  it('stops a running parse within a second and keeps the previous chunks', async () => {
    const doc = await upload('solar.md', text(MARKDOWN));
    await rag.documents.parse(ds.id, [doc.id], { wait: true });
    const before = (await rag.chunks.list(ds.id, doc.id)).total;
    model.delayMs = 5_000;
    await rag.documents.parse(ds.id, [doc.id]);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    const [stopped] = await rag.documents.stopParsing(ds.id, [doc.id]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(stopped?.run).toBe('CANCEL');
    expect(stopped?.progressMsg).toContain('[Canceled]');
    expect((await rag.chunks.list(ds.id, doc.id)).total).toBe(before);
    await expectRagFlowError(rag.documents.stopParsing(ds.id, [doc.id]), 102, /not started or has already completed/);
  });

  it('stops when the AbortSignal given to parse() fires', async () => {
    const doc = await upload('solar.md', text(MARKDOWN));
    model.delayMs = 5_000;
    const controller = new AbortController();
    await rag.documents.parse(ds.id, [doc.id], { signal: controller.signal });
    controller.abort();
    const [after] = await rag.documents.waitForParsing(ds.id, [doc.id]);
    expect(after?.run).toBe('CANCEL');
    expect(after?.chunkCount).toBe(0);
  });

  it('refuses to parse a document twice at once, or unknown documents', async () => {
    const doc = await upload('solar.md', text(MARKDOWN));
    model.delayMs = 200;
    await rag.documents.parse(ds.id, [doc.id]);
    await expectRagFlowError(rag.documents.parse(ds.id, [doc.id]), 102, /being parsed/);
    await expectRagFlowError(rag.documents.parse(ds.id, ['nope']), 102, /nope/);
    await expectRagFlowError(rag.documents.parse(ds.id, []), 101);
    await rag.documents.waitForParsing(ds.id, [doc.id]);
  });

  it('deleting a document stops its parse', async () => {
    const doc = await upload('solar.md', text(MARKDOWN));
    model.delayMs = 5_000;
    await rag.documents.parse(ds.id, [doc.id]);
    await rag.documents.delete(ds.id, [doc.id]);
    expect((await rag.documents.list(ds.id)).total).toBe(0);
    expect((await rag.datasets.get(ds.id)).chunkCount).toBe(0);
  });

  it('refuses vectors of a different size than the dataset already holds', async () => {
    const doc = await upload('a.txt', text('alpha beta'));
    await rag.chunks.add(ds.id, doc.id, { content: 'alpha' });
    const { HashEmbeddingModel } = await import('../../src/embed/hash.js');
    Object.assign(model, { inner: new HashEmbeddingModel({ dimensions: 32 }), dimensions: 32 });
    await expectRagFlowError(rag.chunks.add(ds.id, doc.id, { content: 'beta' }), 102, /mixing models/);
  });

  it('stops a whole batch without starting the queued ones, and reports every CANCEL', async () => {
    await rag.close();
    model = new ControlledModel();
    rag = await openMemory({ embeddingModels: [model], parseConcurrency: 1 });
    ds = await rag.datasets.create({ name: 'kb', embeddingModel: model.id });
    const docs = [];
    for (let i = 0; i < 4; i++) docs.push(await upload(`d${i}.md`, text(MARKDOWN)));
    model.delayMs = 5_000;
    const events: { id: string; run: string; received: boolean }[] = [];
    const ids = docs.map((d) => d.id);
    await rag.documents.parse(ds.id, ids, {
      onProgress: (d) => events.push({ id: d.id, run: d.run, received: d.progressMsg.includes('received') }),
    });
    await new Promise((r) => setTimeout(r, 50));
    const stopped = await rag.documents.stopParsing(ds.id, ids);
    expect(stopped.map((d) => d.run)).toEqual(['CANCEL', 'CANCEL', 'CANCEL', 'CANCEL']);
    const started = new Set(events.filter((e) => e.received).map((e) => e.id));
    expect([...started]).toEqual([docs[0]!.id]);
    for (const id of ids) expect(events.filter((e) => e.id === id).at(-1)?.run).toBe('CANCEL');
  });

  it('waitForParsing honours its AbortSignal and validates ids', async () => {
    const doc = await upload('solar.md', text(MARKDOWN));
    model.delayMs = 5_000;
    await rag.documents.parse(ds.id, [doc.id]);
    const controller = new AbortController();
    const waiting = rag.documents.waitForParsing(ds.id, [doc.id], { signal: controller.signal });
    controller.abort(new Error('gave up waiting'));
    await expect(waiting).rejects.toThrow('gave up waiting');
    expect((await rag.documents.get(ds.id, doc.id)).run).toBe('RUNNING');
    await expectRagFlowError(rag.documents.waitForParsing(ds.id, ['nope']), 102, /nope/);
    await rag.documents.stopParsing(ds.id, [doc.id]);
    const [done] = await rag.documents.waitForParsing(ds.id, [doc.id]);
    expect(done?.run).toBe('CANCEL');
  });

  it('close() while parsing leaves the document to be resumed by the next open()', async () => {
    const { dir, cleanup } = await (await import('./helpers.js')).tempDir();
    try {
      const path = `${dir}/kb.db`;
      const slow = new ControlledModel();
      slow.delayMs = 5_000;
      const first = await openMemory({ path, embeddingModels: [slow] });
      const kb = await first.datasets.create({ name: 'kb', embeddingModel: slow.id });
      const [doc] = await first.documents.upload(kb.id, { name: 'solar.md', data: text(MARKDOWN) });
      await first.documents.parse(kb.id, [doc!.id]);
      await new Promise((r) => setTimeout(r, 50));
      await first.close();
      const second = await openMemory({ path, embeddingModels: [new ControlledModel()] });
      try {
        const [done] = await second.documents.waitForParsing(kb.id, [doc!.id]);
        expect(done?.run).toBe('DONE');
        expect(done?.progressMsg).toContain('Re-queued after an interrupted run.');
      } finally {
        await second.close();
      }
    } finally {
      await cleanup();
    }
  });
});
