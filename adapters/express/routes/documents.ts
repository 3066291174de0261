import { route, HANDLED, type Route } from '../http.js';
import { alias, checkCounts, documentInput, compact } from '../inputs.js';
import type { ListDocumentsQuery } from '../../../src/services/documents.js';
import type { RunStatus } from '../../../src/types.js';
import * as s from '../schemas.js';
import { receiveUploads, type UploadLimits } from '../uploads.js';
import { RUN_DIGITS, wireDocument } from '../wire.js';

const tag = 'Documents';

/** `run` filter: the wire digits "0".."4" or the library's names. */
const RUN_BY_DIGIT = new Map(Object.entries(RUN_DIGITS).map(([name, digit]) => [digit, name as RunStatus]));
const runFilter = (run: string | undefined): RunStatus | undefined =>
  run === undefined ? undefined : (RUN_BY_DIGIT.get(run) ?? (run.toUpperCase() as RunStatus));

export function documentRoutes(limits: UploadLimits): Route[] {
  return [
    route({
      method: 'post',
      path: '/dataset/:dataset_id/document',
      tag,
      summary: 'Upload files (multipart, field `file`, repeatable); nothing is parsed until asked',
      multipart: true,
      async handler({ rag, param, req, res, signal }) {
        const datasetId = param('dataset_id');
        // Unknown or foreign dataset: refused before a byte of the upload is stored.
        await rag.datasets.get(datasetId);
        const documents = await receiveUploads(req, res, limits, signal, (files) => rag.documents.upload(datasetId, files));
        return documents.map(wireDocument);
      },
    }),
    route({
      method: 'get',
      path: '/dataset/:dataset_id/document/:document_id',
      tag,
      summary: 'Download the original file',
      produces: 'download',
      async handler({ rag, param, res }) {
        const file = await rag.documents.download(param('dataset_id'), param('document_id'));
        res.attachment(file.name);
        res.type('application/octet-stream');
        res.setHeader('Content-Length', String(file.data.byteLength));
        res.end(file.data);
        return HANDLED;
      },
    }),
    route({
      method: 'get',
      path: '/dataset/:dataset_id/info',
      tag,
      summary: 'List documents (keywords, name, id, run, page, page_size, orderby, desc)',
      query: s.documentListQuery,
      async handler({ rag, param, query }) {
        const page = await rag.documents.list(
          param('dataset_id'),
          compact<ListDocumentsQuery>({
            keywords: query.keywords,
            name: query.name,
            id: query.id,
            run: runFilter(query.run),
            page: query.page,
            pageSize: query.page_size,
            orderBy: query.orderby as ListDocumentsQuery['orderBy'],
            desc: query.desc,
          }),
        );
        return { docs: page.items.map(wireDocument), total: page.total };
      },
    }),
    route({
      method: 'put',
      path: '/dataset/:dataset_id/info/:document_id',
      tag,
      summary: 'Rename a document, change its chunk method or parser config, enable or disable it',
      body: s.documentBody,
      async handler({ rag, param, body }) {
        const datasetId = param('dataset_id');
        const id = param('document_id');
        checkCounts(body, await rag.documents.get(datasetId, id));
        return wireDocument(await rag.documents.update(datasetId, id, documentInput(body)));
      },
    }),
    route({
      method: 'delete',
      path: '/dataset/:dataset_id/document/:document_id',
      tag,
      summary: 'Delete a document with its file and chunks',
      async handler({ rag, param }) {
        await rag.documents.delete(param('dataset_id'), [param('document_id')]);
        return true;
      },
    }),
    route({
      method: 'delete',
      path: '/dataset/:dataset_id/document',
      tag,
      summary: 'Delete documents by `ids` (all or nothing)',
      body: s.deleteDocuments,
      async handler({ rag, param, body }) {
        const ids = alias<string[]>(body, ['ids', 'document_ids']) ?? [];
        await rag.documents.delete(param('dataset_id'), ids);
        return true;
      },
    }),
    route({
      method: 'post',
      path: '/dataset/:dataset_id/chunk',
      tag: 'Parsing',
      summary: 'Start parsing documents (`documents` or `document_ids`) in the background',
      body: s.parseBody,
      async handler({ rag, param, body }) {
        const ids = alias<string[]>(body, ['documents', 'document_ids']) ?? [];
        return (await rag.documents.parse(param('dataset_id'), ids)).map(wireDocument);
      },
    }),
    route({
      method: 'delete',
      path: '/dataset/:dataset_id/chunk',
      tag: 'Parsing',
      summary: 'Stop parsing documents (run becomes "2")',
      body: s.parseBody,
      async handler({ rag, param, body }) {
        const ids = alias<string[]>(body, ['documents', 'document_ids']) ?? [];
        return (await rag.documents.stopParsing(param('dataset_id'), ids)).map(wireDocument);
      },
    }),
  ];
}
