import type {
  ChatAssistant,
  ChatReference,
  ChatSession,
  Chunk,
  Dataset,
  DocAgg,
  Document,
  ParserConfig,
  RetrievedChunk,
  RunStatus,
  SessionMessage,
} from '../../src/types.js';

/**
 * The one place where the library's camelCase records become RAGFlow's snake_case wire records.
 * Where the draft and RAGFlow disagree on a name, both are written (API.md "Names and aliases").
 */

/** RFC 1123, as RAGFlow's `*_date` fields: "Thu, 29 Aug 2024 03:13:07 GMT". */
export const httpDate = (ms: number): string => new Date(ms).toUTCString();

const times = (r: { createTime: number; updateTime: number }) => ({
  create_time: r.createTime,
  create_date: httpDate(r.createTime),
  update_time: r.updateTime,
  update_date: httpDate(r.updateTime),
});

export function wireParserConfig(config: ParserConfig) {
  return {
    chunk_token_num: config.chunkTokenNum,
    chunk_token_count: config.chunkTokenNum,
    delimiter: config.delimiter,
    layout_recognize: config.layoutRecognize,
    filename_embd_weight: config.filenameEmbdWeight,
  };
}

export function wireDataset(d: Dataset) {
  return {
    id: d.id,
    name: d.name,
    dataset_name: d.name,
    avatar: d.avatar,
    description: d.description,
    language: d.language,
    permission: d.permission,
    chunk_method: d.chunkMethod,
    parse_method: d.chunkMethod,
    parser_config: wireParserConfig(d.parserConfig),
    embedding_model: d.embeddingModel,
    similarity_threshold: d.similarityThreshold,
    vector_similarity_weight: d.vectorSimilarityWeight,
    document_count: d.documentCount,
    chunk_count: d.chunkCount,
    token_count: d.tokenCount,
    tenant_id: d.tenantId,
    created_by: d.tenantId,
    status: '1',
    ...times(d),
  };
}

/** RAGFlow's TaskStatus digits. */
export const RUN_DIGITS: Readonly<Record<RunStatus, string>> = {
  UNSTART: '0',
  RUNNING: '1',
  CANCEL: '2',
  DONE: '3',
  FAIL: '4',
};

/** RAGFlow's filename_type: "pdf", or "doc" for every other (textual) type accepted. */
/** RAGFlow's document type: 'pdf', 'visual' for images, 'doc' for every other readable file. */
const fileKind = (type: string): string => (type === 'pdf' ? 'pdf' : type === 'image' ? 'visual' : 'doc');

const suffixOf = (name: string): string => {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
};

export function wireDocument(d: Document) {
  return {
    id: d.id,
    name: d.name,
    location: d.name,
    knowledgebase_id: d.datasetId,
    dataset_id: d.datasetId,
    type: fileKind(d.type),
    suffix: suffixOf(d.name),
    size: d.size,
    chunk_method: d.chunkMethod,
    parser_method: d.chunkMethod,
    parse_method: d.chunkMethod,
    parser_config: wireParserConfig(d.parserConfig),
    run: RUN_DIGITS[d.run],
    progress: d.progress,
    progress_msg: d.progressMsg,
    process_begin_at: d.processBeginAt === null ? null : httpDate(d.processBeginAt),
    process_duation: d.processDuration,
    process_duration: d.processDuration,
    chunk_count: d.chunkCount,
    token_count: d.tokenCount,
    status: d.enabled ? '1' : '0',
    source_type: 'local',
    thumbnail: null,
    tenant_id: d.tenantId,
    created_by: d.tenantId,
    ...times(d),
  };
}

export function wireChunk(c: Chunk & { highlight?: string }) {
  return {
    id: c.id,
    content: c.content,
    document_id: c.documentId,
    document_keyword: c.documentName,
    docnm_kwd: c.documentName,
    document_name: c.documentName,
    dataset_id: c.datasetId,
    kb_id: c.datasetId,
    important_keywords: c.importantKeywords,
    available_int: c.available ? 1 : 0,
    available: c.available,
    positions: c.positions,
    source: c.source,
    fields: c.fields,
    image_id: c.imageId,
    create_time: c.createTime,
    create_date: httpDate(c.createTime),
    ...(c.highlight !== undefined && { highlight: c.highlight }),
  };
}

export function wireRetrievedChunk(c: RetrievedChunk) {
  return {
    ...wireChunk(c),
    similarity: c.similarity,
    vector_similarity: c.vectorSimilarity,
    term_similarity: c.termSimilarity,
  };
}

export const wireDocAgg = (a: DocAgg) => ({ doc_name: a.docName, doc_id: a.docId, count: a.count });

export function wireRetrieval(r: { chunks: readonly RetrievedChunk[]; docAggs: readonly DocAgg[]; total: number }) {
  return {
    chunks: r.chunks.map(wireRetrievedChunk),
    doc_aggs: r.docAggs.map(wireDocAgg),
    total: r.total,
  };
}

export const wireReference = (r: ChatReference) => wireRetrieval(r);

/** Dataset names for a chat's `knowledgebases`, looked up by the caller (a deleted one has none). */
export type DatasetNames = ReadonlyMap<string, string>;

export function wireChat(c: ChatAssistant, names: DatasetNames) {
  return {
    id: c.id,
    name: c.name,
    avatar: c.avatar,
    description: c.description,
    language: c.language,
    dataset_ids: c.datasetIds,
    knowledgebases: c.datasetIds.map((id) => ({ id, name: names.get(id) ?? '' })),
    llm: {
      model_name: c.llm.modelName,
      temperature: c.llm.temperature,
      top_p: c.llm.topP,
      presence_penalty: c.llm.presencePenalty,
      frequency_penalty: c.llm.frequencyPenalty,
      max_tokens: c.llm.maxTokens,
    },
    prompt: {
      prompt: c.prompt.prompt,
      opener: c.prompt.opener,
      empty_response: c.prompt.emptyResponse,
      variables: c.prompt.variables.map((v) => ({ key: v.key, optional: v.optional })),
      show_quote: c.prompt.showQuote,
      refine_multiturn: c.prompt.refineMultiturn,
      keyword: c.prompt.keyword,
      similarity_threshold: c.prompt.similarityThreshold,
      keywords_similarity_weight: c.prompt.keywordsSimilarityWeight,
      top_n: c.prompt.topN,
      rerank_model: c.prompt.rerankModel,
    },
    top_k: c.topK,
    prompt_type: 'simple',
    status: '1',
    tenant_id: c.tenantId,
    ...times(c),
  };
}

export function wireMessage(m: SessionMessage) {
  return {
    id: m.id,
    role: m.role,
    content: m.content,
    ...(m.reference !== undefined && { reference: wireReference(m.reference) }),
    create_time: m.createTime,
  };
}

export function wireSession(s: ChatSession) {
  return {
    id: s.id,
    chat_id: s.chatId,
    name: s.name,
    messages: s.messages.map(wireMessage),
    ...times(s),
  };
}
