import { ErrorCode, RagFlowError } from '../errors.js';

/** The providers this build knows, for embedding and chat models alike, in their canonical spelling. */
export const PROVIDERS = ['Builtin', 'Ollama', 'OpenAI', 'OpenAI-API-Compatible'] as const;
export type Provider = (typeof PROVIDERS)[number];

export interface ModelNameParts {
  model: string;
  provider: Provider;
  /** `model@Provider` with the provider's canonical spelling. */
  id: string;
}

export interface ModelNameRules {
  /** 'embedding' or 'chat': named in every message, so users know which setting is wrong. */
  kind: string;
  /** A valid name to show in messages. */
  example: string;
  /** A longer example for the malformed-name message. */
  malformedExample: string;
}

/**
 * Splits RAGFlow's `model@provider`. The last `@` separates them, so a model name may itself hold
 * an `@` (some gateways use `name@version`); a name without one gets `defaultProvider`.
 */
export function splitModelName(name: string, defaultProvider: string, rules: ModelNameRules): ModelNameParts {
  if (typeof name !== 'string' || name.trim() === '') {
    const article = /^[aeiou]/i.test(rules.kind) ? 'An' : 'A';
    throw new RagFlowError(ErrorCode.Argument, `${article} ${rules.kind} model name is required, e.g. "${rules.example}"`);
  }
  const trimmed = name.trim();
  const at = trimmed.lastIndexOf('@');
  const model = (at < 0 ? trimmed : trimmed.slice(0, at)).trim();
  const providerName = (at < 0 ? defaultProvider : trimmed.slice(at + 1)).trim();
  if (model === '' || providerName === '') {
    throw new RagFlowError(
      ErrorCode.Argument,
      `Malformed ${rules.kind} model name "${trimmed}": expected model@provider, e.g. "${rules.malformedExample}"`,
    );
  }
  // Provider names match case-insensitively.
  const provider = PROVIDERS.find((p) => p.toLowerCase() === providerName.toLowerCase());
  if (!provider) {
    throw new RagFlowError(
      ErrorCode.Data,
      `Unsupported ${rules.kind} model provider "${providerName}" in "${model}@${providerName}"; use Builtin, Ollama or OpenAI`,
    );
  }
  return { model, provider, id: `${model}@${provider}` };
}
