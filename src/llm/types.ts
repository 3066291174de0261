/**
 * The chat-model plug-point: messages in, text (or a stream of text deltas) out. One file per
 * provider implements it; test/llm/contract.ts is the suite every provider passes.
 */

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

/** RAGFlow's llm_setting. Providers map what they support and ignore the rest. */
export interface GenerationSettings {
  temperature?: number;
  topP?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  maxTokens?: number;
}

/** Retrieved material behind a request, for models that work on it directly (extractive@Builtin). */
export interface GroundingContext {
  question: string;
  chunks: readonly { content: string }[];
}

export interface ChatRequest {
  messages: readonly ChatMessage[];
  settings?: GenerationSettings;
  signal?: AbortSignal;
  /** Real language models ignore it: the knowledge is in the system message already. */
  grounding?: GroundingContext;
}

export interface TokenUsage {
  promptTokens?: number;
  completionTokens?: number;
}

export interface ChatResult {
  text: string;
  usage?: TokenUsage;
}

export interface ChatModel {
  /** Canonical `model@provider`. */
  readonly id: string;
  /** Context window in tokens (RAGFlow assumes 8192 when the catalogue does not know a model). */
  readonly contextTokens: number;
  generate(request: ChatRequest): Promise<ChatResult>;
  /** Text deltas in order. Errors after the first delta end the iteration by throwing. */
  stream(request: ChatRequest): AsyncIterable<string>;
  close?(): Promise<void>;
}

export interface ChatProviderSettings {
  ollama?: { host?: string; headers?: Record<string, string> };
  openai?: { baseURL?: string; apiKey?: string; headers?: Record<string, string> };
  /** Context windows by model id (`model@provider`), for models the built-in table does not know. */
  contextTokens?: Record<string, number>;
}
