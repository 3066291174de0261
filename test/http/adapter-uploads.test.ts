import { request } from 'node:http';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { files, startHarness, type Harness } from './adapter-harness.js';

/** Uploads stream through temp files: this process's TMPDIR is ours alone, so leftovers show. */
let scratch: string;
let h: Harness;
let datasetId: string;

const MAX_FILE = 4096;
const MAX_REQUEST = 64 * 1024;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'adapter-uploads-'));
  process.env.TMPDIR = scratch;
  h = await startHarness({ router: { maxUploadBytes: MAX_FILE, maxRequestBytes: MAX_REQUEST } });
  const res = await h.call('POST', '/dataset', { json: { name: 'uploads' } });
  datasetId = res.body.data.id;
});
afterAll(async () => {
  await h.close();
  await rm(scratch, { recursive: true, force: true });
});

const upload = (body: NonNullable<RequestInit['body']>, headers?: Record<string, string>) =>
  h.call('POST', `/dataset/${datasetId}/document`, { body, ...(headers && { headers }) });
const documentNames = async (): Promise<string[]> =>
  (await h.call('GET', `/dataset/${datasetId}/info?page_size=100`)).body.data.docs.map((d: { name: string }) => d.name);
const leftovers = () => readdir(scratch);

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('uploads', () => {
  it('stores every `file` part and returns the documents in both namings', async () => {
    const res = await upload(files(['one.txt', 'first file'], ['two.md', '# second\n\nfile']));
    expect(res.status).toBe(200);
    expect(res.body.code).toBe(0);
    expect(res.body.data.map((d: { name: string }) => d.name)).toEqual(['one.txt', 'two.md']);
    expect(res.body.data[0]).toMatchObject({
      knowledgebase_id: datasetId,
      dataset_id: datasetId,
      run: '0',
      status: '1',
      type: 'doc',
      size: 10,
      process_duation: 0,
      process_duration: 0,
      source_type: 'local',
      thumbnail: null,
    });
    const again = await upload(files(['one.txt', 'same name']));
    expect(again.body.data[0].name).toBe('one(1).txt');
    expect(await leftovers()).toEqual([]);
  });

  it('refuses a file over the per-file limit with 413 and keeps nothing of the upload', async () => {
    const before = await documentNames();
    const res = await upload(files(['small.txt', 'fine'], ['big.txt', 'x'.repeat(MAX_FILE + 1)]));
    expect(res.status).toBe(413);
    expect(res.body.code).toBe(101);
    expect(res.body.message).toMatch(/big\.txt/);
    expect(await documentNames()).toEqual(before);
    expect(await leftovers()).toEqual([]);
  });

  it('refuses a request over the per-request limit with 413 (declared length)', async () => {
    const before = await documentNames();
    const parts = Array.from({ length: 20 }, (_, i): [string, string] => [`f${i}.txt`, 'y'.repeat(MAX_FILE - 10)]);
    const res = await upload(files(...parts));
    expect(res.status).toBe(413);
    expect(res.body.code).toBe(101);
    expect(await documentNames()).toEqual(before);
    expect(await leftovers()).toEqual([]);
  });

  it('refuses a streamed (chunked) request once it passes the per-request limit', async () => {
    const before = await documentNames();
    const boundary = 'xxBOUNDARYxx';
    const status = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${h.base}/dataset/${datasetId}/document`, {
        method: 'POST',
        headers: { authorization: `Bearer ${h.key}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      let i = 0;
      const writeMore = (): void => {
        // Many small files, each under the per-file limit, until the server answers.
        while (i < 100 && !req.destroyed) {
          const part = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p${i}.txt"\r\n\r\n${'z'.repeat(2000)}\r\n`;
          i++;
          if (!req.write(part)) {
            req.once('drain', writeMore);
            return;
          }
        }
        if (!req.destroyed) req.end(`--${boundary}--\r\n`);
      };
      writeMore();
    });
    expect(status.status).toBe(413);
    expect(JSON.parse(status.body).code).toBe(101);
    expect(await documentNames()).toEqual(before);
    await eventually(async () => (await leftovers()).length === 0, 'temp files to go');
  });

  it('keeps only the base name of a path-like file name', async () => {
    const res = await upload(files(['../../etc/passwd.txt', 'not really'], ['..\\..\\windows\\win.ini.txt', 'nor this']));
    expect(res.body.code).toBe(0);
    expect(res.body.data.map((d: { name: string }) => d.name)).toEqual(['passwd.txt', 'win.ini.txt']);
  });

  it('refuses a name over 255 bytes, and keeps nothing', async () => {
    const before = await documentNames();
    const res = await upload(files(['ok.txt', 'fine'], [`${'é'.repeat(130)}.txt`, 'long name']));
    expect(res.body.code).toBe(101);
    expect(res.body.message).toMatch(/255/);
    expect(await documentNames()).toEqual(before);
  });

  it('refuses an unsupported type, naming the supported ones, and keeps nothing', async () => {
    const before = await documentNames();
    const res = await upload(files(['fine.txt', 'fine'], ['tool.exe', new Uint8Array([0x4d, 0x5a, 0, 1, 2, 0, 0xff])]));
    expect(res.body.code).toBe(101);
    expect(res.body.message).toMatch(/\.pdf/);
    expect(await documentNames()).toEqual(before);
  });

  it('answers "No file part!" without a `file` part, and 101 for another content type', async () => {
    const form = new FormData();
    form.append('other', 'value');
    const none = await upload(form);
    expect(none.body).toEqual({ code: 101, message: 'No file part!' });
    const json = await h.call('POST', `/dataset/${datasetId}/document`, { json: { file: 'x' } });
    expect(json.body.code).toBe(101);
    expect(json.body.message).toMatch(/multipart\/form-data/);
  });

  it('refuses an upload to an unknown dataset with 102', async () => {
    const res = await h.call('POST', '/dataset/ffffffffffffffffffffffffffffffff/document', { body: files(['a.txt', 'a']) });
    expect(res.body.code).toBe(102);
  });

  it('leaves nothing behind when the client aborts mid-upload', async () => {
    const before = await documentNames();
    const boundary = 'abortBOUNDARY';
    await new Promise<void>((resolve) => {
      const req = request(`${h.base}/dataset/${datasetId}/document`, {
        method: 'POST',
        headers: { authorization: `Bearer ${h.key}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
      req.on('error', () => resolve());
      req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="half.txt"\r\n\r\nsome bytes`);
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 100);
    });
    await eventually(async () => (await leftovers()).length === 0, 'temp files to go');
    expect(await documentNames()).toEqual(before);
  });
});

describe('download', () => {
  it('returns the original bytes with an RFC 6266 Content-Disposition', async () => {
    const bytes = 'Grüße aus Köln\nline two\n';
    const up = await upload(files(['grüße köln.txt', bytes]));
    const doc = up.body.data[0];
    const res = await fetch(`${h.base}/dataset/${datasetId}/document/${doc.id}`, { headers: { authorization: `Bearer ${h.key}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    const disposition = res.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment;/);
    expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent('grüße köln.txt')}`);
    expect(Buffer.from(await res.arrayBuffer()).toString('utf8')).toBe(bytes);

    const missing = await h.call('GET', `/dataset/${datasetId}/document/ffffffffffffffffffffffffffffffff`);
    expect(missing.body.code).toBe(102);
  });

  it('renames a document keeping its extension, and deletes documents by id', async () => {
    const up = await upload(files(['rename-me.txt', 'text']));
    const doc = up.body.data[0];
    const renamed = await h.call('PUT', `/dataset/${datasetId}/info/${doc.id}`, {
      json: { document_name: 'renamed.txt', parser_method: 'qa', chunk_count: 0, token_count: 0 },
    });
    expect(renamed.body.code).toBe(0);
    expect(renamed.body.data).toMatchObject({ name: 'renamed.txt', chunk_method: 'qa', parser_method: 'qa' });
    const badExt = await h.call('PUT', `/dataset/${datasetId}/info/${doc.id}`, { json: { name: 'renamed.pdf' } });
    expect(badExt.body.code).toBe(101);
    const counters = await h.call('PUT', `/dataset/${datasetId}/info/${doc.id}`, { json: { token_count: 9 } });
    expect(counters.body.code).toBe(101);
    expect((await h.call('DELETE', `/dataset/${datasetId}/document`, { json: { ids: [doc.id] } })).body.code).toBe(0);
    expect(await documentNames()).not.toContain('renamed.txt');
  });
});
