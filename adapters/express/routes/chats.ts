import type { RagFlow } from '../../../src/ragflow.js';
import type { CreateChatInput } from '../../../src/services/chats.js';
import type { ChatAssistant } from '../../../src/types.js';
import { badRequest } from '../errors.js';
import { route, Listed, type Route } from '../http.js';
import { chatInput, listInput } from '../inputs.js';
import * as s from '../schemas.js';
import { wireChat } from '../wire.js';
import type { z } from 'zod';

const tag = 'Chats';

/** `knowledgebases` carries dataset names: looked up once per reply (a deleted dataset has none). */
async function wireChats(rag: RagFlow, chats: readonly ChatAssistant[]) {
  const names = new Map<string, string>();
  for (const id of new Set(chats.flatMap((c) => c.datasetIds))) {
    const dataset = await rag.datasets.get(id).catch(() => undefined);
    if (dataset) names.set(id, dataset.name);
  }
  return chats.map((chat) => wireChat(chat, names));
}

const wireOne = async (rag: RagFlow, chat: ChatAssistant) => (await wireChats(rag, [chat]))[0];

async function update(rag: RagFlow, id: string | undefined, body: z.output<typeof s.chatBody>) {
  if (id === undefined) throw badRequest('`id` of the chat is required');
  return wireOne(rag, await rag.chats.update(id, chatInput(body)));
}

export const chatRoutes: Route[] = [
  route({
    method: 'post',
    path: '/chat',
    tag,
    summary: 'Create a chat assistant over datasets (`dataset_ids` or `knowledgebases: [{id}]`)',
    body: s.chatBody,
    async handler({ rag, body }) {
      const input = chatInput(body);
      if (input.name === undefined) throw badRequest('`name` is required');
      return wireOne(rag, await rag.chats.create(input as CreateChatInput));
    },
  }),
  route({
    method: 'put',
    path: '/chat',
    tag,
    summary: 'Update a chat (`id` in the body)',
    body: s.chatBody,
    handler: async ({ rag, body }) => update(rag, body.id, body),
  }),
  route({
    method: 'put',
    path: '/chat/:chat_id',
    tag,
    summary: 'Update a chat',
    body: s.chatBody,
    handler: async ({ rag, body, param }) => update(rag, param('chat_id'), body),
  }),
  route({
    method: 'delete',
    path: '/chat/:chat_id',
    tag,
    summary: 'Delete a chat with its sessions',
    async handler({ rag, param }) {
      await rag.chats.delete([param('chat_id')]);
      return true;
    },
  }),
  route({
    method: 'delete',
    path: '/chat',
    tag,
    summary: 'Delete chats by `ids` (all or nothing)',
    body: s.deleteByIds,
    async handler({ rag, body }) {
      await rag.chats.delete(body.ids ?? []);
      return true;
    },
  }),
  route({
    method: 'get',
    path: '/chat',
    tag,
    summary: 'List chats (name, id, page, page_size, orderby, desc)',
    query: s.listQuery,
    async handler({ rag, query }) {
      const page = await rag.chats.list(listInput(query));
      return new Listed(await wireChats(rag, page.items), page.total);
    },
  }),
];
