export type {
  ChatMessage,
  ChatModel,
  ChatProviderSettings,
  ChatRequest,
  ChatResult,
  ChatRole,
  GenerationSettings,
  GroundingContext,
  TokenUsage,
} from './types.js';
export { chatStream, type ChatStream } from './chat-stream.js';
export { DEFAULT_CONTEXT_TOKENS, contextWindow } from './context-windows.js';
export { EXTRACTIVE_MODEL_ID, EXTRACTIVE_NOT_FOUND, ExtractiveChatModel, extractAnswer } from './extractive.js';
export { parseChatModelName, type ChatProvider, type ParsedChatModelName } from './model-name.js';
export { OllamaChatModel, ollamaOptions, type OllamaChatOptions } from './ollama.js';
export { OpenAIChatModel, type OpenAIChatOptions } from './openai.js';
export { ChatModelRegistry, resolveChatModel } from './registry.js';
export type { RetryOptions } from '../util/retry.js';
