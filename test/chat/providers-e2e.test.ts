import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countTokens } from '../../src/ingest/tokens.js';
import type { AskEvent } from '../../src/chat/completion.js';
import type { RagFlow, RagFlowOptions } from '../../src/ragflow.js';
import type { ChatAssistant, Dataset } from '../../src/types.js';
import { startFakeOllamaChat, startFakeOpenAIChat, type FakeChatServer } from '../llm/fake-chat-servers.js';
import { openMemory, tempDir, text } from '../ragflow/helpers.js';

/**
 * Chats answered by real provider clients over HTTP, against fake Ollama (/api/chat, NDJSON) and
 * OpenAI (/v1/chat/completions, SSE) servers on 127.0.0.1. The fakes answer "You said: <question>",
 * so a question that repeats a chunk's sentence gets an answer that cites that chunk.
 */

const FACTS = [
  'Solar inverters usually last about ten years before they need replacing.',
  'Photovoltaic panels keep most of their output for twenty five years.',
  'Lithium batteries store the surplus energy for use at night.',
];

let ollama: FakeChatServer;
let openai: FakeChatServer;
let rag: RagFlow;
let ds: Dataset;

async function openWith(options: RagFlowOptions = {}): Promise<RagFlow> {
  return openMemory({
    providers: {
      ollama: { host: ollama.url },
      openai: { baseURL: `${openai.url}/v1`, apiKey: 'test-key' },
      contextTokens: { 'llama3.2@Ollama': 400 },
    },
    ...options,
  });
}

async function seed(target: RagFlow): Promise<Dataset> {
  const dataset = await target.datasets.create({ name: 'energy' });
  const [doc] = await target.documents.upload(dataset.id, { name: 'solar.txt', data: text('x') });
  await target.chunks.add(dataset.id, doc!.id, { content: FACTS });
  return dataset;
}

const makeChat = (model: string, extra: Parameters<RagFlow['chats']['create']>[0] = { name: '' }): Promise<ChatAssistant> =>
  rag.chats.create({ ...extra, name: extra.name || model, datasetIds: [ds.id], llm: { modelName: model } });

const chatRequests = (server: FakeChatServer) => server.requests.filter((r) => r.method === 'POST');

beforeEach(async () => {
  ollama = await startFakeOllamaChat();
  openai = await startFakeOpenAIChat();
  rag = await openWith();
  ds = await seed(rag);
});
afterEach(async () => {
  await rag.close();
  await ollama.close();
  await openai.close();
});

describe('chat over Ollama', () => {
  it('answers without streaming, with the knowledge in the prompt and a citation of the right chunk', async () => {
    const chat = await makeChat('llama3.2@Ollama');
    const session = await rag.sessions.create(chat.id);
    const result = await rag.chats.ask(chat.id, session.id, FACTS[0]!);
    expect(result.answer).toMatch(/^You said: Solar inverters usually last about ten years/);
    const marker = /##(\d+)\$\$/.exec(result.answer);
    expect(marker).not.toBeNull();
    expect(result.reference.chunks[Number(marker![1])]?.content).toBe(FACTS[0]);
    const [request] = chatRequests(ollama);
    const body = request!.body as { messages: { role: string; content: string }[]; options: Record<string, number> };
    expect(body.messages[0]?.role).toBe('system');
    expect(body.messages[0]?.content).toContain(FACTS[0]);
    expect(body.options).toMatchObject({ temperature: 0.1, top_p: 0.3 });
  });

  it('streams cumulative answers, then the final answer with its reference', async () => {
    const chat = await makeChat('llama3.2@Ollama');
    const session = await rag.sessions.create(chat.id);
    const events: AskEvent[] = [];
    for await (const event of rag.chats.ask(chat.id, session.id, FACTS[1]!, { stream: true })) events.push(event);
    const answers = events.filter((e) => e.type === 'answer');
    const final = events.at(-1);
    expect(answers.length).toBeGreaterThan(0);
    for (let i = 1; i < answers.length; i++) expect(answers[i]!.answer.startsWith(answers[i - 1]!.answer)).toBe(true);
    expect(final?.type).toBe('final');
    if (final?.type !== 'final') return;
    expect(final.answer).toMatch(/##\d+\$\$/);
    expect(final.reference.chunks.length).toBeGreaterThan(0);
    const stored = await rag.sessions.get(chat.id, session.id);
    expect(stored.messages.map((m) => m.role)).toEqual(['assistant', 'user', 'assistant']);
    expect(stored.messages[2]?.content).toBe(final.answer);
    expect(stored.messages[2]?.reference?.chunks.length).toBe(final.reference.chunks.length);
  });

  it('answers with the empty response and no model call when nothing is retrieved', async () => {
    const chat = await makeChat('llama3.2@Ollama');
    const session = await rag.sessions.create(chat.id);
    const result = await rag.chats.ask(chat.id, session.id, 'Zebra quantum xylophone?');
    expect(result.answer).toBe(chat.prompt.emptyResponse);
    expect(chatRequests(ollama)).toHaveLength(0);
  });

  it('fits a long history into the context window (97%)', async () => {
    const chat = await makeChat('llama3.2@Ollama');
    const session = await rag.sessions.create(chat.id);
    for (let i = 0; i < 4; i++) {
      await rag.chats.ask(chat.id, session.id, `${FACTS[i % 3]} ${'and more words '.repeat(20)}`);
    }
    const last = chatRequests(ollama).at(-1)!.body as { messages: { content: string }[] };
    const used = last.messages.reduce((n, m) => n + countTokens(m.content), 0);
    expect(used).toBeLessThanOrEqual(Math.floor(0.97 * 400));
  });

  it('refines a multi-turn question through the model before retrieval', async () => {
    const chat = await makeChat('llama3.2@Ollama', { name: 'refining', prompt: { refineMultiturn: true } });
    const session = await rag.sessions.create(chat.id);
    await rag.chats.ask(chat.id, session.id, FACTS[0]!);
    const before = chatRequests(ollama).length;
    await rag.chats.ask(chat.id, session.id, 'And the panels?');
    const calls = chatRequests(ollama).slice(before);
    expect(calls).toHaveLength(2);
    const refinement = calls[0]!.body as { messages: { content: string }[] };
    expect(refinement.messages.at(-1)?.content).toContain('And the panels?');
    expect(refinement.messages.at(-1)?.content).toContain(FACTS[0]);
  });
});

describe('chat over an OpenAI-compatible server', () => {
  it('retries a 429 before the first token and then answers', async () => {
    await openai.close();
    openai = await startFakeOpenAIChat({ failures: [{ status: 429, retryAfter: '0' }] });
    await rag.close();
    rag = await openWith();
    ds = await seed(rag);
    const chat = await makeChat('gpt-4o-mini@OpenAI');
    const session = await rag.sessions.create(chat.id);
    const result = await rag.chats.ask(chat.id, session.id, FACTS[2]!);
    expect(result.answer).toMatch(/^You said: Lithium batteries/);
    expect(chatRequests(openai)).toHaveLength(2);
  });

  it('ends the stream with an error event when the model dies mid-answer, keeping only the question', async () => {
    const chat = await makeChat('gpt-4o-mini@OpenAI');
    const session = await rag.sessions.create(chat.id);
    const events: AskEvent[] = [];
    for await (const event of rag.chats.ask(chat.id, session.id, `fail: ${FACTS[0]}`, { stream: true })) events.push(event);
    expect(events.at(-1)?.type).toBe('error');
    expect(chatRequests(openai)).toHaveLength(1);
    const stored = await rag.sessions.get(chat.id, session.id);
    expect(stored.messages.map((m) => [m.role, m.content])).toEqual([
      ['assistant', chat.prompt.opener],
      ['user', `fail: ${FACTS[0]}`],
    ]);
  });

  it('stops the model call when the request is aborted, and stores no answer', async () => {
    const chat = await makeChat('gpt-4o-mini@OpenAI');
    const session = await rag.sessions.create(chat.id);
    const controller = new AbortController();
    const seen: AskEvent[] = [];
    const consume = async () => {
      for await (const event of rag.chats.ask(chat.id, session.id, `long: ${FACTS[1]}`, {
        stream: true,
        signal: controller.signal,
      })) {
        seen.push(event);
        if (seen.length === 1) controller.abort();
      }
    };
    await expect(consume()).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 50));
    expect(openai.disconnects).toBe(1);
    const stored = await rag.sessions.get(chat.id, session.id);
    expect(stored.messages.map((m) => m.role)).toEqual(['assistant', 'user']);
  });
});

describe('persistence', () => {
  it('keeps the conversation and its references across close() and open()', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const path = join(dir, 'kb.db');
      const first = await openWith({ path });
      const dataset = await seed(first);
      const chat = await first.chats.create({ name: 'c', datasetIds: [dataset.id], llm: { modelName: 'llama3.2@Ollama' } });
      const session = await first.sessions.create(chat.id);
      const answer = await first.chats.ask(chat.id, session.id, FACTS[0]!);
      await first.close();
      const second = await openWith({ path });
      try {
        const stored = await second.sessions.get(chat.id, session.id);
        expect(stored.messages.map((m) => m.content)).toEqual([chat.prompt.opener, FACTS[0], answer.answer]);
        expect(stored.messages[2]?.reference).toEqual(answer.reference);
        const next = await second.chats.ask(chat.id, session.id, FACTS[1]!);
        expect(next.answer).toMatch(/^You said: Photovoltaic/);
      } finally {
        await second.close();
      }
    } finally {
      await cleanup();
    }
  });
});
