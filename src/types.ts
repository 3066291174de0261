/**
 * Domain records as the library returns them. Field names are camelCase; the HTTP adapter maps them
 * to RAGFlow's wire names (and their aliases) in one table (see docs/decisions.md).
 */

export type ChunkMethod =
  | 'naive'
  | 'manual'
  | 'qa'
  | 'table'
  | 'paper'
  | 'book'
  | 'laws'
  | 'presentation'
  | 'picture'
  | 'one'
  | 'email'
  | 'knowledge_graph';

export interface ParserConfig {
  /** Token budget of a chunk (cl100k tokens); a chunk closes once it exceeds this. */
  chunkTokenNum: number;
  /** Every character is a split point; text inside backticks is a multi-character delimiter. */
  delimiter: string;
  layoutRecognize: boolean;
  /** Weight of the file-name embedding in a chunk vector (RAGFlow: 0.1). */
  filenameEmbdWeight: number;
}

export type Permission = 'me' | 'team';
export type Language = 'English' | 'Chinese';

export interface Dataset {
  id: string;
  tenantId: string;
  name: string;
  description: string;
  avatar: string;
  language: Language;
  permission: Permission;
  chunkMethod: ChunkMethod;
  parserConfig: ParserConfig;
  embeddingModel: string;
  /** Set when the first vector is stored; 0 before. */
  embeddingDimension: number;
  similarityThreshold: number;
  vectorSimilarityWeight: number;
  documentCount: number;
  chunkCount: number;
  tokenCount: number;
  createTime: number;
  updateTime: number;
}

/** RAGFlow's TaskStatus; the HTTP API shows them as "0".."4". */
export type RunStatus = 'UNSTART' | 'RUNNING' | 'CANCEL' | 'DONE' | 'FAIL';

export interface Document {
  id: string;
  tenantId: string;
  datasetId: string;
  name: string;
  /** Detected file type, e.g. "pdf", "docx", "txt". */
  type: string;
  size: number;
  chunkMethod: ChunkMethod;
  parserConfig: ParserConfig;
  run: RunStatus;
  /** 0..1 while running and when done; -1 on failure. */
  progress: number;
  progressMsg: string;
  processBeginAt: number | null;
  /** Seconds. */
  processDuration: number;
  chunkCount: number;
  tokenCount: number;
  /** false hides the whole document from retrieval. */
  enabled: boolean;
  createTime: number;
  updateTime: number;
}

/** [page, left, right, top, bottom], as RAGFlow's position_int (page is 1-based). */
export type ChunkPosition = [number, number, number, number, number];

/**
 * Where a chunk came from, for formats where a page box says too little or nothing: every field is
 * optional and only what the format knows is set. Numbers are 1-based, as a reader counts them.
 */
export interface ChunkSource {
  /** PDF pages (text layer or OCR). */
  pages?: number[];
  /** Presentation slides. */
  slides?: number[];
  /** Spreadsheet sheet name. */
  sheet?: string;
  /** First and last spreadsheet row, as the sheet numbers them (the header row is 1). */
  rows?: [number, number];
  /** Enclosing headings, outermost first (books, laws, manuals, markdown, DOCX, HTML). */
  headingPath?: string[];
  /** The part of a container the text came from: an e-mail attachment's file name, an EPUB chapter. */
  part?: string;
}

/** A typed cell value of a `table`-method chunk (dates as ISO 8601 strings). */
export type ChunkFieldValue = string | number | boolean;

export interface Chunk {
  id: string;
  datasetId: string;
  documentId: string;
  /** The document's file name (RAGFlow's document_keyword / docnm_kwd). */
  documentName: string;
  content: string;
  importantKeywords: string[];
  available: boolean;
  positions: ChunkPosition[];
  /** Provenance beyond page boxes; {} when nothing is known (chunks added by hand). */
  source: ChunkSource;
  /** Column values with inferred types, for chunks of the `table` method; {} otherwise. */
  fields: Record<string, ChunkFieldValue>;
  imageId: string;
  createTime: number;
}

export interface RetrievedChunk extends Chunk {
  similarity: number;
  vectorSimilarity: number;
  termSimilarity: number;
  /** Present when highlighting was asked for. */
  highlight?: string;
}

export interface DocAgg {
  docName: string;
  docId: string;
  count: number;
}

export interface RetrievalResult {
  chunks: RetrievedChunk[];
  docAggs: DocAgg[];
  total: number;
}

export interface Page<T> {
  items: T[];
  total: number;
}

/** RAGFlow's llm / llm_setting: which chat model answers, and how. */
export interface LlmSetting {
  /** `model@provider`, e.g. 'llama3.2@Ollama', 'gpt-4o-mini@OpenAI', 'extractive@Builtin'. */
  modelName: string;
  temperature: number;
  topP: number;
  presencePenalty: number;
  frequencyPenalty: number;
  maxTokens: number;
}

export interface PromptVariable {
  key: string;
  optional: boolean;
}

/** RAGFlow's prompt config of a chat assistant. */
export interface ChatPromptConfig {
  /** The system prompt; `{knowledge}` is replaced by the retrieved chunks. */
  prompt: string;
  /** First assistant message of every new session. */
  opener: string;
  /** Answer given, without calling the model, when retrieval finds nothing ('' = let the model answer). */
  emptyResponse: string;
  variables: PromptVariable[];
  /** Insert citation markers ` ##i$$` and return the reference. */
  showQuote: boolean;
  /** Rewrite a multi-turn conversation into one standalone question before retrieval. */
  refineMultiturn: boolean;
  /** Ask the model for keywords and add them to the retrieval question. */
  keyword: boolean;
  similarityThreshold: number;
  /** 1 − vector similarity weight (RAGFlow's naming). */
  keywordsSimilarityWeight: number;
  /** Chunks given to the model. */
  topN: number;
  rerankModel: string;
}

export interface ChatAssistant {
  id: string;
  tenantId: string;
  name: string;
  description: string;
  avatar: string;
  language: Language;
  datasetIds: string[];
  llm: LlmSetting;
  prompt: ChatPromptConfig;
  /** Candidates per retrieval leg. */
  topK: number;
  createTime: number;
  updateTime: number;
}

/** The chunks an answer drew on: RAGFlow's reference object {total, chunks, doc_aggs}. */
export interface ChatReference {
  total: number;
  chunks: RetrievedChunk[];
  docAggs: DocAgg[];
}

export interface SessionMessage {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  /** Assistant messages: the chunks the answer cites (indices of ` ##i$$` point into `chunks`). */
  reference?: ChatReference;
  createTime: number;
}

export interface ChatSession {
  id: string;
  tenantId: string;
  chatId: string;
  name: string;
  messages: SessionMessage[];
  createTime: number;
  updateTime: number;
}
