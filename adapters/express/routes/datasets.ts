import type { DeleteDatasetsInput } from '../../../src/services/datasets.js';
import type { CreateDatasetInput } from '../../../src/services/datasets.js';
import { badRequest } from '../errors.js';
import { route, Listed, type Route } from '../http.js';
import { checkCounts, datasetInput, listInput } from '../inputs.js';
import * as s from '../schemas.js';
import { wireDataset } from '../wire.js';

const tag = 'Datasets';

export const datasetRoutes: Route[] = [
  route({
    method: 'post',
    path: '/dataset',
    tag,
    summary: 'Create a dataset (a duplicate name becomes name(1), name(2), ...)',
    body: s.datasetBody,
    async handler({ rag, body }) {
      checkCounts(body, { chunkCount: 0, documentCount: 0, tokenCount: 0 });
      const input = datasetInput(body);
      if (input.name === undefined) throw badRequest('`name` (or `dataset_name`) is required');
      return wireDataset(await rag.datasets.create(input as CreateDatasetInput));
    },
  }),
  route({
    method: 'get',
    path: '/dataset',
    tag,
    summary: 'List datasets (name, id, page, page_size, orderby, desc)',
    query: s.listQuery,
    async handler({ rag, query }) {
      const page = await rag.datasets.list(listInput(query));
      return new Listed(page.items.map(wireDataset), page.total);
    },
  }),
  route({
    method: 'put',
    path: '/dataset/:dataset_id',
    tag,
    summary: 'Update a dataset',
    body: s.datasetBody,
    async handler({ rag, body, param }) {
      const id = param('dataset_id');
      const current = await rag.datasets.get(id);
      checkCounts(body, current);
      return wireDataset(await rag.datasets.update(id, datasetInput(body)));
    },
  }),
  route({
    method: 'delete',
    path: '/dataset',
    tag,
    summary: 'Delete datasets by `ids` or `names` (all or nothing)',
    body: s.deleteDatasets,
    async handler({ rag, body }) {
      const input = (body.names !== undefined && body.ids === undefined
        ? { names: body.names }
        : body.names !== undefined
          ? { ids: body.ids, names: body.names }
          : { ids: body.ids }) as DeleteDatasetsInput;
      await rag.datasets.delete(input);
      return true;
    },
  }),
  route({
    method: 'delete',
    path: '/dataset/:dataset_id',
    tag,
    summary: 'Delete one dataset with its documents and chunks',
    async handler({ rag, param }) {
      await rag.datasets.delete({ ids: [param('dataset_id')] });
      return true;
    },
  }),
];
