import { once } from 'node:events';
import type { Response } from 'express';
import type { AskEvent, AskResult } from '../../src/chat/completion.js';
import { wireReference } from './wire.js';

/**
 * Server-sent events as RAGFlow sends them: `data:` + JSON + blank line per event, cumulative
 * answers, then the cited final answer, then `data:{"code":0,"data":true}`.
 */

export function wireAnswer(result: AskResult) {
  return { answer: result.answer, reference: wireReference(result.reference), id: result.id, session_id: result.sessionId };
}

export function wireEvent(event: AskEvent) {
  switch (event.type) {
    case 'answer':
      return { code: 0, data: { answer: event.answer, reference: {}, id: event.id, session_id: event.sessionId } };
    case 'final':
      return { code: 0, data: wireAnswer(event) };
    case 'error':
      return errorEvent(event.message);
  }
}

const errorEvent = (message: string) => ({
  code: 500,
  message,
  data: { answer: `**ERROR**: ${message}`, reference: [] },
});

const isAbortError = (error: unknown): boolean =>
  error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');

export const DONE_EVENT = { code: 0, data: true } as const;

function openStream(res: Response): void {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no');
  res.socket?.setNoDelay(true);
  res.flushHeaders();
}

async function send(res: Response, payload: unknown, signal: AbortSignal): Promise<void> {
  if (res.destroyed || res.writableEnded) return;
  if (!res.write(`data:${JSON.stringify(payload)}\n\n`)) await once(res, 'drain', { signal });
}

/**
 * Streams an answer. The first event is awaited before any header is sent, so a request the
 * facade refuses (unknown chat or session, empty question) still gets a JSON envelope.
 * `signal` follows the client: when it goes away the iteration stops and the model call is aborted.
 */
export async function streamAnswer(res: Response, events: AsyncIterable<AskEvent>, signal: AbortSignal): Promise<void> {
  const iterator = events[Symbol.asyncIterator]();
  let next: IteratorResult<AskEvent>;
  try {
    next = await iterator.next();
  } catch (error) {
    if (signal.aborted) return;
    throw error;
  }
  openStream(res);
  try {
    while (!next.done) {
      await send(res, wireEvent(next.value), signal);
      if (signal.aborted) break;
      next = await iterator.next();
    }
    if (!signal.aborted) await send(res, DONE_EVENT, signal);
  } catch (error) {
    if (!signal.aborted && !isAbortError(error)) {
      await send(res, errorEvent(error instanceof Error ? error.message : String(error)), signal).catch(() => undefined);
      await send(res, DONE_EVENT, signal).catch(() => undefined);
    }
  } finally {
    // Stops the model call when the loop ended early (client gone, write failed).
    await iterator.return?.().catch(() => undefined);
    if (!res.writableEnded) res.end();
  }
}
