export type { EmbeddingModel, EmbedOptions, EmbedResult, EmbeddingProviderSettings } from './types.js';
export { embedTexts, type EmbedTextsOptions, type EmbedTextsResult } from './batch.js';
export { HASH_DEFAULT_DIMENSIONS, HASH_MODEL_ID, HashEmbeddingModel, hashVector, type HashEmbeddingOptions } from './hash.js';
export { parseModelName, type EmbeddingProvider, type ParsedModelName } from './model-name.js';
export { OLLAMA_DEFAULT_HOST, OllamaEmbeddingModel, resolveOllamaHost } from './ollama.js';
export { OPENAI_DEFAULT_BASE_URL, OpenAIEmbeddingModel, type OpenAIEmbeddingOptions } from './openai.js';
export { EmbeddingRegistry, resolveEmbeddingModel, type ResolveEmbeddingOptions } from './registry.js';
export { TransformersEmbeddingModel } from './transformers.js';
