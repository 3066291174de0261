import { ErrorCode, RagFlowError } from '../errors.js';

/**
 * Passes an NDJSON byte stream through unchanged, but fails it on the first line that is not JSON.
 * The ollama package skips such lines with a console warning, which would silently drop text from
 * an answer; failing the stream turns that into an error the user sees.
 */
export function ndjsonGuard(source: string): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  let pending = '';
  const check = (line: string): void => {
    if (line.trim() === '') return;
    try {
      JSON.parse(line);
    } catch {
      throw new RagFlowError(
        ErrorCode.Exception,
        `${source} sent a malformed stream line (not JSON): ${line.trim().slice(0, 120)}`,
      );
    }
  };
  return new TransformStream({
    transform(chunk, controller) {
      pending += decoder.decode(chunk, { stream: true });
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      lines.forEach(check);
      controller.enqueue(chunk);
    },
    flush() {
      check(pending + decoder.decode());
    },
  });
}
