import { badRequest } from '../errors.js';
import { route, type Route } from '../http.js';
import { retrievalInput } from '../inputs.js';
import * as s from '../schemas.js';
import { wireRetrieval } from '../wire.js';

const tag = 'Retrieval';

const inDataset = (method: 'get' | 'post'): Route =>
  route({
    method,
    path: '/dataset/:dataset_id/retrieval',
    tag,
    summary: 'Hybrid retrieval in one dataset (`query_text` or `question`, from the query string or a JSON body)',
    body: s.datasetRetrieval,
    bodyFromQuery: true,
    async handler({ rag, param, body, signal }) {
      return wireRetrieval(await rag.retrieve(retrievalInput(body, [param('dataset_id')], signal)));
    },
  });

export const retrievalRoutes: Route[] = [
  inDataset('get'),
  inDataset('post'),
  route({
    method: 'post',
    path: '/retrieval',
    tag,
    summary: 'Hybrid retrieval across `dataset_ids`',
    body: s.retrieval,
    bodyFromQuery: true,
    async handler({ rag, body, signal }) {
      if (!body.dataset_ids || body.dataset_ids.length === 0) throw badRequest('`dataset_ids` is required');
      return wireRetrieval(await rag.retrieve(retrievalInput(body, body.dataset_ids, signal)));
    },
  }),
];
