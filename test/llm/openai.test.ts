import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode, RagFlowError } from '../../src/errors.js';
import { OpenAIChatModel, type OpenAIChatOptions } from '../../src/llm/openai.js';
import type { ChatRequest } from '../../src/llm/types.js';
import { closedPortUrl } from '../embed/fake-servers.js';
import { collect, describeChatModelContract, failure } from './contract.js';
import { replyTo, startFakeOpenAIChat, type FakeChatOptions, type FakeChatServer } from './fake-chat-servers.js';

const FAST_RETRY: OpenAIChatOptions = { retryBaseDelayMs: 5, maxRetryDelayMs: 50 };
const ask = (question: string): ChatRequest => ({
  messages: [
    { role: 'system', content: 'Answer from the knowledge base.' },
    { role: 'user', content: question },
  ],
});

describeChatModelContract('OpenAI-compatible (fake server)', async () => {
  const server = await startFakeOpenAIChat();
  return {
    model: new OpenAIChatModel('gpt-4o-mini', { baseURL: `${server.url}/v1`, apiKey: 'test-key' }),
    request: ask('what colour is the sky'),
    longRequest: ask('long: count for me'),
    cleanup: () => server.close(),
  };
});

describe('OpenAIChatModel', () => {
  const servers: FakeChatServer[] = [];
  const start = async (options: FakeChatOptions = {}): Promise<FakeChatServer> => {
    const server = await startFakeOpenAIChat(options);
    servers.push(server);
    return server;
  };
  const modelFor = (server: FakeChatServer, name = 'gpt-4o-mini', options: OpenAIChatOptions = FAST_RETRY, apiKey = 'test-key') =>
    new OpenAIChatModel(name, { baseURL: `${server.url}/v1/`, apiKey }, options);

  afterEach(async () => {
    vi.unstubAllEnvs();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('posts the documented body with the generation settings and the key', async () => {
    const server = await start();
    const model = modelFor(server);
    const request: ChatRequest = {
      ...ask('hello'),
      settings: { temperature: 0.2, topP: 0.9, presencePenalty: 0.4, frequencyPenalty: 0.6, maxTokens: 256 },
    };
    const { text, usage } = await model.generate(request);
    await collect(model.stream(request));
    const settings = { temperature: 0.2, top_p: 0.9, presence_penalty: 0.4, frequency_penalty: 0.6, max_tokens: 256 };
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      url: '/v1/chat/completions',
      body: { model: 'gpt-4o-mini', messages: request.messages, stream: false, ...settings },
    });
    expect(server.requests[0]!.body).not.toHaveProperty('stream_options');
    expect(server.requests[1]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true }, ...settings });
    expect(server.requests[0]!.headers.authorization).toBe('Bearer test-key');
    expect(server.requests[1]!.headers.accept).toBe('text/event-stream');
    expect(text).toBe(replyTo('hello'));
    // 5 words of system message + 1 of question; the fake counts words as tokens.
    expect(usage).toEqual({ promptTokens: 6, completionTokens: 3 });
    expect(model.id).toBe('gpt-4o-mini@OpenAI');
    expect(model.contextTokens).toBe(128_000);
  });

  it('sends only the settings given', async () => {
    const server = await start();
    await modelFor(server).generate({ ...ask('x'), settings: { temperature: 0 } });
    const body = server.requests[0]!.body as Record<string, unknown>;
    expect(body['temperature']).toBe(0);
    for (const key of ['top_p', 'presence_penalty', 'frequency_penalty', 'max_tokens', 'max_completion_tokens']) {
      expect(body).not.toHaveProperty(key);
    }
  });

  it('reports the usage of a stream from the final usage chunk', async () => {
    const server = await start();
    const stream = modelFor(server).stream(ask('one two'));
    expect((await collect(stream)).join('')).toBe(replyTo('one two'));
    expect(stream.usage).toEqual({ promptTokens: 7, completionTokens: 4 });
  });

  it('reads SSE with CRLF line ends and keep-alive comments', async () => {
    const server = await start({ lineEnding: '\r\n' });
    expect((await collect(modelFor(server).stream(ask('crlf please')))).join('')).toBe(replyTo('crlf please'));
  });

  it('takes baseURL and key from the environment, and names @OpenAI-API-Compatible', async () => {
    const server = await start();
    vi.stubEnv('OPENAI_BASE_URL', `${server.url}/v1`);
    vi.stubEnv('OPENAI_API_KEY', 'test-key');
    const model = new OpenAIChatModel('gpt-4o-mini', {}, { providerName: 'OpenAI-API-Compatible' });
    expect(model.id).toBe('gpt-4o-mini@OpenAI-API-Compatible');
    expect((await model.generate(ask('via env'))).text).toBe(replyTo('via env'));
  });

  it('asks for a key before calling api.openai.com without one', async () => {
    vi.stubEnv('OPENAI_BASE_URL', '');
    vi.stubEnv('OPENAI_API_KEY', '');
    const model = new OpenAIChatModel('gpt-4o');
    expect(model.baseURL).toBe('https://api.openai.com/v1');
    await expect(model.generate(ask('x'))).rejects.toThrow(/needs an API key: set providers\.openai\.apiKey in RagFlow\.open\(\) or .*OPENAI_API_KEY/);
    await expect(collect(model.stream(ask('x')))).rejects.toThrow(/needs an API key/);
  });

  it('says where it could not connect', async () => {
    const url = await closedPortUrl();
    const model = new OpenAIChatModel('gpt-4o-mini', { baseURL: `${url}/v1`, apiKey: 'k' });
    for (const work of [model.generate(ask('x')), collect(model.stream(ask('x')))]) {
      const error = (await failure(work)) as RagFlowError;
      expect(error).toBeInstanceOf(RagFlowError);
      expect(error.message).toBe(`The chat API gpt-4o-mini@OpenAI is not reachable at ${url}/v1`);
    }
  });

  it('reports a rejected API key on 401 without retrying', async () => {
    const server = await start();
    const error = (await failure(modelFor(server, 'gpt-4o-mini', FAST_RETRY, 'wrong').generate(ask('x')))) as RagFlowError;
    expect(error.code).toBe(ErrorCode.Data);
    expect(error.message).toMatch(/rejected the API key \(HTTP 401\); check providers\.openai\.apiKey or OPENAI_API_KEY: Incorrect API key/);
    expect(server.requests).toHaveLength(1);
  });

  it('reports an unknown model on 404', async () => {
    const server = await start();
    const error = (await failure(collect(modelFor(server, 'gpt-9').stream(ask('x'))))) as RagFlowError;
    expect(error.code).toBe(ErrorCode.Data);
    expect(error.message).toMatch(/does not know the chat model "gpt-9" \(HTTP 404; check the model name and baseURL\)/);
  });

  it('retries 429 and 5xx before the first token, then streams', async () => {
    const server = await start({ failures: [{ status: 429 }, { status: 502 }] });
    expect((await collect(modelFor(server).stream(ask('again')))).join('')).toBe(replyTo('again'));
    expect(server.requests).toHaveLength(3);
  });

  it('gives up after maxAttempts and says it was rate-limited', async () => {
    const server = await start({ failures: [{ status: 429 }, { status: 429 }] });
    const model = modelFor(server, 'gpt-4o-mini', { ...FAST_RETRY, maxAttempts: 2 });
    const error = (await failure(model.generate(ask('x')))) as RagFlowError;
    expect(error.message).toMatch(/kept rate-limiting the chat request \(HTTP 429, 2 attempts\): Simulated 429/);
    expect(server.requests).toHaveLength(2);
  });

  it('waits as long as Retry-After says', async () => {
    const server = await start({ failures: [{ status: 503, retryAfter: '0.3' }] });
    await collect(modelFor(server, 'gpt-4o-mini', { retryBaseDelayMs: 1, maxRetryDelayMs: 5000 }).stream(ask('x')));
    const [first, second] = server.times;
    expect(second! - first!).toBeGreaterThanOrEqual(280);
  });

  it.each([
    ['an error event', 'fail', /reported an error while answering: The server had an error/],
    ['a cut connection', 'drop', /closed the connection in the middle of the answer/],
  ])('ends the stream with an error after %s mid-stream, without retrying', async (_label, mode, message) => {
    const server = await start();
    const deltas: string[] = [];
    const error = await failure(
      (async () => {
        for await (const delta of modelFor(server).stream(ask(`${mode}: tell me a long story`))) deltas.push(delta);
      })(),
    );
    expect(deltas).toHaveLength(3);
    expect(error).toBeInstanceOf(RagFlowError);
    expect((error as Error).message).toMatch(message);
    expect(server.requests).toHaveLength(1);
  });

  it('fails clearly on a malformed SSE event', async () => {
    const server = await start();
    const error = await failure(collect(modelFor(server).stream(ask('garbage: hi there friend'))));
    expect((error as Error).message).toMatch(/sent a malformed stream event \(is it an OpenAI-compatible API\?\): \{"choices"/);
  });

  it('fails clearly on a non-stream answer that is not JSON', async () => {
    const server = await start();
    const model = modelFor(server);
    vi.spyOn(globalThis, 'fetch').mockResolvedValueOnce(new Response('<html>gateway</html>', { status: 200 }));
    try {
      const error = await failure(model.generate(ask('x')));
      expect((error as Error).message).toMatch(/sent a malformed JSON \(is it an OpenAI-compatible API\?\): <html>gateway/);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('fails when the stream ends before the answer is finished', async () => {
    const server = await start();
    const error = await failure(collect(modelFor(server).stream(ask('unfinished: hi'))));
    expect((error as Error).message).toMatch(/ended the stream before the answer was finished/);
  });

  it('times out when the server sends nothing', async () => {
    const server = await start();
    const model = modelFor(server, 'gpt-4o-mini', { timeoutMs: 150 });
    for (const work of [model.generate(ask('silent: hello')), collect(model.stream(ask('silent: hello')))]) {
      const error = (await failure(work)) as RagFlowError;
      expect(error).toBeInstanceOf(RagFlowError);
      expect(error.message).toMatch(/sent nothing for 0\.1 s; raise timeoutMs/);
    }
  });

  it('closes the HTTP request when the consumer stops early or aborts', async () => {
    const server = await start();
    for await (const delta of modelFor(server).stream(ask('long: go'))) {
      expect(delta).toBe('tick0 ');
      break;
    }
    const controller = new AbortController();
    const error = await failure(
      (async () => {
        for await (const delta of modelFor(server).stream({ ...ask('long: go'), signal: controller.signal })) {
          if (delta) controller.abort(new Error('user left'));
        }
      })(),
    );
    expect((error as Error).message).toBe('user left');
    await vi.waitFor(() => expect(server.disconnects).toBe(2));
  });
});
