import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, type Json } from './client.js';
import { startServer, tempDataDir, type RunningServer } from './server-process.js';

/** `ragflow serve --max-upload-mb 1`: a file over the limit is refused with 413, and nothing is kept. */

const KEY = 'ragflow-limits-test-key-0123456789abcdef';
const MiB = 1024 * 1024;

let tmp: Awaited<ReturnType<typeof tempDataDir>>;
let server: RunningServer;
let api: Client;
let ds: Json;

function form(files: Array<{ name: string; data: string | Uint8Array }>): FormData {
  const fd = new FormData();
  for (const f of files) fd.append('file', new Blob([f.data], { type: 'text/plain' }), f.name);
  return fd;
}

const text = (bytes: number): string => 'limit test words '.repeat(Math.ceil(bytes / 17)).slice(0, bytes);

beforeAll(async () => {
  tmp = await tempDataDir();
  server = await startServer({ dataDir: tmp.dir, apiKey: KEY, extraArgs: ['--max-upload-mb', '1'] });
  api = new Client(server.api, KEY);
  ds = await api.ok('POST', '/dataset', { body: { name: 'limits' } });
}, 40_000);

afterAll(async () => {
  await server?.stop();
  await tmp?.cleanup();
});

describe('upload size limit (--max-upload-mb 1)', () => {
  it('answers 413 with code 101 for a file over the limit and keeps nothing of the upload', async () => {
    const reply = await api.post(`/dataset/${ds.id}/document`, {
      body: form([
        { name: 'small.txt', data: 'a small file that would fit' },
        { name: 'big.txt', data: text(MiB + 64 * 1024) },
        { name: 'after.txt', data: 'another small file' },
      ]),
    });
    expect(reply.status, reply.text).toBe(413);
    expect(reply.body?.code, reply.text).toBe(101);
    expect(reply.body.message).toMatch(/big\.txt|1 ?MiB|1048576|limit|large/i);
    const info = await api.ok('GET', `/dataset/${ds.id}/info`);
    expect(info).toMatchObject({ docs: [], total: 0 });
    const [dataset] = await api.ok('GET', '/dataset', { query: { id: ds.id } });
    expect(dataset.document_count).toBe(0);
  });

  it('refuses a much larger file the same way, and the server keeps serving', async () => {
    const reply = await api.post(`/dataset/${ds.id}/document`, { body: form([{ name: 'huge.txt', data: text(5 * MiB) }]) });
    expect(reply.status, reply.text).toBe(413);
    expect(reply.body?.code).toBe(101);
    expect((await api.ok('GET', `/dataset/${ds.id}/info`)).total).toBe(0);
  });

  it('accepts a file just under the limit', async () => {
    const docs = await api.ok('POST', `/dataset/${ds.id}/document`, { body: form([{ name: 'fits.txt', data: text(MiB - 1024) }]) });
    expect(docs.map((d: Json) => [d.name, d.size])).toEqual([['fits.txt', MiB - 1024]]);
    expect((await api.ok('GET', `/dataset/${ds.id}/info`)).total).toBe(1);
  });
});
