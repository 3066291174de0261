import { describe, expect, it } from 'vitest';
import { RagFlow } from '../../src/ragflow.js';
import { RagFlowError } from '../../src/errors.js';
import { text } from './helpers.js';

/** Same answers with and without the in-memory index: the option only changes how they are found. */
async function topChunks(searchIndex: boolean): Promise<string[]> {
  const rag = await RagFlow.open({ searchIndex });
  try {
    const dataset = await rag.datasets.create({ name: 'energy' });
    const notes = ['Solar panels convert sunlight into electricity.', 'Wind turbines turn in the wind.', 'Batteries store energy for the night.'];
    const docs = await rag.documents.upload(dataset.id, notes.map((note, i) => ({ name: `n${i}.txt`, data: text(note) })));
    await rag.documents.parse(dataset.id, docs.map((d) => d.id), { wait: true });
    // Several searches: the index is built in the background after the first one.
    let last: string[] = [];
    for (let i = 0; i < 5; i++) {
      last = (await rag.retrieve({ datasetIds: [dataset.id], question: 'how is energy stored at night' })).chunks.map((c) => c.content);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return last;
  } finally {
    await rag.close();
  }
}

describe('RagFlow.open({ searchIndex })', () => {
  it('gives the same results with and without the in-memory index', async () => {
    const withIndex = await topChunks(true);
    expect(withIndex[0]).toBe('Batteries store energy for the night.');
    expect(await topChunks(false)).toEqual(withIndex);
  });

  it('refuses a value that is not a boolean', async () => {
    await expect(RagFlow.open({ searchIndex: 'yes' as unknown as boolean })).rejects.toBeInstanceOf(RagFlowError);
  });
});
