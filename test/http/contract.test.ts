import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAIChat, type FakeChatServer } from '../llm/fake-chat-servers.js';
import { Client, getWithBody, poll, sseEvents, type Json } from './client.js';
import {
  createKey,
  listKeyIds,
  runCli,
  SHARED_DATA,
  startServer,
  tempDataDir,
  type RunningServer,
} from './server-process.js';

/**
 * The HTTP contract of `/work/shared/spec/API.md`, checked against the real server: `ragflow serve`
 * as a child process, spoken to over HTTP with fetch. The tests of this file share one server and
 * build on each other in order (datasets → documents → parsing → chunks → retrieval → chats →
 * sessions → completion → restart).
 */

const KEY = 'ragflow-contract-test-key-0123456789abcdef';
const MISSING = 'f'.repeat(32);
const PDF_PATH = join(SHARED_DATA, 'parsing-docling/pdf/multi_page.pdf');
const LLM = { model_name: 'extractive@Builtin' };
const OPENER = 'Hello from the contract test. Ask me about solar power.';
const EMPTY = 'Nothing about that in the contract datasets.';

const ALPHA = [
  'Solar panels convert sunlight into electricity.',
  'Photovoltaic cells are usually made of crystalline silicon.',
  'An inverter turns the direct current of the panels into alternating current for the house.',
  'Panels facing south produce the most energy in the northern hemisphere.',
].join('\n');
const BETA = [
  '# Gardening notes',
  '',
  'Tomatoes need full sun and regular watering.',
  'Basil grows well next to tomatoes and keeps some pests away.',
].join('\n');

let tmp: Awaited<ReturnType<typeof tempDataDir>>;
let server: RunningServer;
let api: Client;
let other: Client;
let pdfBytes: Buffer;
let openai: FakeChatServer;
/** The server's flags besides the data dir and the key: an OpenAI-compatible fake for one chat. */
const serverArgs = (): string[] => ['--openai-base-url', `${openai.url}/v1`, '--openai-api-key', 'test-key'];

// Built up by the tests, in order.
let ds: Json;
let alpha: Json;
let beta: Json;
let pdf: Json;
let addedChunkId: string;
let chat: Json;
let session: Json;

function form(files: Array<{ name: string; data: string | Uint8Array; type?: string }>, field = 'file'): FormData {
  const fd = new FormData();
  for (const f of files) fd.append(field, new Blob([f.data], { type: f.type ?? 'application/octet-stream' }), f.name);
  return fd;
}

/** Asserts an error envelope: HTTP status, code, and optionally a message pattern. */
function expectError(reply: { status: number; body: Json; text: string }, status: number, code: number, message?: RegExp): string {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.body?.code, reply.text).toBe(code);
  expect(typeof reply.body?.message, reply.text).toBe('string');
  if (message) expect(reply.body.message).toMatch(message);
  return reply.body.message as string;
}

async function docInfo(datasetId: string, docId: string): Promise<Json> {
  const data = await api.ok('GET', `/dataset/${datasetId}/info`, { query: { page_size: 100 } });
  return data.docs.find((d: Json) => d.id === docId);
}

async function waitForRun(datasetId: string, docIds: string[], run: string): Promise<Json[]> {
  return poll(`documents ${docIds.join(', ')} to reach run "${run}"`, async () => {
    const data = await api.ok('GET', `/dataset/${datasetId}/info`, { query: { page_size: 100 } });
    const docs = docIds.map((id) => data.docs.find((d: Json) => d.id === id));
    for (const d of docs) if (d?.run === '4') throw new Error(`parse failed: ${d.progress_msg}`);
    return docs.every((d) => d?.run === run) ? docs : undefined;
  });
}

beforeAll(async () => {
  tmp = await tempDataDir();
  pdfBytes = await readFile(PDF_PATH);
  openai = await startFakeOpenAIChat();
  server = await startServer({ dataDir: tmp.dir, apiKey: KEY, extraArgs: serverArgs() });
  api = new Client(server.api, KEY);
}, 40_000);

afterAll(async () => {
  await server?.stop();
  await openai?.close();
  await tmp?.cleanup();
});

describe('authentication and the envelope', () => {
  it('answers 401 with code 109 without a key, with an unknown key, or with a malformed header', async () => {
    expectError(await api.get('/dataset', { key: null }), 401, 109);
    expectError(await api.get('/dataset', { key: 'ragflow-not-a-real-key' }), 401, 109);
    expectError(await api.get('/dataset', { key: null, headers: { authorization: 'Basic abc' } }), 401, 109);
    expectError(await api.get('/dataset', { key: null, headers: { authorization: 'Bearer' } }), 401, 109);
  });

  it('answers an unknown route with HTTP 404 and code 404 in the envelope', async () => {
    const reply = await api.get('/no-such-route');
    expectError(reply, 404, 404);
    expectError(await api.call('PATCH', '/dataset'), 404, 404);
  });

  it('survives an undecodable path with a 101 or 404 envelope, not a crash', async () => {
    const reply = await api.get('/dataset/%E0%A4%A/info');
    expect([200, 404]).toContain(reply.status);
    expect([101, 102, 404]).toContain(reply.body?.code);
    expect((await api.get('/dataset')).status).toBe(200);
  });

  it('serves its OpenAPI description at /api/v1/openapi.json', async () => {
    const reply = await api.get('/openapi.json');
    expect(reply.status, reply.text).toBe(200);
    expect(String(reply.body?.openapi)).toMatch(/^3\./);
    const paths = Object.keys(reply.body.paths ?? {});
    expect(paths.some((p) => /\/dataset\/\{[^}]+\}\/retrieval$/.test(p)), paths.join(' ')).toBe(true);
    expect(paths.some((p) => /\/chat\/\{[^}]+\}\/session\/\{[^}]+\}\/completion$/.test(p)), paths.join(' ')).toBe(true);
  });
});

describe('datasets', () => {
  it('creates a dataset with the draft names and returns both spellings and the defaults', async () => {
    ds = await api.ok('POST', '/dataset', { body: { dataset_name: 'Contract KB', parse_method: 'naive' } });
    expect(ds.id).toMatch(/^[0-9a-f]{32}$/);
    expect(ds.name).toBe('Contract KB');
    expect(ds.dataset_name).toBe('Contract KB');
    expect(ds.chunk_method).toBe('naive');
    expect(ds.parse_method).toBe('naive');
    expect(ds.parser_config).toMatchObject({
      chunk_token_num: 128,
      chunk_token_count: 128,
      delimiter: '\n!?;。；！？',
      layout_recognize: true,
    });
    expect(ds).toMatchObject({
      similarity_threshold: 0.2,
      vector_similarity_weight: 0.3,
      permission: 'me',
      language: 'English',
      embedding_model: 'hash@Builtin',
      document_count: 0,
      chunk_count: 0,
    });
  });

  it('renames a duplicate name (case-insensitive) to name(1), name(2)', async () => {
    const first = await api.ok('POST', '/dataset', { body: { name: 'contract kb' } });
    const second = await api.ok('POST', '/dataset', { body: { name: 'CONTRACT KB' } });
    expect(first.name).toBe('contract kb(1)');
    expect(second.name).toBe('CONTRACT KB(2)');
    await api.ok('DELETE', '/dataset', { body: { ids: [first.id, second.id] } });
  });

  it('rejects a bad body with 101 naming the field: wrong type, empty name, malformed JSON, wrong content type', async () => {
    expectError(await api.post('/dataset', { body: { name: 42 } }), 200, 101, /name/);
    expectError(await api.post('/dataset', { body: { name: '   ' } }), 200, 101, /name/);
    expectError(await api.post('/dataset', { body: {} }), 200, 101, /name/);
    expectError(await api.post('/dataset', { body: { name: 'x', similarity_threshold: 'high' } }), 200, 101, /similarity_threshold/);
    expectError(await api.post('/dataset', { body: { name: 'x', parser_config: { chunk_token_num: 'many' } } }), 200, 101, /chunk_token_num/);
    expectError(await api.post('/dataset', { body: '{"name": "broken' }), 200, 101, /JSON/i);
    expectError(await api.post('/dataset', { body: '[1, 2]' }), 200, 101);
    expectError(
      await api.post('/dataset', { body: 'name=x', headers: { 'content-type': 'text/plain' } }),
      200,
      101,
      /content.type|json/i,
    );
    // None of these created anything.
    const list = await api.get('/dataset');
    expect(list.body.total).toBe(1);
  });

  it('names an unknown embedding model provider at create time (102)', async () => {
    expectError(await api.post('/dataset', { body: { name: 'bad model', embedding_model: 'foo@NoSuchProvider' } }), 200, 102, /NoSuchProvider/);
  });

  it('lists with paging (page 0 = first page), filters and ordering', async () => {
    const extra = await api.ok('POST', '/dataset', { body: { name: 'zzz last by name' } });
    try {
      const all = await api.get('/dataset');
      expect(all.status).toBe(200);
      expect(all.body.code).toBe(0);
      expect(Array.isArray(all.body.data)).toBe(true);
      expect(all.body.total).toBe(2);
      // Newest first by default.
      expect(all.body.data.map((d: Json) => d.id)).toEqual([extra.id, ds.id]);

      const page0 = await api.get('/dataset', { query: { page: 0, page_size: 1 } });
      const page1 = await api.get('/dataset', { query: { page: 1, page_size: 1 } });
      const page2 = await api.get('/dataset', { query: { page: 2, page_size: 1 } });
      expect(page0.body.data.map((d: Json) => d.id)).toEqual([extra.id]);
      expect(page1.body.data.map((d: Json) => d.id)).toEqual([extra.id]);
      expect(page2.body.data.map((d: Json) => d.id)).toEqual([ds.id]);
      expect(page2.body.total).toBe(2);

      const byName = await api.ok('GET', '/dataset', { query: { orderby: 'name', desc: false } });
      expect(byName.map((d: Json) => d.name)).toEqual(['Contract KB', 'zzz last by name']);
      expect((await api.ok('GET', '/dataset', { query: { name: 'contract kb' } })).map((d: Json) => d.id)).toEqual([ds.id]);
      expect((await api.ok('GET', '/dataset', { query: { id: ds.id } })).map((d: Json) => d.id)).toEqual([ds.id]);

      expectError(await api.get('/dataset', { query: { orderby: 'size' } }), 200, 101, /orderby/);
      expectError(await api.get('/dataset', { query: { page_size: 'ten' } }), 200, 101, /page_size/);
      expectError(await api.get('/dataset', { query: { page_size: 5000 } }), 200, 101, /page_size/);
      expectError(await api.get('/dataset', { query: { desc: 'sideways' } }), 200, 101, /desc/);
    } finally {
      await api.ok('DELETE', `/dataset/${extra.id}`);
    }
  });

  it('updates a dataset; read-only counters are ignored unless they contradict the current value', async () => {
    const updated = await api.ok('PUT', `/dataset/${ds.id}`, {
      body: { dataset_name: 'Contract KB', description: 'for the HTTP contract', chunk_count: 0, document_count: 0, id: ds.id },
    });
    expect(updated.description).toBe('for the HTTP contract');
    expect(updated.name).toBe('Contract KB');
    expectError(await api.put(`/dataset/${ds.id}`, { body: { chunk_count: 7 } }), 200, 101, /chunk_count/);
    expectError(await api.put(`/dataset/${ds.id}`, { body: { vector_similarity_weight: 'x' } }), 200, 101, /vector_similarity_weight/);
    expectError(await api.put(`/dataset/${MISSING}`, { body: { description: 'x' } }), 200, 102, /not found/i);
  });

  it('deletes all or nothing, by ids, by names, or by path; ids and names together are refused', async () => {
    const a = await api.ok('POST', '/dataset', { body: { name: 'delete me a' } });
    const b = await api.ok('POST', '/dataset', { body: { name: 'delete me b' } });
    const [bDoc] = await api.ok('POST', `/dataset/${b.id}/document`, { body: form([{ name: 'b.txt', data: 'doomed words' }]) });
    await api.ok('POST', `/dataset/${b.id}/document/${bDoc.id}/chunk`, { body: { content: 'a doomed chunk' } });
    expectError(await api.delete('/dataset', { body: { ids: [] } }), 200, 101, /ids/);
    expectError(await api.delete('/dataset', { body: { ids: [a.id], names: ['delete me b'] } }), 200, 101, /ids|names/);
    expectError(await api.delete('/dataset', { body: { ids: [a.id, MISSING] } }), 200, 102, /not found/i);
    expect((await api.ok('GET', '/dataset', { query: { id: a.id } })).length).toBe(1);
    await api.ok('DELETE', '/dataset', { body: { names: ['DELETE ME A'] } });
    await api.ok('DELETE', `/dataset/${b.id}`);
    expectError(await api.delete(`/dataset/${b.id}`), 200, 102, /not found/i);
    // Its documents, files and chunks went with it.
    expectError(await api.get(`/dataset/${b.id}/info`), 200, 102, /not found/i);
    expectError(await api.get(`/dataset/${b.id}/document/${bDoc.id}`), 200, 102, /not found/i);
    expectError(await api.post(`/dataset/${ds.id}/retrieval`, { body: { question: 'doomed chunk', document_ids: [bDoc.id] } }), 200, 102);
    expect((await api.ok('GET', '/dataset')).map((d: Json) => d.id)).toEqual([ds.id]);
  });
});

describe('documents', () => {
  it('uploads several files in one multipart request; nothing is parsed until asked', async () => {
    const docs = await api.ok('POST', `/dataset/${ds.id}/document`, {
      body: form([
        { name: 'alpha.txt', data: ALPHA, type: 'text/plain' },
        { name: 'beta.md', data: BETA, type: 'text/markdown' },
        { name: 'multi_page.pdf', data: pdfBytes, type: 'application/pdf' },
      ]),
    });
    expect(Array.isArray(docs)).toBe(true);
    expect(docs.map((d: Json) => d.name)).toEqual(['alpha.txt', 'beta.md', 'multi_page.pdf']);
    [alpha, beta, pdf] = docs;
    for (const d of docs) {
      expect(d.id).toMatch(/^[0-9a-f]{32}$/);
      expect(d.run).toBe('0');
      expect(d.dataset_id).toBe(ds.id);
      expect(d.knowledgebase_id).toBe(ds.id);
      expect(d.chunk_count).toBe(0);
    }
    expect(pdf.size).toBe(pdfBytes.length);
    expect(alpha.size).toBe(Buffer.byteLength(ALPHA));
  });

  it('renames a duplicate file name to a(1).txt and strips a path from the name (../../x.txt → x.txt)', async () => {
    const docs = await api.ok('POST', `/dataset/${ds.id}/document`, {
      body: form([
        { name: 'alpha.txt', data: 'A second alpha about wind turbines.' },
        { name: '../../x.txt', data: 'Traversal attempt: this file must stay inside the knowledge base.' },
      ]),
    });
    expect(docs.map((d: Json) => d.name)).toEqual(['alpha(1).txt', 'x.txt']);
    expect(existsSync(join(tmp.dir, '..', 'x.txt'))).toBe(false);
    expect(existsSync(join(tmp.dir, '..', '..', 'x.txt'))).toBe(false);
    const listed = await api.ok('GET', `/dataset/${ds.id}/info`, { query: { name: 'x.txt' } });
    expect(listed.docs.map((d: Json) => d.name)).toEqual(['x.txt']);
    await api.ok('DELETE', `/dataset/${ds.id}/document`, { body: { ids: docs.map((d: Json) => d.id) } });
  });

  it('refuses an unsupported file type with 101 naming the supported ones, and keeps nothing of the upload', async () => {
    const reply = await api.post(`/dataset/${ds.id}/document`, {
      body: form([
        { name: 'fine.txt', data: 'this one alone would be fine' },
        { name: 'tool.exe', data: new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00]) },
      ]),
    });
    expectError(reply, 200, 101, /pdf/i);
    expect(reply.body.message).toMatch(/txt/i);
    const info = await api.ok('GET', `/dataset/${ds.id}/info`);
    expect(info.total).toBe(3);
  });

  it('refuses an upload without a file part (101) and one to a missing dataset (102)', async () => {
    expectError(await api.post(`/dataset/${ds.id}/document`, { body: form([{ name: 'a.txt', data: 'x' }], 'other') }), 200, 101, /file/i);
    expectError(await api.post(`/dataset/${ds.id}/document`, { body: { file: 'a.txt' } }), 200, 101);
    expectError(await api.post(`/dataset/${MISSING}/document`, { body: form([{ name: 'a.txt', data: 'x' }]) }), 200, 102, /not found/i);
  });

  it('downloads the original bytes with the file name in Content-Disposition', async () => {
    const response = await api.raw('GET', `/dataset/${ds.id}/document/${pdf.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition') ?? '').toContain('multi_page.pdf');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.equals(pdfBytes)).toBe(true);

    const text = await api.raw('GET', `/dataset/${ds.id}/document/${alpha.id}`);
    expect(await text.text()).toBe(ALPHA);

    const [accented] = await api.ok('POST', `/dataset/${ds.id}/document`, { body: form([{ name: 'résumé notes.txt', data: 'naïve café' }]) });
    expect(accented.name).toBe('résumé notes.txt');
    const download = await api.raw('GET', `/dataset/${ds.id}/document/${accented.id}`);
    expect(download.status).toBe(200);
    const disposition = download.headers.get('content-disposition') ?? '';
    expect(decodeURIComponent(disposition)).toContain('résumé notes.txt');
    expect(await download.text()).toBe('naïve café');
    await api.ok('DELETE', `/dataset/${ds.id}/document/${accented.id}`);
    expectError(await api.get(`/dataset/${ds.id}/document/${MISSING}`), 200, 102, /not found/i);
  });

  it('lists documents with keywords, name, paging and ordering', async () => {
    const all = await api.ok('GET', `/dataset/${ds.id}/info`);
    expect(all.total).toBe(3);
    expect(all.docs).toHaveLength(3);
    const byName = await api.ok('GET', `/dataset/${ds.id}/info`, { query: { orderby: 'name', desc: false } });
    expect(byName.docs.map((d: Json) => d.name)).toEqual(['alpha.txt', 'beta.md', 'multi_page.pdf']);
    const kw = await api.ok('GET', `/dataset/${ds.id}/info`, { query: { keywords: 'PAGE' } });
    expect(kw.docs.map((d: Json) => d.id)).toEqual([pdf.id]);
    const paged = await api.ok('GET', `/dataset/${ds.id}/info`, { query: { page: 2, page_size: 2, orderby: 'name', desc: false } });
    expect(paged.docs.map((d: Json) => d.name)).toEqual(['multi_page.pdf']);
    expect(paged.total).toBe(3);
    const doc = all.docs.find((d: Json) => d.id === alpha.id);
    expect(doc).toMatchObject({ run: '0', progress: 0, knowledgebase_id: ds.id, parser_method: 'naive', chunk_method: 'naive' });
    expect(doc).toHaveProperty('process_duation');
    expect(doc).toHaveProperty('process_duration');
    expect(doc.parser_config).toMatchObject({ chunk_token_num: 128, chunk_token_count: 128 });
    expectError(await api.get(`/dataset/${MISSING}/info`), 200, 102, /not found/i);
    expectError(await api.get(`/dataset/${ds.id}/info`, { query: { page: 'first' } }), 200, 101, /page/);
  });

  it('renames a document (name or document_name); the extension must stay', async () => {
    const renamed = await api.ok('PUT', `/dataset/${ds.id}/info/${alpha.id}`, { body: { document_name: 'solar.txt' } });
    expect(renamed?.name ?? (await docInfo(ds.id, alpha.id)).name).toBe('solar.txt');
    await api.ok('PUT', `/dataset/${ds.id}/info/${alpha.id}`, { body: { name: 'alpha.txt', document_id: alpha.id, size: 0, progress: 0 } });
    expect((await docInfo(ds.id, alpha.id)).name).toBe('alpha.txt');
    expectError(await api.put(`/dataset/${ds.id}/info/${alpha.id}`, { body: { name: 'alpha.pdf' } }), 200, 101, /extension/i);
    expectError(await api.put(`/dataset/${ds.id}/info/${alpha.id}`, { body: { name: 5 } }), 200, 101, /name/);
    expectError(await api.put(`/dataset/${ds.id}/info/${MISSING}`, { body: { name: 'a.txt' } }), 200, 102, /not found/i);
  });

  it('parses in the background (POST /chunk returns at once) until run "3", with RAGFlow\'s log', async () => {
    const started = await api.post(`/dataset/${ds.id}/chunk`, { body: { documents: [alpha.id, pdf.id] } });
    expect(started.status).toBe(200);
    expect(started.body.code, started.text).toBe(0);
    await api.ok('POST', `/dataset/${ds.id}/chunk`, { body: { document_ids: [beta.id] } });
    const done = await waitForRun(ds.id, [alpha.id, beta.id, pdf.id], '3');
    for (const d of done) {
      expect(d.progress).toBe(1);
      expect(d.chunk_count).toBeGreaterThan(0);
      expect(d.progress_msg).toMatch(/Task has been received\.[\s\S]*Done!/);
      expect(d.process_duration).toBeGreaterThanOrEqual(0);
    }
    const dataset = (await api.ok('GET', '/dataset', { query: { id: ds.id } }))[0];
    expect(dataset.chunk_count).toBe(done.reduce((n, d) => n + d.chunk_count, 0));
    expect(dataset.document_count).toBe(3);
    const finished = await api.ok('GET', `/dataset/${ds.id}/info`, { query: { run: '3' } });
    expect(finished.total).toBe(3);
    expect((await api.ok('GET', `/dataset/${ds.id}/info`, { query: { run: '0' } })).total).toBe(0);
  });

  it('refuses to parse unknown documents (102) or a body without a list (101)', async () => {
    expectError(await api.post(`/dataset/${ds.id}/chunk`, { body: { documents: [MISSING] } }), 200, 102, /not found/i);
    expectError(await api.post(`/dataset/${ds.id}/chunk`, { body: { documents: 'all' } }), 200, 101, /documents|document_ids/);
    expectError(await api.post(`/dataset/${ds.id}/chunk`, { body: {} }), 200, 101);
    expectError(await api.delete(`/dataset/${ds.id}/chunk`, { body: { documents: [alpha.id] } }), 200, 102);
  });

  it('stops a running parse (DELETE /chunk → run "2") and deletes documents by id and by list', async () => {
    const big = Array.from({ length: 30_000 }, (_, i) => `Line ${i} of a long file about topic ${i % 97} and subject ${i % 89}.`).join('\n');
    const [long] = await api.ok('POST', `/dataset/${ds.id}/document`, { body: form([{ name: 'long.txt', data: big }]) });
    await api.ok('POST', `/dataset/${ds.id}/chunk`, { body: { documents: [long.id] } });
    await api.ok('DELETE', `/dataset/${ds.id}/chunk`, { body: { documents: [long.id] } });
    const [stopped] = await waitForRun(ds.id, [long.id], '2');
    expect(stopped.chunk_count).toBe(0);

    const [one, two] = await api.ok('POST', `/dataset/${ds.id}/document`, {
      body: form([
        { name: 'one.txt', data: 'one' },
        { name: 'two.txt', data: 'two' },
      ]),
    });
    expectError(await api.delete(`/dataset/${ds.id}/document`, { body: { ids: [one.id, MISSING] } }), 200, 102, /not found/i);
    expect(await docInfo(ds.id, one.id)).toBeDefined();
    await api.ok('DELETE', `/dataset/${ds.id}/document/${long.id}`);
    await api.ok('DELETE', `/dataset/${ds.id}/document`, { body: { ids: [one.id, two.id] } });
    const info = await api.ok('GET', `/dataset/${ds.id}/info`);
    expect(info.docs.map((d: Json) => d.id).sort()).toEqual([alpha.id, beta.id, pdf.id].sort());
    expectError(await api.get(`/dataset/${ds.id}/document/${long.id}`), 200, 102, /not found/i);
  });
});

describe('parse settings of a document', () => {
  it('changing chunk_method sends the document back to run "0" keeping its chunks until it is parsed again', async () => {
    const before = await api.ok('GET', `/dataset/${ds.id}/document/${beta.id}/chunk`);
    expect(before.total).toBeGreaterThan(0);
    await api.ok('PUT', `/dataset/${ds.id}/info/${beta.id}`, { body: { chunk_method: 'one' } });
    const reset = await docInfo(ds.id, beta.id);
    expect(reset).toMatchObject({ run: '0', chunk_method: 'one', parser_method: 'one' });
    const kept = await api.ok('GET', `/dataset/${ds.id}/document/${beta.id}/chunk`);
    expect(kept.chunks.map((c: Json) => c.id)).toEqual(before.chunks.map((c: Json) => c.id));
    await api.ok('POST', `/dataset/${ds.id}/chunk`, { body: { document_ids: [beta.id] } });
    const [done] = await waitForRun(ds.id, [beta.id], '3');
    expect(done.chunk_count).toBe(1);
    const after = await api.ok('GET', `/dataset/${ds.id}/document/${beta.id}/chunk`);
    expect(after.chunks[0].content).toContain('Tomatoes need full sun');
    expect(after.chunks[0].content).toContain('Basil grows well');
    expectError(await api.put(`/dataset/${ds.id}/info/${beta.id}`, { body: { chunk_method: 'sorcery' } }), 200, 101, /chunk_method/);
    expectError(await api.put(`/dataset/${ds.id}/info/${beta.id}`, { body: { parser_config: { chunk_token_num: -5 } } }), 200, 101, /chunk_token_num/);
  });
});

describe('chunks', () => {
  it('lists the chunks of a document with the document and the total', async () => {
    const data = await api.ok('GET', `/dataset/${ds.id}/document/${pdf.id}/chunk`);
    expect(data.doc.id).toBe(pdf.id);
    expect(data.doc.run).toBe('3');
    expect(data.total).toBe(data.doc.chunk_count);
    expect(data.chunks.length).toBe(Math.min(30, data.total));
    const c = data.chunks[0];
    for (const field of ['id', 'content', 'document_id', 'document_keyword', 'dataset_id', 'important_keywords', 'available_int', 'positions', 'image_id', 'create_time']) {
      expect(c, field).toHaveProperty(field);
    }
    expect(c).toMatchObject({ document_id: pdf.id, dataset_id: ds.id, document_keyword: 'multi_page.pdf', available_int: 1 });
    expect(c.positions.length).toBeGreaterThan(0);
    const page = await api.ok('GET', `/dataset/${ds.id}/document/${pdf.id}/chunk`, { query: { page: 2, page_size: 1 } });
    expect(page.chunks.map((x: Json) => x.id)).toEqual([data.chunks[1].id]);
  });

  it('searches chunks by keywords with <em> highlights while content stays original', async () => {
    const data = await api.ok('GET', `/dataset/${ds.id}/document/${alpha.id}/chunk`, { query: { keywords: 'sunlight' } });
    expect(data.total).toBeGreaterThan(0);
    const hit = data.chunks[0];
    expect(hit.content).toContain('sunlight');
    expect(hit.content).not.toContain('<em>');
    expect(hit.highlight).toMatch(/<em>sunlight<\/em>/i);
  });

  it('adds chunks that are searchable at once, edits them keeping the id, hides and deletes them', async () => {
    const reply = await api.ok('POST', `/dataset/${ds.id}/document/${alpha.id}/chunk`, {
      body: { content: ['Quokkas live on Rottnest Island near Perth.', 'Axolotls can regenerate lost limbs.'], important_keywords: ['marsupial'] },
    });
    const added: Json[] = Array.isArray(reply) ? reply : (reply.chunks ?? [reply.chunk]);
    expect(added).toHaveLength(2);
    addedChunkId = added[0].id;
    expect(added[0]).toMatchObject({ content: 'Quokkas live on Rottnest Island near Perth.', document_id: alpha.id, important_keywords: ['marsupial'] });

    const found = await api.ok('POST', `/dataset/${ds.id}/retrieval`, { body: { question: 'quokkas Rottnest' } });
    expect(found.chunks[0].id).toBe(addedChunkId);

    const edited = await api.put(`/dataset/${ds.id}/document/${alpha.id}/chunk`, {
      body: { chunk_id: addedChunkId, content: 'Quokkas are small marsupials from Rottnest Island.', important_keywords: [] },
    });
    expect(edited.body?.code, edited.text).toBe(0);
    const listed = await api.ok('GET', `/dataset/${ds.id}/document/${alpha.id}/chunk`, { query: { id: addedChunkId } });
    expect(listed.chunks.map((x: Json) => [x.id, x.content])).toEqual([[addedChunkId, 'Quokkas are small marsupials from Rottnest Island.']]);

    await api.ok('PUT', `/dataset/${ds.id}/document/${alpha.id}/chunk/${addedChunkId}`, { body: { available: false } });
    const hidden = await api.ok('POST', `/dataset/${ds.id}/retrieval`, { body: { question: 'quokkas marsupials' } });
    expect(hidden.chunks.map((x: Json) => x.id)).not.toContain(addedChunkId);
    expect((await api.ok('GET', `/dataset/${ds.id}/document/${alpha.id}/chunk`, { query: { id: addedChunkId } })).chunks[0].available_int).toBe(0);
    await api.ok('PUT', `/dataset/${ds.id}/document/${alpha.id}/chunk`, { body: { chunk_id: addedChunkId, status: '1' } });
    const back = await api.ok('POST', `/dataset/${ds.id}/retrieval`, { body: { question: 'quokkas marsupials' } });
    expect(back.chunks[0].id).toBe(addedChunkId);

    const before = (await api.ok('GET', `/dataset/${ds.id}/document/${alpha.id}/chunk`)).total;
    expectError(await api.delete(`/dataset/${ds.id}/document/${alpha.id}/chunk`, { body: { chunks: [added[1].id, MISSING] } }), 200, 102);
    expect((await api.ok('GET', `/dataset/${ds.id}/document/${alpha.id}/chunk`)).total).toBe(before);
    await api.ok('DELETE', `/dataset/${ds.id}/document/${alpha.id}/chunk`, { body: { chunk_ids: [added[1].id] } });
    expect((await api.ok('GET', `/dataset/${ds.id}/document/${alpha.id}/chunk`)).total).toBe(before - 1);
    expectError(await api.get(`/dataset/${ds.id}/document/${alpha.id}/chunk`, { query: { id: added[1].id } }), 200, 102, /not found/i);
  });

  it('refuses bad chunk bodies with 101 naming the field, and unknown ids with 102', async () => {
    const path = `/dataset/${ds.id}/document/${alpha.id}/chunk`;
    expectError(await api.post(path, { body: { content: 42 } }), 200, 101, /content/);
    expectError(await api.post(path, { body: {} }), 200, 101, /content/);
    expectError(await api.post(path, { body: { content: 'x', important_keywords: 'kw' } }), 200, 101, /important_keywords/);
    expectError(await api.put(path, { body: { chunk_id: addedChunkId, content: ['a'] } }), 200, 101, /content/);
    expectError(await api.put(path, { body: { chunk_id: MISSING, content: 'x' } }), 200, 102, /not found/i);
    expectError(await api.delete(path, { body: { chunks: 'all' } }), 200, 101, /chunk/);
    expectError(await api.get(`/dataset/${ds.id}/document/${MISSING}/chunk`), 200, 102, /not found/i);
  });
});

describe('retrieval', () => {
  const PDF_QUESTION = 'Who patented the typewriter in 1868?';

  it('answers GET with the question in the query string', async () => {
    const data = await api.ok('GET', `/dataset/${ds.id}/retrieval`, { query: { query_text: PDF_QUESTION } });
    expect(data.total).toBeGreaterThan(0);
    const top = data.chunks[0];
    expect(top.document_id).toBe(pdf.id);
    expect(top.content).toContain('Sholes');
    for (const field of ['similarity', 'vector_similarity', 'term_similarity']) expect(typeof top[field], field).toBe('number');
    expect(top.similarity).toBeGreaterThanOrEqual(0.2);
    const docIds = data.doc_aggs.map((a: Json) => a.doc_id);
    expect(docIds).toContain(pdf.id);
  });

  it('answers POST with a JSON body (question or query_text) and options', async () => {
    const a = await api.ok('POST', `/dataset/${ds.id}/retrieval`, { body: { question: PDF_QUESTION } });
    const b = await api.ok('POST', `/dataset/${ds.id}/retrieval`, { body: { query_text: PDF_QUESTION } });
    expect(b.chunks.map((c: Json) => c.id)).toEqual(a.chunks.map((c: Json) => c.id));

    const lit = await api.ok('POST', `/dataset/${ds.id}/retrieval`, { body: { question: 'solar sunlight', highlight: true, page_size: 1 } });
    expect(lit.chunks).toHaveLength(1);
    expect(lit.chunks[0].highlight).toMatch(/<em>/);

    const onlyAlpha = await api.ok('POST', `/dataset/${ds.id}/retrieval`, { body: { question: PDF_QUESTION, document_ids: [alpha.id] } });
    expect(onlyAlpha.chunks.every((c: Json) => c.document_id === alpha.id)).toBe(true);

    const strict = await api.ok('GET', `/dataset/${ds.id}/retrieval`, { query: { query_text: PDF_QUESTION, similarity_threshold: 0.99 } });
    expect(strict.chunks.every((c: Json) => c.similarity >= 0.99)).toBe(true);
  });

  it('answers POST /retrieval with dataset_ids', async () => {
    const data = await api.ok('POST', '/retrieval', { body: { dataset_ids: [ds.id], question: PDF_QUESTION } });
    expect(data.chunks[0].document_id).toBe(pdf.id);
    const alias = await api.ok('POST', '/retrieval', { body: { dataset_ids: [ds.id], query_text: PDF_QUESTION } });
    expect(alias.chunks.map((c: Json) => c.id)).toEqual(data.chunks.map((c: Json) => c.id));
  });

  it('refuses bad options with 101 naming the field, and unknown datasets with 102', async () => {
    expectError(await api.get(`/dataset/${ds.id}/retrieval`, { query: { query_text: 'x', page_size: 'abc' } }), 200, 101, /page_size/);
    expectError(await api.post(`/dataset/${ds.id}/retrieval`, { body: { question: 'x', similarity_threshold: 1.5 } }), 200, 101, /similarity_threshold/);
    expectError(await api.post(`/dataset/${ds.id}/retrieval`, { body: { question: 7 } }), 200, 101, /question|query_text/);
    expectError(await api.post('/retrieval', { body: { question: 'x' } }), 200, 101, /dataset_ids/);
    expectError(await api.post('/retrieval', { body: { question: 'x', dataset_ids: [MISSING] } }), 200, 102, /not found/i);
    expectError(await api.get(`/dataset/${MISSING}/retrieval`, { query: { query_text: 'x' } }), 200, 102, /not found/i);
  });

  it('refuses to change the embedding model of a dataset that has chunks (102)', async () => {
    expectError(
      await api.put(`/dataset/${ds.id}`, { body: { embedding_model: 'BAAI/bge-small-en-v1.5@Builtin' } }),
      200,
      102,
      /Can't change embedding model since some files already use it\./,
    );
  });
});

describe('chats and sessions', () => {
  it('creates a chat from the draft body (knowledgebases) with RAGFlow\'s defaults', async () => {
    chat = await api.ok('POST', '/chat', {
      body: { name: 'Contract chat', knowledgebases: [{ id: ds.id, name: 'ignored' }], llm: LLM, prompt: { opener: OPENER, empty_response: EMPTY } },
    });
    expect(chat.id).toMatch(/^[0-9a-f]{32}$/);
    expect(chat.dataset_ids).toEqual([ds.id]);
    expect(chat.llm).toMatchObject({ model_name: 'extractive@Builtin', temperature: 0.1, top_p: 0.3, presence_penalty: 0.4, frequency_penalty: 0.7, max_tokens: 512 });
    expect(chat.prompt).toMatchObject({ opener: OPENER, empty_response: EMPTY, top_n: 6, similarity_threshold: 0.2, keywords_similarity_weight: 0.7, show_quote: true });
    expect(chat.prompt.prompt).toContain('{knowledge}');
    expect(chat.top_k).toBe(1024);
  });

  it('refuses a duplicate name, missing datasets, mixed embedding models, an unknown model and bad types', async () => {
    expectError(await api.post('/chat', { body: { name: 'contract CHAT', dataset_ids: [ds.id], llm: LLM } }), 200, 102, /name/i);
    expectError(await api.post('/chat', { body: { name: 'c2', dataset_ids: [MISSING], llm: LLM } }), 200, 102, /not found/i);
    expectError(await api.post('/chat', { body: { name: 'c3', dataset_ids: [ds.id], llm: { model_name: 'gpt-x@NoSuchProvider' } } }), 200, 102, /NoSuchProvider/);
    expectError(await api.post('/chat', { body: { name: 'c4', dataset_ids: ds.id, llm: LLM } }), 200, 101, /dataset_ids/);
    expectError(await api.post('/chat', { body: { name: 'c5', dataset_ids: [ds.id], llm: LLM, prompt: { top_n: 'six' } } }), 200, 101, /top_n/);
    const vectors = await api.ok('POST', '/dataset', { body: { name: 'other model', embedding_model: 'BAAI/bge-small-en-v1.5@Builtin' } });
    try {
      expectError(await api.post('/chat', { body: { name: 'c6', dataset_ids: [ds.id, vectors.id], llm: LLM } }), 200, 102, /embedding model/i);
      expectError(await api.post('/retrieval', { body: { dataset_ids: [ds.id, vectors.id], question: 'x' } }), 200, 102, /embedding model/i);
    } finally {
      await api.ok('DELETE', `/dataset/${vectors.id}`);
    }
  });

  it('updates (PUT /chat with the id in the body, PUT /chat/:id), lists and deletes chats', async () => {
    const temp = await api.ok('POST', '/chat', { body: { name: 'Temp chat', dataset_ids: [ds.id], llm: LLM } });
    const renamed = await api.ok('PUT', '/chat', { body: { id: temp.id, name: 'Temp chat renamed' } });
    expect(renamed?.name ?? 'Temp chat renamed').toBe('Temp chat renamed');
    await api.ok('PUT', `/chat/${temp.id}`, { body: { prompt: { top_n: 3 } } });
    const [listed] = await api.ok('GET', '/chat', { query: { id: temp.id } });
    expect(listed).toMatchObject({ id: temp.id, name: 'Temp chat renamed' });
    expect(listed.prompt.top_n).toBe(3);
    expect(listed.prompt.opener).toBe(temp.prompt.opener);

    const all = await api.get('/chat');
    expect(all.body.data.map((c: Json) => c.id).sort()).toEqual([chat.id, temp.id].sort());
    expect(all.body.total).toBe(2);
    expect((await api.ok('GET', '/chat', { query: { name: 'contract chat' } })).map((c: Json) => c.id)).toEqual([chat.id]);
    expect((await api.ok('GET', '/chat', { query: { page: 2, page_size: 1 } }))).toHaveLength(1);

    const temp2 = await api.ok('POST', '/chat', { body: { name: 'Temp chat 2', dataset_ids: [ds.id], llm: LLM } });
    await api.ok('DELETE', `/chat/${temp.id}`);
    await api.ok('DELETE', '/chat', { body: { ids: [temp2.id] } });
    expectError(await api.put(`/chat/${temp.id}`, { body: { name: 'zombie' } }), 200, 102, /not found/i);
    expectError(await api.delete('/chat', { body: { ids: [MISSING] } }), 200, 102, /not found/i);
    expectError(await api.put('/chat', { body: { name: 'no id' } }), 200, 101, /id/);
    expect((await api.ok('GET', '/chat')).map((c: Json) => c.id)).toEqual([chat.id]);
  });

  it('creates a session whose first message is the opener; lists, renames and deletes sessions', async () => {
    session = await api.ok('POST', `/chat/${chat.id}/session`, { body: { name: 'first session' } });
    expect(session.id).toMatch(/^[0-9a-f]{32}$/);
    expect(session.chat_id).toBe(chat.id);
    expect(session.name).toBe('first session');
    expect(session.messages).toHaveLength(1);
    expect(session.messages[0]).toMatchObject({ role: 'assistant', content: OPENER });

    const temp = await api.ok('POST', `/chat/${chat.id}/session`, { body: { name: 'temp session' } });
    await api.ok('PUT', `/chat/${chat.id}/session/${temp.id}`, { body: { name: 'renamed session' } });
    const list = await api.ok('GET', `/chat/${chat.id}/session`);
    expect(list.map((s: Json) => s.name).sort()).toEqual(['first session', 'renamed session']);
    expect(list.every((s: Json) => Array.isArray(s.messages))).toBe(true);
    expectError(await api.put(`/chat/${chat.id}/session/${temp.id}`, { body: { name: '' } }), 200, 101, /name/);
    await api.ok('DELETE', `/chat/${chat.id}/session/${temp.id}`);
    expect((await api.ok('GET', `/chat/${chat.id}/session`)).map((s: Json) => s.id)).toEqual([session.id]);
    expectError(await api.delete(`/chat/${chat.id}/session/${temp.id}`), 200, 102, /not found/i);
    const [x, y] = [
      await api.ok('POST', `/chat/${chat.id}/session`, { body: {} }),
      await api.ok('POST', `/chat/${chat.id}/session`, { body: { name: 'y' } }),
    ];
    expect(x.name).toBe('New session');
    expectError(await api.delete(`/chat/${chat.id}/session`, { body: { ids: [x.id, MISSING] } }), 200, 102, /not found/i);
    await api.ok('DELETE', `/chat/${chat.id}/session`, { body: { ids: [x.id, y.id] } });
    expect((await api.ok('GET', `/chat/${chat.id}/session`)).map((s: Json) => s.id)).toEqual([session.id]);
    expectError(await api.post(`/chat/${MISSING}/session`, { body: { name: 'x' } }), 200, 102, /not found/i);
  });
});

describe("the draft's request examples, and replies sent back as requests", () => {
  it('creates a dataset from the draft example (tenant_id, counters, parse_method "general")', async () => {
    const created = await api.ok('POST', '/dataset', {
      body: {
        dataset_name: 'test',
        tenant_id: '4fb0cd625f9311efba4a0242ac120006',
        embedding_model: 'BAAI/bge--zh-v1.5',
        chunk_count: 0,
        document_count: 0,
        parse_method: 'general',
      },
    });
    expect(created).toMatchObject({ name: 'test', chunk_method: 'naive', tenant_id: expect.not.stringMatching(/^4fb0cd62/) });
    expect(created.embedding_model).toMatch(/^BAAI\/bge--zh-v1\.5@/);
    await api.ok('DELETE', `/dataset/${created.id}`);
  });

  it('lists with the draft query strings (page=0, desc=false / desc=yes)', async () => {
    const datasets = await api.get('/dataset?page=0&page_size=50&orderby=create_time&desc=false');
    expect(datasets.body.code, datasets.text).toBe(0);
    const docs = await api.ok('GET', `/dataset/${ds.id}/info?keywords=a&page=0&page_size=10&orderby=create_time&desc=yes`);
    expect(docs.total).toBeGreaterThan(0);
  });

  it('creates a chat from the draft example body (with an offline model)', async () => {
    const body = {
      avatar: 'path',
      create_date: 'Wed, 04 Sep 2024 10:08:01 GMT',
      create_time: 1725444481128,
      description: 'A helpful Assistant',
      do_refer: '',
      knowledgebases: [
        {
          avatar: null, chunk_count: 0, description: null, document_count: 0, embedding_model: '', id: ds.id,
          language: 'English', name: 'Test_assistant', parse_method: 'naive', parser_config: { pages: [[1, 1000000]] },
          permission: 'me', tenant_id: '4fb0cd625f9311efba4a0242ac120006',
        },
      ],
      language: 'English',
      llm: { frequency_penalty: 0.7, max_tokens: 512, model_name: 'extractive@Builtin', presence_penalty: 0.4, temperature: 0.1, top_p: 0.3 },
      name: 'Miss R',
      prompt: {
        empty_response: "Sorry! Can't find the context!",
        keywords_similarity_weight: 0.7,
        opener: 'Hi! I am your assistant, what can I do for you?',
        prompt: 'You are an intelligent assistant. Answer from the knowledge base.\nHere is the knowledge base:\n{knowledge}\nThe above is the knowledge base.',
        rerank_model: '',
        show_quote: true,
        similarity_threshold: 0.2,
        top_n: 8,
        variables: [{ key: 'knowledge', optional: true }],
      },
      prompt_type: 'simple',
      status: '1',
      top_k: 1024,
      update_date: 'Wed, 04 Sep 2024 10:08:01 GMT',
      update_time: 1725444481128,
    };
    const created = await api.ok('POST', '/chat', { body });
    expect(created).toMatchObject({ name: 'Miss R', dataset_ids: [ds.id], top_k: 1024 });
    expect(created.prompt).toMatchObject({ top_n: 8, variables: [{ key: 'knowledge', optional: true }], empty_response: "Sorry! Can't find the context!" });
    expect(created.create_time).not.toBe(1725444481128);
    expectError(await api.post('/chat', { body: { ...body, name: 'Miss S', dataset_ids: [MISSING] } }), 200, 101, /dataset_ids|knowledgebases/);
    await api.ok('DELETE', `/chat/${created.id}`);
  });

  it('adds and updates chunks with the draft example bodies, and answers a GET retrieval with a JSON body', async () => {
    const added = await api.ok('POST', `/dataset/${ds.id}/document/${alpha.id}/chunk`, {
      body: { document_id: alpha.id, content: ['ragflow content one', 'ragflow content two'] },
    });
    expect(added.chunks).toHaveLength(2);
    const id = added.chunks[0].id;
    await api.ok('PUT', `/dataset/${ds.id}/document/${alpha.id}/chunk`, {
      body: { chunk_id: id, knowledgebase_id: null, name: '', content: 'ragflow123', important_keywords: [], document_id: alpha.id, status: '1' },
    });
    const found = (await getWithBody(api.url(`/dataset/${ds.id}/retrieval`), KEY, { query_text: 'ragflow123' })).body;
    expect(found.code, JSON.stringify(found)).toBe(0);
    expect(found.data.chunks[0].id).toBe(id);
    await api.ok('DELETE', `/dataset/${ds.id}/document/${alpha.id}/chunk`, { body: { chunks: added.chunks.map((c: Json) => c.id) } });
  });

  it('accepts a dataset, a document and a chat sent back exactly as they were returned', async () => {
    const [dataset] = await api.ok('GET', '/dataset', { query: { id: ds.id } });
    const updated = await api.ok('PUT', `/dataset/${ds.id}`, { body: dataset });
    expect(updated.update_time).toBeGreaterThanOrEqual(dataset.update_time);
    expect({ ...updated, update_time: 0, update_date: '' }).toEqual({ ...dataset, update_time: 0, update_date: '' });

    const doc = await docInfo(ds.id, alpha.id);
    const sameDoc = await api.put(`/dataset/${ds.id}/info/${alpha.id}`, { body: doc });
    expect(sameDoc.body.code, sameDoc.text).toBe(0);
    expect((await docInfo(ds.id, alpha.id)).name).toBe(doc.name);

    const [current] = await api.ok('GET', '/chat', { query: { id: chat.id } });
    const sameChat = await api.put(`/chat/${chat.id}`, { body: current });
    expect(sameChat.body.code, sameChat.text).toBe(0);
    const [after] = await api.ok('GET', '/chat', { query: { id: chat.id } });
    expect({ ...after, update_time: 0, update_date: '' }).toEqual({ ...current, update_time: 0, update_date: '' });
  });
});

describe('parse settings sent back unchanged', () => {
  // RAGFlow's update_doc returns early when chunk_method equals the current one; API.md resets the
  // document only on a *change*. The draft's own example PUTs the whole document back.
  it('leave a parsed document parsed (run stays "3")', async () => {
    const doc = await docInfo(ds.id, pdf.id);
    expect(doc.run).toBe('3');
    await api.ok('PUT', `/dataset/${ds.id}/info/${pdf.id}`, { body: { chunk_method: doc.chunk_method, parser_config: doc.parser_config } });
    const after = await docInfo(ds.id, pdf.id);
    expect(after.run).toBe('3');
  });
});

describe('completion', () => {
  it('streams cumulative answers, then the cited final answer with its reference, then data:true', async () => {
    const response = await api.raw('POST', `/chat/${chat.id}/session/${session.id}/completion`, {
      body: { question: 'How do solar panels make electricity from sunlight?' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type') ?? '').toMatch(/^text\/event-stream/);
    expect(response.headers.get('cache-control') ?? '').toMatch(/no-cache/);
    const text = await response.text();
    expect(text).toMatch(/^data:\{/);
    const events = sseEvents(text);
    expect(events.length, text).toBeGreaterThanOrEqual(3);
    expect(events.at(-1)).toEqual({ code: 0, data: true });
    const answers = events.slice(0, -1);
    for (const e of answers) {
      expect(e.code, JSON.stringify(e)).toBe(0);
      expect(e.data.session_id).toBe(session.id);
      expect(e.data.id).toBe(answers[0].data.id);
    }
    const partial = answers.slice(0, -1);
    for (let i = 1; i < partial.length; i++) expect(partial[i].data.answer.startsWith(partial[i - 1].data.answer)).toBe(true);
    for (const e of partial) expect(e.data.reference).toEqual({});

    const final = answers.at(-1).data;
    expect(final.answer).toMatch(/ ##\d+\$\$/);
    expect(final.answer).toMatch(/sunlight/i);
    expect(final.reference.total).toBeGreaterThan(0);
    expect(final.reference.chunks.length).toBeGreaterThan(0);
    expect(Array.isArray(final.reference.doc_aggs)).toBe(true);
    for (const m of final.answer.matchAll(/##(\d+)\$\$/g)) expect(Number(m[1])).toBeLessThan(final.reference.chunks.length);
    const withoutMarks = final.answer.replace(/ ##\d+\$\$/g, '');
    if (partial.length > 0) expect(withoutMarks).toBe(partial.at(-1).data.answer);
  });

  it('answers without streaming ({stream: false}) with one JSON envelope', async () => {
    const data = await api.ok('POST', `/chat/${chat.id}/session/${session.id}/completion`, {
      body: { question: 'Who patented the typewriter?', stream: false },
    });
    expect(data.session_id).toBe(session.id);
    expect(typeof data.id).toBe('string');
    expect(data.answer).toMatch(/Sholes/);
    expect(data.answer).toMatch(/ ##\d+\$\$/);
    expect(data.reference.chunks.length).toBeGreaterThan(0);
  });

  it('gives the empty_response when nothing is retrieved', async () => {
    const data = await api.ok('POST', `/chat/${chat.id}/session/${session.id}/completion`, {
      body: { question: 'zyxwv qwertz plugh', stream: false },
    });
    expect(data.answer).toBe(EMPTY);
  });

  it('keeps the questions and answers in the session', async () => {
    const [listed] = await api.ok('GET', `/chat/${chat.id}/session`, { query: { id: session.id } });
    expect(listed.messages.map((m: Json) => m.role)).toEqual(['assistant', 'user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
    expect(listed.messages[1].content).toBe('How do solar panels make electricity from sunlight?');
    expect(listed.messages[6].content).toBe(EMPTY);
  });

  it('creates a session when POST /chat/:id/completion has no session_id, and uses the given one', async () => {
    const data = await api.ok('POST', `/chat/${chat.id}/completion`, { body: { question: 'What are photovoltaic cells made of?', stream: false } });
    expect(data.session_id).toMatch(/^[0-9a-f]{32}$/);
    expect(data.session_id).not.toBe(session.id);
    expect(data.answer).toMatch(/silicon/);
    const sessions = await api.ok('GET', `/chat/${chat.id}/session`);
    expect(sessions.map((s: Json) => s.id)).toContain(data.session_id);
    const created = sessions.find((s: Json) => s.id === data.session_id);
    expect(created.messages.map((m: Json) => m.role)).toEqual(['assistant', 'user', 'assistant']);

    const again = await api.raw('POST', `/chat/${chat.id}/completion`, { body: { question: 'What does an inverter do?', session_id: data.session_id } });
    const events = sseEvents(await again.text());
    expect(events.at(-1)).toEqual({ code: 0, data: true });
    expect(events.at(-2).data.session_id).toBe(data.session_id);
    expect(events.at(-2).data.answer).toMatch(/inverter/i);
  });

  it('streams from POST /chat/:id/completion without session_id, every event naming the new session', async () => {
    const response = await api.raw('POST', `/chat/${chat.id}/completion`, { body: { question: 'Which way should panels face?' } });
    expect(response.headers.get('content-type') ?? '').toMatch(/^text\/event-stream/);
    const events = sseEvents(await response.text());
    expect(events.at(-1)).toEqual({ code: 0, data: true });
    const ids = new Set(events.slice(0, -1).map((e: Json) => e.data.session_id));
    expect(ids.size).toBe(1);
    const [sid] = [...ids];
    expect(sid).toMatch(/^[0-9a-f]{32}$/);
    const [created] = await api.ok('GET', `/chat/${chat.id}/session`, { query: { id: sid } });
    expect(created.messages.map((m: Json) => m.role)).toEqual(['assistant', 'user', 'assistant']);
    expect(events.at(-2).data.answer).toMatch(/south/);
  });

  it('refuses a missing or non-string question (101) and unknown chats or sessions (102)', async () => {
    expectError(await api.post(`/chat/${chat.id}/session/${session.id}/completion`, { body: { stream: false } }), 200, 101, /question/);
    expectError(await api.post(`/chat/${chat.id}/session/${session.id}/completion`, { body: { question: 5 } }), 200, 101, /question/);
    expectError(await api.post(`/chat/${chat.id}/session/${session.id}/completion`, { body: { question: 'x', stream: 'maybe' } }), 200, 101, /stream/);
    expectError(await api.post(`/chat/${chat.id}/session/${MISSING}/completion`, { body: { question: 'x', stream: false } }), 200, 102, /not found/i);
    expectError(await api.post(`/chat/${MISSING}/completion`, { body: { question: 'x', stream: false } }), 200, 102, /not found/i);
  });
});

describe('completion through an OpenAI-compatible model (a fake server; --openai-base-url)', () => {
  let gpt: Json;
  let sid: string;

  it('answers with the model\'s text', async () => {
    gpt = await api.ok('POST', '/chat', { body: { name: 'GPT chat', dataset_ids: [ds.id], llm: { model_name: 'gpt-4o-mini@OpenAI' } } });
    expect(gpt.llm.model_name).toMatch(/^gpt-4o-mini@OpenAI/);
    sid = (await api.ok('POST', `/chat/${gpt.id}/session`, { body: { name: 'gpt' } })).id;
    const data = await api.ok('POST', `/chat/${gpt.id}/session/${sid}/completion`, {
      body: { question: 'How do solar panels make electricity from sunlight?', stream: false },
    });
    expect(data.answer).toMatch(/^You said: How do solar panels make electricity from sunlight\?/);
    expect(openai.requests.length).toBeGreaterThan(0);
  });

  it('sends a code 500 event, then data:true, when the model fails mid-stream; the session keeps the question', async () => {
    for (const mode of ['fail', 'drop']) {
      const question = `${mode}: how do solar panels turn sunlight into electricity`;
      const response = await api.raw('POST', `/chat/${gpt.id}/session/${sid}/completion`, { body: { question } });
      expect(response.status).toBe(200);
      const events = sseEvents(await response.text());
      expect(events.at(-1), mode).toEqual({ code: 0, data: true });
      const failure = events.at(-2);
      expect(failure.code, JSON.stringify(events)).toBe(500);
      expect(typeof failure.message).toBe('string');
      for (const e of events.slice(0, -2)) expect(e.code).toBe(0);
      const [stored] = await api.ok('GET', `/chat/${gpt.id}/session`, { query: { id: sid } });
      expect(stored.messages.some((m: Json) => m.role === 'user' && m.content === question), mode).toBe(true);
    }
    // The chat still works after the failures.
    const data = await api.ok('POST', `/chat/${gpt.id}/session/${sid}/completion`, { body: { question: 'What does an inverter do?', stream: false } });
    expect(data.answer).toMatch(/^You said: What does an inverter do\?/);
  });
});

describe('tenants', () => {
  let otherKey: string;

  it('accepts a key made by `ragflow keys create` while the server runs; its tenant sees nothing of the first', async () => {
    otherKey = await createKey(tmp.dir, 'other');
    expect(otherKey).toMatch(/^\S{20,}$/);
    other = api.withKey(otherKey);
    const list = await other.get('/dataset');
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ code: 0, data: [], total: 0 });
    expect(await other.ok('GET', '/chat')).toEqual([]);
  });

  it('answers another tenant\'s ids exactly like missing ones (102 not found)', async () => {
    /** The same request for the first tenant's id and for a missing one: both 102, same message. */
    const same = async (method: 'get' | 'put' | 'post' | 'delete', theirId: string, make: (id: string) => string, body?: (id: string) => unknown) => {
      const call = (id: string) => other[method](make(id), body === undefined ? {} : { body: body(id) });
      const theirs = await call(theirId);
      const missing = await call(MISSING);
      expect(theirs.status, theirs.text).toBe(200);
      expect(theirs.body.code, theirs.text).toBe(102);
      expect(theirs.body.message).toMatch(/not found/i);
      expect(theirs.body.message.replaceAll(theirId, 'ID')).toBe(missing.body.message.replaceAll(MISSING, 'ID'));
    };
    await same('put', ds.id, (id) => `/dataset/${id}`, () => ({ description: 'mine now' }));
    await same('get', ds.id, (id) => `/dataset/${id}/info`);
    await same('get', ds.id, (id) => `/dataset/${id}/document/${alpha.id}`);
    await same('get', ds.id, (id) => `/dataset/${id}/retrieval?query_text=solar`);
    await same('post', ds.id, () => '/retrieval', (id) => ({ dataset_ids: [id], question: 'solar' }));
    await same('post', ds.id, (id) => `/dataset/${id}/document/${alpha.id}/chunk`, () => ({ content: 'injected' }));
    await same('post', ds.id, (id) => `/dataset/${id}/chunk`, () => ({ documents: [alpha.id] }));
    await same('delete', ds.id, (id) => `/dataset/${id}`);
    await same('post', ds.id, () => '/chat', (id) => ({ name: 'steal', dataset_ids: [id], llm: LLM }));
    await same('put', chat.id, (id) => `/chat/${id}`, () => ({ name: 'mine now' }));
    await same('get', chat.id, (id) => `/chat/${id}/session`);
    await same('post', chat.id, (id) => `/chat/${id}/session`, () => ({ name: 'x' }));
    await same('post', chat.id, (id) => `/chat/${id}/completion`, () => ({ question: 'solar', stream: false }));
    await same('post', session.id, (id) => `/chat/${chat.id}/session/${id}/completion`, () => ({ question: 'solar', stream: false }));
    // The first tenant still has everything.
    expect((await api.ok('GET', `/dataset/${ds.id}/info`)).total).toBe(3);
  });

  it('refuses a key revoked with `ragflow keys revoke` at once', async () => {
    const ids = await listKeyIds(tmp.dir, 'other');
    expect(ids).toHaveLength(1);
    const spare = await createKey(tmp.dir, 'other');
    expect(await listKeyIds(tmp.dir, 'other')).toHaveLength(2);
    const spareId = (await listKeyIds(tmp.dir, 'other')).find((id) => !ids.includes(id)) as string;
    await runCli(['keys', 'revoke', spareId, '--data-dir', tmp.dir]);
    expectError(await api.get('/dataset', { key: spare }), 401, 109);
    expect((await other.get('/dataset')).status).toBe(200);
  });
});

describe('restart on the same data dir', () => {
  async function snapshot(client: Client): Promise<Json> {
    const datasets = await client.ok('GET', '/dataset');
    const docs = await client.ok('GET', `/dataset/${ds.id}/info`, { query: { page_size: 100 } });
    const chunks: Record<string, Json> = {};
    for (const d of docs.docs) chunks[d.id] = await client.ok('GET', `/dataset/${ds.id}/document/${d.id}/chunk`, { query: { page_size: 1024 } });
    const chats = await client.ok('GET', '/chat');
    const sessions = await client.ok('GET', `/chat/${chat.id}/session`);
    const retrieval = await client.ok('POST', '/retrieval', { body: { dataset_ids: [ds.id], question: 'typewriter solar quokkas' } });
    return { datasets, docs, chunks, chats, sessions, retrieval };
  }

  it('keeps datasets, documents, chunks, chats and sessions with their messages across SIGTERM and a new start', async () => {
    const before = await snapshot(api);
    expect(before.sessions.reduce((n: number, s: Json) => n + s.messages.length, 0)).toBeGreaterThanOrEqual(10);
    const exit = await server.stop();
    expect(exit.signal === 'SIGKILL', 'the server did not stop on SIGTERM').toBe(false);

    server = await startServer({ dataDir: tmp.dir, apiKey: KEY, extraArgs: serverArgs() });
    api = new Client(server.api, KEY);
    const after = await snapshot(api);
    expect(after).toEqual(before);

    const download = await api.raw('GET', `/dataset/${ds.id}/document/${pdf.id}`);
    expect(Buffer.from(await download.arrayBuffer()).equals(pdfBytes)).toBe(true);
    // A key made by `keys create` survives the restart; the tenant still sees nothing of the first.
    const otherAfter = new Client(server.api, other.key);
    expect((await otherAfter.get('/dataset')).body).toMatchObject({ code: 0, total: 0 });
    // And the chat still answers in the old session.
    const answer = await api.ok('POST', `/chat/${chat.id}/session/${session.id}/completion`, { body: { question: 'What does an inverter do?', stream: false } });
    expect(answer.answer).toMatch(/inverter/i);
  }, 45_000);

  it('resumes a parse that a SIGTERM cut short, after the next start', async () => {
    const big = Array.from({ length: 30_000 }, (_, i) => `Entry ${i} records reading ${i % 101} from station ${i % 83}.`).join('\n');
    const [long] = await api.ok('POST', `/dataset/${ds.id}/document`, { body: form([{ name: 'interrupted.txt', data: big }]) });
    await api.ok('POST', `/dataset/${ds.id}/chunk`, { body: { documents: [long.id] } });
    expect((await docInfo(ds.id, long.id)).run).toBe('1');
    const exit = await server.stop();
    expect(exit.signal === 'SIGKILL', 'the server did not stop on SIGTERM').toBe(false);

    server = await startServer({ dataDir: tmp.dir, apiKey: KEY, extraArgs: serverArgs() });
    api = new Client(server.api, KEY);
    const [done] = await waitForRun(ds.id, [long.id], '3');
    expect(done.chunk_count).toBeGreaterThan(0);
    expect(done.progress_msg).toContain('Re-queued after an interrupted run.');
    const found = await api.ok('POST', `/dataset/${ds.id}/retrieval`, { body: { question: 'station reading entry', document_ids: [long.id] } });
    expect(found.total).toBeGreaterThan(0);
  }, 45_000);
});
