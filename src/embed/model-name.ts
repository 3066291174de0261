import { ErrorCode, RagFlowError } from '../errors.js';

/** The providers this build knows, in the spelling used in canonical ids. */
export type EmbeddingProvider = 'Builtin' | 'Ollama' | 'OpenAI' | 'OpenAI-API-Compatible';

const PROVIDERS = new Map<string, EmbeddingProvider>(
  (['Builtin', 'Ollama', 'OpenAI', 'OpenAI-API-Compatible'] as const).map((p) => [p.toLowerCase(), p]),
);

export interface ParsedModelName {
  model: string;
  provider: EmbeddingProvider;
  /** `model@Provider` with the provider's canonical spelling. */
  id: string;
}

/**
 * Splits RAGFlow's `model@provider`. The last `@` separates them, so a model name may itself hold
 * an `@` (some gateways use `name@version`); a name without one gets `defaultProvider`.
 */
export function parseModelName(name: string, defaultProvider = 'Builtin'): ParsedModelName {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new RagFlowError(ErrorCode.Argument, 'An embedding model name is required, e.g. "hash@Builtin"');
  }
  const trimmed = name.trim();
  const at = trimmed.lastIndexOf('@');
  const model = (at < 0 ? trimmed : trimmed.slice(0, at)).trim();
  const providerName = (at < 0 ? defaultProvider : trimmed.slice(at + 1)).trim();
  if (model === '' || providerName === '') {
    throw new RagFlowError(
      ErrorCode.Argument,
      `Malformed embedding model name "${trimmed}": expected model@provider, e.g. "BAAI/bge-small-en-v1.5@Builtin"`,
    );
  }
  const provider = PROVIDERS.get(providerName.toLowerCase());
  if (!provider) {
    throw new RagFlowError(
      ErrorCode.Data,
      `Unsupported embedding model provider "${providerName}" in "${model}@${providerName}"; use Builtin, Ollama or OpenAI`,
    );
  }
  return { model, provider, id: `${model}@${provider}` };
}
