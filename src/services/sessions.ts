import type { EngineContext } from '../context.js';
import { argumentError, notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { ChatSession, Page, SessionMessage } from '../types.js';
import { namedQuery, requireString, stringList, type ListQuery } from '../validation.js';
import type { ChatService } from './chats.js';

const NAME_MAX = 255;

export type ListSessionsQuery = ListQuery;

export class SessionService {
  constructor(
    private readonly ctx: EngineContext,
    private readonly chats: ChatService,
  ) {}

  /** A new session opens with the chat's opener as its first (assistant) message. */
  async create(tenantId: string, chatId: string, input: { name?: string } = {}): Promise<ChatSession> {
    const chat = await this.chats.get(tenantId, chatId);
    if (typeof input !== 'object' || input === null) throw argumentError('session input must be an object');
    const name = input.name === undefined ? 'New session' : requireString('name', input.name, { max: NAME_MAX });
    const now = this.ctx.now();
    const session: ChatSession = {
      id: newId(),
      tenantId,
      chatId: chat.id,
      name,
      messages: chat.prompt.opener
        ? [{ id: newId(), role: 'assistant', content: chat.prompt.opener, createTime: now }]
        : [],
      createTime: now,
      updateTime: now,
    };
    await this.ctx.store.insertSession(session);
    return session;
  }

  async get(tenantId: string, chatId: string, sessionId: string): Promise<ChatSession> {
    await this.chats.get(tenantId, chatId);
    const session =
      typeof sessionId === 'string' ? await this.ctx.store.getSession(tenantId, chatId, sessionId) : undefined;
    if (!session) throw notFound('Session', String(sessionId));
    return session;
  }

  async list(tenantId: string, chatId: string, query: ListSessionsQuery = {}): Promise<Page<ChatSession>> {
    const chat = await this.chats.get(tenantId, chatId);
    return this.ctx.store.listSessions(chat.id, namedQuery(query));
  }

  async rename(tenantId: string, chatId: string, sessionId: string, name: string): Promise<ChatSession> {
    const session = await this.get(tenantId, chatId, sessionId);
    await this.ctx.store.renameSession(session.id, requireString('name', name, { max: NAME_MAX }), this.ctx.now());
    return this.get(tenantId, chatId, sessionId);
  }

  /** All or nothing: an unknown id deletes nothing. */
  async delete(tenantId: string, chatId: string, ids: readonly string[]): Promise<void> {
    const list = stringList('ids', ids);
    for (const id of list) await this.get(tenantId, chatId, id);
    await this.ctx.store.deleteSessions(chatId, list);
  }

  /** Called on every question and answer: checks the session without loading its history. */
  async appendMessages(
    tenantId: string,
    chatId: string,
    sessionId: string,
    messages: readonly SessionMessage[],
  ): Promise<void> {
    if (await this.ctx.store.appendMessages(tenantId, chatId, sessionId, messages, this.ctx.now())) return;
    await this.chats.get(tenantId, chatId);
    throw notFound('Session', String(sessionId));
  }

}
