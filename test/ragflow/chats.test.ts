import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RagFlow } from '../../src/ragflow.js';
import type { Dataset } from '../../src/types.js';
import { expectRagFlowError, openMemory, tempDir } from './helpers.js';

let rag: RagFlow;
let ds: Dataset;
beforeEach(async () => {
  rag = await openMemory();
  ds = await rag.datasets.create({ name: 'kb' });
});
afterEach(async () => {
  await rag.close();
});

describe('chat assistants', () => {
  it("creates with RAGFlow's defaults", async () => {
    const chat = await rag.chats.create({ name: 'Helper', datasetIds: [ds.id] });
    expect(chat).toMatchObject({
      name: 'Helper',
      datasetIds: [ds.id],
      topK: 1024,
      llm: { modelName: 'extractive@Builtin', temperature: 0.1, topP: 0.3, presencePenalty: 0.4, frequencyPenalty: 0.7, maxTokens: 512 },
      prompt: {
        topN: 6,
        similarityThreshold: 0.2,
        keywordsSimilarityWeight: 0.7,
        showQuote: true,
        variables: [{ key: 'knowledge', optional: false }],
      },
    });
    expect(chat.prompt.prompt).toContain('{knowledge}');
    expect(await rag.chats.get(chat.id)).toEqual(chat);
  });

  it('validates names, datasets, models and prompt variables', async () => {
    await rag.chats.create({ name: 'Helper', datasetIds: [ds.id] });
    await expectRagFlowError(rag.chats.create({ name: 'helper' }), 102, /Duplicated chat name/);
    await expectRagFlowError(rag.chats.create({ name: ' ' }), 101, /name/);
    await expectRagFlowError(rag.chats.create({ name: 'x', datasetIds: ['nope'] }), 102, /not found/);
    await expectRagFlowError(rag.chats.create({ name: 'x', llm: { modelName: 'gpt@Nowhere' } }), 102, /Nowhere/);
    await expectRagFlowError(rag.chats.create({ name: 'x', prompt: { prompt: 'No placeholder here' } }), 102, /knowledge/);
    await expectRagFlowError(rag.chats.create({ name: 'x', prompt: { topN: 0 } }), 101, /top_n/);
    const other = await rag.datasets.create({ name: 'other', embeddingModel: 'nomic-embed-text@Ollama' });
    await expectRagFlowError(rag.chats.create({ name: 'x', datasetIds: [ds.id, other.id] }), 102, /different embedding/);
    const optional = await rag.chats.create({
      name: 'free',
      prompt: { prompt: 'Answer freely.', variables: [{ key: 'knowledge', optional: true }] },
    });
    expect(optional.prompt.prompt).toBe('Answer freely.');
  });

  it('updates by merging llm and prompt, lists, and deletes all or nothing', async () => {
    const a = await rag.chats.create({ name: 'a', datasetIds: [ds.id] });
    const b = await rag.chats.create({ name: 'b' });
    const updated = await rag.chats.update(a.id, { llm: { temperature: 0.5 }, prompt: { topN: 3 } });
    expect(updated.llm).toMatchObject({ temperature: 0.5, topP: 0.3, modelName: 'extractive@Builtin' });
    expect(updated.prompt).toMatchObject({ topN: 3, showQuote: true });
    await expectRagFlowError(rag.chats.update(a.id, { name: 'B' }), 102, /Duplicated/);
    expect((await rag.chats.list({ orderBy: 'name', desc: false })).items.map((c) => c.name)).toEqual(['a', 'b']);
    await expectRagFlowError(rag.chats.delete([a.id, 'nope']), 102);
    expect((await rag.chats.list()).total).toBe(2);
    await rag.chats.delete([a.id, b.id]);
    expect((await rag.chats.list()).total).toBe(0);
  });

  it('forgets a deleted dataset', async () => {
    const other = await rag.datasets.create({ name: 'other' });
    const chat = await rag.chats.create({ name: 'c', datasetIds: [ds.id, other.id] });
    await rag.datasets.delete({ ids: [other.id] });
    expect((await rag.chats.get(chat.id)).datasetIds).toEqual([ds.id]);
  });

  it("hides another tenant's chats", async () => {
    const chat = await rag.chats.create({ name: 'mine' });
    const other = rag.forTenant('acme');
    await expectRagFlowError(other.chats.get(chat.id), 102, /not found/);
    await expectRagFlowError(other.sessions.create(chat.id), 102, /not found/);
    await expectRagFlowError(other.chats.create({ name: 'x', datasetIds: [ds.id] }), 102, /not found/);
  });
});

describe('sessions', () => {
  it('opens with the opener, renames, lists and deletes', async () => {
    const chat = await rag.chats.create({ name: 'c', prompt: { opener: 'Ask me anything.' } });
    const session = await rag.sessions.create(chat.id);
    expect(session.name).toBe('New session');
    expect(session.messages).toEqual([
      { id: expect.any(String), role: 'assistant', content: 'Ask me anything.', createTime: expect.any(Number) },
    ]);
    const named = await rag.sessions.create(chat.id, { name: 'Second' });
    expect((await rag.sessions.rename(chat.id, named.id, 'Renamed')).name).toBe('Renamed');
    await expectRagFlowError(rag.sessions.rename(chat.id, named.id, ''), 101);
    const listed = await rag.sessions.list(chat.id, { orderBy: 'create_time', desc: false });
    expect(listed.items.map((s) => s.name)).toEqual(['New session', 'Renamed']);
    await expectRagFlowError(rag.sessions.delete(chat.id, [session.id, 'nope']), 102);
    await rag.sessions.delete(chat.id, [session.id]);
    expect((await rag.sessions.list(chat.id)).items.map((s) => s.id)).toEqual([named.id]);
    await expectRagFlowError(rag.sessions.get(chat.id, session.id), 102, /not found/);
  });

  it('survive close() and open(), and go with their chat', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const path = join(dir, 'kb.db');
      const first = await openMemory({ path });
      const chat = await first.chats.create({ name: 'persisted' });
      const session = await first.sessions.create(chat.id, { name: 'kept' });
      await first.close();
      const second = await openMemory({ path });
      try {
        expect((await second.sessions.get(chat.id, session.id)).name).toBe('kept');
        expect((await second.chats.get(chat.id)).name).toBe('persisted');
        await second.chats.delete([chat.id]);
        await expectRagFlowError(second.sessions.get(chat.id, session.id), 102);
      } finally {
        await second.close();
      }
    } finally {
      await cleanup();
    }
  });
});

describe('API keys', () => {
  it('creates keys bound to a tenant, authenticates them, lists and revokes', async () => {
    const { key, info } = await rag.apiKeys.create('acme');
    expect(key).toMatch(/^ragflow-[A-Za-z0-9_-]{43}$/);
    expect(info).toMatchObject({ tenantId: 'acme', hint: key.slice(0, 14) });
    expect(await rag.apiKeys.authenticate(key)).toBe('acme');
    expect(await rag.apiKeys.authenticate(`${key}x`)).toBeUndefined();
    expect(await rag.apiKeys.authenticate('ragflow-nope')).toBeUndefined();
    expect(await rag.apiKeys.authenticate(42)).toBeUndefined();
    const other = await rag.apiKeys.create('globex');
    expect((await rag.apiKeys.list()).map((k) => k.tenantId)).toEqual(['acme', 'globex']);
    expect((await rag.apiKeys.list('globex')).map((k) => k.id)).toEqual([other.info.id]);
    await rag.apiKeys.revoke(info.id);
    expect(await rag.apiKeys.authenticate(key)).toBeUndefined();
    await expectRagFlowError(rag.apiKeys.revoke(info.id), 102, /not found/);
    await expectRagFlowError(rag.apiKeys.create(' '), 101);
  });
});
