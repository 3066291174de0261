import { request } from 'node:http';

/**
 * A small fetch client for the contract tests: every reply is read once, as text, and parsed as
 * JSON when it is JSON, so a test can assert the HTTP status, the envelope and the headers together.
 */

export type Json = any;

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body (undefined when it is not JSON). */
  body: Json;
}

export interface CallOptions {
  /** A JSON value (serialised), a string sent as it is, or FormData. */
  body?: unknown;
  /** Overrides the client's key; `null` sends no Authorization header. */
  key?: string | null;
  headers?: Record<string, string>;
  query?: Record<string, string | number | boolean>;
}

export class Client {
  constructor(
    readonly api: string,
    readonly key: string,
  ) {}

  withKey(key: string): Client {
    return new Client(this.api, key);
  }

  url(path: string, query?: CallOptions['query']): string {
    const url = new URL(this.api + path);
    for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, String(v));
    return url.toString();
  }

  async raw(method: string, path: string, options: CallOptions = {}): Promise<Response> {
    const headers: Record<string, string> = {};
    const key = options.key === undefined ? this.key : options.key;
    if (key !== null) headers.authorization = `Bearer ${key}`;
    let body: string | FormData | undefined;
    if (options.body instanceof FormData) body = options.body;
    else if (typeof options.body === 'string') {
      body = options.body;
      headers['content-type'] = 'application/json';
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    Object.assign(headers, options.headers);
    return fetch(this.url(path, options.query), { method, headers, ...(body === undefined ? {} : { body }) });
  }

  async call(method: string, path: string, options: CallOptions = {}): Promise<Reply> {
    const response = await this.raw(method, path, options);
    const text = await response.text();
    let body: Json;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: response.status, headers: response.headers, text, body };
  }

  get = (path: string, options?: CallOptions) => this.call('GET', path, options);
  post = (path: string, options?: CallOptions) => this.call('POST', path, options);
  put = (path: string, options?: CallOptions) => this.call('PUT', path, options);
  delete = (path: string, options?: CallOptions) => this.call('DELETE', path, options);

  /** A successful call: HTTP 200 and code 0; returns `data`. */
  async ok(method: string, path: string, options: CallOptions = {}): Promise<Json> {
    const reply = await this.call(method, path, options);
    if (reply.status !== 200 || reply.body?.code !== 0) {
      throw new Error(`${method} ${path} → HTTP ${reply.status}: ${reply.text.slice(0, 500)}`);
    }
    return reply.body.data;
  }
}

/** The `data:` events of an SSE body, parsed; `[DONE]`-style non-JSON payloads are kept as strings. */
export function sseEvents(text: string): Json[] {
  const events: Json[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    const data = block
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''))
      .join('\n');
    if (data === '') continue;
    try {
      events.push(JSON.parse(data));
    } catch {
      events.push(data);
    }
  }
  return events;
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function poll<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A GET with a JSON body, as the draft's retrieval example sends it (fetch refuses to). */
export function getWithBody(url: string, key: string, body: unknown): Promise<{ status: number; body: Json }> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'GET',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': payload.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
          } catch {
            resolve({ status: res.statusCode ?? 0, body: text });
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
