import { z } from 'zod';

/**
 * Request shapes in wire names. Objects are loose: read-only fields a client sends back (ids,
 * dates, progress) pass through and are ignored. Numbers and booleans also come as query strings,
 * so both forms are accepted; the facade checks ranges and enums with messages naming the field.
 */

const NUMERIC = /^\s*-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** A number, or a string holding one (query strings, lenient clients). */
export const num = z.union([z.number(), z.string().regex(NUMERIC, 'expected a number')]).transform(Number);

const TRUE = new Set(['true', '1', 'yes']);
const FALSE = new Set(['false', '0', 'no']);

/** true/false, 1/0, or their strings ("yes"/"no" too: the draft's `desc=yes`). */
export const bool = z
  .union([
    z.boolean(),
    z.literal(1),
    z.literal(0),
    z.string().refine((s) => TRUE.has(s.toLowerCase()) || FALSE.has(s.toLowerCase()), 'expected a boolean'),
  ])
  .transform((v) => (typeof v === 'string' ? TRUE.has(v.toLowerCase()) : v === true || v === 1));

/** RAGFlow's "1"/"0" flags (chunk `available`/`status`, document `status`), or a boolean. */
export const flag = bool;

const idList = z.array(z.string().min(1, 'expected a non-empty id'));

/** A list of ids; in a query string also one id, repeated keys or a comma-separated list. */
export const queryIds = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean));

const str = z.string();

export const parserConfig = z.looseObject({
  chunk_token_num: num.optional(),
  chunk_token_count: num.optional(),
  delimiter: str.optional(),
  layout_recognize: bool.optional(),
  filename_embd_weight: num.optional(),
});

const counts = {
  chunk_count: num.optional(),
  document_count: num.optional(),
  token_count: num.optional(),
};

export const datasetBody = z.looseObject({
  name: str.optional(),
  dataset_name: str.optional(),
  description: str.optional(),
  avatar: str.optional(),
  language: str.optional(),
  permission: str.optional(),
  chunk_method: str.optional(),
  parse_method: str.optional(),
  parser_method: str.optional(),
  parser_config: parserConfig.optional(),
  embedding_model: str.optional(),
  similarity_threshold: num.optional(),
  vector_similarity_weight: num.optional(),
  ...counts,
});

export const deleteByIds = z.looseObject({ ids: idList.optional() });

export const deleteDatasets = z.looseObject({ ids: idList.optional(), names: z.array(str).optional() });

export const listQuery = z.looseObject({
  name: str.optional(),
  id: str.optional(),
  page: num.optional(),
  page_size: num.optional(),
  orderby: str.optional(),
  desc: bool.optional(),
});

export const documentListQuery = listQuery.extend({
  keywords: str.optional(),
  run: str.optional(),
});

export const documentBody = z.looseObject({
  name: str.optional(),
  document_name: str.optional(),
  chunk_method: str.optional(),
  parser_method: str.optional(),
  parse_method: str.optional(),
  parser_config: parserConfig.optional(),
  status: flag.optional(),
  enabled: flag.optional(),
  chunk_count: num.optional(),
  token_count: num.optional(),
});

export const deleteDocuments = z.looseObject({ ids: idList.optional(), document_ids: idList.optional() });

export const parseBody = z.looseObject({ documents: idList.optional(), document_ids: idList.optional() });

export const chunkListQuery = z.looseObject({
  keywords: str.optional(),
  page: num.optional(),
  page_size: num.optional(),
  id: str.optional(),
});

export const addChunks = z.looseObject({
  content: z.union([str, z.array(str)]),
  important_keywords: z.array(str).optional(),
});

export const updateChunk = z.looseObject({
  chunk_id: str.optional(),
  content: str.optional(),
  important_keywords: z.array(str).optional(),
  available: flag.optional(),
  status: flag.optional(),
});

export const deleteChunks = z.looseObject({ chunks: idList.optional(), chunk_ids: idList.optional() });

const retrievalOptions = {
  query_text: str.optional(),
  question: str.optional(),
  document_ids: queryIds.optional(),
  page: num.optional(),
  page_size: num.optional(),
  similarity_threshold: num.optional(),
  vector_similarity_weight: num.optional(),
  top_k: num.optional(),
  keyword: bool.optional(),
  highlight: bool.optional(),
  rerank_id: str.optional(),
};

export const datasetRetrieval = z.looseObject(retrievalOptions);

export const retrieval = z.looseObject({ ...retrievalOptions, dataset_ids: queryIds.optional() });

const llm = z.looseObject({
  model_name: str.optional(),
  temperature: num.optional(),
  top_p: num.optional(),
  presence_penalty: num.optional(),
  frequency_penalty: num.optional(),
  max_tokens: num.optional(),
});

const prompt = z.looseObject({
  prompt: str.optional(),
  opener: str.optional(),
  empty_response: str.optional(),
  variables: z.array(z.looseObject({ key: str, optional: bool.optional() })).optional(),
  show_quote: bool.optional(),
  refine_multiturn: bool.optional(),
  keyword: bool.optional(),
  similarity_threshold: num.optional(),
  keywords_similarity_weight: num.optional(),
  top_n: num.optional(),
  rerank_model: str.optional(),
});

export const chatBody = z.looseObject({
  id: str.optional(),
  name: str.optional(),
  description: str.optional(),
  avatar: str.optional(),
  language: str.optional(),
  dataset_ids: idList.optional(),
  knowledgebases: z.array(z.looseObject({ id: str })).optional(),
  llm: llm.nullable().optional(),
  prompt: prompt.nullable().optional(),
  top_k: num.optional(),
});

export const sessionBody = z.looseObject({ name: str.optional() });

export const completionBody = z.looseObject({
  question: str.optional(),
  stream: bool.optional(),
  session_id: str.optional(),
  name: str.optional(),
  variables: z.record(z.string(), str).optional(),
});

export const empty = z.looseObject({});
