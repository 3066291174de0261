import { describe, expect, it } from 'vitest';
import { sseData } from '../../src/llm/sse.js';

const streamOf = (...parts: string[]): ReadableStream<Uint8Array> => {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(encoder.encode(part));
      controller.close();
    },
  });
};

const read = async (...parts: string[]): Promise<string[]> => {
  const out: string[] = [];
  for await (const data of sseData(streamOf(...parts))) out.push(data);
  return out;
};

describe('sseData', () => {
  it('yields the data of each event and skips comments and other fields', async () => {
    expect(await read(': ping\n\nevent: message\nid: 1\ndata: {"a":1}\n\ndata:{"b":2}\nretry: 5\n\n')).toEqual([
      '{"a":1}',
      '{"b":2}',
    ]);
  });

  it('handles CRLF and CR line ends, also when CRLF is split across reads', async () => {
    expect(await read('data: one\r', '\n\r', '\ndata: two\r\rdata: three\r\n\r\n')).toEqual(['one', 'two', 'three']);
  });

  it('joins multi-line data and reassembles events and UTF-8 split across reads', async () => {
    const bytes = new TextEncoder().encode('data: 知识\n\n');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('data: first\ndata: sec'));
        controller.enqueue(new TextEncoder().encode('ond\n\n'));
        controller.enqueue(bytes.slice(0, 8));
        controller.enqueue(bytes.slice(8));
        controller.close();
      },
    });
    const out: string[] = [];
    for await (const data of sseData(stream)) out.push(data);
    expect(out).toEqual(['first\nsecond', '知识']);
  });

  it('keeps the last event when the stream ends without a blank line', async () => {
    expect(await read('data: [DONE]')).toEqual(['[DONE]']);
  });
});
