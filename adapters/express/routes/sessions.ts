import type { RagFlow } from '../../../src/ragflow.js';
import { badRequest } from '../errors.js';
import { route, Listed, HANDLED, type Context, type Route } from '../http.js';
import { compact, listInput } from '../inputs.js';
import * as s from '../schemas.js';
import { streamAnswer, wireAnswer } from '../sse.js';
import { wireSession } from '../wire.js';
import type { z } from 'zod';

const tag = 'Sessions';
const KNOWN = new Set(['question', 'stream', 'session_id', 'name', 'variables']);

/** Prompt variables: `variables: {...}`, and as RAGFlow forwards them, other string fields of the body. */
function variablesOf(body: z.output<typeof s.completionBody>): Record<string, string> {
  const extra = Object.entries(body).filter(([k, v]) => !KNOWN.has(k) && typeof v === 'string') as [string, string][];
  return { ...Object.fromEntries(extra), ...body.variables };
}

const questionOf = (body: z.output<typeof s.completionBody>): string => {
  if (body.question === undefined || body.question.trim() === '') throw badRequest('`question` is required: Please input your question.');
  return body.question;
};

async function complete(
  ctx: Context<z.output<typeof s.completionBody>, unknown>,
  rag: RagFlow,
  chatId: string,
  sessionId: string,
  question: string,
): Promise<unknown> {
  const { body, res, signal } = ctx;
  const options = { signal, variables: variablesOf(body) };
  if (body.stream ?? true) {
    await streamAnswer(res, rag.chats.ask(chatId, sessionId, question, { ...options, stream: true }), signal);
    return HANDLED;
  }
  return wireAnswer(await rag.chats.ask(chatId, sessionId, question, options));
}

export const sessionRoutes: Route[] = [
  route({
    method: 'post',
    path: '/chat/:chat_id/session',
    tag,
    summary: "Create a session; its first message is the chat's opener",
    body: s.sessionBody,
    async handler({ rag, param, body }) {
      return wireSession(await rag.sessions.create(param('chat_id'), compact({ name: body.name })));
    },
  }),
  route({
    method: 'get',
    path: '/chat/:chat_id/session',
    tag,
    summary: 'List sessions with their messages (name, id, page, page_size, orderby, desc)',
    query: s.listQuery,
    async handler({ rag, param, query }) {
      const page = await rag.sessions.list(param('chat_id'), listInput(query));
      return new Listed(page.items.map(wireSession), page.total);
    },
  }),
  route({
    method: 'put',
    path: '/chat/:chat_id/session/:session_id',
    tag,
    summary: 'Rename a session',
    body: s.sessionBody,
    async handler({ rag, param, body }) {
      if (body.name === undefined) throw badRequest('`name` is required');
      return wireSession(await rag.sessions.rename(param('chat_id'), param('session_id'), body.name));
    },
  }),
  route({
    method: 'delete',
    path: '/chat/:chat_id/session/:session_id',
    tag,
    summary: 'Delete a session',
    async handler({ rag, param }) {
      await rag.sessions.delete(param('chat_id'), [param('session_id')]);
      return true;
    },
  }),
  route({
    method: 'delete',
    path: '/chat/:chat_id/session',
    tag,
    summary: 'Delete sessions by `ids` (all or nothing)',
    body: s.deleteByIds,
    async handler({ rag, param, body }) {
      await rag.sessions.delete(param('chat_id'), body.ids ?? []);
      return true;
    },
  }),
  route({
    method: 'post',
    path: '/chat/:chat_id/session/:session_id/completion',
    tag: 'Completion',
    summary: 'Ask a question in a session (`stream` defaults to true: text/event-stream)',
    body: s.completionBody,
    produces: 'sse',
    async handler(ctx) {
      const question = questionOf(ctx.body);
      return complete(ctx, ctx.rag, ctx.param('chat_id'), ctx.param('session_id'), question);
    },
  }),
  route({
    method: 'post',
    path: '/chat/:chat_id/completion',
    tag: 'Completion',
    summary: 'Ask a question; without `session_id` a new session is created',
    body: s.completionBody,
    produces: 'sse',
    async handler(ctx) {
      const { rag, body, param } = ctx;
      const question = questionOf(body);
      const chatId = param('chat_id');
      const sessionId =
        body.session_id ?? (await rag.sessions.create(chatId, compact({ name: body.name }))).id;
      return complete(ctx, rag, chatId, sessionId, question);
    },
  }),
];
