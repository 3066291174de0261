import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ErrorCode, RagFlowError } from '../../src/errors.js';
import { OllamaChatModel, ollamaOptions, type OllamaChatOptions } from '../../src/llm/ollama.js';
import type { ChatRequest } from '../../src/llm/types.js';
import { closedPortUrl } from '../embed/fake-servers.js';
import { collect, describeChatModelContract, failure } from './contract.js';
import { replyTo, startFakeOllamaChat, type FakeChatOptions, type FakeChatServer } from './fake-chat-servers.js';

const FAST_RETRY: OllamaChatOptions = { retryBaseDelayMs: 5, maxRetryDelayMs: 50 };
const ask = (question: string): ChatRequest => ({
  messages: [
    { role: 'system', content: 'Answer from the knowledge base.' },
    { role: 'user', content: question },
  ],
});

describeChatModelContract('Ollama (fake server)', async () => {
  const server = await startFakeOllamaChat();
  return {
    model: new OllamaChatModel('llama3.2', { host: server.url }),
    request: ask('what colour is the sky'),
    longRequest: ask('long: count for me'),
    cleanup: () => server.close(),
  };
});

describe('OllamaChatModel', () => {
  let server: FakeChatServer;
  const extra: FakeChatServer[] = [];
  const start = async (options: FakeChatOptions): Promise<FakeChatServer> => {
    const started = await startFakeOllamaChat(options);
    extra.push(started);
    return started;
  };
  const modelFor = (target: FakeChatServer, name = 'llama3.2', options: OllamaChatOptions = FAST_RETRY) =>
    new OllamaChatModel(name, { host: target.url }, options);
  const sentSince = (target: FakeChatServer, before: number) => target.requests.slice(before);

  beforeAll(async () => {
    server = await startFakeOllamaChat({ models: ['llama3.2', 'qwen2.5:7b'] });
  });
  afterAll(async () => {
    await server.close();
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    await Promise.all(extra.splice(0).map((s) => s.close()));
  });

  it('sends the model, messages and generation settings as Ollama options, with headers', async () => {
    const model = new OllamaChatModel('qwen2.5:7b', { host: server.url, headers: { Authorization: 'Bearer t' } });
    const before = server.requests.length;
    const request: ChatRequest = {
      ...ask('hello'),
      settings: { temperature: 0.1, topP: 0.3, presencePenalty: 0.4, frequencyPenalty: 0.7, maxTokens: 512 },
    };
    const { text, usage } = await model.generate(request);
    await collect(model.stream(request));
    const [plain, streamed] = sentSince(server, before);
    const options = { temperature: 0.1, top_p: 0.3, presence_penalty: 0.4, frequency_penalty: 0.7, num_predict: 512 };
    expect(plain).toMatchObject({
      method: 'POST',
      url: '/api/chat',
      body: { model: 'qwen2.5:7b', messages: request.messages, stream: false, options },
    });
    expect(streamed?.body).toMatchObject({ stream: true, options });
    expect(plain?.headers.authorization).toBe('Bearer t');
    expect(text).toBe(replyTo('hello'));
    // 5 words of system message + 1 of question; the fake counts words as tokens.
    expect(usage).toEqual({ promptTokens: 6, completionTokens: 3 });
    expect(model.id).toBe('qwen2.5:7b@Ollama');
    expect(model.contextTokens).toBe(32_768);
  });

  it('leaves out the settings that are not given', () => {
    expect(ollamaOptions({ temperature: 0 })).toEqual({ temperature: 0 });
    expect(ollamaOptions(undefined)).toEqual({});
  });

  it('reports usage of a stream once it has ended', async () => {
    const stream = modelFor(server).stream(ask('one two'));
    expect(stream.usage).toBeUndefined();
    const deltas = await collect(stream);
    expect(deltas.join('')).toBe(replyTo('one two'));
    expect(stream.usage).toEqual({ promptTokens: 7, completionTokens: 4 });
  });

  it('takes the host from settings, then OLLAMA_HOST, then the local default', async () => {
    vi.stubEnv('OLLAMA_HOST', server.url);
    const model = new OllamaChatModel('llama3.2');
    expect(model.host).toBe(server.url);
    expect((await model.generate(ask('via env'))).text).toBe(replyTo('via env'));
    vi.stubEnv('OLLAMA_HOST', '');
    expect(new OllamaChatModel('llama3.2').host).toBe('http://127.0.0.1:11434');
  });

  it('says Ollama is not reachable when nothing listens', async () => {
    const url = await closedPortUrl();
    const model = new OllamaChatModel('llama3.2', { host: url });
    for (const work of [model.generate(ask('x')), collect(model.stream(ask('x')))]) {
      const error = await failure(work);
      expect(error).toBeInstanceOf(RagFlowError);
      expect((error as Error).message).toBe(`Ollama is not reachable at ${url} — is it running?`);
    }
  });

  it('tells the user to pull a model Ollama does not have', async () => {
    const model = modelFor(server, 'mistral');
    for (const work of [model.generate(ask('x')), collect(model.stream(ask('x')))]) {
      const error = (await failure(work)) as RagFlowError;
      expect(error).toBeInstanceOf(RagFlowError);
      expect(error.code).toBe(ErrorCode.Data);
      expect(error.message).toBe('Ollama has no model "mistral" — run: ollama pull mistral');
    }
  });

  it('reports rejected credentials on 401', async () => {
    const target = await start({ failures: [{ status: 401 }] });
    const error = (await failure(modelFor(target).generate(ask('x')))) as RagFlowError;
    expect(error.code).toBe(ErrorCode.Data);
    expect(error.message).toMatch(/rejected the credentials \(HTTP 401\); check settings\.ollama\.headers/);
    expect(target.requests).toHaveLength(1);
  });

  it('retries 429 and 5xx before the first token, then answers', async () => {
    const target = await start({ failures: [{ status: 429 }, { status: 503 }] });
    const deltas = await collect(modelFor(target).stream(ask('again')));
    expect(deltas.join('')).toBe(replyTo('again'));
    expect(target.requests).toHaveLength(3);
  });

  it('gives up after maxAttempts with the status and the count', async () => {
    const target = await start({ failures: [{ status: 500 }, { status: 500 }, { status: 500 }] });
    const error = (await failure(modelFor(target).generate(ask('x')))) as RagFlowError;
    expect(error.message).toMatch(/kept failing the chat request for "llama3\.2" \(HTTP 500, 3 attempts\): simulated 500/);
    expect(target.requests).toHaveLength(3);
  });

  it('waits as long as Retry-After says', async () => {
    const target = await start({ failures: [{ status: 429, retryAfter: '0.3' }] });
    await modelFor(target, 'llama3.2', { retryBaseDelayMs: 1, maxRetryDelayMs: 5000 }).generate(ask('x'));
    const [first, second] = target.times;
    expect(second! - first!).toBeGreaterThanOrEqual(280);
  });

  it('ends the stream with an error after a mid-stream failure, without retrying', async () => {
    const target = await start({});
    const deltas: string[] = [];
    const error = await failure(
      (async () => {
        for await (const delta of modelFor(target).stream(ask('fail: tell me a long story'))) deltas.push(delta);
      })(),
    );
    expect(deltas).toHaveLength(3);
    expect(error).toBeInstanceOf(RagFlowError);
    expect((error as Error).message).toMatch(/failed while answering with "llama3\.2": model runner crashed/);
    expect(target.requests).toHaveLength(1);
  });

  it('fails clearly on a stream line that is not JSON instead of dropping it', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const deltas: string[] = [];
      const error = await failure(
        (async () => {
          for await (const delta of modelFor(server).stream(ask('garbage: hi there friend'))) deltas.push(delta);
        })(),
      );
      expect((error as Error).message).toMatch(/sent a malformed stream line \(not JSON\): this is not json/);
      expect(deltas.join('')).toBe('You said: ');
    } finally {
      warn.mockRestore();
    }
  });

  it('fails clearly when the connection is cut mid-stream', async () => {
    const error = await failure(collect(modelFor(server).stream(ask('drop: hi there friend'))));
    expect(error).toBeInstanceOf(RagFlowError);
    expect((error as Error).message).toMatch(/^Ollama at http:\/\/127\.0\.0\.1:\d+ closed the connection in the middle of the answer/);
  });

  it('times out when the server sends nothing', async () => {
    const model = modelFor(server, 'llama3.2', { timeoutMs: 150 });
    for (const work of [model.generate(ask('silent: hello')), collect(model.stream(ask('silent: hello')))]) {
      const error = (await failure(work)) as RagFlowError;
      expect(error).toBeInstanceOf(RagFlowError);
      expect(error.message).toMatch(/sent nothing for 0\.1 s \(llama3\.2@Ollama\); is the model still loading\?/);
    }
  });

  it('closes the HTTP request when the consumer stops early or aborts', async () => {
    const target = await start({});
    for await (const delta of modelFor(target).stream(ask('long: go'))) {
      expect(delta).toBe('tick0 ');
      break;
    }
    const controller = new AbortController();
    const stream = modelFor(target).stream({ ...ask('long: go'), signal: controller.signal });
    await failure(
      (async () => {
        for await (const delta of stream) if (delta) controller.abort(new Error('user left'));
      })(),
    ).then((error) => expect((error as Error).message).toBe('user left'));
    await vi.waitFor(() => expect(target.disconnects).toBe(2));
  });
});
