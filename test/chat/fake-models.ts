import type { ChatModel, ChatRequest, ChatResult } from '../../src/llm/types.js';

/** A chat model for tests: scripted replies, every request recorded. */
export class ScriptedModel implements ChatModel {
  readonly requests: ChatRequest[] = [];
  /** Deltas stream() yields; `fail` makes it throw after them. */
  deltas: string[] = ['scripted ', 'answer.'];
  fail: Error | undefined;
  /** Milliseconds between deltas (aborts are honoured while waiting). */
  delayMs = 0;
  streamsClosed = 0;

  constructor(
    readonly id = 'scripted@Test',
    readonly contextTokens = 8192,
    private readonly reply: (request: ChatRequest) => string = () => 'scripted answer.',
  ) {}

  get calls(): number {
    return this.requests.length;
  }

  async generate(request: ChatRequest): Promise<ChatResult> {
    this.requests.push(request);
    if (this.fail) throw this.fail;
    return { text: this.reply(request) };
  }

  async *stream(request: ChatRequest): AsyncGenerator<string> {
    this.requests.push(request);
    try {
      for (const delta of this.deltas) {
        if (this.delayMs > 0) await wait(this.delayMs, request.signal);
        yield delta;
      }
      if (this.fail) throw this.fail;
    } finally {
      this.streamsClosed++;
    }
  }
}

function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
