import type { Chunk, ChunkMethod, Dataset, Document, Language, ParserConfig, Permission, RunStatus } from '../../types.js';

/** Row shapes as SQLite returns them, and their mapping to domain records. */

export interface DatasetRow {
  seq: number;
  id: string;
  tenant_id: string;
  name: string;
  description: string;
  avatar: string;
  language: string;
  permission: string;
  chunk_method: string;
  parser_config: string;
  embedding_model: string;
  embedding_dimension: number;
  similarity_threshold: number;
  vector_similarity_weight: number;
  document_count: number;
  chunk_count: number;
  token_count: number;
  create_time: number;
  update_time: number;
}

export interface DocumentRow {
  id: string;
  tenant_id: string;
  dataset_id: string;
  name: string;
  type: string;
  size: number;
  chunk_method: string;
  parser_config: string;
  run: string;
  progress: number;
  progress_msg: string;
  process_begin_at: number | null;
  process_duration: number;
  chunk_count: number;
  token_count: number;
  enabled: number;
  create_time: number;
  update_time: number;
}

export interface ChunkRow {
  seq: number;
  id: string;
  dataset_id: string;
  document_id: string;
  document_name: string;
  content: string;
  content_terms: string;
  keyword_terms: string;
  title_terms: string;
  important_keywords: string;
  available: number;
  positions: string;
  source: string;
  fields: string;
  image_id: string;
  dimension: number;
  create_time: number;
}

export const toDataset = (row: DatasetRow): Dataset => ({
  id: row.id,
  tenantId: row.tenant_id,
  name: row.name,
  description: row.description,
  avatar: row.avatar,
  language: row.language as Language,
  permission: row.permission as Permission,
  chunkMethod: row.chunk_method as ChunkMethod,
  parserConfig: JSON.parse(row.parser_config) as ParserConfig,
  embeddingModel: row.embedding_model,
  embeddingDimension: row.embedding_dimension,
  similarityThreshold: row.similarity_threshold,
  vectorSimilarityWeight: row.vector_similarity_weight,
  documentCount: row.document_count,
  chunkCount: row.chunk_count,
  tokenCount: row.token_count,
  createTime: row.create_time,
  updateTime: row.update_time,
});

export const toDocument = (row: DocumentRow): Document => ({
  id: row.id,
  tenantId: row.tenant_id,
  datasetId: row.dataset_id,
  name: row.name,
  type: row.type,
  size: row.size,
  chunkMethod: row.chunk_method as ChunkMethod,
  parserConfig: JSON.parse(row.parser_config) as ParserConfig,
  run: row.run as RunStatus,
  progress: row.progress,
  progressMsg: row.progress_msg,
  processBeginAt: row.process_begin_at,
  processDuration: row.process_duration,
  chunkCount: row.chunk_count,
  tokenCount: row.token_count,
  enabled: row.enabled === 1,
  createTime: row.create_time,
  updateTime: row.update_time,
});

export const toChunk = (row: ChunkRow): Chunk => ({
  id: row.id,
  datasetId: row.dataset_id,
  documentId: row.document_id,
  documentName: row.document_name,
  content: row.content,
  importantKeywords: JSON.parse(row.important_keywords) as string[],
  available: row.available === 1,
  positions: JSON.parse(row.positions) as Chunk['positions'],
  source: JSON.parse(row.source) as Chunk['source'],
  fields: JSON.parse(row.fields) as Chunk['fields'],
  imageId: row.image_id,
  createTime: row.create_time,
});

/** Domain field -> column, for the patches the store accepts. */
export const DATASET_COLUMNS: Record<string, string> = {
  name: 'name',
  description: 'description',
  avatar: 'avatar',
  language: 'language',
  permission: 'permission',
  chunkMethod: 'chunk_method',
  parserConfig: 'parser_config',
  embeddingModel: 'embedding_model',
  embeddingDimension: 'embedding_dimension',
  similarityThreshold: 'similarity_threshold',
  vectorSimilarityWeight: 'vector_similarity_weight',
  updateTime: 'update_time',
};

export const DOCUMENT_COLUMNS: Record<string, string> = {
  name: 'name',
  chunkMethod: 'chunk_method',
  parserConfig: 'parser_config',
  run: 'run',
  progress: 'progress',
  progressMsg: 'progress_msg',
  processBeginAt: 'process_begin_at',
  processDuration: 'process_duration',
  chunkCount: 'chunk_count',
  tokenCount: 'token_count',
  enabled: 'enabled',
  updateTime: 'update_time',
};

/** Values as SQLite binds them: objects as JSON, booleans as 0/1. */
export function toSqlValue(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return value;
}
