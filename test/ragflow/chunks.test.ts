import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RagFlow } from '../../src/ragflow.js';
import type { Dataset, Document } from '../../src/types.js';
import { expectRagFlowError, openMemory, text } from './helpers.js';

let rag: RagFlow;
let ds: Dataset;
let doc: Document;
beforeEach(async () => {
  rag = await openMemory();
  ds = await rag.datasets.create({ name: 'kb' });
  [doc] = (await rag.documents.upload(ds.id, { name: 'guide.txt', data: text('unused') })) as [Document];
});
afterEach(async () => {
  await rag.close();
});

const search = (question: string) =>
  rag.retrieve({ datasetIds: [ds.id], question }).then((r) => r.chunks.map((c) => c.content));

describe('chunks', () => {
  it('adds chunks that are searchable at once; identical content is one chunk', async () => {
    const added = await rag.chunks.add(ds.id, doc.id, {
      content: ['Turbines convert wind into electricity.', 'Solar panels face south.', 'Solar panels face south.'],
      importantKeywords: ['energy'],
    });
    expect(added).toHaveLength(2);
    expect(added[0]).toMatchObject({ documentId: doc.id, datasetId: ds.id, documentName: 'guide.txt', available: true });
    expect(added[0]!.importantKeywords).toEqual(['energy']);
    expect(await search('wind turbines')).toContain('Turbines convert wind into electricity.');
    expect((await rag.documents.get(ds.id, doc.id)).chunkCount).toBe(2);
    expect((await rag.datasets.get(ds.id)).chunkCount).toBe(2);
    await rag.chunks.add(ds.id, doc.id, { content: 'Solar panels face south.' });
    expect((await rag.datasets.get(ds.id)).chunkCount).toBe(2);
  });

  it('indexes a table chunk by its cell text, not by its markup or escapes', async () => {
    await rag.chunks.add(ds.id, doc.id, {
      content: '<table><tr><th>Lab</th><th>Budget</th></tr><tr><td>Fusion &amp; plasma</td><td>4 million</td></tr></table>',
    });
    expect(await search('fusion plasma budget')).toHaveLength(1);
    expect(await search('amp td')).toEqual([]);
  });

  it('validates added content', async () => {
    await expectRagFlowError(rag.chunks.add(ds.id, doc.id, { content: '  ' }), 101, /content/);
    await expectRagFlowError(rag.chunks.add(ds.id, doc.id, { content: [] }), 101, /content/);
    await expectRagFlowError(
      rag.chunks.add(ds.id, doc.id, { content: 'x', importantKeywords: 'no' as never }),
      101,
      /important_keywords/,
    );
    await expectRagFlowError(rag.chunks.add(ds.id, 'missing', { content: 'x' }), 102);
  });

  it('lists in order with paging, by id, and by keywords with <em> highlight', async () => {
    const contents = ['First about apples.', 'Second about pears.', 'Third: apples and pears. Nothing else.'];
    const added = await rag.chunks.add(ds.id, doc.id, { content: contents });
    const page = await rag.chunks.list(ds.id, doc.id, { page: 1, pageSize: 2 });
    expect(page.total).toBe(3);
    expect(page.chunks.map((c) => c.content)).toEqual(contents.slice(0, 2));
    expect(page.doc.id).toBe(doc.id);
    expect((await rag.chunks.list(ds.id, doc.id, { id: added[1]!.id })).chunks.map((c) => c.content)).toEqual([
      contents[1],
    ]);
    await expectRagFlowError(rag.chunks.list(ds.id, doc.id, { id: 'nope' }), 102);
    const found = await rag.chunks.list(ds.id, doc.id, { keywords: 'apple' });
    expect(found.total).toBe(2);
    expect(found.chunks.map((c) => c.content).sort()).toEqual([contents[0], contents[2]].sort());
    const third = found.chunks.find((c) => c.content === contents[2]);
    expect(third?.highlight).toBe('Third: <em>apples</em> and pears.');
  });

  it('updates content (re-indexed, same id), keywords and availability', async () => {
    const [chunk] = await rag.chunks.add(ds.id, doc.id, { content: 'The reactor cools with water.' });
    const updated = await rag.chunks.update(ds.id, doc.id, chunk!.id, {
      content: 'The reactor cools with liquid sodium.',
      importantKeywords: ['coolant'],
    });
    expect(updated.id).toBe(chunk!.id);
    expect(updated.importantKeywords).toEqual(['coolant']);
    expect(await search('sodium')).toEqual(['The reactor cools with liquid sodium.']);
    expect(await search('water')).toEqual([]);
    expect(await search('coolant')).toEqual(['The reactor cools with liquid sodium.']);

    await rag.chunks.update(ds.id, doc.id, chunk!.id, { available: false });
    expect(await search('sodium')).toEqual([]);
    expect((await rag.chunks.list(ds.id, doc.id)).chunks[0]?.available).toBe(false);
    await rag.chunks.update(ds.id, doc.id, chunk!.id, { available: true });
    expect(await search('sodium')).toHaveLength(1);

    await expectRagFlowError(rag.chunks.update(ds.id, doc.id, 'nope', { content: 'x' }), 102);
    await expectRagFlowError(rag.chunks.update(ds.id, doc.id, chunk!.id, { content: ' ' }), 101);
  });

  it('deletes all or nothing and keeps counters right', async () => {
    const added = await rag.chunks.add(ds.id, doc.id, { content: ['one', 'two', 'three'] });
    await expectRagFlowError(rag.chunks.delete(ds.id, doc.id, [added[0]!.id, 'unknown']), 102);
    expect((await rag.chunks.list(ds.id, doc.id)).total).toBe(3);
    await rag.chunks.delete(ds.id, doc.id, [added[0]!.id, added[1]!.id]);
    expect((await rag.chunks.list(ds.id, doc.id)).chunks.map((c) => c.content)).toEqual(['three']);
    expect((await rag.documents.get(ds.id, doc.id)).chunkCount).toBe(1);
    expect((await rag.datasets.get(ds.id)).chunkCount).toBe(1);
    await expectRagFlowError(rag.chunks.delete(ds.id, doc.id, []), 101);
  });

  it("keeps another tenant's chunks invisible", async () => {
    const [chunk] = await rag.chunks.add(ds.id, doc.id, { content: 'secret' });
    const other = rag.forTenant('acme');
    await expectRagFlowError(other.chunks.list(ds.id, doc.id), 102, /not found/);
    await expectRagFlowError(other.chunks.update(ds.id, doc.id, chunk!.id, { content: 'x' }), 102, /not found/);
    await expectRagFlowError(other.chunks.delete(ds.id, doc.id, [chunk!.id]), 102, /not found/);
    await expectRagFlowError(other.retrieve({ datasetIds: [ds.id], question: 'secret' }), 102, /not found/);
  });
});
