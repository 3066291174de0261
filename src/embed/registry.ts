import { HASH_MODEL_ID, HashEmbeddingModel } from './hash.js';
import { parseModelName } from './model-name.js';
import { OllamaEmbeddingModel } from './ollama.js';
import { OpenAIEmbeddingModel } from './openai.js';
import { TransformersEmbeddingModel } from './transformers.js';
import type { EmbeddingModel, EmbeddingProviderSettings } from './types.js';

export interface ResolveEmbeddingOptions {
  /** Provider for a name without `@provider`; default 'Builtin'. */
  defaultProvider?: string;
}

/**
 * Turns `model@provider` into a model object. Synchronous and offline on purpose: a dataset can
 * reject an unknown provider when it is created, while downloads and connections wait for the
 * first embed call.
 */
export function resolveEmbeddingModel(
  name: string,
  settings: EmbeddingProviderSettings = {},
  options: ResolveEmbeddingOptions = {},
): EmbeddingModel {
  const { model, provider, id } = parseModelName(name, options.defaultProvider);
  switch (provider) {
    case 'Builtin':
      return id.toLowerCase() === HASH_MODEL_ID.toLowerCase()
        ? new HashEmbeddingModel()
        : new TransformersEmbeddingModel(model, settings.transformers);
    case 'Ollama':
      return new OllamaEmbeddingModel(model, settings.ollama);
    case 'OpenAI':
    case 'OpenAI-API-Compatible':
      return new OpenAIEmbeddingModel(model, settings.openai, { providerName: provider });
  }
}

/**
 * One set of provider settings and the models resolved under it. The same name always gives the
 * same instance, so a model's loaded weights and learnt dimensions are shared by every dataset.
 */
export class EmbeddingRegistry {
  private readonly models = new Map<string, EmbeddingModel>();

  constructor(
    private readonly settings: EmbeddingProviderSettings = {},
    private readonly options: ResolveEmbeddingOptions = {},
  ) {}

  /**
   * Adds a model of your own (any object implementing EmbeddingModel); datasets then name it by its
   * `id`. Registered before resolve(), so the built-in resolution never sees that id.
   */
  register(model: EmbeddingModel): void {
    this.models.set(model.id, model);
  }

  resolve(name: string): EmbeddingModel {
    const registered = typeof name === 'string' ? this.models.get(name.trim()) : undefined;
    if (registered) return registered;
    // Keyed by the canonical id, so "X@builtin" and "X@Builtin" (or a bare "X") share one instance.
    const { id } = parseModelName(name, this.options.defaultProvider);
    let model = this.models.get(id);
    if (!model) {
      model = resolveEmbeddingModel(id, this.settings);
      this.models.set(id, model);
    }
    return model;
  }

  /** Closes every model resolved so far; the registry can be used again afterwards. */
  async close(): Promise<void> {
    const models = [...this.models.values()];
    this.models.clear();
    const results = await Promise.allSettled(models.map(async (model) => model.close?.()));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
  }
}
