import type { ServerResponse } from 'node:http';
import { sendJson, startServer, type FakeServer, type RecordedRequest } from '../embed/fake-servers.js';

/**
 * node:http stand-ins for Ollama's /api/chat and OpenAI's /v1/chat/completions on 127.0.0.1:0, answering
 * image messages in the real wire formats. The description names the image's size, so a test can tell
 * the image arrived whole.
 */

export interface FakeVisionOptions {
  models?: string[];
  /** Statuses to answer with, in order, before answering normally. */
  failures?: { status: number; message?: string }[];
  /** Hold every answer until the client hangs up. */
  hang?: boolean;
}

export interface FakeVisionServer extends FakeServer {
  disconnects: number;
}

export const describedAs = (bytes: number): string => `  A test pattern of ${bytes} bytes.  `;

/** Waits for the client to hang up, counting it. */
function hangUntilClosed(server: { disconnects: number }, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    res.once('close', () => {
      server.disconnects++;
      resolve();
    });
  });
}

export async function startFakeOllamaVision(options: FakeVisionOptions = {}): Promise<FakeVisionServer> {
  const models = new Set(options.models ?? ['llava']);
  const failures = [...(options.failures ?? [])];
  let self: FakeVisionServer | undefined;
  const server = await startServer(async (req: RecordedRequest, res) => {
    if (req.method !== 'POST' || req.url !== '/api/chat') return sendJson(res, 404, { error: '404 page not found' });
    const failure = failures.shift();
    if (failure) return sendJson(res, failure.status, { error: failure.message ?? `simulated ${failure.status}` });
    if (options.hang) return hangUntilClosed(self!, res);
    const body = req.body as { model: string; messages: { images?: string[] }[] };
    if (!models.has(body.model)) return sendJson(res, 404, { error: `model "${body.model}" not found, try pulling it first` });
    const image = body.messages[0]?.images?.[0] ?? '';
    sendJson(res, 200, {
      model: body.model,
      created_at: new Date(0).toISOString(),
      message: { role: 'assistant', content: describedAs(Buffer.from(image, 'base64').byteLength) },
      done: true,
      done_reason: 'stop',
    });
  });
  self = Object.assign(server, { disconnects: 0 });
  return self;
}

export async function startFakeOpenAIVision(options: FakeVisionOptions = {}): Promise<FakeVisionServer> {
  const models = new Set(options.models ?? ['gpt-4o-mini']);
  const failures = [...(options.failures ?? [])];
  let self: FakeVisionServer | undefined;
  const server = await startServer(async (req: RecordedRequest, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      return sendJson(res, 404, { error: { message: 'Not found', type: 'invalid_request_error' } });
    }
    if (req.headers.authorization !== 'Bearer test-key') {
      return sendJson(res, 401, { error: { message: 'Incorrect API key provided', code: 'invalid_api_key' } });
    }
    const failure = failures.shift();
    if (failure) {
      return sendJson(res, failure.status, {
        error: { message: failure.message ?? `Simulated ${failure.status}`, type: 'invalid_request_error' },
      });
    }
    if (options.hang) return hangUntilClosed(self!, res);
    const body = req.body as { model: string; messages: { content: { type: string; image_url?: { url: string } }[] }[] };
    if (!models.has(body.model)) {
      return sendJson(res, 404, { error: { message: `The model \`${body.model}\` does not exist`, code: 'model_not_found' } });
    }
    const url = body.messages[0]?.content.find((part) => part.type === 'image_url')?.image_url?.url ?? '';
    const base64 = url.slice(url.indexOf(',') + 1);
    sendJson(res, 200, {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 0,
      model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content: describedAs(Buffer.from(base64, 'base64').byteLength) }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 100, completion_tokens: 7, total_tokens: 107 },
    });
  });
  self = Object.assign(server, { disconnects: 0 });
  return self;
}
