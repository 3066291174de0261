import { ErrorCode, RagFlowError } from '../errors.js';
import { contextWindow } from './context-windows.js';
import { EXTRACTIVE_MODEL_ID, ExtractiveChatModel } from './extractive.js';
import { parseChatModelName } from './model-name.js';
import { OllamaChatModel } from './ollama.js';
import { OpenAIChatModel } from './openai.js';
import type { ChatModel, ChatProviderSettings } from './types.js';

/**
 * Turns `model@provider` into a chat model. Synchronous and offline on purpose: a chat assistant
 * can reject an unknown model when it is created, while connections wait for the first answer.
 */
export function resolveChatModel(name: string, settings: ChatProviderSettings = {}): ChatModel {
  const { model, provider, id } = parseChatModelName(name);
  const contextTokens = contextWindow(id, settings.contextTokens);
  switch (provider) {
    case 'Builtin':
      if (id.toLowerCase() !== EXTRACTIVE_MODEL_ID.toLowerCase()) {
        throw new RagFlowError(ErrorCode.Data, `No built-in chat model "${model}": the only one is ${EXTRACTIVE_MODEL_ID}`);
      }
      return new ExtractiveChatModel();
    case 'Ollama':
      return new OllamaChatModel(model, settings.ollama, { contextTokens });
    case 'OpenAI':
    case 'OpenAI-API-Compatible':
      return new OpenAIChatModel(model, settings.openai, { providerName: provider, contextTokens });
  }
}

/**
 * One set of provider settings and the chat models resolved under it; the same name always gives
 * the same instance.
 */
export class ChatModelRegistry {
  private readonly custom = new Map<string, ChatModel>();
  private readonly resolved = new Map<string, ChatModel>();

  constructor(private readonly settings: ChatProviderSettings = {}) {}

  /** Adds a model of your own (any ChatModel); assistants then name it by its exact `id`. */
  register(model: ChatModel): void {
    this.custom.set(model.id, model);
  }

  resolve(name: string): ChatModel {
    const registered = typeof name === 'string' ? this.custom.get(name.trim()) : undefined;
    if (registered) return registered;
    // Keyed by the canonical id, so "m@ollama" and "m@Ollama" share one instance.
    const { id } = parseChatModelName(name);
    let model = this.resolved.get(id);
    if (!model) {
      model = resolveChatModel(id, this.settings);
      this.resolved.set(id, model);
    }
    return model;
  }

  /** Closes every model resolved or registered so far; the registry can be used again afterwards. */
  async close(): Promise<void> {
    const models = new Set([...this.custom.values(), ...this.resolved.values()]);
    this.custom.clear();
    this.resolved.clear();
    const results = await Promise.allSettled([...models].map(async (model) => model.close?.()));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
  }
}
