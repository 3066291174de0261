import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode, RagFlowError, isAbortError } from '../../src/errors.js';
import { OpenAIEmbeddingModel, type OpenAIEmbeddingOptions } from '../../src/embed/openai.js';
import { parseRetryAfter, retryDelayMs } from '../../src/util/retry.js';
import { describeEmbeddingModelContract, maxAbsDiff } from './contract.js';
import { closedPortUrl, fakeVector, startFakeOpenAI, type FakeOpenAIOptions, type FakeServer } from './fake-servers.js';

const failure = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

const FAST_RETRY: OpenAIEmbeddingOptions = { retryBaseDelayMs: 5, maxRetryDelayMs: 50 };

describeEmbeddingModelContract('OpenAI-compatible (fake server)', async () => {
  const server = await startFakeOpenAI();
  const model = new OpenAIEmbeddingModel('text-embedding-3-small', { baseURL: `${server.url}/v1`, apiKey: 'test-key' });
  return { model, cleanup: () => server.close() };
});

describe('OpenAIEmbeddingModel', () => {
  const servers: FakeServer[] = [];
  const start = async (options: FakeOpenAIOptions = {}): Promise<FakeServer> => {
    const server = await startFakeOpenAI(options);
    servers.push(server);
    return server;
  };
  const modelFor = (server: FakeServer, name = 'text-embedding-3-small', apiKey = 'test-key', options = FAST_RETRY) =>
    new OpenAIEmbeddingModel(name, { baseURL: `${server.url}/v1/`, apiKey }, options);

  afterEach(async () => {
    vi.unstubAllEnvs();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('posts the documented body and orders the answer by index', async () => {
    const server = await start();
    const model = modelFor(server);
    const { embeddings, tokens } = await model.embed(['hello world', 'red fox', 'blue']);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      url: '/v1/embeddings',
      body: { model: 'text-embedding-3-small', input: ['hello world', 'red fox', 'blue'], encoding_format: 'float' },
    });
    expect(server.requests[0]!.headers.authorization).toBe('Bearer test-key');
    // The fake answers in reverse order; the model must restore input order from `index`.
    expect(maxAbsDiff(embeddings[0]!, Float32Array.from(fakeVector('hello world')))).toBeLessThan(1e-7);
    expect(maxAbsDiff(embeddings[2]!, Float32Array.from(fakeVector('blue')))).toBeLessThan(1e-7);
    expect(tokens).toBe(5);
    expect(model.id).toBe('text-embedding-3-small@OpenAI');
  });

  it('takes baseURL and key from the environment when settings leave them out', async () => {
    const server = await start();
    vi.stubEnv('OPENAI_BASE_URL', `${server.url}/v1`);
    vi.stubEnv('OPENAI_API_KEY', 'test-key');
    const { embeddings } = await new OpenAIEmbeddingModel('text-embedding-3-small').embed(['x']);
    expect(embeddings).toHaveLength(1);
  });

  it('asks for a key before calling api.openai.com without one', async () => {
    vi.stubEnv('OPENAI_BASE_URL', '');
    vi.stubEnv('OPENAI_API_KEY', '');
    // Empty variables count as unset, so this is the real default endpoint, never contacted.
    const model = new OpenAIEmbeddingModel('text-embedding-3-small');
    expect(model.baseURL).toBe('https://api.openai.com/v1');
    await expect(model.embed(['x'])).rejects.toThrow(/needs an API key: set providers\.openai\.apiKey in RagFlow\.open\(\) or .*OPENAI_API_KEY/);
  });

  it('splits requests at the configured batch size', async () => {
    const server = await start();
    const model = modelFor(server, 'text-embedding-3-small', 'test-key', { batchSize: 2 });
    expect(model.maxBatchSize).toBe(2);
    const { embeddings } = await model.embed(['a', 'b', 'c', 'd', 'e']);
    expect(embeddings).toHaveLength(5);
    expect(server.requests.map((r) => (r.body as { input: string[] }).input)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(new OpenAIEmbeddingModel('m', { baseURL: server.url }).maxBatchSize).toBe(256);
  });

  it('says so when nothing listens at the base URL', async () => {
    const url = await closedPortUrl();
    const error = await failure(new OpenAIEmbeddingModel('m', { baseURL: `${url}/v1`, apiKey: 'k' }).embed(['x']));
    expect(error).toBeInstanceOf(RagFlowError);
    expect((error as RagFlowError).message).toMatch(new RegExp(`is not reachable at ${url}/v1$`));
  });

  it('reports a rejected API key without retrying', async () => {
    const server = await start();
    const error = await failure(modelFor(server, 'text-embedding-3-small', 'wrong-key').embed(['x']));
    expect(error).toBeInstanceOf(RagFlowError);
    expect((error as RagFlowError).code).toBe(ErrorCode.Data);
    expect((error as RagFlowError).message).toMatch(/rejected the API key \(HTTP 401\).*Incorrect API key provided/);
    expect(server.requests).toHaveLength(1);
  });

  it('reports an unknown model', async () => {
    const server = await start();
    const error = await failure(modelFor(server, 'no-such-embedder').embed(['x']));
    expect((error as RagFlowError).code).toBe(ErrorCode.Data);
    expect((error as RagFlowError).message).toMatch(/does not know the embedding model "no-such-embedder" \(HTTP 404/);
  });

  it('retries a 429 and a 503, then succeeds', async () => {
    const server = await start({ failures: [{ status: 429, retryAfter: '0' }, { status: 503 }] });
    const { embeddings } = await modelFor(server).embed(['hello']);
    expect(embeddings).toHaveLength(1);
    expect(server.requests).toHaveLength(3);
  });

  it('gives up after three attempts with a clear error', async () => {
    const server = await start({ failures: [{ status: 429 }, { status: 429 }, { status: 429 }, { status: 429 }] });
    const error = await failure(modelFor(server).embed(['hello']));
    expect(error).toBeInstanceOf(RagFlowError);
    expect((error as RagFlowError).message).toMatch(/kept rate-limiting the embedding request \(HTTP 429, 3 attempts\)/);
    expect(server.requests).toHaveLength(3);
  });

  it('waits as long as Retry-After asks', async () => {
    const server = await start({ failures: [{ status: 429, retryAfter: '1' }] });
    const started = Date.now();
    await modelFor(server, 'text-embedding-3-small', 'test-key', { retryBaseDelayMs: 1, maxRetryDelayMs: 5000 }).embed(['x']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('stops waiting for a retry when aborted', async () => {
    const server = await start({ failures: [{ status: 429, retryAfter: '30' }] });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const error = await failure(
      modelFor(server, 'text-embedding-3-small', 'test-key', { maxRetryDelayMs: 60_000 }).embed(['x'], {
        signal: controller.signal,
      }),
    );
    expect(isAbortError(error)).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reports malformed JSON', async () => {
    const server = await start();
    const error = await failure(modelFor(server, 'malformed-model').embed(['x']));
    expect(error).toBeInstanceOf(RagFlowError);
    expect((error as RagFlowError).message).toMatch(/returned malformed JSON/);
  });

  it('cancels a request in flight when the signal aborts', async () => {
    const server = await start({ slowMs: 10_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const error = await failure(modelFor(server, 'slow-model').embed(['x'], { signal: controller.signal }));
    expect(isAbortError(error)).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('retry delays', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const inFiveSeconds = new Date(Date.now() + 5000).toUTCString();
    expect(parseRetryAfter(inFiveSeconds)).toBeGreaterThan(3000);
  });

  it('backs off exponentially and never beyond the cap', () => {
    expect(retryDelayMs(1, null, 100, 10_000)).toBeGreaterThanOrEqual(75);
    expect(retryDelayMs(1, null, 100, 10_000)).toBeLessThanOrEqual(125);
    expect(retryDelayMs(3, null, 100, 10_000)).toBeGreaterThanOrEqual(300);
    expect(retryDelayMs(20, null, 100, 10_000)).toBe(10_000);
    expect(retryDelayMs(1, '120', 100, 10_000)).toBe(10_000);
  });
});
