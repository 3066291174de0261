/**
 * The message an HTTP error body carries: OpenAI-style `{error: {message}}`, Ollama-style
 * `{error: "..."}`, else the start of the body, so a user sees the server's own explanation.
 */
export function errorDetail(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } | string };
    const message = typeof parsed.error === 'string' ? parsed.error : parsed.error?.message;
    if (typeof message === 'string') return message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.trim().slice(0, 200);
}
