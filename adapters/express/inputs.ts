import type { z } from 'zod';
import type { RetrieveInput } from '../../src/retrieval/retriever.js';
import type { CreateChatInput } from '../../src/services/chats.js';
import type { CreateDatasetInput } from '../../src/services/datasets.js';
import type { UpdateDocumentInput } from '../../src/services/documents.js';
import type { UpdateChunkInput } from '../../src/services/chunks.js';
import type { ListQuery } from '../../src/validation.js';
import type { ChatPromptConfig, ChunkMethod, Language, LlmSetting, ParserConfig, Permission } from '../../src/types.js';
import { badRequest } from './errors.js';
import type * as s from './schemas.js';

/**
 * Wire bodies (either naming, see API.md "Names and aliases") to the facade's camelCase inputs.
 * Values are passed on as given: the facade validates enums and ranges.
 */

/** Drops undefined members, so optional properties are absent rather than undefined. */
export function compact<T extends object>(value: { [K in keyof T]-?: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** One value under two (or more) names; different values under both is a 101. */
export function alias<T>(body: Record<string, unknown>, names: readonly string[]): T | undefined {
  let found: { name: string; value: unknown } | undefined;
  for (const name of names) {
    const value = body[name];
    if (value === undefined) continue;
    if (found && JSON.stringify(found.value) !== JSON.stringify(value)) {
      throw badRequest(`\`${found.name}\` and \`${name}\` are the same field and must not differ`);
    }
    found ??= { name, value };
  }
  return found?.value as T | undefined;
}

/** The UI's "General" is the naive chunker; everything else is passed on for the facade to check. */
const chunkMethod = (value: string | undefined): ChunkMethod | undefined =>
  value === undefined ? undefined : ((value.toLowerCase() === 'general' ? 'naive' : value) as ChunkMethod);

export function parserConfigInput(config: z.output<typeof s.parserConfig> | undefined): Partial<ParserConfig> | undefined {
  if (config === undefined) return undefined;
  return compact<Partial<ParserConfig>>({
    chunkTokenNum: alias<number>(config, ['chunk_token_num', 'chunk_token_count']),
    delimiter: config.delimiter,
    layoutRecognize: config.layout_recognize,
    filenameEmbdWeight: config.filename_embd_weight,
  });
}

/** Read-only counters may be sent back unchanged, never changed. */
export function checkCounts(
  body: { chunk_count?: number | undefined; document_count?: number | undefined; token_count?: number | undefined },
  current: { chunkCount: number; documentCount?: number; tokenCount: number },
): void {
  const pairs: [string, number | undefined, number | undefined][] = [
    ['chunk_count', body.chunk_count, current.chunkCount],
    ['document_count', body.document_count, current.documentCount],
    ['token_count', body.token_count, current.tokenCount],
  ];
  for (const [field, sent, actual] of pairs) {
    if (sent !== undefined && actual !== undefined && sent !== actual) throw badRequest(`Can't change \`${field}\`.`);
  }
}

export function datasetInput(body: z.output<typeof s.datasetBody>): Partial<CreateDatasetInput> {
  return compact<Partial<CreateDatasetInput>>({
    name: alias<string>(body, ['name', 'dataset_name']),
    description: body.description,
    avatar: body.avatar,
    language: body.language as Language | undefined,
    permission: body.permission as Permission | undefined,
    chunkMethod: chunkMethod(alias<string>(body, ['chunk_method', 'parse_method', 'parser_method'])),
    parserConfig: parserConfigInput(body.parser_config),
    embeddingModel: body.embedding_model,
    similarityThreshold: body.similarity_threshold,
    vectorSimilarityWeight: body.vector_similarity_weight,
  });
}

export function listInput(query: z.output<typeof s.listQuery>): ListQuery {
  return compact<ListQuery>({
    name: query.name,
    id: query.id,
    page: query.page,
    pageSize: query.page_size,
    orderBy: query.orderby as ListQuery['orderBy'],
    desc: query.desc,
  });
}

export function documentInput(body: z.output<typeof s.documentBody>): UpdateDocumentInput {
  return compact<UpdateDocumentInput>({
    name: alias<string>(body, ['name', 'document_name']),
    chunkMethod: chunkMethod(alias<string>(body, ['chunk_method', 'parser_method', 'parse_method'])),
    parserConfig: parserConfigInput(body.parser_config),
    enabled: alias<boolean>(body, ['enabled', 'status']),
  });
}

export function chunkUpdateInput(body: z.output<typeof s.updateChunk>): UpdateChunkInput {
  return compact<UpdateChunkInput>({
    content: body.content,
    importantKeywords: body.important_keywords,
    available: alias<boolean>(body, ['available', 'status']),
  });
}

export function retrievalInput(
  body: z.output<typeof s.retrieval>,
  datasetIds: string[],
  signal: AbortSignal,
): RetrieveInput {
  const question = alias<string>(body, ['query_text', 'question']);
  if (question === undefined) throw badRequest('`query_text` (or `question`) is required');
  return {
    datasetIds,
    question,
    signal,
    ...compact<Omit<RetrieveInput, 'datasetIds' | 'question' | 'signal'>>({
      documentIds: body.document_ids,
      page: body.page,
      pageSize: body.page_size,
      similarityThreshold: body.similarity_threshold,
      vectorSimilarityWeight: body.vector_similarity_weight,
      topK: body.top_k,
      keyword: body.keyword,
      highlight: body.highlight,
      rerankId: body.rerank_id,
    }),
  };
}

export function chatInput(body: z.output<typeof s.chatBody>): Partial<CreateChatInput> {
  const fromKnowledgebases = body.knowledgebases?.map((kb) => kb.id);
  const datasetIds = alias<string[]>({ dataset_ids: body.dataset_ids, knowledgebases: fromKnowledgebases }, [
    'dataset_ids',
    'knowledgebases',
  ]);
  const llm = body.llm ?? undefined;
  const prompt = body.prompt ?? undefined;
  return compact<Partial<CreateChatInput>>({
    name: body.name,
    description: body.description,
    avatar: body.avatar,
    language: body.language as Language | undefined,
    datasetIds,
    llm:
      llm &&
      compact<Partial<LlmSetting>>({
        modelName: llm.model_name,
        temperature: llm.temperature,
        topP: llm.top_p,
        presencePenalty: llm.presence_penalty,
        frequencyPenalty: llm.frequency_penalty,
        maxTokens: llm.max_tokens,
      }),
    prompt:
      prompt &&
      compact<Partial<ChatPromptConfig>>({
        prompt: prompt.prompt,
        opener: prompt.opener,
        emptyResponse: prompt.empty_response,
        variables: prompt.variables?.map((v) => ({ key: v.key, optional: v.optional ?? false })),
        showQuote: prompt.show_quote,
        refineMultiturn: prompt.refine_multiturn,
        keyword: prompt.keyword,
        similarityThreshold: prompt.similarity_threshold,
        keywordsSimilarityWeight: prompt.keywords_similarity_weight,
        topN: prompt.top_n,
        rerankModel: prompt.rerank_model,
      }),
    topK: body.top_k,
  });
}
