/**
 * Server-sent events as used by OpenAI-style streaming: yields the `data` of each event. Lines may
 * end in LF, CRLF or CR; comment lines (`: keep-alive`) and other fields (event, id, retry) carry
 * no text and are skipped, but still count as activity for the idle timeout via `onActivity`.
 */
export async function* sseData(body: ReadableStream<Uint8Array>, onActivity?: () => void): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  const lines = function* (final: boolean): Generator<string> {
    for (;;) {
      const end = buffer.search(/[\r\n]/);
      if (end < 0) break;
      // A CR at the very end may be the first half of a CRLF split across reads.
      if (buffer[end] === '\r' && end === buffer.length - 1 && !final) break;
      const line = buffer.slice(0, end);
      buffer = buffer.slice(buffer.startsWith('\r\n', end) ? end + 2 : end + 1);
      yield line;
    }
    if (final && buffer !== '') {
      yield buffer;
      buffer = '';
    }
  };
  const dispatch = function* (line: string): Generator<string> {
    if (line === '') {
      if (data.length > 0) yield data.join('\n');
      data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    if (field !== 'data') return;
    const value = colon < 0 ? '' : line.slice(colon + 1);
    data.push(value.startsWith(' ') ? value.slice(1) : value);
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      onActivity?.();
      buffer += decoder.decode(value, { stream: true });
      for (const line of lines(false)) yield* dispatch(line);
    }
    buffer += decoder.decode();
    for (const line of lines(true)) yield* dispatch(line);
    // Servers that close right after the last event without its blank line still meant it.
    yield* dispatch('');
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
