import type { EmbeddingRegistry } from './embed/registry.js';
import type { ChatModelRegistry } from './llm/registry.js';
import type { Store } from './store/types.js';
import type { OcrSettings } from './ingest/types.js';

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
  /** OCR language data for images and scanned PDF pages; absent when none was found or configured. */
  ocr?: OcrSettings;
  /** Describes an image in words (the `picture` method), when a vision-capable model is configured. */
  describeImage?: (image: Uint8Array, mimeType: string, signal?: AbortSignal) => Promise<string>;
  now(): number;
}
