import type { ChatAssistant, ChatReference, ChatSession, Page, SessionMessage } from '../../types.js';
import type { NamedQuery } from '../types.js';
import { listNamed, placeholders, type Sql } from './sql.js';

type Write = <T>(fn: () => T) => T;

interface ChatRow {
  id: string;
  tenant_id: string;
  name: string;
  config: string;
  create_time: number;
  update_time: number;
}

interface SessionRow {
  id: string;
  tenant_id: string;
  chat_id: string;
  name: string;
  create_time: number;
  update_time: number;
}

interface MessageRow {
  id: string;
  session_id: string;
  role: SessionMessage['role'];
  content: string;
  reference: string | null;
  create_time: number;
}

/** What of a chat is stored as its JSON config: all but the columns. */
type ChatConfig = Omit<ChatAssistant, 'id' | 'tenantId' | 'name' | 'createTime' | 'updateTime'>;

const toChat = (row: ChatRow): ChatAssistant => ({
  id: row.id,
  tenantId: row.tenant_id,
  name: row.name,
  ...(JSON.parse(row.config) as ChatConfig),
  createTime: row.create_time,
  updateTime: row.update_time,
});

const configOf = ({ id: _id, tenantId: _t, name: _n, createTime: _c, updateTime: _u, ...config }: ChatAssistant): string =>
  JSON.stringify(config);

const toMessage = (row: MessageRow): SessionMessage => ({
  id: row.id,
  role: row.role,
  content: row.content,
  ...(row.reference !== null && { reference: JSON.parse(row.reference) as ChatReference }),
  createTime: row.create_time,
});

const toSession = (row: SessionRow, messages: SessionMessage[]): ChatSession => ({
  id: row.id,
  tenantId: row.tenant_id,
  chatId: row.chat_id,
  name: row.name,
  messages,
  createTime: row.create_time,
  updateTime: row.update_time,
});

/** Chats, sessions and messages: the SQLite side of the chat part of the Store interface. */
export class ChatTables {
  constructor(
    private readonly sql: Sql,
    private readonly write: Write,
  ) {}

  insertChat(chat: ChatAssistant): void {
    this.sql(`insert into chats (id, tenant_id, name, config, create_time, update_time) values (?, ?, ?, ?, ?, ?)`).run(
      chat.id,
      chat.tenantId,
      chat.name,
      configOf(chat),
      chat.createTime,
      chat.updateTime,
    );
  }

  getChat(tenantId: string, id: string): ChatAssistant | undefined {
    const row = this.sql(`select * from chats where id = ? and tenant_id = ?`).get(id, tenantId) as ChatRow | undefined;
    return row && toChat(row);
  }

  chatNames(tenantId: string): Set<string> {
    const rows = this.sql(`select lower(name) as name from chats where tenant_id = ?`).all(tenantId) as { name: string }[];
    return new Set(rows.map((r) => r.name));
  }

  listChats(tenantId: string, q: NamedQuery): Page<ChatAssistant> {
    const { rows, total } = listNamed<ChatRow>(this.sql, 'chats', 'tenant_id', tenantId, q);
    return { items: rows.map(toChat), total };
  }

  updateChat(chat: ChatAssistant): void {
    this.sql(`update chats set name = ?, config = ?, update_time = ? where id = ? and tenant_id = ?`).run(
      chat.name,
      configOf(chat),
      chat.updateTime,
      chat.id,
      chat.tenantId,
    );
  }

  deleteChats(tenantId: string, ids: readonly string[]): void {
    this.write(() => {
      for (const id of ids) this.sql(`delete from chats where id = ? and tenant_id = ?`).run(id, tenantId);
    });
  }

  insertSession(session: ChatSession): void {
    this.write(() => {
      this.sql(
        `insert into sessions (id, tenant_id, chat_id, name, create_time, update_time) values (?, ?, ?, ?, ?, ?)`,
      ).run(session.id, session.tenantId, session.chatId, session.name, session.createTime, session.updateTime);
      this.insertMessages(session.id, session.messages);
    });
  }

  getSession(tenantId: string, chatId: string, id: string): ChatSession | undefined {
    const row = this.sql(`select * from sessions where id = ? and chat_id = ? and tenant_id = ?`).get(id, chatId, tenantId) as
      | SessionRow
      | undefined;
    return row && toSession(row, this.messagesOf([row.id]).get(row.id) ?? []);
  }

  listSessions(chatId: string, q: NamedQuery): Page<ChatSession> {
    const { rows, total } = listNamed<SessionRow>(this.sql, 'sessions', 'chat_id', chatId, q);
    const messages = this.messagesOf(rows.map((row) => row.id));
    return { items: rows.map((row) => toSession(row, messages.get(row.id) ?? [])), total };
  }

  renameSession(sessionId: string, name: string, updateTime: number): void {
    this.sql(`update sessions set name = ?, update_time = ? where id = ?`).run(name, updateTime, sessionId);
  }

  deleteSessions(chatId: string, ids: readonly string[]): void {
    if (ids.length === 0) return;
    this.sql(`delete from sessions where chat_id = ? and id in (${placeholders(ids.length)})`).run(chatId, ...ids);
  }

  appendMessages(
    tenantId: string,
    chatId: string,
    sessionId: string,
    messages: readonly SessionMessage[],
    updateTime: number,
  ): boolean {
    return this.write(() => {
      const touched = this.sql(`update sessions set update_time = ? where id = ? and chat_id = ? and tenant_id = ?`).run(
        updateTime,
        sessionId,
        chatId,
        tenantId,
      );
      if (touched.changes === 0) return false;
      this.insertMessages(sessionId, messages);
      return true;
    });
  }

  private insertMessages(sessionId: string, messages: readonly SessionMessage[]): void {
    const insert = this.sql(
      `insert into messages (id, session_id, role, content, reference, create_time) values (?, ?, ?, ?, ?, ?)`,
    );
    for (const m of messages) {
      insert.run(m.id, sessionId, m.role, m.content, m.reference ? JSON.stringify(m.reference) : null, m.createTime);
    }
  }

  /** The messages of these sessions, each session's in order: one query for a whole page of sessions. */
  private messagesOf(sessionIds: readonly string[]): Map<string, SessionMessage[]> {
    const out = new Map<string, SessionMessage[]>();
    if (sessionIds.length === 0) return out;
    // The ids go in as one JSON array: a page (up to 1,024) may hold more than one statement's parameters.
    const rows = this.sql(
      `select * from messages where session_id in (select value from json_each(?)) order by seq`,
    ).all(JSON.stringify(sessionIds)) as MessageRow[];
    for (const row of rows) {
      const list = out.get(row.session_id);
      if (list) list.push(toMessage(row));
      else out.set(row.session_id, [toMessage(row)]);
    }
    return out;
  }
}
