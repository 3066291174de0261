import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { files, ScriptedModel, sseEvents, startHarness, type Harness } from './adapter-harness.js';

const model = new ScriptedModel('scripted@Test');
let h: Harness;
let datasetId: string;
let chatId: string;

const SENTENCES = [
  'Penguins are flightless birds that live almost only in the Southern Hemisphere, mostly in Antarctica. ',
  'They spend about half of their lives in the sea, where they hunt fish, squid and krill with great skill. ',
  'Their black and white plumage is a camouflage that hides them from predators both above and below them.',
];

beforeAll(async () => {
  h = await startHarness({ rag: { chatModels: [model] } });
  datasetId = (await h.call('POST', '/dataset', { json: { name: 'birds' } })).body.data.id;
  const doc = (await h.call('POST', `/dataset/${datasetId}/document`, { body: files(['birds.txt', 'placeholder']) })).body
    .data[0];
  await h.call('POST', `/dataset/${datasetId}/document/${doc.id}/chunk`, {
    json: { content: ['Penguins are flightless birds living in Antarctica.', 'Penguins hunt fish and krill in the sea.'] },
  });
  const chat = await h.call('POST', '/chat', {
    json: {
      name: 'Bird expert',
      knowledgebases: [{ id: datasetId, name: 'ignored', chunk_count: 0 }],
      llm: { model_name: 'scripted@Test', temperature: 0.5 },
      prompt: { similarity_threshold: 0, top_n: 4, opener: 'Ask me about birds.' },
    },
  });
  expect(chat.body.code, JSON.stringify(chat.body)).toBe(0);
  chatId = chat.body.data.id;
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  model.deltas = [...SENTENCES];
  model.pauseMs = 0;
  model.failAfterFirst = undefined;
  model.aborted = false;
});

const newSession = async (): Promise<string> => {
  const res = await h.call('POST', `/chat/${chatId}/session`, { json: { name: 'talk' } });
  expect(res.body.code).toBe(0);
  return res.body.data.id;
};

describe('chats and sessions', () => {
  it('accepts knowledgebases [{id}] and returns both namings in snake_case', async () => {
    const chat = (await h.call('GET', `/chat?id=${chatId}`)).body;
    expect(chat.total).toBe(1);
    const c = chat.data[0];
    expect(c.dataset_ids).toEqual([datasetId]);
    expect(c.knowledgebases).toEqual([{ id: datasetId, name: 'birds' }]);
    expect(c.llm).toMatchObject({ model_name: 'scripted@Test', temperature: 0.5, top_p: 0.3, max_tokens: 512 });
    expect(c.prompt).toMatchObject({ top_n: 4, similarity_threshold: 0, keywords_similarity_weight: 0.7, show_quote: true });
    expect(c.prompt.empty_response).toMatch(/No relevant content/);
    const dup = await h.call('POST', '/chat', { json: { name: 'bird expert' } });
    expect(dup.body.code).toBe(102);
  });

  it('updates by id in the body or in the path, and deletes by ids', async () => {
    const other = (await h.call('POST', '/chat', { json: { name: 'temp chat', dataset_ids: [datasetId] } })).body.data;
    const inBody = await h.call('PUT', '/chat', { json: { id: other.id, name: 'renamed chat' } });
    expect(inBody.body.data.name).toBe('renamed chat');
    const inPath = await h.call('PUT', `/chat/${other.id}`, { json: { prompt: { opener: 'Hello' } } });
    expect(inPath.body.data.prompt.opener).toBe('Hello');
    expect(inPath.body.data.prompt.top_n).toBe(6);
    expect((await h.call('DELETE', '/chat', { json: { ids: [other.id] } })).body.code).toBe(0);
    expect((await h.call('PUT', `/chat/${other.id}`, { json: { name: 'x' } })).body.code).toBe(102);
  });

  it("creates sessions opening with the chat's opener, renames, lists and deletes them", async () => {
    const created = await h.call('POST', `/chat/${chatId}/session`, { json: { name: 'first' } });
    expect(created.body.data).toMatchObject({ chat_id: chatId, name: 'first' });
    expect(created.body.data.messages).toEqual([expect.objectContaining({ role: 'assistant', content: 'Ask me about birds.' })]);
    const sid = created.body.data.id;
    const renamed = await h.call('PUT', `/chat/${chatId}/session/${sid}`, { json: { name: 'second' } });
    expect(renamed.body.data.name).toBe('second');
    const listed = await h.call('GET', `/chat/${chatId}/session?name=second`);
    expect(listed.body.total).toBe(1);
    expect(listed.body.data[0].messages).toHaveLength(1);
    expect((await h.call('DELETE', `/chat/${chatId}/session/${sid}`)).body.code).toBe(0);
    expect((await h.call('DELETE', `/chat/${chatId}/session`, { json: { ids: [sid] } })).body.code).toBe(102);
  });
});

describe('completion', () => {
  it('streams cumulative answers, then the cited answer with its reference, then data:true', async () => {
    const sid = await newSession();
    const res = await fetch(`${h.base}/chat/${chatId}/session/${sid}/completion`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'Where do penguins live?' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    const text = await res.text();
    expect(text.startsWith('data:{')).toBe(true);
    const events = sseEvents(text) as { code: number; data: any }[];
    expect(events.at(-1)).toEqual({ code: 0, data: true });
    const final = events.at(-2)!;
    const partial = events.slice(0, -2);
    expect(partial.length).toBeGreaterThanOrEqual(2);
    let previous = '';
    for (const event of partial) {
      expect(event.code).toBe(0);
      expect(event.data.reference).toEqual({});
      expect(event.data.session_id).toBe(sid);
      expect(event.data.answer.startsWith(previous)).toBe(true);
      previous = event.data.answer;
    }
    expect(previous).toBe(SENTENCES.join(''));
    expect(final.code).toBe(0);
    expect(final.data.id).toBe(partial[0]!.data.id);
    expect(final.data.answer).toMatch(/ ##\d+\$\$/);
    expect(final.data.reference.total).toBeGreaterThan(0);
    expect(final.data.reference.chunks[0]).toHaveProperty('vector_similarity');
    expect(final.data.reference.doc_aggs[0]).toMatchObject({ doc_name: 'birds.txt' });

    const session = (await h.call('GET', `/chat/${chatId}/session?id=${sid}`)).body.data[0];
    expect(session.messages.map((m: { role: string }) => m.role)).toEqual(['assistant', 'user', 'assistant']);
    expect(session.messages[2].reference.chunks.length).toBeGreaterThan(0);
  });

  it('answers one JSON envelope with stream:false', async () => {
    const sid = await newSession();
    const res = await h.call('POST', `/chat/${chatId}/session/${sid}/completion`, {
      json: { question: 'What do penguins eat?', stream: false },
    });
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(res.body.code).toBe(0);
    expect(res.body.data).toMatchObject({ session_id: sid, answer: expect.stringContaining('krill') });
    expect(res.body.data.reference).toHaveProperty('doc_aggs');
  });

  it('creates a session when /chat/{id}/completion has no session_id', async () => {
    const res = await h.call('POST', `/chat/${chatId}/completion`, { json: { question: 'Penguins?', stream: 'false' } });
    expect(res.body.code).toBe(0);
    const sid = res.body.data.session_id;
    const session = (await h.call('GET', `/chat/${chatId}/session?id=${sid}`)).body.data[0];
    expect(session.messages[1]).toMatchObject({ role: 'user', content: 'Penguins?' });
  });

  it('answers refused requests with a JSON envelope, not a stream', async () => {
    const sid = await newSession();
    const unknown = await h.call('POST', `/chat/${chatId}/session/ffffffffffffffffffffffffffffffff/completion`, {
      json: { question: 'hi' },
    });
    expect(unknown.headers.get('content-type')).toMatch(/application\/json/);
    expect(unknown.body.code).toBe(102);
    const empty = await h.call('POST', `/chat/${chatId}/session/${sid}/completion`, { json: { question: '  ' } });
    expect(empty.body.code).toBe(101);
    const sessions = (await h.call('GET', `/chat/${chatId}/completion`)).status;
    expect(sessions).toBe(404);
  });

  it('sends an error event then data:true when the model fails mid-stream; the question stays', async () => {
    model.failAfterFirst = 'model exploded';
    const sid = await newSession();
    const res = await h.call('POST', `/chat/${chatId}/session/${sid}/completion`, { json: { question: 'Tell me more' } });
    const events = sseEvents(res.text) as { code: number; message?: string; data: any }[];
    expect(events.at(-1)).toEqual({ code: 0, data: true });
    const error = events.at(-2)!;
    expect(error.code).toBe(500);
    expect(error.message).toMatch(/model exploded/);
    expect(error.data).toEqual({ answer: '**ERROR**: model exploded', reference: [] });
    const session = (await h.call('GET', `/chat/${chatId}/session?id=${sid}`)).body.data[0];
    expect(session.messages.map((m: { content: string }) => m.content)).toEqual(['Ask me about birds.', 'Tell me more']);
  });

  it('aborts the model call when the client disconnects', async () => {
    model.deltas = Array.from({ length: 50 }, () => SENTENCES[0]!);
    model.pauseMs = 100;
    const sid = await newSession();
    const controller = new AbortController();
    const res = await fetch(`${h.base}/chat/${chatId}/session/${sid}/completion`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'Talk for a long time' }),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toMatch(/^data:\{"code":0/);
    controller.abort();
    for (let i = 0; i < 100 && !model.aborted; i++) await new Promise((r) => setTimeout(r, 20));
    expect(model.aborted).toBe(true);
    // No half answer is stored.
    const session = (await h.call('GET', `/chat/${chatId}/session?id=${sid}`)).body.data[0];
    expect(session.messages.map((m: { role: string }) => m.role)).toEqual(['assistant', 'user']);
  });
});
