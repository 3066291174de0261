import type { EmbeddingRegistry } from './embed/registry.js';
import type { ChatModelRegistry } from './llm/registry.js';
import type { Store } from './store/types.js';

/** What the services share. Built once by RagFlow.open(); services never construct their own. */
export interface EngineContext {
  store: Store;
  embeddings: EmbeddingRegistry;
  /** `model@provider` used when a dataset names none. */
  defaultEmbeddingModel: string;
  chatModels: ChatModelRegistry;
  /** `model@provider` used when a chat names none. */
  defaultChatModel: string;
  /** Largest accepted file, in bytes. */
  maxUploadBytes: number;
  now(): number;
}
