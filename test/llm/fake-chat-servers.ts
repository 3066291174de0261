import type { ServerResponse } from 'node:http';
import { sendJson, startServer, type FakeServer, type RecordedRequest } from '../embed/fake-servers.js';

/**
 * node:http stand-ins for Ollama's /api/chat and OpenAI's /v1/chat/completions on 127.0.0.1:0,
 * speaking the real wire formats (NDJSON and SSE). The answer is "You said: <last user message>",
 * streamed a word per delta, so it is deterministic. What a request gets is chosen by the last user
 * message:
 *   "long: ..."      many deltas, 20 ms apart (for aborting mid-stream)
 *   "fail: ..."      3 deltas, then an error reported in the stream
 *   "drop: ..."      3 deltas, then the connection is cut
 *   "garbage: ..."   2 deltas, then a line that is not JSON
 *   "silent: ..."    headers (when streaming), then nothing
 *   "unfinished: ..." (OpenAI) all deltas, then the connection closes without finish_reason or [DONE]
 */

export interface FakeChatServer extends FakeServer {
  /** Arrival time of each request (ms, performance.now()). */
  times: number[];
  /** Responses whose connection closed before the server finished them. */
  disconnects: number;
}

export interface FakeChatOptions {
  models?: string[];
  /** Statuses to answer with, in order, before answering normally. */
  failures?: { status: number; retryAfter?: string }[];
  /** OpenAI only: the bearer token required; default 'test-key'. */
  apiKey?: string;
  /** OpenAI only: line ending of the SSE stream. */
  lineEnding?: '\n' | '\r\n';
}

interface Plan {
  mode: 'normal' | 'long' | 'fail' | 'drop' | 'garbage' | 'silent' | 'unfinished';
  deltas: string[];
  promptTokens: number;
}

export const replyTo = (question: string): string => `You said: ${question}`;

function plan(body: unknown): Plan {
  const messages = ((body as { messages?: unknown }).messages ?? []) as { role: string; content: string }[];
  const last = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  const promptTokens = messages.reduce((n, m) => n + m.content.split(/\s+/).filter(Boolean).length, 0);
  const prefix = /^(long|fail|drop|garbage|silent|unfinished):/.exec(last)?.[1] as Plan['mode'] | undefined;
  const mode = prefix ?? 'normal';
  const deltas =
    mode === 'long' ? Array.from({ length: 500 }, (_, i) => `tick${i} `) : (replyTo(last).match(/\S+\s*/g) ?? []);
  return { mode, deltas, promptTokens };
}

/** Waits, unless the client hangs up first. */
function pause(res: ServerResponse, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    res.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function track(server: FakeServer): FakeChatServer {
  return Object.assign(server, { times: [] as number[], disconnects: 0 });
}

function watchDisconnect(server: FakeChatServer, res: ServerResponse): void {
  res.once('close', () => {
    if (!res.writableEnded) server.disconnects++;
  });
}

export async function startFakeOllamaChat(options: FakeChatOptions = {}): Promise<FakeChatServer> {
  const models = new Set(options.models ?? ['llama3.2']);
  const failures = [...(options.failures ?? [])];
  let self: FakeChatServer | undefined;
  const server = await startServer(async (req: RecordedRequest, res) => {
    self!.times.push(performance.now());
    watchDisconnect(self!, res);
    if (req.method !== 'POST' || req.url !== '/api/chat') return sendJson(res, 404, { error: '404 page not found' });
    const failure = failures.shift();
    if (failure) {
      const headers: Record<string, string> = failure.retryAfter ? { 'retry-after': failure.retryAfter } : {};
      return sendJson(res, failure.status, { error: `simulated ${failure.status}` }, headers);
    }
    const body = req.body as { model?: unknown; stream?: unknown };
    const model = String(body.model);
    if (!models.has(model)) return sendJson(res, 404, { error: `model "${model}" not found, try pulling it first` });
    const { mode, deltas, promptTokens } = plan(body);
    const stamp = { model, created_at: new Date(0).toISOString() };
    const final = {
      ...stamp,
      message: { role: 'assistant', content: '' },
      done: true,
      done_reason: 'stop',
      total_duration: 1000,
      prompt_eval_count: promptTokens,
      eval_count: deltas.length,
    };
    if (body.stream === false) {
      if (mode === 'silent') return pause(res, 60_000);
      return sendJson(res, 200, { ...final, message: { role: 'assistant', content: deltas.join('') } });
    }
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    if (mode === 'silent') return pause(res, 60_000);
    for (const [i, content] of deltas.entries()) {
      if (res.destroyed) return;
      if (mode === 'fail' && i === 3) return void res.end(`${JSON.stringify({ error: 'model runner crashed' })}\n`);
      if (mode === 'drop' && i === 3) return void res.destroy();
      if (mode === 'garbage' && i === 2) return void res.end('this is not json\n');
      res.write(`${JSON.stringify({ ...stamp, message: { role: 'assistant', content }, done: false })}\n`);
      await pause(res, mode === 'long' ? 20 : 1);
    }
    if (!res.destroyed) res.end(`${JSON.stringify(final)}\n`);
  });
  self = track(server);
  return self;
}

export async function startFakeOpenAIChat(options: FakeChatOptions = {}): Promise<FakeChatServer> {
  const models = new Set(options.models ?? ['gpt-4o-mini']);
  const failures = [...(options.failures ?? [])];
  const apiKey = options.apiKey ?? 'test-key';
  const eol = options.lineEnding ?? '\n';
  let self: FakeChatServer | undefined;
  const server = await startServer(async (req: RecordedRequest, res) => {
    self!.times.push(performance.now());
    watchDisconnect(self!, res);
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      return sendJson(res, 404, { error: { message: 'Not found', type: 'invalid_request_error' } });
    }
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      return sendJson(res, 401, {
        error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' },
      });
    }
    const failure = failures.shift();
    if (failure) {
      const headers: Record<string, string> = failure.retryAfter ? { 'retry-after': failure.retryAfter } : {};
      return sendJson(res, failure.status, { error: { message: `Simulated ${failure.status}`, type: 'server_error' } }, headers);
    }
    const body = req.body as { model?: unknown; stream?: unknown; stream_options?: { include_usage?: unknown } };
    const model = String(body.model);
    if (!models.has(model)) {
      return sendJson(res, 404, {
        error: { message: `The model \`${model}\` does not exist`, type: 'invalid_request_error', code: 'model_not_found' },
      });
    }
    const { mode, deltas, promptTokens } = plan(body);
    const usage = { prompt_tokens: promptTokens, completion_tokens: deltas.length, total_tokens: promptTokens + deltas.length };
    const head = { id: 'chatcmpl-1', created: 0, model };
    if (body.stream !== true) {
      if (mode === 'silent') return pause(res, 60_000);
      return sendJson(res, 200, {
        ...head,
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content: deltas.join('') }, finish_reason: 'stop' }],
        usage,
      });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    if (mode === 'silent') return pause(res, 60_000);
    const event = (payload: unknown): void => {
      res.write(`data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}${eol}${eol}`);
    };
    const chunk = (delta: object, finish: string | null = null): object => ({
      ...head,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
    res.write(`: keep-alive${eol}${eol}`);
    event(chunk({ role: 'assistant', content: '' }));
    for (const [i, content] of deltas.entries()) {
      if (res.destroyed) return;
      if (mode === 'fail' && i === 3) {
        event({ error: { message: 'The server had an error while processing your request', type: 'server_error' } });
        return void res.end();
      }
      if (mode === 'drop' && i === 3) return void res.destroy();
      if (mode === 'garbage' && i === 2) return void res.end(`data: {"choices":[{"delta":{"content":"x"${eol}${eol}`);
      event(chunk({ content }));
      await pause(res, mode === 'long' ? 20 : 1);
    }
    if (res.destroyed) return;
    if (mode === 'unfinished') return void res.end();
    event(chunk({}, 'stop'));
    if (body.stream_options?.include_usage === true) event({ ...head, object: 'chat.completion.chunk', choices: [], usage });
    event('[DONE]');
    res.end();
  });
  self = track(server);
  return self;
}
