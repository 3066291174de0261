import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './adapter-harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const createDataset = async (body: Record<string, unknown>) => {
  const res = await h.call('POST', '/dataset', { json: body });
  expect(res.body.code, JSON.stringify(res.body)).toBe(0);
  return res.body.data;
};

describe('envelope and status mapping', () => {
  it('wraps success as {code:0, data} with HTTP 200', async () => {
    const res = await h.call('POST', '/dataset', { json: { name: 'envelope' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(res.body).toEqual({ code: 0, data: expect.objectContaining({ name: 'envelope' }) });
  });

  it('answers a business error (unknown id) with HTTP 200 and code 102', async () => {
    const res = await h.call('PUT', '/dataset/0123456789abcdef0123456789abcdef', { json: { name: 'x' } });
    expect(res.status).toBe(200);
    expect(res.body.code).toBe(102);
    expect(res.body.message).toMatch(/not found/i);
    expect(res.body).not.toHaveProperty('data');
  });

  it('answers an unknown route with HTTP 404 {code:404, message:"Not Found: <path>"}', async () => {
    const res = await h.call('GET', '/no/such/route?x=1');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 404, message: 'Not Found: /api/v1/no/such/route' });
    const wrongMethod = await h.call('PATCH', '/dataset');
    expect(wrongMethod.status).toBe(404);
  });

  it('refuses malformed JSON with code 101 and keeps serving', async () => {
    const res = await h.call('POST', '/dataset', { body: '{"name": "x",', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
    expect(res.body.code).toBe(101);
    expect(res.body.message).toMatch(/Malformed JSON/);
    const after = await h.call('GET', '/dataset');
    expect(after.body.code).toBe(0);
  });

  it('refuses a body of another content type, naming it', async () => {
    const res = await h.call('POST', '/dataset', { body: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.body.code).toBe(101);
    expect(res.body.message).toMatch(/application\/x-www-form-urlencoded/);
  });

  it('refuses a wrong field type with 101 naming the field', async () => {
    const res = await h.call('POST', '/dataset', { json: { dataset_name: 42 } });
    expect(res.body.code).toBe(101);
    expect(res.body.message).toMatch(/dataset_name/);
    const nested = await h.call('POST', '/dataset', { json: { name: 'n', parser_config: { chunk_token_num: 'many' } } });
    expect(nested.body.code).toBe(101);
    expect(nested.body.message).toMatch(/parser_config\.chunk_token_num/);
    const list = await h.call('GET', '/dataset?page_size=lots');
    expect(list.body.code).toBe(101);
    expect(list.body.message).toMatch(/page_size/);
    const notObject = await h.call('POST', '/dataset', { json: [1, 2] });
    expect(notObject.body.code).toBe(101);
  });

  it('passes the facade range checks through as 101', async () => {
    const res = await h.call('POST', '/dataset', { json: { name: 'r', similarity_threshold: 3 } });
    expect(res.body.code).toBe(101);
    expect(res.body.message).toMatch(/similarity_threshold/);
  });
});

describe('authentication', () => {
  it('answers a missing key with HTTP 401 and code 109', async () => {
    const res = await h.call('GET', '/dataset', { key: null });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe(109);
    expect(typeof res.body.message).toBe('string');
  });

  it('answers an unknown key with HTTP 401 and code 109', async () => {
    const res = await h.call('GET', '/dataset', { key: 'ragflow-not-a-real-key' });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe(109);
  });

  it('accepts the bare key as well as Bearer', async () => {
    const res = await h.call('GET', '/dataset', { headers: { authorization: h.key } });
    expect(res.status).toBe(200);
    expect(res.body.code).toBe(0);
  });

  it('serves the OpenAPI document without a key, with every route', async () => {
    const res = await h.call('GET', '/openapi.json', { key: null });
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const paths = res.body.paths as Record<string, Record<string, unknown>>;
    expect(Object.keys(paths['/dataset'] ?? {}).sort()).toEqual(['delete', 'get', 'post']);
    expect(paths['/dataset/{dataset_id}/document']?.post).toBeDefined();
    expect(paths['/chat/{chat_id}/session/{session_id}/completion']?.post).toBeDefined();
    expect(paths['/retrieval']?.post).toBeDefined();
    const create = paths['/dataset']?.post as { requestBody: { content: Record<string, { schema: { properties: object } }> } };
    expect(create.requestBody.content['application/json']?.schema.properties).toHaveProperty('dataset_name');
  });
});

describe('names and aliases', () => {
  it('accepts the draft names and returns both namings', async () => {
    const ds = await createDataset({
      dataset_name: 'draft-names',
      parse_method: 'general',
      parser_config: { chunk_token_count: 256 },
      chunk_count: 0,
      document_count: 0,
    });
    expect(ds.name).toBe('draft-names');
    expect(ds.dataset_name).toBe('draft-names');
    expect(ds.chunk_method).toBe('naive');
    expect(ds.parse_method).toBe('naive');
    expect(ds.parser_config).toMatchObject({ chunk_token_num: 256, chunk_token_count: 256 });
    expect(ds.create_date).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    expect(ds.status).toBe('1');
  });

  it('accepts the RAGFlow names too, and refuses the two names disagreeing', async () => {
    const ds = await createDataset({ name: 'ragflow-names', chunk_method: 'qa', parser_config: { chunk_token_num: 64 } });
    expect(ds.chunk_method).toBe('qa');
    expect(ds.parser_config.chunk_token_count).toBe(64);
    const both = await h.call('POST', '/dataset', { json: { name: 'a', dataset_name: 'b' } });
    expect(both.body.code).toBe(101);
    expect(both.body.message).toMatch(/dataset_name/);
  });

  it('renames a duplicate dataset name(1) and lists with total', async () => {
    await createDataset({ name: 'dup' });
    const second = await createDataset({ name: 'DUP' });
    expect(second.name).toBe('DUP(1)');
    const list = await h.call('GET', '/dataset?name=dup&page=0&page_size=10&desc=yes');
    expect(list.body.code).toBe(0);
    expect(list.body.total).toBe(1);
    expect(list.body.data[0].name).toBe('dup');
  });

  it('ignores read-only fields sent back, but refuses changed counters', async () => {
    const ds = await createDataset({ name: 'counters' });
    const echo = await h.call('PUT', `/dataset/${ds.id}`, { json: { ...ds, description: 'changed' } });
    expect(echo.body.code).toBe(0);
    expect(echo.body.data.description).toBe('changed');
    const changed = await h.call('PUT', `/dataset/${ds.id}`, { json: { chunk_count: 5 } });
    expect(changed.body.code).toBe(101);
    expect(changed.body.message).toMatch(/chunk_count/);
    const onCreate = await h.call('POST', '/dataset', { json: { name: 'c2', document_count: 3 } });
    expect(onCreate.body.code).toBe(101);
  });

  it('deletes by ids or names, all or nothing, and refuses both', async () => {
    const a = await createDataset({ name: 'del-a' });
    const b = await createDataset({ name: 'del-b' });
    const both = await h.call('DELETE', '/dataset', { json: { ids: [a.id], names: ['del-b'] } });
    expect(both.body.code).toBe(101);
    const partial = await h.call('DELETE', '/dataset', { json: { ids: [a.id, 'ffffffffffffffffffffffffffffffff'] } });
    expect(partial.body.code).toBe(102);
    expect((await h.call('GET', `/dataset?id=${a.id}`)).body.total).toBe(1);
    expect((await h.call('DELETE', '/dataset', { json: { names: ['del-b'] } })).body.code).toBe(0);
    expect((await h.call('DELETE', `/dataset/${a.id}`)).body.code).toBe(0);
    expect((await h.call('GET', `/dataset?id=${b.id}`)).body.total).toBe(0);
  });
});

describe('chunks and retrieval over HTTP', () => {
  it('adds, lists, updates and deletes chunks with both namings, and retrieves them', async () => {
    const ds = await createDataset({ name: 'chunks' });
    const form = new FormData();
    form.append('file', new Blob(['placeholder text']), 'notes.txt');
    const upload = await h.call('POST', `/dataset/${ds.id}/document`, { body: form });
    const doc = upload.body.data[0];
    const base = `/dataset/${ds.id}/document/${doc.id}/chunk`;

    const added = await h.call('POST', base, {
      json: { content: ['Penguins live in Antarctica.', 'Camels cross the desert.'], important_keywords: ['bird'] },
    });
    expect(added.body.code).toBe(0);
    const [penguin, camel] = added.body.data.chunks;
    expect(penguin).toMatchObject({ document_id: doc.id, dataset_id: ds.id, document_keyword: 'notes.txt', available_int: 1 });
    expect(penguin.important_keywords).toEqual(['bird']);

    const listed = await h.call('GET', `${base}?keywords=penguins`);
    expect(listed.body.data.total).toBe(1);
    expect(listed.body.data.chunks[0].highlight).toMatch(/<em>/);
    expect(listed.body.data.doc).toMatchObject({ id: doc.id, knowledgebase_id: ds.id, run: '0' });

    const disabled = await h.call('PUT', base, { json: { chunk_id: camel.id, status: '0' } });
    expect(disabled.body.data.available_int).toBe(0);
    const edited = await h.call('PUT', `${base}/${penguin.id}`, { json: { content: 'Penguins swim in cold seas.' } });
    expect(edited.body.data).toMatchObject({ id: penguin.id, content: 'Penguins swim in cold seas.' });

    const byQuery = await h.call('GET', `/dataset/${ds.id}/retrieval?query_text=penguins%20swim&similarity_threshold=0`);
    expect(byQuery.body.code).toBe(0);
    expect(byQuery.body.data.chunks.map((c: { id: string }) => c.id)).toEqual([penguin.id]);
    expect(byQuery.body.data.chunks[0]).toHaveProperty('term_similarity');
    expect(byQuery.body.data.doc_aggs).toEqual([{ doc_name: 'notes.txt', doc_id: doc.id, count: 1 }]);
    const byBody = await h.call('POST', '/retrieval', {
      json: { dataset_ids: [ds.id], question: 'penguins', similarity_threshold: 0, highlight: true },
    });
    expect(byBody.body.data.total).toBe(1);
    expect(byBody.body.data.chunks[0].highlight).toMatch(/<em>/);
    const noQuestion = await h.call('POST', `/dataset/${ds.id}/retrieval`, { json: {} });
    expect(noQuestion.body.code).toBe(101);

    const unknown = await h.call('DELETE', base, { json: { chunks: [penguin.id, 'nope'] } });
    expect(unknown.body.code).toBe(102);
    expect((await h.call('DELETE', base, { json: { chunk_ids: [penguin.id, camel.id] } })).body.code).toBe(0);
    expect((await h.call('GET', base)).body.data.total).toBe(0);
  });
});

describe('tenant isolation', () => {
  it("answers another tenant's resources exactly like missing ones", async () => {
    const mine = await createDataset({ name: 'private' });
    const { key: otherKey } = await h.rag.apiKeys.create('t2');
    const asOther = (method: string, path: string, json?: unknown) =>
      h.call(method, path, { key: otherKey, ...(json !== undefined && { json }) });

    const missing = await asOther('PUT', '/dataset/ffffffffffffffffffffffffffffffff', { name: 'x' });
    const foreign = await asOther('PUT', `/dataset/${mine.id}`, { name: 'x' });
    expect(foreign.status).toBe(missing.status);
    expect(foreign.body.code).toBe(102);
    expect(foreign.body.message).toBe(missing.body.message.replace('ffffffffffffffffffffffffffffffff', mine.id));
    expect((await asOther('GET', '/dataset')).body.data).toEqual([]);
    expect((await asOther('GET', `/dataset/${mine.id}/info`)).body.code).toBe(102);
    expect((await asOther('DELETE', `/dataset/${mine.id}`)).body.code).toBe(102);
    expect((await h.call('GET', `/dataset?id=${mine.id}`)).body.total).toBe(1);
  });
});

/** fetch refuses a GET with a body; the draft's curl examples send one. */
function getWithBody(path: string, json: unknown): Promise<any> {
  const body = JSON.stringify(json);
  return new Promise((resolve, reject) => {
    const req = request(`${h.base}${path}`, {
      method: 'GET',
      headers: {
        authorization: `Bearer ${h.key}`,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => {
        try {
          resolve(JSON.parse(text));
        } catch {
          reject(new Error(`HTTP ${res.statusCode}: ${text}`));
        }
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('parsing', () => {
  it('starts parsing in the background, returns at once, and reports run digits', async () => {
    const ds = await createDataset({ name: 'parse-me' });
    const form = new FormData();
    form.append('file', new Blob(['Otters hold hands while they sleep. They live in rivers and seas.']), 'otters.txt');
    const doc = (await h.call('POST', `/dataset/${ds.id}/document`, { body: form })).body.data[0];
    const notRunning = await h.call('DELETE', `/dataset/${ds.id}/chunk`, { json: { document_ids: [doc.id] } });
    expect(notRunning.body.code).toBe(102);
    const started = await h.call('POST', `/dataset/${ds.id}/chunk`, { json: { documents: [doc.id] } });
    expect(started.body.code).toBe(0);
    expect(started.body.data[0].run).toBe('1');
    let run = '1';
    for (let i = 0; i < 200 && run === '1'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      run = (await h.call('GET', `/dataset/${ds.id}/info?id=${doc.id}`)).body.data.docs[0].run;
    }
    expect(run).toBe('3');
    const done = await h.call('GET', `/dataset/${ds.id}/info?run=3`);
    expect(done.body.data.total).toBe(1);
    expect(done.body.data.docs[0].chunk_count).toBeGreaterThan(0);
    // The draft sends its GET retrieval question as a JSON body.
    const retrieved = await getWithBody(`/dataset/${ds.id}/retrieval`, { query_text: 'otters sleep', similarity_threshold: 0 });
    expect(retrieved.data.total).toBeGreaterThan(0);
    expect(retrieved.data.chunks[0].document_keyword).toBe('otters.txt');
  });
});

describe('limits and failures', () => {
  it('answers an oversized JSON body with 413, and an unexpected failure with 500 code 100', async () => {
    const failures: unknown[] = [];
    const other = await startHarness({
      router: {
        maxJsonBytes: 200,
        authenticate: async (key) => {
          if (key === 'explode') throw new Error('key store down');
          if (key === 'refused') {
            // Shaped like the facade's RagFlowError but another class, as in the published bundles.
            throw Object.assign(new Error('Key store says no'), { name: 'RagFlowError', code: 102 });
          }
          return key === 'good' ? 't1' : undefined;
        },
        onError: (error) => failures.push(error),
      },
    });
    try {
      const big = await other.call('POST', '/dataset', { key: 'good', json: { name: 'x'.repeat(500) } });
      expect(big.status).toBe(413);
      expect(big.body.code).toBe(101);
      const ok = await other.call('POST', '/dataset', { key: 'good', json: { name: 'fits' } });
      expect(ok.body.code).toBe(0);
      const broken = await other.call('GET', '/dataset', { key: 'explode' });
      expect(broken.status).toBe(500);
      expect(broken.body).toEqual({ code: 100, message: 'key store down' });
      expect(failures).toHaveLength(1);
      const refused = await other.call('GET', '/dataset', { key: 'refused' });
      expect(refused.status).toBe(200);
      expect(refused.body).toEqual({ code: 102, message: 'Key store says no' });
    } finally {
      await other.close();
    }
  });
});
