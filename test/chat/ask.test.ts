import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AskEvent } from '../../src/chat/completion.js';
import { countTokens } from '../../src/ingest/tokens.js';
import type { ChatModel } from '../../src/llm/types.js';
import { RagFlow } from '../../src/ragflow.js';
import type { ChatAssistant, ChatSession, Dataset } from '../../src/types.js';
import { expectRagFlowError, tempDir, text } from '../ragflow/helpers.js';
import { ScriptedModel } from './fake-models.js';

const CORPUS = [
  'Photosynthesis converts light energy into chemical energy inside the chloroplasts of green plants.',
  'Plate tectonics explains earthquakes, volcanoes and the slow drift of the continents over millions of years.',
  'Mitochondria produce ATP through cellular respiration, and a busy muscle cell may hold thousands of mitochondria working at once.',
];
const EMPTY = 'Nothing about that in the knowledge base.';

let rag: RagFlow;
let ds: Dataset;

async function openWith(models: readonly ChatModel[] = [], path = ':memory:'): Promise<void> {
  rag = await RagFlow.open({ path, chatModels: models });
  ds = await rag.datasets.create({ name: 'science' });
  const [doc] = await rag.documents.upload(ds.id, [{ name: 'science.txt', data: text('x') }]);
  await rag.chunks.add(ds.id, doc!.id, { content: CORPUS });
}

async function chatWith(modelName = 'extractive@Builtin', prompt: Partial<ChatAssistant['prompt']> = {}): Promise<{
  chat: ChatAssistant;
  session: ChatSession;
}> {
  const chat = await rag.chats.create({
    name: `chat-${Math.random()}`,
    datasetIds: [ds.id],
    llm: { modelName },
    prompt: { emptyResponse: EMPTY, ...prompt },
  });
  return { chat, session: await rag.sessions.create(chat.id) };
}

async function collect(events: AsyncIterable<AskEvent>): Promise<AskEvent[]> {
  const out: AskEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

const markers = (answer: string): number[] => [...answer.matchAll(/ ##(\d+)\$\$/g)].map((m) => Number(m[1]));

afterEach(async () => {
  await rag.close();
});

describe('chats.ask with extractive@Builtin', () => {
  beforeEach(async () => openWith());

  it('answers from the right chunk, cites it, and stores question and answer under one id', async () => {
    const { chat, session } = await chatWith();
    const result = await rag.chats.ask(chat.id, session.id, 'How do mitochondria produce ATP?');
    expect(result.sessionId).toBe(session.id);
    const cited = markers(result.answer);
    expect(cited.length).toBeGreaterThan(0);
    for (const i of cited) expect(result.reference.chunks[i]?.content).toBe(CORPUS[2]);
    expect(result.answer.replace(/ ##\d+\$\$/g, '')).toContain('Mitochondria produce ATP through cellular respiration');
    expect(result.reference.total).toBe(result.reference.chunks.length);
    expect(result.reference.docAggs).toEqual([expect.objectContaining({ docName: 'science.txt' })]);

    const stored = await rag.sessions.get(chat.id, session.id);
    expect(stored.messages.map((m) => m.role)).toEqual(['assistant', 'user', 'assistant']);
    expect(stored.messages[1]).toMatchObject({ id: result.id, content: 'How do mitochondria produce ATP?' });
    expect(stored.messages[2]).toMatchObject({ id: result.id, content: result.answer, reference: result.reference });
  });

  it('streams cumulative answers, then the final cited answer, then ends', async () => {
    const { chat, session } = await chatWith();
    const events = await collect(
      rag.chats.ask(chat.id, session.id, 'How many mitochondria may a busy muscle cell hold?', { stream: true }),
    );
    const answers = events.filter((e) => e.type === 'answer');
    expect(answers.length).toBeGreaterThan(1);
    expect(events.at(-1)?.type).toBe('final');
    expect(events.slice(0, -1).every((e) => e.type === 'answer')).toBe(true);
    for (let i = 1; i < answers.length; i++) expect(answers[i]!.answer.startsWith(answers[i - 1]!.answer)).toBe(true);
    for (const a of answers) expect(a.type === 'answer' && a.reference).toEqual({});
    const final = events.at(-1)!;
    if (final.type !== 'final') throw new Error('no final event');
    expect(final.answer.replace(/ ##\d+\$\$/g, '')).toBe(answers.at(-1)!.answer);
    expect(markers(final.answer).map((i) => final.reference.chunks[i]?.content)).toContain(CORPUS[2]);
    expect(new Set(events.map((e) => e.id)).size).toBe(1);
    const stored = await rag.sessions.get(chat.id, session.id);
    expect(stored.messages.at(-1)).toMatchObject({ role: 'assistant', content: final.answer, id: final.id });
  });

  it('without showQuote the answer has no markers but keeps the reference', async () => {
    const { chat, session } = await chatWith('extractive@Builtin', { showQuote: false });
    const result = await rag.chats.ask(chat.id, session.id, 'How do mitochondria produce ATP?');
    expect(markers(result.answer)).toEqual([]);
    expect(result.reference.chunks[0]?.content).toBe(CORPUS[2]);
  });

  it('refuses an empty question, an unknown session, and a missing prompt variable before storing anything', async () => {
    const { chat, session } = await chatWith('extractive@Builtin', {
      prompt: 'Greet {user}. {knowledge}',
      variables: [
        { key: 'knowledge', optional: false },
        { key: 'user', optional: false },
      ],
    });
    await expectRagFlowError(rag.chats.ask(chat.id, session.id, '  '), 101, /Please input your question/);
    await expectRagFlowError(rag.chats.ask(chat.id, 'nope', 'q'), 102, /not found/);
    await expectRagFlowError(rag.chats.ask(chat.id, session.id, 'ATP?'), 102, /^Miss parameter: user$/);
    expect((await rag.sessions.get(chat.id, session.id)).messages).toHaveLength(1);
    const ok = await rag.chats.ask(chat.id, session.id, 'ATP?', { variables: { user: 'Ann' } });
    expect(ok.answer).toContain('ATP');
  });

  it("another tenant cannot ask a tenant's chat", async () => {
    const { chat, session } = await chatWith();
    await expectRagFlowError(rag.forTenant('acme').chats.ask(chat.id, session.id, 'ATP?'), 102, /not found/);
  });
});

describe('chats.ask with scripted models', () => {
  let model: ScriptedModel;
  beforeEach(async () => {
    model = new ScriptedModel('scripted@Test', 8192, (request) => {
      const prompt = request.messages.at(-1)?.content ?? '';
      if (prompt.includes('### Standalone question')) return 'How do mitochondria produce ATP?';
      if (prompt.includes('### Keywords')) return 'mitochondria, ATP';
      return 'Mitochondria produce ATP through cellular respiration.';
    });
    await openWith([model]);
  });

  it('answers the empty response without calling the model when nothing is retrieved', async () => {
    const { chat, session } = await chatWith(model.id);
    const result = await rag.chats.ask(chat.id, session.id, 'zebra quantum xylophone');
    expect(result.answer).toBe(EMPTY);
    expect(result.reference).toEqual({ total: 0, chunks: [], docAggs: [] });
    const events = await collect(rag.chats.ask(chat.id, session.id, 'zebra quantum xylophone', { stream: true }));
    expect(events.map((e) => e.type)).toEqual(['answer', 'final']);
    expect(events[1]).toMatchObject({ answer: EMPTY });
    expect(model.calls).toBe(0);
    const stored = await rag.sessions.get(chat.id, session.id);
    expect(stored.messages.map((m) => m.content)).toEqual([
      expect.any(String),
      'zebra quantum xylophone',
      EMPTY,
      'zebra quantum xylophone',
      EMPTY,
    ]);
  });

  it('lets the model answer without knowledge when the empty response is blank', async () => {
    const { chat, session } = await chatWith(model.id, { emptyResponse: '' });
    await rag.chats.ask(chat.id, session.id, 'zebra quantum xylophone');
    expect(model.calls).toBe(1);
    expect(model.requests[0]?.grounding?.chunks).toEqual([]);
  });

  it('sends the system prompt with the knowledge, the chat settings and the grounding', async () => {
    const { chat, session } = await chatWith(model.id);
    const result = await rag.chats.ask(chat.id, session.id, 'How do mitochondria produce ATP?');
    const request = model.requests[0]!;
    expect(request.messages[0]?.role).toBe('system');
    expect(request.messages[0]?.content).toContain(CORPUS[2]);
    expect(request.messages[0]?.content).not.toContain('{knowledge}');
    expect(request.messages.at(-1)).toEqual({ role: 'user', content: 'How do mitochondria produce ATP?' });
    expect(request.settings).toEqual({ temperature: 0.1, topP: 0.3, presencePenalty: 0.4, frequencyPenalty: 0.7, maxTokens: 512 });
    expect(request.grounding?.question).toBe('How do mitochondria produce ATP?');
    expect(request.grounding?.chunks[0]?.content).toBe(CORPUS[2]);
    const cited = markers(result.answer);
    expect(cited).toHaveLength(1);
    expect(result.reference.chunks[cited[0]!]?.content).toBe(CORPUS[2]);
  });

  it('fits a long history into 97% of the context window', async () => {
    const small = new ScriptedModel('small@Test', 400, () => 'Mitochondria produce ATP.');
    await rag.close();
    await openWith([small]);
    const { chat, session } = await chatWith(small.id, { emptyResponse: '' });
    const filler = 'cell '.repeat(100);
    for (let i = 0; i < 3; i++) await rag.chats.ask(chat.id, session.id, `${filler} question ${i}`);
    await rag.chats.ask(chat.id, session.id, 'Final: how is ATP made?');
    const last = small.requests.at(-1)!;
    const used = last.messages.reduce((sum, m) => sum + countTokens(m.content), 0);
    expect(used).toBeLessThanOrEqual(Math.floor(400 * 0.97));
    expect(last.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(last.messages[1]?.content).toBe('Final: how is ATP made?');
    expect(last.settings?.maxTokens).toBe(Math.min(512, 400 - used));
    // The first turns had room for their own question in full.
    expect(small.requests[0]?.messages.at(-1)?.content).toContain('question 0');
  });

  it('refines a multi-turn question before retrieval, from the last 3 user turns', async () => {
    const { chat, session } = await chatWith(model.id, { refineMultiturn: true, emptyResponse: '' });
    for (const q of ['Tell me about cells.', 'And plants?', 'What about energy?']) await rag.chats.ask(chat.id, session.id, q);
    model.requests.length = 0;
    const result = await rag.chats.ask(chat.id, session.id, 'How do they make it?');
    const [refine, answer] = model.requests;
    const prompt = refine!.messages.at(-1)!.content;
    expect(prompt).toContain('USER: How do they make it?');
    expect(prompt).toContain('USER: And plants?');
    expect(prompt).not.toContain('Tell me about cells.');
    expect(refine!.settings?.temperature).toBe(0.2);
    // "How do they make it?" alone retrieves nothing; the refined question finds the chunk.
    expect(answer!.grounding?.question).toBe('How do mitochondria produce ATP?');
    expect(result.reference.chunks[0]?.content).toBe(CORPUS[2]);
    // The model still sees the conversation as it was.
    expect(answer!.messages.at(-1)?.content).toBe('How do they make it?');
  });

  it('adds model keywords to the retrieval question', async () => {
    const { chat, session } = await chatWith(model.id, { keyword: true });
    const result = await rag.chats.ask(chat.id, session.id, 'Which organelle is the powerhouse?');
    expect(model.requests[0]?.messages.at(-1)?.content).toContain('Which organelle is the powerhouse?');
    expect(result.reference.chunks[0]?.content).toBe(CORPUS[2]);
    expect(result.answer).not.toBe(EMPTY);
  });

  it('a model that dies mid-stream gives an error event; the session keeps the question, not the half answer', async () => {
    const { chat, session } = await chatWith(model.id);
    model.deltas = Array.from({ length: 40 }, () => ' mitochondria');
    model.fail = new Error('model crashed');
    const events = await collect(rag.chats.ask(chat.id, session.id, 'How do mitochondria produce ATP?', { stream: true }));
    expect(events.filter((e) => e.type === 'answer').length).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ type: 'error', message: 'model crashed', sessionId: session.id });
    expect(events.some((e) => e.type === 'final')).toBe(false);
    const stored = await rag.sessions.get(chat.id, session.id);
    expect(stored.messages.map((m) => [m.role, m.content])).toEqual([
      ['assistant', expect.any(String)],
      ['user', 'How do mitochondria produce ATP?'],
    ]);
    await expect(rag.chats.ask(chat.id, session.id, 'And again?')).rejects.toThrow('model crashed');
    expect((await rag.sessions.get(chat.id, session.id)).messages).toHaveLength(3);
  });

  it('stops the model and stores no answer when the consumer breaks out', async () => {
    const { chat, session } = await chatWith(model.id);
    model.deltas = Array.from({ length: 200 }, () => ' mitochondria');
    model.delayMs = 2;
    let seen = 0;
    for await (const event of rag.chats.ask(chat.id, session.id, 'How do mitochondria produce ATP?', { stream: true })) {
      expect(event.type).toBe('answer');
      if (++seen === 1) break;
    }
    expect(model.streamsClosed).toBe(1);
    expect(model.requests[0]?.signal?.aborted).toBe(true);
    const stored = await rag.sessions.get(chat.id, session.id);
    expect(stored.messages.map((m) => m.role)).toEqual(['assistant', 'user']);
  });

  it('stops the model and stores no answer when the signal aborts', async () => {
    const { chat, session } = await chatWith(model.id);
    model.deltas = Array.from({ length: 200 }, () => ' mitochondria');
    model.delayMs = 2;
    const controller = new AbortController();
    const seen: AskEvent[] = [];
    const run = (async () => {
      for await (const event of rag.chats.ask(chat.id, session.id, 'How do mitochondria produce ATP?', {
        stream: true,
        signal: controller.signal,
      })) {
        seen.push(event);
        if (seen.length === 1) controller.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toHaveLength(1);
    expect(model.streamsClosed).toBe(1);
    const stored = await rag.sessions.get(chat.id, session.id);
    expect(stored.messages.map((m) => m.role)).toEqual(['assistant', 'user']);

    const early = new AbortController();
    early.abort();
    await expect(
      rag.chats.ask(chat.id, session.id, 'ATP?', { signal: early.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('persistence', () => {
  it('keeps questions, cited answers and references across close() and open()', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const path = join(dir, 'kb.db');
      await openWith([], path);
      const { chat, session } = await chatWith();
      const result = await rag.chats.ask(chat.id, session.id, 'How do mitochondria produce ATP?');
      expect(markers(result.answer).length).toBeGreaterThan(0);
      await rag.close();

      rag = await RagFlow.open({ path });
      const stored = await rag.sessions.get(chat.id, session.id);
      expect(stored.messages.at(-1)).toMatchObject({ role: 'assistant', content: result.answer, reference: result.reference });
      const next = await rag.chats.ask(chat.id, session.id, 'What does photosynthesis convert?');
      expect(next.answer).toContain('light energy');
    } finally {
      await rag.close();
      await cleanup();
    }
  });
});
