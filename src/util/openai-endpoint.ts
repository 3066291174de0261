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
