import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RagFlow } from '../../src/ragflow.js';
import { openMemory, text } from './helpers.js';

let rag: RagFlow;
beforeAll(async () => {
  rag = await openMemory();
});
afterAll(async () => {
  await rag.close();
});

const found = async (datasetId: string, question: string): Promise<string[]> =>
  (await rag.retrieve({ datasetIds: [datasetId], question })).chunks.map((c) => c.content);

describe('Q&A chunks edited by hand stay indexed by their question', () => {
  it('a keyword change does not index the answer; new content is indexed by its new question', async () => {
    const dataset = await rag.datasets.create({ name: 'qa edits', chunkMethod: 'qa' });
    const [doc] = await rag.documents.upload(dataset.id, {
      name: 'faq.csv',
      data: text('Question,Answer\nWhen does the museum open?,"At nine, except on Mondays; the Aerobus stops outside."\n'),
    });
    await rag.documents.parse(dataset.id, [doc!.id], { wait: true });
    const [chunk] = (await rag.chunks.list(dataset.id, doc!.id)).chunks;
    expect(await found(dataset.id, 'Aerobus')).toEqual([]);

    await rag.chunks.update(dataset.id, doc!.id, chunk!.id, { importantKeywords: ['opening hours'] });
    expect(await found(dataset.id, 'Aerobus')).toEqual([]);
    expect(await found(dataset.id, 'opening hours')).toHaveLength(1);

    await rag.chunks.update(dataset.id, doc!.id, chunk!.id, { content: 'Question: Where is the cloakroom?\tAnswer: Next to the Aerobus stop.' });
    expect(await found(dataset.id, 'Aerobus')).toEqual([]);
    expect(await found(dataset.id, 'where is the cloakroom')).toEqual(['Question: Where is the cloakroom?\tAnswer: Next to the Aerobus stop.']);

    const [added] = await rag.chunks.add(dataset.id, doc!.id, { content: 'Question: Can I bring a dog?\tAnswer: Only guide dogs, says the Aerobus driver.' });
    expect(added?.content).toMatch(/^Question: Can I bring a dog\?/);
    expect(await found(dataset.id, 'Aerobus')).toEqual([]);
    expect(await found(dataset.id, 'bring a dog')).toHaveLength(1);
  });

  it('outside qa documents the whole content is indexed', async () => {
    const dataset = await rag.datasets.create({ name: 'plain edits' });
    const [doc] = await rag.documents.upload(dataset.id, { name: 'notes.txt', data: text('Plain note.') });
    await rag.chunks.add(dataset.id, doc!.id, { content: 'Question: Where?\tAnswer: By the Aerobus stop.' });
    expect(await found(dataset.id, 'Aerobus')).toHaveLength(1);
  });
});
