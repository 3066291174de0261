/**
 * The embedding plug-point. A provider is one file implementing this; see docs/providers.md.
 * Modelled on the Vercel AI SDK's EmbeddingModel: batch in, vectors out, cancellable.
 */
export interface EmbeddingModel {
  /** Canonical `model@provider` id, stored on the dataset. */
  readonly id: string;
  /** Known up front for some providers; otherwise learnt from the first call. */
  readonly dimensions: number | undefined;
  /** Largest batch the provider accepts in one call; callers split larger inputs. */
  readonly maxBatchSize: number;
  embed(texts: readonly string[], options?: EmbedOptions): Promise<EmbedResult>;
  /** Releases native sessions or sockets, when the provider holds any. */
  close?(): Promise<void>;
}

export interface EmbedOptions {
  signal?: AbortSignal;
}

export interface EmbedResult {
  /** One L2-normalised or raw vector per input text, in input order. */
  embeddings: Float32Array[];
  /** Tokens the provider reports (or estimates) for the batch. */
  tokens: number;
}

export interface EmbeddingProviderSettings {
  ollama?: { host?: string; headers?: Record<string, string> };
  openai?: { baseURL?: string; apiKey?: string; headers?: Record<string, string> };
  transformers?: {
    /** Folder holding `<org>/<model>/` copies of Hugging Face models. */
    localModelPath?: string;
    /** Where downloaded models are cached. */
    cacheDir?: string;
    /** false: never reach the Hub (offline). Default true. */
    allowRemoteModels?: boolean;
    /** e.g. 'fp32', 'q8'. */
    dtype?: string;
  };
}
