import { ErrorCode, RagFlowError } from '../errors.js';
import { resolveOllamaHost } from '../embed/ollama.js';
import { chatStream, tokenUsage, type ChatStream } from './chat-stream.js';
import { contextWindow } from './context-windows.js';
import { ollamaAttempt } from './ollama-attempt.js';
import { requestFailure } from './request-failure.js';
import { RequestWatch } from './request-watch.js';
import { retryPolicy, withRetries, type RetryOptions, type RetryPolicy } from '../util/retry.js';
import type { ChatModel, ChatProviderSettings, ChatRequest, ChatResult, GenerationSettings, TokenUsage } from './types.js';

/** `<model>@Ollama`: chat with a local (or remote) Ollama server via the optional `ollama` package. */

type OllamaSettings = NonNullable<ChatProviderSettings['ollama']>;

export interface OllamaChatOptions extends RetryOptions {
  /** Give up when the server shows no sign of life for this long; default 10 min (model loads are slow). */
  timeoutMs?: number;
  /** Context window to report; default from the known-models table. */
  contextTokens?: number;
}

// Structural view of the parts of the package used here, so its types are not needed at build time.
interface OllamaChatPart {
  message?: { content?: unknown };
  done?: unknown;
  prompt_eval_count?: unknown;
  eval_count?: unknown;
}
interface OllamaChatBody {
  model: string;
  messages: { role: string; content: string }[];
  options: Record<string, number>;
}
interface OllamaClient {
  chat(request: OllamaChatBody & { stream: true }): Promise<AsyncIterable<OllamaChatPart>>;
  chat(request: OllamaChatBody & { stream: false }): Promise<OllamaChatPart>;
}

export class OllamaChatModel implements ChatModel {
  readonly id: string;
  readonly host: string;
  readonly contextTokens: number;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;

  constructor(
    readonly model: string,
    private readonly settings: OllamaSettings = {},
    options: OllamaChatOptions = {},
  ) {
    this.id = `${model}@Ollama`;
    this.host = resolveOllamaHost(settings.host ?? process.env['OLLAMA_HOST']);
    this.contextTokens = options.contextTokens ?? contextWindow(this.id);
    this.timeoutMs = options.timeoutMs ?? 600_000;
    this.retry = retryPolicy(options);
  }

  async generate(request: ChatRequest): Promise<ChatResult> {
    const watch = new RequestWatch(request.signal, this.timeoutMs);
    try {
      const reply = await withRetries(
        async () => this.send(watch, false, (client) => client.chat({ ...this.body(request), stream: false })),
        this.retry,
        watch.signal,
      );
      const content = reply.message?.content;
      if (typeof content !== 'string') {
        throw new RagFlowError(ErrorCode.Exception, `Ollama at ${this.host} answered without a message (${this.id})`);
      }
      const usage = usageOf(reply);
      return usage ? { text: content, usage } : { text: content };
    } catch (error) {
      throw this.translate(error, watch);
    } finally {
      watch.dispose();
    }
  }

  stream(request: ChatRequest): ChatStream {
    return chatStream((report) => this.run(request, report));
  }

  private async *run(request: ChatRequest, report: (usage: TokenUsage) => void): AsyncGenerator<string> {
    const watch = new RequestWatch(request.signal, this.timeoutMs);
    try {
      const parts = await withRetries(
        async () => this.send(watch, true, (client) => client.chat({ ...this.body(request), stream: true })),
        this.retry,
        watch.signal,
      );
      for await (const part of parts) {
        const delta = part.message?.content;
        if (typeof delta === 'string' && delta !== '') {
          watch.pause();
          yield delta;
          watch.touch();
        }
        if (part.done === true) {
          const usage = usageOf(part);
          if (usage) report(usage);
          return;
        }
      }
    } catch (error) {
      throw this.translate(error, watch);
    } finally {
      watch.dispose();
    }
  }

  private body(request: ChatRequest): OllamaChatBody {
    return {
      model: this.model,
      messages: request.messages.map(({ role, content }) => ({ role, content })),
      options: ollamaOptions(request.settings),
    };
  }

  private send<T>(watch: RequestWatch, streaming: boolean, call: (client: OllamaClient) => Promise<T>): Promise<T> {
    const options = { host: this.host, headers: this.settings.headers, feature: `Chat model "${this.id}"`, streaming };
    return ollamaAttempt(options, watch, call);
  }

  private translate(error: unknown, watch: RequestWatch): unknown {
    const source = `Ollama at ${this.host}`;
    return requestFailure(error, watch, {
      source,
      request: `the chat request for "${this.model}"`,
      timedOut: (idle) =>
        `${source} sent nothing for ${idle} (${this.id}); is the model still loading? Raise timeoutMs if it is`,
      unreachable: `Ollama is not reachable at ${this.host} — is it running?`,
      cutOff: `${source} closed the connection in the middle of the answer`,
      unauthorized: (status, suffix) =>
        `${source} rejected the credentials (HTTP ${status}); check settings.ollama.headers${suffix}`,
      missingModel: () => `Ollama has no model "${this.model}" — run: ollama pull ${this.model}`,
      failed: (detail, error) =>
        error instanceof SyntaxError
          ? `${source} returned malformed JSON: ${detail}`
          : `${source} failed while answering with "${this.model}": ${detail}`,
    });
  }
}

/** RAGFlow's llm_setting in Ollama's option names; unset values leave the model's own defaults. */
export function ollamaOptions(settings: GenerationSettings = {}): Record<string, number> {
  const options: Record<string, number> = {};
  if (settings.temperature !== undefined) options['temperature'] = settings.temperature;
  if (settings.topP !== undefined) options['top_p'] = settings.topP;
  if (settings.presencePenalty !== undefined) options['presence_penalty'] = settings.presencePenalty;
  if (settings.frequencyPenalty !== undefined) options['frequency_penalty'] = settings.frequencyPenalty;
  if (settings.maxTokens !== undefined) options['num_predict'] = settings.maxTokens;
  return options;
}

function usageOf(part: OllamaChatPart): TokenUsage | undefined {
  return tokenUsage(part.prompt_eval_count, part.eval_count);
}
