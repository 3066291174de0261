import type { ListChunksQuery } from '../../../src/services/chunks.js';
import { badRequest } from '../errors.js';
import { route, type Context, type Route } from '../http.js';
import { alias, chunkUpdateInput, compact } from '../inputs.js';
import * as s from '../schemas.js';
import { wireChunk, wireDocument } from '../wire.js';
import type { z } from 'zod';

const tag = 'Chunks';
const CHUNKS = '/dataset/:dataset_id/document/:document_id/chunk';

async function updateChunk(
  { rag, param, body }: Context<z.output<typeof s.updateChunk>, unknown>,
  chunkId: string | undefined,
): Promise<unknown> {
  const id = chunkId ?? body.chunk_id;
  if (id === undefined) throw badRequest('`chunk_id` is required');
  return wireChunk(await rag.chunks.update(param('dataset_id'), param('document_id'), id, chunkUpdateInput(body)));
}

export const chunkRoutes: Route[] = [
  route({
    method: 'get',
    path: CHUNKS,
    tag,
    summary: "List a document's chunks (keywords, page, page_size, id)",
    query: s.chunkListQuery,
    async handler({ rag, param, query }) {
      const list = await rag.chunks.list(
        param('dataset_id'),
        param('document_id'),
        compact<ListChunksQuery>({ keywords: query.keywords, page: query.page, pageSize: query.page_size, id: query.id }),
      );
      return { chunks: list.chunks.map(wireChunk), doc: wireDocument(list.doc), total: list.total };
    },
  }),
  route({
    method: 'post',
    path: CHUNKS,
    tag,
    summary: 'Add chunks (`content`: a string or a list), embedded and searchable at once',
    body: s.addChunks,
    async handler({ rag, param, body }) {
      const chunks = await rag.chunks.add(
        param('dataset_id'),
        param('document_id'),
        compact({ content: body.content, importantKeywords: body.important_keywords }),
      );
      const wired = chunks.map(wireChunk);
      return { chunks: wired, chunk: wired[0] };
    },
  }),
  route({
    method: 'put',
    path: CHUNKS,
    tag,
    summary: 'Update a chunk (`chunk_id` in the body)',
    body: s.updateChunk,
    handler: (ctx) => updateChunk(ctx, undefined),
  }),
  route({
    method: 'put',
    path: `${CHUNKS}/:chunk_id`,
    tag,
    summary: 'Update a chunk',
    body: s.updateChunk,
    handler: (ctx) => updateChunk(ctx, ctx.param('chunk_id')),
  }),
  route({
    method: 'delete',
    path: CHUNKS,
    tag,
    summary: 'Delete chunks (`chunks` or `chunk_ids`; all or nothing)',
    body: s.deleteChunks,
    async handler({ rag, param, body }) {
      const ids = alias<string[]>(body, ['chunks', 'chunk_ids']) ?? [];
      await rag.chunks.delete(param('dataset_id'), param('document_id'), ids);
      return true;
    },
  }),
];
