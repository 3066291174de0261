import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleDeck } from '../ingest/pptx-fixtures.js';
import { files, startHarness, type Harness } from './adapter-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

async function parsed(datasetId: string, documentId: string): Promise<{ run: string; chunk_method: string }> {
  await h.call('POST', `/dataset/${datasetId}/chunk`, { json: { document_ids: [documentId] } });
  for (let i = 0; i < 200; i++) {
    const doc = (await h.call('GET', `/dataset/${datasetId}/info?id=${documentId}`)).body.data.docs[0];
    if (doc.run === '3' || doc.run === '4') return doc;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('parse did not finish');
}

describe('parse methods over HTTP', () => {
  it('a .pptx gets the presentation method on upload and its chunks carry source and fields', async () => {
    const dataset = (await h.call('POST', '/dataset', { json: { name: 'decks' } })).body.data;
    const upload = await h.call('POST', `/dataset/${dataset.id}/document`, { body: files(['deck.pptx', await sampleDeck()]) });
    const doc = upload.body.data[0];
    expect(doc).toMatchObject({ chunk_method: 'presentation', parse_method: 'presentation', type: 'doc' });
    expect((await parsed(dataset.id, doc.id)).run).toBe('3');
    const { chunks } = (await h.call('GET', `/dataset/${dataset.id}/document/${doc.id}/chunk`)).body.data;
    expect(chunks[0]).toMatchObject({ source: { slides: [1] }, fields: {}, positions: [] });

    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    const [image] = (await h.call('POST', `/dataset/${dataset.id}/document`, { body: files(['scan.png', png]) })).body.data;
    expect(image).toMatchObject({ chunk_method: 'picture', type: 'visual' });
  });

  it('a table dataset returns typed fields; a method that cannot read the file fails the document saying why', async () => {
    const dataset = (await h.call('POST', '/dataset', { json: { name: 'sheets', chunk_method: 'table' } })).body.data;
    const csv = 'name,price,organic\nRooibos,6.5,true\nSencha,9,false\n';
    const [doc] = (await h.call('POST', `/dataset/${dataset.id}/document`, { body: files(['teas.csv', csv]) })).body.data;
    expect((await parsed(dataset.id, doc.id)).run).toBe('3');
    const { chunks } = (await h.call('GET', `/dataset/${dataset.id}/document/${doc.id}/chunk`)).body.data;
    expect(chunks.map((c: { content: string; fields: unknown; source: unknown }) => [c.content, c.fields, c.source])).toEqual([
      ['name: Rooibos; price: 6.5; organic: true', { name: 'Rooibos', price: 6.5, organic: true }, { rows: [2, 2] }],
      ['name: Sencha; price: 9; organic: false', { name: 'Sencha', price: 9, organic: false }, { rows: [3, 3] }],
    ]);

    const [md] = (await h.call('POST', `/dataset/${dataset.id}/document`, { body: files(['notes.md', '# Notes\n\nplain text']) })).body.data;
    const failed = await parsed(dataset.id, md.id);
    expect(failed.run).toBe('4');
    expect((failed as unknown as { progress_msg: string }).progress_msg).toMatch(/"table" parse method cannot read \.md files; it reads \.xlsx\/\.xls\/\.ods, \.csv\/\.tsv, \.txt/);
  });
});
