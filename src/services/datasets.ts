import type { EngineContext } from '../context.js';
import { argumentError, dataError, notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { ChunkMethod, Dataset, Language, Page, ParserConfig, Permission } from '../types.js';
import { namedQuery, optionalEnum, optionalNumber, requireString, stringList, type ListQuery } from '../validation.js';

export const CHUNK_METHODS: readonly ChunkMethod[] = [
  'naive',
  'manual',
  'qa',
  'table',
  'paper',
  'book',
  'laws',
  'presentation',
  'picture',
  'one',
  'email',
  'knowledge_graph',
];

export const DEFAULT_PARSER_CONFIG: ParserConfig = {
  chunkTokenNum: 128,
  delimiter: '\n!?;。；！？',
  layoutRecognize: true,
  filenameEmbdWeight: 0.1,
};

const NAME_MAX = 65_535;

export interface CreateDatasetInput {
  name: string;
  description?: string;
  avatar?: string;
  language?: Language;
  permission?: Permission;
  chunkMethod?: ChunkMethod;
  parserConfig?: Partial<ParserConfig>;
  /** `model@provider`; defaults to the engine's default embedding model. */
  embeddingModel?: string;
  similarityThreshold?: number;
  vectorSimilarityWeight?: number;
}

export type UpdateDatasetInput = Partial<CreateDatasetInput>;

export type ListDatasetsQuery = ListQuery;

export type DeleteDatasetsInput = { ids: string[]; names?: undefined } | { names: string[]; ids?: undefined };

/** Validates a partial parser config and merges it over a base (RAGFlow HEAD deep-merges too). */
export function mergeParserConfig(base: ParserConfig, patch: unknown): ParserConfig {
  if (patch === undefined || patch === null) return base;
  if (typeof patch !== 'object' || Array.isArray(patch)) throw argumentError('`parser_config` must be an object');
  const p = patch as Partial<Record<keyof ParserConfig, unknown>>;
  return {
    chunkTokenNum: optionalNumber('parser_config.chunk_token_num', p.chunkTokenNum, base.chunkTokenNum, {
      integer: true,
      min: 1,
      max: 8192,
    }),
    delimiter:
      p.delimiter === undefined ? base.delimiter : requireString('parser_config.delimiter', p.delimiter, { trim: false }),
    layoutRecognize: p.layoutRecognize === undefined ? base.layoutRecognize : Boolean(p.layoutRecognize),
    filenameEmbdWeight: optionalNumber('parser_config.filename_embd_weight', p.filenameEmbdWeight, base.filenameEmbdWeight, {
      min: 0,
      max: 1,
    }),
  };
}

/** `name`, `name(1)`, `name(2)`, ... the first one free (case-insensitive), as RAGFlow renames. */
export function uniqueName(name: string, taken: ReadonlySet<string>, splitExtension = false): string {
  if (!taken.has(name.toLowerCase())) return name;
  const dot = splitExtension ? name.lastIndexOf('.') : -1;
  const stem0 = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : '';
  const numbered = /^(.*)\((\d+)\)$/.exec(stem0);
  const stem = numbered ? (numbered[1] as string) : stem0;
  let n = numbered ? Number(numbered[2]) + 1 : 1;
  while (taken.has(`${stem}(${n})${ext}`.toLowerCase())) n++;
  return `${stem}(${n})${ext}`;
}

export class DatasetService {
  constructor(private readonly ctx: EngineContext) {}

  async create(tenantId: string, input: CreateDatasetInput): Promise<Dataset> {
    if (typeof input !== 'object' || input === null) throw argumentError('dataset input must be an object');
    const name = requireString('name', input.name, { max: NAME_MAX });
    const embeddingModel = this.resolveModel(input.embeddingModel ?? this.ctx.defaultEmbeddingModel);
    const now = this.ctx.now();
    const dataset: Dataset = {
      id: newId(),
      tenantId,
      name: uniqueName(name, await this.ctx.store.datasetNames(tenantId)),
      description: input.description ?? '',
      avatar: input.avatar ?? '',
      language: optionalEnum('language', input.language, ['English', 'Chinese'], 'English'),
      permission: optionalEnum('permission', input.permission, ['me', 'team'], 'me'),
      chunkMethod: optionalEnum('chunk_method', input.chunkMethod, CHUNK_METHODS, 'naive'),
      parserConfig: mergeParserConfig(DEFAULT_PARSER_CONFIG, input.parserConfig),
      embeddingModel,
      embeddingDimension: 0,
      similarityThreshold: optionalNumber('similarity_threshold', input.similarityThreshold, 0.2, { min: 0, max: 1 }),
      vectorSimilarityWeight: optionalNumber('vector_similarity_weight', input.vectorSimilarityWeight, 0.3, {
        min: 0,
        max: 1,
      }),
      documentCount: 0,
      chunkCount: 0,
      tokenCount: 0,
      createTime: now,
      updateTime: now,
    };
    await this.ctx.store.insertDataset(dataset);
    return dataset;
  }

  async get(tenantId: string, id: string): Promise<Dataset> {
    const dataset = typeof id === 'string' ? await this.ctx.store.getDataset(tenantId, id) : undefined;
    if (!dataset) throw notFound('Dataset', String(id));
    return dataset;
  }

  async list(tenantId: string, query: ListDatasetsQuery = {}): Promise<Page<Dataset>> {
    return this.ctx.store.listDatasets(tenantId, namedQuery(query));
  }

  async update(tenantId: string, id: string, input: UpdateDatasetInput): Promise<Dataset> {
    const current = await this.get(tenantId, id);
    if (typeof input !== 'object' || input === null) throw argumentError('dataset update must be an object');
    let name: string | undefined;
    if (input.name !== undefined) {
      name = requireString('name', input.name, { max: NAME_MAX });
      if (name.toLowerCase() !== current.name.toLowerCase()) {
        const taken = await this.ctx.store.datasetNames(tenantId);
        if (taken.has(name.toLowerCase())) throw dataError(`Dataset name '${name}' already exists`);
      }
    }
    let embeddingModel: string | undefined;
    if (input.embeddingModel !== undefined) {
      embeddingModel = this.resolveModel(input.embeddingModel);
      if (embeddingModel !== current.embeddingModel && current.chunkCount > 0) {
        throw dataError("Can't change embedding model since some files already use it.");
      }
    }
    const updated = await this.ctx.store.updateDataset(tenantId, id, {
      ...(name !== undefined && { name }),
      ...(input.description !== undefined && { description: String(input.description) }),
      ...(input.avatar !== undefined && { avatar: String(input.avatar) }),
      ...(input.language !== undefined && {
        language: optionalEnum('language', input.language, ['English', 'Chinese'], current.language),
      }),
      ...(input.permission !== undefined && {
        permission: optionalEnum('permission', input.permission, ['me', 'team'], current.permission),
      }),
      ...(input.chunkMethod !== undefined && {
        chunkMethod: optionalEnum('chunk_method', input.chunkMethod, CHUNK_METHODS, current.chunkMethod),
      }),
      ...(input.parserConfig !== undefined && { parserConfig: mergeParserConfig(current.parserConfig, input.parserConfig) }),
      ...(embeddingModel !== undefined && {
        embeddingModel,
        embeddingDimension: embeddingModel === current.embeddingModel ? current.embeddingDimension : 0,
      }),
      ...(input.similarityThreshold !== undefined && {
        similarityThreshold: optionalNumber('similarity_threshold', input.similarityThreshold, 0.2, { min: 0, max: 1 }),
      }),
      ...(input.vectorSimilarityWeight !== undefined && {
        vectorSimilarityWeight: optionalNumber('vector_similarity_weight', input.vectorSimilarityWeight, 0.3, {
          min: 0,
          max: 1,
        }),
      }),
      updateTime: this.ctx.now(),
    });
    if (!updated) throw notFound('Dataset', id);
    return updated;
  }

  /** All or nothing: one unknown id or name deletes nothing. Returns the deleted datasets' ids. */
  async delete(
    tenantId: string,
    input: DeleteDatasetsInput,
    beforeDelete?: (ids: readonly string[]) => Promise<void>,
  ): Promise<string[]> {
    if (typeof input !== 'object' || input === null) throw argumentError('give `ids` or `names`');
    if (input.ids !== undefined && input.names !== undefined) throw argumentError('`ids` and `names` are exclusive');
    let ids: string[];
    if (input.names !== undefined) {
      ids = [];
      for (const name of stringList('names', input.names)) {
        const found = await this.ctx.store.listDatasets(tenantId, {
          name,
          page: 1,
          pageSize: 2,
          orderBy: 'create_time',
          desc: false,
        });
        const dataset = found.items[0];
        if (!dataset) throw notFound('Dataset', name);
        ids.push(dataset.id);
      }
    } else {
      ids = stringList('ids', input.ids);
      for (const id of ids) await this.get(tenantId, id);
    }
    await beforeDelete?.(ids);
    await this.ctx.store.deleteDatasets(tenantId, ids);
    return ids;
  }

  /** Resolving validates the name and the provider now, not at first use. */
  private resolveModel(name: unknown): string {
    return this.ctx.embeddings.resolve(requireString('embedding_model', name)).id;
  }
}
