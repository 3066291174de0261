import { errorDetail } from '../util/error-detail.js';
import { openAIHeaders, requireOpenAIKey } from '../util/openai-endpoint.js';
import { StatusFailure } from '../util/retry.js';
import type { RequestWatch } from './request-watch.js';

/** Where a chat-completions request goes, as the chat and vision models both hold it. */
export interface ChatCompletionsTarget {
  id: string;
  baseURL: string;
  apiKey: string | undefined;
  headers: Record<string, string> | undefined;
}

/**
 * One attempt at POST /chat/completions under `watch`: resolves once a 2xx status has arrived, with
 * the body still unread; any other status becomes a StatusFailure, which withRetries understands.
 */
export async function postChatCompletions(
  target: ChatCompletionsTarget,
  body: string,
  accept: string,
  watch: RequestWatch,
): Promise<Response> {
  requireOpenAIKey(target.id, target.baseURL, target.apiKey);
  const headers = openAIHeaders(target.apiKey, accept, target.headers);
  watch.touch();
  const response = await fetch(`${target.baseURL}/chat/completions`, { method: 'POST', headers, body, signal: watch.signal });
  watch.touch();
  if (response.ok) {
    watch.markAnswered();
    return response;
  }
  const detail = errorDetail(await response.text());
  throw new StatusFailure(response.status, detail, response.headers.get('retry-after'));
}
