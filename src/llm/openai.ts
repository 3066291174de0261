import { ErrorCode, RagFlowError } from '../errors.js';
import { OPENAI_DEFAULT_BASE_URL, openAIEndpoint } from '../util/openai-endpoint.js';
import { chatStream, type ChatStream } from './chat-stream.js';
import { contextWindow } from './context-windows.js';
import { postChatCompletions } from './openai-post.js';
import { completionBody, parseCompletion, parseStreamChunk } from './openai-wire.js';
import { requestFailure } from './request-failure.js';
import { RequestWatch } from './request-watch.js';
import { retryPolicy, withRetries, type RetryOptions, type RetryPolicy } from '../util/retry.js';
import { sseData } from './sse.js';
import type { ChatModel, ChatProviderSettings, ChatRequest, ChatResult, TokenUsage } from './types.js';

/**
 * `<model>@OpenAI` (or `@OpenAI-API-Compatible`): the chat-completions endpoint of OpenAI or of
 * anything that speaks it (DeepSeek, vLLM, LM Studio, llama.cpp server). Plain fetch: the wire
 * format is one POST, and SSE when streaming.
 */

type OpenAISettings = NonNullable<ChatProviderSettings['openai']>;

export interface OpenAIChatOptions extends RetryOptions {
  /** Give up when the server shows no sign of life for this long; default 10 min. */
  timeoutMs?: number;
  /** Context window to report; default from the known-models table. */
  contextTokens?: number;
  /** Provider name used in `id`, e.g. 'OpenAI-API-Compatible'; default 'OpenAI'. */
  providerName?: string;
}

export class OpenAIChatModel implements ChatModel {
  readonly id: string;
  readonly baseURL: string;
  readonly contextTokens: number;
  private readonly apiKey: string | undefined;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;

  constructor(
    readonly model: string,
    private readonly settings: OpenAISettings = {},
    options: OpenAIChatOptions = {},
  ) {
    this.id = `${model}@${options.providerName ?? 'OpenAI'}`;
    ({ baseURL: this.baseURL, apiKey: this.apiKey } = openAIEndpoint(settings));
    this.contextTokens = options.contextTokens ?? contextWindow(this.id);
    this.timeoutMs = options.timeoutMs ?? 600_000;
    this.retry = retryPolicy(options);
  }

  async generate(request: ChatRequest): Promise<ChatResult> {
    const watch = new RequestWatch(request.signal, this.timeoutMs);
    try {
      const response = await withRetries(() => this.post(request, false, watch), this.retry, watch.signal);
      const text = await response.text();
      return parseCompletion(text, this.source());
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
      const response = await withRetries(() => this.post(request, true, watch), this.retry, watch.signal);
      if (!response.body) throw new RagFlowError(ErrorCode.Exception, `${this.source()} sent an empty stream`);
      let finished = false;
      for await (const data of sseData(response.body, () => watch.touch())) {
        if (data.trim() === '[DONE]') return;
        const chunk = parseStreamChunk(data, this.source());
        // The usage chunk comes last, after the one with finish_reason and before [DONE].
        if (chunk.usage) report(chunk.usage);
        finished ||= chunk.finished;
        if (chunk.delta !== '') {
          watch.pause();
          yield chunk.delta;
          watch.touch();
        }
      }
      // Some servers close without [DONE]; that is only a failure when the answer was not finished.
      if (!finished) {
        throw new RagFlowError(ErrorCode.Exception, `${this.source()} ended the stream before the answer was finished`);
      }
    } catch (error) {
      throw this.translate(error, watch);
    } finally {
      watch.dispose();
    }
  }

  /** One attempt: resolves once a 2xx status has arrived, with the body still unread. */
  private post(request: ChatRequest, stream: boolean, watch: RequestWatch): Promise<Response> {
    const maxTokensField = this.baseURL === OPENAI_DEFAULT_BASE_URL ? 'max_completion_tokens' : 'max_tokens';
    const body = JSON.stringify(completionBody(this.model, request, { stream, maxTokensField }));
    const target = { id: this.id, baseURL: this.baseURL, apiKey: this.apiKey, headers: this.settings.headers };
    return postChatCompletions(target, body, stream ? 'text/event-stream' : 'application/json', watch);
  }

  private translate(error: unknown, watch: RequestWatch): unknown {
    const source = this.source();
    return requestFailure(error, watch, {
      source,
      request: 'the chat request',
      timedOut: (idle) => `${source} sent nothing for ${idle}; raise timeoutMs if the server is just slow`,
      unreachable: `The chat API ${this.id} is not reachable at ${this.baseURL}`,
      cutOff: `${source} closed the connection in the middle of the answer`,
      unauthorized: (status, suffix) =>
        `${source} rejected the API key (HTTP ${status}); check providers.openai.apiKey or OPENAI_API_KEY${suffix}`,
      missingModel: (suffix) =>
        `${source} does not know the chat model "${this.model}" (HTTP 404; check the model name and baseURL)${suffix}`,
      failed: (detail) => `${source} request failed: ${detail}`,
    });
  }

  private source(): string {
    return `The chat API at ${this.baseURL} (${this.id})`;
  }
}
