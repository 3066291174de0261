import type { AddressInfo } from 'node:net';
import express from 'express';
import { ragflowRouter, type RouterOptions } from '../../adapters/express/index.js';
import { RagFlow, type RagFlowOptions } from '../../src/ragflow.js';
import type { ChatModel, ChatRequest, ChatResult } from '../../src/llm/types.js';

/** An in-memory RagFlow behind the router on 127.0.0.1, spoken to over real HTTP. */
export interface Harness {
  rag: RagFlow;
  /** An API key of tenant t1. */
  key: string;
  base: string;
  call(method: string, path: string, init?: CallInit): Promise<Reply>;
  close(): Promise<void>;
}

export interface CallInit {
  json?: unknown;
  body?: NonNullable<RequestInit['body']>;
  headers?: Record<string, string>;
  /** undefined: the harness key; null: no Authorization header. */
  key?: string | null;
  signal?: AbortSignal;
}

export interface Reply {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
}

export async function startHarness(
  options: { rag?: RagFlowOptions; router?: RouterOptions } = {},
): Promise<Harness> {
  const rag = await RagFlow.open({ path: ':memory:', ...options.rag });
  const { key } = await rag.apiKeys.create('t1');
  const app = express();
  app.use('/api/v1', ragflowRouter(rag, options.router));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  return {
    rag,
    key,
    base,
    async call(method, path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      const auth = init.key === undefined ? key : init.key;
      if (auth !== null) headers.authorization ??= `Bearer ${auth}`;
      let body = init.body;
      if (init.json !== undefined) {
        body = JSON.stringify(init.json);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined && { body }), ...(init.signal && { signal: init.signal }) });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON (a download, an event stream)
      }
      return { status: res.status, headers: res.headers, body: parsed, text };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rag.close();
    },
  };
}

/** A multipart body with `file` parts. */
export function files(...parts: [name: string, content: string | Uint8Array][]): FormData {
  const form = new FormData();
  for (const [name, content] of parts) form.append('file', new Blob([content]), name);
  return form;
}

/** Parses an event stream into its `data:` payloads. */
export function sseEvents(text: string): unknown[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      if (!block.startsWith('data:')) throw new Error(`not an SSE data event: ${block}`);
      return JSON.parse(block.slice('data:'.length)) as unknown;
    });
}

/**
 * A chat model under the test's control: streams `deltas` with a pause between them, honours the
 * abort signal, and can fail after the first delta.
 */
export class ScriptedModel implements ChatModel {
  readonly contextTokens = 8192;
  deltas: string[] = [];
  pauseMs = 0;
  failAfterFirst: string | undefined;
  aborted = false;
  calls = 0;

  constructor(readonly id: string) {}

  async generate(request: ChatRequest): Promise<ChatResult> {
    let text = '';
    for await (const delta of this.stream(request)) text += delta;
    return { text };
  }

  async *stream(request: ChatRequest): AsyncIterable<string> {
    this.calls++;
    for (const [i, delta] of this.deltas.entries()) {
      if (i > 0 && this.failAfterFirst) throw new Error(this.failAfterFirst);
      if (this.pauseMs > 0) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, this.pauseMs);
          request.signal?.addEventListener(
            'abort',
            () => {
              clearTimeout(timer);
              this.aborted = true;
              reject(request.signal?.reason);
            },
            { once: true },
          );
        });
      }
      yield delta;
    }
  }
}
