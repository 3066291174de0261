import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startServer, tempDir, waitUntil, type RunningServer } from './helpers.js';

interface Reply<T = unknown> {
  code: number;
  data?: T;
  message?: string;
}

const lastLine = (text: string): string => text.trimEnd().split('\n').at(-1) ?? '';

describe('ragflow serve: the API under /api/v1', () => {
  let dir: string;
  let cleanup: () => void;
  let server: RunningServer | undefined;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(async () => {
    await server?.stop('SIGKILL');
    server = undefined;
    cleanup();
  });

  const call = async <T>(path: string, key: string | undefined, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (key !== undefined) headers.set('Authorization', `Bearer ${key}`);
    const response = await fetch(`${server?.url}/api/v1${path}`, { ...init, headers });
    return { status: response.status, body: (await response.json()) as Reply<T> };
  };
  const json = (method: string, body: unknown): RequestInit => ({
    method,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

  it('accepts the --api-key for tenant "default" and refuses others with 109', async () => {
    server = await startServer(['--port', '0', '--data-dir', dir, '--api-key', 'given-key-123']);
    const ok = await call<unknown[]>('/dataset', 'given-key-123');
    expect(ok.status).toBe(200);
    expect(ok.body.code).toBe(0);
    expect(ok.body.data).toEqual([]);

    for (const key of [undefined, 'wrong-key', 'given-key-1234']) {
      const refused = await call('/dataset', key);
      expect(refused.status).toBe(401);
      expect(refused.body.code).toBe(109);
    }
    await waitUntil(() => /^GET \/api\/v1\/dataset 401 \d+ms$/m.test(server?.stderr() ?? ''), 'the 401 log line');
    expect(server.stderr()).toMatch(/^GET \/api\/v1\/dataset 200 \d+ms$/m);
  });

  it('the key printed on first start works; keys created and revoked while it runs count at once', async () => {
    server = await startServer(['--port', '0', '--data-dir', dir]);
    const printed = /ragflow-[A-Za-z0-9_-]{43}/.exec(server.stdout())?.[0];
    expect(printed).toBeDefined();
    const created = await call<{ id: string }>('/dataset', printed, json('POST', { name: 'mine' }));
    expect(created.body.code).toBe(0);

    const made = await runCli(['keys', 'create', '--data-dir', dir, '--tenant', 'acme']);
    expect(made.code).toBe(0);
    const acmeKey = lastLine(made.stdout);
    const acme = await call<unknown[]>('/dataset', acmeKey);
    expect(acme.body).toMatchObject({ code: 0, data: [] }); // another tenant: the default tenant's dataset is invisible

    const id = (await runCli(['keys', 'list', '--data-dir', dir, '--tenant', 'acme'])).stdout
      .trimEnd()
      .split('\n')[1]
      ?.split(/\s+/)[0];
    expect(id).toBeDefined();
    expect((await runCli(['keys', 'revoke', id ?? '', '--data-dir', dir])).code).toBe(0);
    const revoked = await call('/dataset', acmeKey);
    expect(revoked.status).toBe(401);
    expect(revoked.body.code).toBe(109);

    const mine = await call<Array<{ name: string }>>('/dataset', printed);
    expect(mine.body.data?.map((d) => d.name)).toEqual(['mine']);
  });

  it('passes --max-upload-mb to the upload limit (413, code 101)', async () => {
    server = await startServer(['--port', '0', '--data-dir', dir, '--api-key', 'k', '--max-upload-mb', '0.001']);
    const dataset = await call<{ id: string }>('/dataset', 'k', json('POST', { name: 'limits' }));
    const datasetId = dataset.body.data?.id ?? '';
    const upload = (size: number) => {
      const form = new FormData();
      form.append('file', new Blob(['a'.repeat(size)], { type: 'text/plain' }), `f${size}.txt`);
      return call<unknown[]>(`/dataset/${datasetId}/document`, 'k', { method: 'POST', body: form });
    };
    const small = await upload(500);
    expect(small.body.code).toBe(0);
    const big = await upload(5000);
    expect(big.status).toBe(413);
    expect(big.body.code).toBe(101);
  });

  it('sets the default models of new datasets and chats from flags and environment (the flag wins)', async () => {
    server = await startServer(
      ['--port', '0', '--data-dir', dir, '--api-key', 'k', '--llm', 'llama3@Ollama', '--ollama-host', 'http://127.0.0.1:9'],
      { RAGFLOW_EMBEDDING_MODEL: 'nomic-embed-text@Ollama', RAGFLOW_LLM: 'gpt-4o-mini@OpenAI' },
    );
    const dataset = await call<{ id: string; embedding_model: string }>('/dataset', 'k', json('POST', { name: 'd' }));
    expect(dataset.body.data?.embedding_model).toBe('nomic-embed-text@Ollama');
    const chat = await call<{ llm: { model_name: string } }>(
      '/chat',
      'k',
      json('POST', { name: 'c', dataset_ids: [dataset.body.data?.id] }),
    );
    expect(chat.body.code).toBe(0);
    expect(chat.body.data?.llm.model_name).toBe('llama3@Ollama');
  });
});
