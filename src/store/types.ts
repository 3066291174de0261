import type {
  ChatAssistant,
  ChatSession,
  Chunk,
  ChunkPosition,
  Dataset,
  Document,
  Page,
  RunStatus,
  SessionMessage,
} from '../types.js';

/**
 * The storage plug-point. Every method is one atomic step: a second implementation (Postgres) can
 * map each to one transaction, and no caller ever holds a transaction open across an await.
 * Ids are globally unique; tenant scoping is enforced by the services (a row of another tenant is
 * reported as missing), and the store filters by tenant where a query starts from a tenant.
 */
export interface Store {
  close(): Promise<void>;

  insertDataset(dataset: Dataset): Promise<void>;
  getDataset(tenantId: string, id: string): Promise<Dataset | undefined>;
  /** Lower-cased names of the tenant's datasets, for duplicate-name handling. */
  datasetNames(tenantId: string): Promise<Set<string>>;
  listDatasets(tenantId: string, query: NamedQuery): Promise<Page<Dataset>>;
  updateDataset(tenantId: string, id: string, patch: DatasetPatch): Promise<Dataset | undefined>;
  /** Deletes the datasets with their documents, files, chunks and vectors. */
  deleteDatasets(tenantId: string, ids: readonly string[]): Promise<void>;

  /** Stores the document row and its original bytes together; bumps the dataset's document count. */
  insertDocument(document: Document, content: Uint8Array): Promise<void>;
  getDocument(tenantId: string, datasetId: string, id: string): Promise<Document | undefined>;
  documentNames(datasetId: string): Promise<Set<string>>;
  listDocuments(datasetId: string, query: DocumentQuery): Promise<Page<Document>>;
  readDocumentFile(documentId: string): Promise<Uint8Array | undefined>;
  updateDocument(documentId: string, patch: DocumentPatch): Promise<Document | undefined>;
  /** Deletes documents with their files and chunks, and adjusts the dataset's counters. */
  deleteDocuments(datasetId: string, ids: readonly string[]): Promise<void>;
  /** Across all tenants: used at start-up to find parses that a crash interrupted. */
  documentsWithRun(run: RunStatus): Promise<Document[]>;

  /**
   * The end of a successful parse: the document's chunks are replaced by `chunks`, its counters and
   * status set by `documentPatch`, and the dataset counters adjusted, atomically as readers see it
   * (they get the old chunks or the new ones, never a mix). A rejection, or `signal` aborting before
   * the switch, leaves the old chunks, counters and status. May take many turns of the event loop.
   */
  replaceDocumentChunks(
    documentId: string,
    chunks: readonly ChunkRecord[],
    documentPatch: DocumentPatch,
    options?: { signal?: AbortSignal },
  ): Promise<void>;
  /** Inserts chunks (an existing id is replaced in place) and adjusts document and dataset counters. */
  upsertChunks(documentId: string, chunks: readonly ChunkRecord[], tokenDelta: number): Promise<void>;
  updateChunk(documentId: string, chunkId: string, update: ChunkUpdate): Promise<void>;
  /** Deletes all of `ids` or nothing; returns false (and deletes nothing) when any id is unknown. */
  deleteChunks(documentId: string, ids: readonly string[]): Promise<boolean>;
  getChunk(documentId: string, chunkId: string): Promise<Chunk | undefined>;
  listChunks(documentId: string, query: ChunkQuery): Promise<Page<Chunk>>;

  /** Keyword candidates, best first. `score` grows with relevance (BM25 over the boosted fields). */
  searchText(query: TextSearch): Promise<ScoredId[]>;
  /** Nearest chunks by cosine distance, nearest first (only chunks stored with vectors of that size). */
  searchVector(query: VectorSearch): Promise<ScoredId[]>;
  /**
   * What the scorer and doc_aggs need about candidate chunks, no chunk records (the page reads those
   * with getChunksByIds); unknown ids are skipped, the order is the store's. Each candidate carries
   * the subset of `queryTerms` among its index terms, and its vector when it has one of `dimension`.
   */
  getCandidates(chunkIds: readonly string[], dimension: number, queryTerms: readonly string[]): Promise<Candidate[]>;
  /** Chunk records in the order of `chunkIds`; unknown ids are skipped. */
  getChunksByIds(chunkIds: readonly string[]): Promise<Chunk[]>;
  insertChat(chat: ChatAssistant): Promise<void>;
  getChat(tenantId: string, id: string): Promise<ChatAssistant | undefined>;
  /** Lower-cased names of the tenant's chats. */
  chatNames(tenantId: string): Promise<Set<string>>;
  listChats(tenantId: string, query: NamedQuery): Promise<Page<ChatAssistant>>;
  /** Replaces the chat's settings (everything but id, tenant and create time). */
  updateChat(chat: ChatAssistant): Promise<void>;
  /** Deletes the chats with their sessions and messages. */
  deleteChats(tenantId: string, ids: readonly string[]): Promise<void>;

  /** Stores the session with the messages it starts with. */
  insertSession(session: ChatSession): Promise<void>;
  /** The session with its messages in order. */
  getSession(tenantId: string, chatId: string, id: string): Promise<ChatSession | undefined>;
  listSessions(chatId: string, query: NamedQuery): Promise<Page<ChatSession>>;
  renameSession(sessionId: string, name: string, updateTime: number): Promise<void>;
  deleteSessions(chatId: string, ids: readonly string[]): Promise<void>;
  /**
   * Appends messages at the end of the tenant's session of that chat, in one transaction, without
   * reading the conversation back. False (nothing written) when there is no such session.
   */
  appendMessages(
    tenantId: string,
    chatId: string,
    sessionId: string,
    messages: readonly SessionMessage[],
    updateTime: number,
  ): Promise<boolean>;

  insertApiKey(key: ApiKeyRecord): Promise<void>;
  /** The key whose digest this is, if it exists (not revoked). */
  findApiKey(digest: string): Promise<ApiKeyRecord | undefined>;
  /** All keys, or a tenant's, oldest first. */
  listApiKeys(tenantId?: string): Promise<ApiKeyRecord[]>;
  /** Returns false when no key has this id. */
  deleteApiKey(id: string): Promise<boolean>;

  /**
   * In how many chunks of these datasets each term occurs, and how many chunks they hold (for term
   * weights). Scoped, so one dataset's or tenant's content never shifts another's scores.
   */
  termStatistics(
    terms: readonly string[],
    datasetIds: readonly string[],
  ): Promise<{ documentFrequency: Map<string, number>; chunkCount: number }>;
}

export interface ApiKeyRecord {
  id: string;
  tenantId: string;
  /** Hex SHA-256 of the key. */
  digest: string;
  /** The key's first characters, to tell keys apart in listings. */
  hint: string;
  createTime: number;
}

/** Listing by optional exact id / case-insensitive name, paged and ordered. */
export interface NamedQuery {
  name?: string;
  id?: string;
  page: number;
  pageSize: number;
  orderBy: 'create_time' | 'update_time' | 'name';
  desc: boolean;
}

export type DatasetPatch = Partial<
  Pick<
    Dataset,
    | 'name'
    | 'description'
    | 'avatar'
    | 'language'
    | 'permission'
    | 'chunkMethod'
    | 'parserConfig'
    | 'embeddingModel'
    | 'embeddingDimension'
    | 'similarityThreshold'
    | 'vectorSimilarityWeight'
    | 'updateTime'
  >
>;

export interface DocumentQuery {
  /** Substring of the name (case-insensitive). */
  keywords?: string;
  name?: string;
  id?: string;
  run?: RunStatus;
  page: number;
  pageSize: number;
  orderBy: 'create_time' | 'update_time' | 'name' | 'size';
  desc: boolean;
}

export type DocumentPatch = Partial<
  Pick<
    Document,
    | 'name'
    | 'chunkMethod'
    | 'parserConfig'
    | 'run'
    | 'progress'
    | 'progressMsg'
    | 'processBeginAt'
    | 'processDuration'
    | 'chunkCount'
    | 'tokenCount'
    | 'enabled'
    | 'updateTime'
  >
>;

/** A chunk as stored: the record plus its analysed text and vector. */
export interface ChunkRecord {
  chunk: Chunk;
  /** Space-separated index terms of the content. */
  contentTerms: string;
  /** Index terms of the important keywords. */
  keywordTerms: string;
  /** Index terms of the document name. */
  titleTerms: string;
  vector: Float32Array | undefined;
}

export interface ChunkUpdate {
  content?: string;
  importantKeywords?: string[];
  available?: boolean;
  positions?: ChunkPosition[];
  contentTerms?: string;
  keywordTerms?: string;
  vector?: Float32Array;
}

export interface ChunkQuery {
  page: number;
  pageSize: number;
  id?: string;
  /** Analysed terms: only chunks containing at least one are listed, best first. */
  terms?: readonly string[];
}

export interface SearchScope {
  datasetIds: readonly string[];
  /** Restrict to these documents when non-empty. */
  documentIds?: readonly string[];
}

export interface TextSearch extends SearchScope {
  /** Analysed terms, any of which may match; a term holding spaces matches as a phrase (words adjacent, in order). */
  terms: readonly string[];
  limit: number;
}

export interface VectorSearch extends SearchScope {
  vector: Float32Array;
  limit: number;
}

export interface ScoredId {
  chunkId: string;
  score: number;
}

export interface Candidate {
  chunkId: string;
  documentId: string;
  documentName: string;
  /** The query terms that are among the chunk's index terms (content, title and keywords). */
  matchedTerms: ReadonlySet<string>;
  vector: Float32Array | undefined;
}
