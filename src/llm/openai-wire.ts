import { ErrorCode, RagFlowError } from '../errors.js';
import { tokenUsage } from './chat-stream.js';
import type { ChatRequest, ChatResult, TokenUsage } from './types.js';

/** The chat-completions wire format: request bodies out, answers and stream chunks in. */

export interface CompletionBodyOptions {
  stream: boolean;
  /** OpenAI's own API wants max_completion_tokens (its reasoning models reject max_tokens); compatible servers know max_tokens. */
  maxTokensField: 'max_tokens' | 'max_completion_tokens';
}

export function completionBody(model: string, request: ChatRequest, options: CompletionBodyOptions): Record<string, unknown> {
  const settings = request.settings ?? {};
  const body: Record<string, unknown> = {
    model,
    messages: request.messages.map(({ role, content }) => ({ role, content })),
    stream: options.stream,
  };
  // Without this the usage of a streamed answer is never sent.
  if (options.stream) body['stream_options'] = { include_usage: true };
  if (settings.temperature !== undefined) body['temperature'] = settings.temperature;
  if (settings.topP !== undefined) body['top_p'] = settings.topP;
  if (settings.presencePenalty !== undefined) body['presence_penalty'] = settings.presencePenalty;
  if (settings.frequencyPenalty !== undefined) body['frequency_penalty'] = settings.frequencyPenalty;
  if (settings.maxTokens !== undefined) body[options.maxTokensField] = settings.maxTokens;
  return body;
}

interface Completion {
  choices?: { message?: { content?: unknown }; delta?: { content?: unknown }; finish_reason?: unknown }[];
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null;
  error?: { message?: unknown } | string;
}

/** A non-streamed answer. */
export function parseCompletion(text: string, source: string): ChatResult {
  const payload = parseJson(text, source);
  failOnError(payload, source);
  const content = payload.choices?.[0]?.message?.content;
  // A null content is legal (a refusal or a tool call): it means no text.
  if (content !== null && typeof content !== 'string') {
    throw new RagFlowError(ErrorCode.Exception, `${source} answered without a message (no choices[0].message.content)`);
  }
  const usage = usageOf(payload);
  return usage ? { text: content ?? '', usage } : { text: content ?? '' };
}

export interface StreamChunk {
  delta: string;
  finished: boolean;
  usage: TokenUsage | undefined;
}

/** One `data:` payload of a streamed answer (not `[DONE]`). */
export function parseStreamChunk(data: string, source: string): StreamChunk {
  const payload = parseJson(data, source, 'stream event');
  failOnError(payload, source);
  const choice = payload.choices?.[0];
  const content = choice?.delta?.content;
  return {
    delta: typeof content === 'string' ? content : '',
    finished: typeof choice?.finish_reason === 'string',
    usage: usageOf(payload),
  };
}

function parseJson(text: string, source: string, what = 'JSON'): Completion {
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw new RagFlowError(
      ErrorCode.Exception,
      `${source} sent a malformed ${what} (is it an OpenAI-compatible API?): ${text.trim().slice(0, 120)}`,
    );
  }
  if (typeof payload !== 'object' || payload === null) {
    throw new RagFlowError(ErrorCode.Exception, `${source} sent an unexpected ${what}: ${text.trim().slice(0, 120)}`);
  }
  return payload as Completion;
}

/** Servers report failures that happen after the 200 status inside the body. */
function failOnError(payload: Completion, source: string): void {
  if (payload.error === undefined || payload.error === null) return;
  const message = typeof payload.error === 'string' ? payload.error : payload.error.message;
  throw new RagFlowError(
    ErrorCode.Exception,
    `${source} reported an error while answering: ${typeof message === 'string' ? message : JSON.stringify(payload.error)}`,
  );
}

function usageOf(payload: Completion): TokenUsage | undefined {
  return payload.usage ? tokenUsage(payload.usage.prompt_tokens, payload.usage.completion_tokens) : undefined;
}
