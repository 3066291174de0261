import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hashVector } from '../../src/embed/hash.js';

/**
 * node:http stand-ins for Ollama and the OpenAI embeddings API, on 127.0.0.1:0, speaking their
 * real wire formats. Vectors are hash vectors, so they are deterministic and lexically meaningful.
 */

export const FAKE_DIMENSIONS = 16;

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

type Handler = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

export async function startServer(handler: Handler): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = raw;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        // keep the raw text
      }
      const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      requests.push(recorded);
      void Promise.resolve(handler(recorded, res)).catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: String(error) });
      });
    });
  });
  await listen(server);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => closeServer(server),
  };
}

/** A port that was just listening and is now closed: connecting to it is refused. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await listen(server);
  const { port } = server.address() as AddressInfo;
  await closeServer(server);
  return `http://127.0.0.1:${port}`;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

export const fakeVector = (text: string): number[] => [...hashVector(text, FAKE_DIMENSIONS).vector];

const inputsOf = (body: unknown): string[] => {
  const input = (body as { input?: unknown }).input;
  return typeof input === 'string' ? [input] : Array.isArray(input) ? input.map(String) : [];
};

/** `POST /api/embed` for the listed models; a slow model answers after `slowMs`. */
export function startFakeOllama(options: { models?: string[]; slowMs?: number } = {}): Promise<FakeServer> {
  const models = new Set(options.models ?? ['nomic-embed-text', 'slow-model']);
  return startServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/api/embed') {
      sendJson(res, 404, { error: `404 page not found` });
      return;
    }
    const model = String((req.body as { model?: unknown }).model);
    if (!models.has(model)) {
      sendJson(res, 404, { error: `model "${model}" not found, try pulling it first` });
      return;
    }
    if (model === 'slow-model') await delay(res, options.slowMs ?? 5000);
    if (res.destroyed) return;
    const input = inputsOf(req.body);
    sendJson(res, 200, {
      model,
      embeddings: input.map(fakeVector),
      total_duration: 1000,
      load_duration: 10,
      prompt_eval_count: input.reduce((n, text) => n + text.split(/\s+/).filter(Boolean).length, 0),
    });
  });
}

export interface FakeOpenAIOptions {
  apiKey?: string;
  models?: string[];
  /** Status codes to answer with, in order, before answering normally. */
  failures?: { status: number; retryAfter?: string }[];
  slowMs?: number;
}

/**
 * `POST /v1/embeddings`. Answers `data` in reverse order (the API promises `index`, not order),
 * `malformed-model` gets a body that is not JSON and `slow-model` waits `slowMs`.
 */
export function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeServer> {
  const apiKey = options.apiKey ?? 'test-key';
  const models = new Set(options.models ?? ['text-embedding-3-small', 'malformed-model', 'slow-model']);
  const failures = [...(options.failures ?? [])];
  return startServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
      sendJson(res, 404, { error: { message: 'Not found', type: 'invalid_request_error' } });
      return;
    }
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      sendJson(res, 401, {
        error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' },
      });
      return;
    }
    const failure = failures.shift();
    if (failure) {
      const headers: Record<string, string> = failure.retryAfter ? { 'retry-after': failure.retryAfter } : {};
      sendJson(res, failure.status, { error: { message: `Simulated ${failure.status}`, type: 'server_error' } }, headers);
      return;
    }
    const model = String((req.body as { model?: unknown }).model);
    if (!models.has(model)) {
      sendJson(res, 404, {
        error: { message: `The model \`${model}\` does not exist`, type: 'invalid_request_error', code: 'model_not_found' },
      });
      return;
    }
    if (model === 'malformed-model') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"object":"list","data":[{"embedding":[0.1,');
      return;
    }
    if (model === 'slow-model') await delay(res, options.slowMs ?? 5000);
    if (res.destroyed) return;
    const input = inputsOf(req.body);
    const tokens = input.reduce((n, text) => n + text.split(/\s+/).filter(Boolean).length, 0);
    sendJson(res, 200, {
      object: 'list',
      data: input.map((text, index) => ({ object: 'embedding', index, embedding: fakeVector(text) })).reverse(),
      model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  });
}

/** Waits, but gives up as soon as the client hangs up, so an aborted test leaves no timer behind. */
function delay(res: ServerResponse, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    res.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
