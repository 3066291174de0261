import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RagFlow } from '../../src/ragflow.js';
import { expectRagFlowError, openMemory, text } from './helpers.js';

let rag: RagFlow;
beforeEach(async () => {
  rag = await openMemory();
});
afterEach(async () => {
  await rag.close();
});

describe('datasets', () => {
  it('creates with RAGFlow defaults', async () => {
    const ds = await rag.datasets.create({ name: '  Manuals  ' });
    expect(ds).toMatchObject({
      name: 'Manuals',
      tenantId: 'default',
      chunkMethod: 'naive',
      parserConfig: { chunkTokenNum: 128, delimiter: '\n!?;。；！？', layoutRecognize: true, filenameEmbdWeight: 0.1 },
      similarityThreshold: 0.2,
      vectorSimilarityWeight: 0.3,
      permission: 'me',
      language: 'English',
      embeddingModel: 'hash@Builtin',
      documentCount: 0,
      chunkCount: 0,
    });
    expect(ds.id).toMatch(/^[0-9a-f]{32}$/);
    expect(await rag.datasets.get(ds.id)).toEqual(ds);
  });

  it('renames duplicates case-insensitively: name(1), name(2)', async () => {
    await rag.datasets.create({ name: 'Docs' });
    expect((await rag.datasets.create({ name: 'docs' })).name).toBe('docs(1)');
    expect((await rag.datasets.create({ name: 'DOCS' })).name).toBe('DOCS(2)');
  });

  it('rejects bad input with code 101 naming the field', async () => {
    await expectRagFlowError(rag.datasets.create({ name: '   ' }), 101, /name/);
    await expectRagFlowError(rag.datasets.create({ name: 'x'.repeat(65_536) }), 101, /65535/);
    await expectRagFlowError(rag.datasets.create({ name: 'a', chunkMethod: 'bogus' as never }), 101, /chunk_method/);
    await expectRagFlowError(rag.datasets.create({ name: 'a', similarityThreshold: 2 }), 101, /similarity_threshold/);
    await expectRagFlowError(
      rag.datasets.create({ name: 'a', parserConfig: { chunkTokenNum: 0 } }),
      101,
      /chunk_token_num/,
    );
    await expectRagFlowError(rag.datasets.create({ name: 'a', permission: 'all' as never }), 101, /permission/);
    expect((await rag.datasets.list()).total).toBe(0);
  });

  it('refuses an unknown embedding provider at create time with 102', async () => {
    await expectRagFlowError(rag.datasets.create({ name: 'a', embeddingModel: 'foo@Nowhere' }), 102, /Nowhere/);
  });

  it('lists with paging, ordering and filters', async () => {
    for (const name of ['b', 'a', 'c']) await rag.datasets.create({ name });
    const all = await rag.datasets.list({ orderBy: 'name', desc: false });
    expect(all.items.map((d) => d.name)).toEqual(['a', 'b', 'c']);
    expect(all.total).toBe(3);
    const page2 = await rag.datasets.list({ orderBy: 'name', desc: false, page: 2, pageSize: 2 });
    expect(page2.items.map((d) => d.name)).toEqual(['c']);
    const page0 = await rag.datasets.list({ orderBy: 'name', desc: true, page: 0, pageSize: 1 });
    expect(page0.items.map((d) => d.name)).toEqual(['c']);
    expect((await rag.datasets.list({ name: 'B' })).items.map((d) => d.name)).toEqual(['b']);
    await expectRagFlowError(rag.datasets.list({ orderBy: 'size' as never }), 101, /orderby/);
  });

  it('updates fields, refuses a taken name and a model change once chunks exist', async () => {
    const a = await rag.datasets.create({ name: 'a' });
    await rag.datasets.create({ name: 'b' });
    const updated = await rag.datasets.update(a.id, { description: 'desc', parserConfig: { chunkTokenNum: 256 } });
    expect(updated.description).toBe('desc');
    expect(updated.parserConfig.chunkTokenNum).toBe(256);
    expect(updated.parserConfig.delimiter).toBe('\n!?;。；！？');
    await expectRagFlowError(rag.datasets.update(a.id, { name: 'B' }), 102, /already exists/);
    expect((await rag.datasets.update(a.id, { name: 'A' })).name).toBe('A');

    const [doc] = await rag.documents.upload(a.id, { name: 'n.txt', data: text('some words here') });
    await rag.chunks.add(a.id, doc!.id, { content: 'a chunk' });
    await expectRagFlowError(
      rag.datasets.update(a.id, { embeddingModel: 'nomic-embed-text@Ollama' }),
      102,
      /Can't change embedding model/,
    );
  });

  it('deletes all or nothing, by ids or names, with everything inside', async () => {
    const a = await rag.datasets.create({ name: 'a' });
    const b = await rag.datasets.create({ name: 'b' });
    const [doc] = await rag.documents.upload(a.id, { name: 'x.txt', data: text('alpha beta') });
    await rag.chunks.add(a.id, doc!.id, { content: 'alpha beta gamma' });
    await expectRagFlowError(rag.datasets.delete({ ids: [a.id, 'missing'] }), 102, /missing/);
    expect((await rag.datasets.list()).total).toBe(2);
    await expectRagFlowError(rag.datasets.delete({ ids: [a.id], names: ['b'] } as never), 101, /exclusive/);
    expect(await rag.datasets.delete({ ids: [a.id] })).toEqual([a.id]);
    await expectRagFlowError(rag.datasets.get(a.id), 102, /not found/);
    await expectRagFlowError(rag.documents.get(a.id, doc!.id), 102);
    expect(await rag.datasets.delete({ names: ['B'] })).toEqual([b.id]);
    expect((await rag.datasets.list()).total).toBe(0);
  });

  it("hides another tenant's datasets exactly like missing ones", async () => {
    const other = rag.forTenant('acme');
    const mine = await rag.datasets.create({ name: 'mine' });
    const missing = await expectRagFlowError(rag.datasets.get('0'.repeat(32)), 102);
    const foreign = await expectRagFlowError(other.datasets.get(mine.id), 102);
    expect(foreign.message.replace(mine.id, 'ID')).toBe(missing.message.replace('0'.repeat(32), 'ID'));
    expect((await other.datasets.list()).total).toBe(0);
    await expectRagFlowError(other.datasets.update(mine.id, { name: 'x' }), 102);
    await expectRagFlowError(other.datasets.delete({ ids: [mine.id] }), 102);
    expect((await other.datasets.create({ name: 'mine' })).name).toBe('mine');
  });

  it('refuses calls after close', async () => {
    const local = await openMemory();
    await local.close();
    await expectRagFlowError(local.datasets.list(), 101, /closed/);
  });
});

describe('RagFlow.open', () => {
  it('validates its options', async () => {
    const { RagFlow } = await import('../../src/ragflow.js');
    await expectRagFlowError(RagFlow.open({ parseConcurrency: Number.NaN }), 101, /parseConcurrency/);
    await expectRagFlowError(RagFlow.open({ maxUploadBytes: 0 }), 101, /maxUploadBytes/);
    await expectRagFlowError(RagFlow.open({ tenantId: ' ' }), 101, /tenantId/);
    await expectRagFlowError(RagFlow.open({ embeddingModel: 'x@Nowhere' }), 102, /Nowhere/);
    await expectRagFlowError(RagFlow.open({ path: '/nonexistent-dir/sub/kb.db' }), 100, /Could not open the knowledge base/);
  });
});
