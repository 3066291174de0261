import { ErrorCode, RagFlowError } from '../errors.js';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/**
 * Where an OpenAI-compatible provider is and its key: the settings first, then OPENAI_BASE_URL /
 * OPENAI_API_KEY, so embeddings, chat and vision share one configuration. An empty environment
 * variable means unset, as shells and .env files commonly leave them.
 */
export function openAIEndpoint(settings: { baseURL?: string; apiKey?: string }): { baseURL: string; apiKey: string | undefined } {
  return {
    baseURL: (settings.baseURL || process.env['OPENAI_BASE_URL'] || OPENAI_DEFAULT_BASE_URL).replace(/\/+$/, ''),
    apiKey: settings.apiKey || process.env['OPENAI_API_KEY'] || undefined,
  };
}

/**
 * Refuses before anything is sent when OpenAI's own API would get no key; a compatible server
 * elsewhere (vLLM, llama.cpp) may need none, so only the default base URL is checked.
 */
export function requireOpenAIKey(id: string, baseURL: string, apiKey: string | undefined): void {
  if (apiKey || baseURL !== OPENAI_DEFAULT_BASE_URL) return;
  throw new RagFlowError(
    ErrorCode.Data,
    `${id} needs an API key: set providers.openai.apiKey in RagFlow.open() or the OPENAI_API_KEY environment variable`,
  );
}

/** A JSON POST's headers: the bearer key when there is one, then the configured headers, which win. */
export function openAIHeaders(
  apiKey: string | undefined,
  accept: string,
  extra: Record<string, string> | undefined,
): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept };
  if (apiKey) headers['authorization'] = `Bearer ${apiKey}`;
  return Object.assign(headers, extra);
}
