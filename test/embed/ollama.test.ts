import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ErrorCode, RagFlowError, isAbortError } from '../../src/errors.js';
import { OllamaEmbeddingModel, resolveOllamaHost } from '../../src/embed/ollama.js';
import { describeEmbeddingModelContract, maxAbsDiff } from './contract.js';
import { FAKE_DIMENSIONS, closedPortUrl, fakeVector, startFakeOllama, type FakeServer } from './fake-servers.js';

const failure = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describeEmbeddingModelContract('Ollama (fake server)', async () => {
  const server = await startFakeOllama();
  return { model: new OllamaEmbeddingModel('nomic-embed-text', { host: server.url }), cleanup: () => server.close() };
});

describe('OllamaEmbeddingModel', () => {
  let server: FakeServer;
  beforeAll(async () => {
    server = await startFakeOllama({ slowMs: 10_000 });
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('posts to /api/embed with the model and the whole batch, forwarding headers', async () => {
    const model = new OllamaEmbeddingModel('nomic-embed-text', { host: server.url, headers: { Authorization: 'Bearer t' } });
    const before = server.requests.length;
    const { embeddings, tokens } = await model.embed(['hello world', 'red fox']);
    const sent = server.requests.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      method: 'POST',
      url: '/api/embed',
      body: { model: 'nomic-embed-text', input: ['hello world', 'red fox'] },
    });
    expect(sent[0]!.headers.authorization).toBe('Bearer t');
    expect(maxAbsDiff(embeddings[1]!, Float32Array.from(fakeVector('red fox')))).toBeLessThan(1e-7);
    expect(tokens).toBe(4);
    expect(model.id).toBe('nomic-embed-text@Ollama');
    expect(model.dimensions).toBe(FAKE_DIMENSIONS);
  });

  it('takes the host from settings, then OLLAMA_HOST, then the local default', () => {
    vi.stubEnv('OLLAMA_HOST', 'gpu-box:9999');
    expect(new OllamaEmbeddingModel('m', { host: 'http://other:1234' }).host).toBe('http://other:1234');
    expect(new OllamaEmbeddingModel('m').host).toBe('http://gpu-box:9999');
    vi.stubEnv('OLLAMA_HOST', '');
    expect(new OllamaEmbeddingModel('m').host).toBe('http://127.0.0.1:11434');
  });

  it('reads host shorthands the way the Ollama CLI does', () => {
    expect(resolveOllamaHost(undefined)).toBe('http://127.0.0.1:11434');
    expect(resolveOllamaHost('example.org')).toBe('http://example.org:11434');
    expect(resolveOllamaHost(':8080')).toBe('http://127.0.0.1:8080');
    expect(resolveOllamaHost('https://ollama.example.org/')).toBe('https://ollama.example.org');
    expect(() => resolveOllamaHost('http://exa mple')).toThrow(/not a valid URL/);
  });

  it('says so when nothing listens at the host', async () => {
    const url = await closedPortUrl();
    const error = await failure(new OllamaEmbeddingModel('nomic-embed-text', { host: url }).embed(['x']));
    expect(error).toBeInstanceOf(RagFlowError);
    expect((error as RagFlowError).message).toBe(`Ollama is not reachable at ${url} — is it running?`);
    expect((error as RagFlowError).code).toBe(ErrorCode.Exception);
  });

  it('tells the user to pull a missing model', async () => {
    const error = await failure(new OllamaEmbeddingModel('mxbai-embed-large', { host: server.url }).embed(['x']));
    expect(error).toBeInstanceOf(RagFlowError);
    expect((error as RagFlowError).code).toBe(ErrorCode.Data);
    expect((error as RagFlowError).message).toBe('Ollama has no model "mxbai-embed-large" — run: ollama pull mxbai-embed-large');
  });

  it('cancels a request in flight when the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 50);
    const error = await failure(
      new OllamaEmbeddingModel('slow-model', { host: server.url }).embed(['x'], { signal: controller.signal }),
    );
    expect(isAbortError(error)).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('rejects a server answer with the wrong number of vectors', async () => {
    const { startServer, sendJson } = await import('./fake-servers.js');
    const odd = await startServer((_req, res) => sendJson(res, 200, { model: 'm', embeddings: [[1, 2]] }));
    try {
      const error = await failure(new OllamaEmbeddingModel('m', { host: odd.url }).embed(['a', 'b']));
      expect(error).toBeInstanceOf(RagFlowError);
      expect((error as RagFlowError).message).toMatch(/returned 1 vectors for 2 texts/);
    } finally {
      await odd.close();
    }
  });
});
