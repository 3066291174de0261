import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, RagFlowError } from '../../src/errors.js';
import {
  DEFAULT_DESCRIBE_PROMPT,
  OllamaVisionModel,
  OpenAIVisionModel,
  resolveVisionModel,
  type VisionModel,
  type VisionModelOptions,
} from '../../src/llm/vision/index.js';
import { closedPortUrl, type FakeServer } from '../embed/fake-servers.js';
import { startFakeOllamaVision, startFakeOpenAIVision } from './fake-vision-servers.js';

const FAST_RETRY: VisionModelOptions = { retryBaseDelayMs: 5, maxRetryDelayMs: 50 };
// Not a real PNG: the servers only see bytes, and the bytes are what is checked.
const IMAGE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 3, 250, 251, 252, 253]);
const IMAGE_BASE64 = Buffer.from(IMAGE).toString('base64');

const servers: FakeServer[] = [];
async function track<T extends FakeServer>(server: Promise<T>): Promise<T> {
  const started = await server;
  servers.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function failureOf(promise: Promise<unknown>): Promise<RagFlowError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected a RagFlowError').toBeInstanceOf(RagFlowError);
  return error as RagFlowError;
}

describe('OllamaVisionModel', () => {
  const modelFor = (server: FakeServer, name = 'llava', headers?: Record<string, string>): OllamaVisionModel =>
    new OllamaVisionModel(name, { host: server.url, ...(headers && { headers }) }, FAST_RETRY);

  it('posts the prompt and the base64 image to /api/chat and answers the trimmed description', async () => {
    const server = await track(startFakeOllamaVision());
    const model = modelFor(server, 'llava', { 'x-team': 'docs' });
    const description = await model.describe(IMAGE, { mimeType: 'image/png' });
    expect(description).toBe('A test pattern of 16 bytes.');
    expect(model.id).toBe('llava@Ollama');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      url: '/api/chat',
      body: { model: 'llava', stream: false, messages: [{ role: 'user', content: DEFAULT_DESCRIBE_PROMPT, images: [IMAGE_BASE64] }] },
    });
    expect(server.requests[0]!.headers['x-team']).toBe('docs');
  });

  it('sends a prompt of the caller instead of the default', async () => {
    const server = await track(startFakeOllamaVision());
    await modelFor(server).describe(IMAGE, { mimeType: 'image/png', prompt: 'What brand is the car?' });
    expect(server.requests[0]!.body).toMatchObject({ messages: [{ content: 'What brand is the car?' }] });
  });

  it('retries a 503 and then answers', async () => {
    const server = await track(startFakeOllamaVision({ failures: [{ status: 503 }] }));
    expect(await modelFor(server).describe(IMAGE, { mimeType: 'image/png' })).toBe('A test pattern of 16 bytes.');
    expect(server.requests).toHaveLength(2);
  });

  it('gives up on a server that keeps failing, saying how often it tried', async () => {
    const failures = Array.from({ length: 3 }, () => ({ status: 500, message: 'runner crashed' }));
    const server = await track(startFakeOllamaVision({ failures }));
    const error = await failureOf(modelFor(server).describe(IMAGE, { mimeType: 'image/png' }));
    expect(error.code).toBe(ErrorCode.Exception);
    expect(error.message).toMatch(/kept failing .*HTTP 500, 3 attempts.*runner crashed/);
    expect(server.requests).toHaveLength(3);
  });

  it('turns a 400 into an error carrying the server message, without retrying', async () => {
    const server = await track(startFakeOllamaVision({ failures: [{ status: 400, message: 'model does not support images' }] }));
    const error = await failureOf(modelFor(server).describe(IMAGE, { mimeType: 'image/png' }));
    expect(error.code).toBe(ErrorCode.Data);
    expect(error.message).toMatch(/rejected the image description request \(HTTP 400\): model does not support images/);
    expect(server.requests).toHaveLength(1);
  });

  it('says which model to pull when Ollama does not have it', async () => {
    const server = await track(startFakeOllamaVision());
    const error = await failureOf(modelFor(server, 'llama3.2-vision').describe(IMAGE, { mimeType: 'image/png' }));
    expect(error.message).toContain('ollama pull llama3.2-vision');
  });

  it('says the server is not reachable', async () => {
    const model = new OllamaVisionModel('llava', { host: await closedPortUrl() }, FAST_RETRY);
    const error = await failureOf(model.describe(IMAGE, { mimeType: 'image/png' }));
    expect(error.message).toMatch(/not reachable/);
  });

  it('stops when the caller aborts, with the caller reason, and hangs up', async () => {
    const server = await track(startFakeOllamaVision({ hang: true }));
    const controller = new AbortController();
    // A reason of our own: any AbortError would match the default one, caller's or not.
    const reason = new DOMException('user left', 'AbortError');
    const pending = modelFor(server).describe(IMAGE, { mimeType: 'image/png', signal: controller.signal });
    setTimeout(() => controller.abort(reason), 50);
    await expect(pending).rejects.toBe(reason);
    await expect.poll(() => server.disconnects).toBe(1);
  });

  it('gives up on a server that sends nothing within the idle timeout', async () => {
    const server = await track(startFakeOllamaVision({ hang: true }));
    const model = new OllamaVisionModel('llava', { host: server.url }, { ...FAST_RETRY, timeoutMs: 100 });
    const error = await failureOf(model.describe(IMAGE, { mimeType: 'image/png' }));
    expect(error.message).toMatch(/sent nothing for 0\.1 s/);
  });
});

describe('OpenAIVisionModel', () => {
  const modelFor = (server: FakeServer, name = 'gpt-4o-mini', apiKey = 'test-key'): OpenAIVisionModel =>
    new OpenAIVisionModel(name, { baseURL: `${server.url}/v1/`, apiKey }, { ...FAST_RETRY, providerName: 'OpenAI-API-Compatible' });

  it('posts a text part and the image as a data URL with the key, and answers the trimmed description', async () => {
    const server = await track(startFakeOpenAIVision());
    const model = modelFor(server);
    const description = await model.describe(IMAGE, { mimeType: 'image/jpeg' });
    expect(description).toBe('A test pattern of 16 bytes.');
    expect(model.id).toBe('gpt-4o-mini@OpenAI-API-Compatible');
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      url: '/v1/chat/completions',
      body: {
        model: 'gpt-4o-mini',
        stream: false,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: DEFAULT_DESCRIBE_PROMPT },
              { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${IMAGE_BASE64}` } },
            ],
          },
        ],
      },
    });
    expect(server.requests[0]!.headers.authorization).toBe('Bearer test-key');
  });

  it('retries a 503 and then answers', async () => {
    const server = await track(startFakeOpenAIVision({ failures: [{ status: 503 }] }));
    expect(await modelFor(server).describe(IMAGE, { mimeType: 'image/png' })).toBe('A test pattern of 16 bytes.');
    expect(server.requests).toHaveLength(2);
  });

  it('turns a 400 into an error carrying the server message, without retrying', async () => {
    const message = 'You uploaded an unsupported image. Please make sure your image has of one the following formats.';
    const server = await track(startFakeOpenAIVision({ failures: [{ status: 400, message }] }));
    const error = await failureOf(modelFor(server).describe(IMAGE, { mimeType: 'image/tiff' }));
    expect(error.code).toBe(ErrorCode.Data);
    expect(error.message).toBe(
      `The vision API at ${server.url}/v1 (gpt-4o-mini@OpenAI-API-Compatible) rejected the image description request (HTTP 400): ${message}`,
    );
    expect(server.requests).toHaveLength(1);
  });

  it('names the key setting when the key is refused', async () => {
    const server = await track(startFakeOpenAIVision());
    const error = await failureOf(modelFor(server, 'gpt-4o-mini', 'wrong').describe(IMAGE, { mimeType: 'image/png' }));
    expect(error.message).toMatch(/rejected the credentials \(HTTP 401\); check providers\.openai\.apiKey.*Incorrect API key/);
  });

  it('stops when the caller aborts, with the caller reason, and hangs up', async () => {
    const server = await track(startFakeOpenAIVision({ hang: true }));
    const controller = new AbortController();
    const reason = new DOMException('user left', 'AbortError');
    const pending = modelFor(server).describe(IMAGE, { mimeType: 'image/png', signal: controller.signal });
    setTimeout(() => controller.abort(reason), 50);
    await expect(pending).rejects.toBe(reason);
    await expect.poll(() => server.disconnects).toBe(1);
  });

  it('refuses an already aborted signal before sending anything', async () => {
    const server = await track(startFakeOpenAIVision());
    await expect(modelFor(server).describe(IMAGE, { mimeType: 'image/png', signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(server.requests).toHaveLength(0);
  });

  it('refuses empty bytes and a MIME type that is not an image', async () => {
    const server = await track(startFakeOpenAIVision());
    const model = modelFor(server);
    expect((await failureOf(model.describe(new Uint8Array(0), { mimeType: 'image/png' }))).code).toBe(ErrorCode.Argument);
    expect((await failureOf(model.describe(IMAGE, { mimeType: 'text/plain' }))).message).toMatch(/image MIME type/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('resolveVisionModel', () => {
  const settings = { ollama: { host: 'http://10.0.0.5:11434' }, openai: { baseURL: 'http://gateway.local/v1', apiKey: 'k' } };

  it('builds an Ollama or OpenAI-compatible model from model@provider, with the provider settings', () => {
    const ollama = resolveVisionModel('llava:13b@ollama', settings);
    expect(ollama).toBeInstanceOf(OllamaVisionModel);
    expect(ollama.id).toBe('llava:13b@Ollama');
    expect((ollama as OllamaVisionModel).host).toBe('http://10.0.0.5:11434');
    const compatible = resolveVisionModel(' qwen2.5-vl@OpenAI-API-Compatible ', settings);
    expect(compatible).toBeInstanceOf(OpenAIVisionModel);
    expect(compatible.id).toBe('qwen2.5-vl@OpenAI-API-Compatible');
    expect((compatible as OpenAIVisionModel).baseURL).toBe('http://gateway.local/v1');
    expect(resolveVisionModel('gpt-4o-mini@OpenAI', settings).id).toBe('gpt-4o-mini@OpenAI');
  });

  it('takes an object of the caller as it is', () => {
    const own: VisionModel = { id: 'mine@Custom', describe: async () => 'a cat' };
    expect(resolveVisionModel(own, {})).toBe(own);
  });

  it.each([
    ['llava', /names no provider.*llava@Ollama/],
    ['', /vision model name is required/],
    ['@Ollama', /Malformed vision model name/],
    ['extractive@Builtin', /"Builtin" has no vision model/],
    ['llava@Replicate', /"Replicate" is not a provider this build knows; use Ollama, OpenAI or OpenAI-API-Compatible/],
  ])('refuses %j with an argument error', (spec, message) => {
    let caught: unknown;
    try {
      resolveVisionModel(spec, settings);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RagFlowError);
    expect((caught as RagFlowError).code).toBe(ErrorCode.Argument);
    expect((caught as RagFlowError).message).toMatch(message);
  });

  it('refuses an object without describe()', () => {
    expect(() => resolveVisionModel({ id: 'x' } as unknown as VisionModel, {})).toThrow(/describe\(image/);
  });
});
