import { loadEnglishStatistics } from './retrieval/term-similarity.js';
import { resolveOcrSettings, type OcrOptions } from './ingest/ocr/settings.js';
import { shutdownOcr } from './ingest/ocr/engine.js';
import { resolveVisionModel, type VisionModel } from './llm/vision/index.js';
import type { EngineContext } from './context.js';
import { EmbeddingRegistry } from './embed/registry.js';
import type { EmbeddingModel, EmbeddingProviderSettings } from './embed/types.js';
import { argumentError, ErrorCode, RagFlowError } from './errors.js';
import { optionalBoolean, optionalNumber, requireString } from './validation.js';
import { Retriever, type RetrieveInput } from './retrieval/retriever.js';
import { ChunkService, type AddChunksInput, type ChunkList, type ListChunksQuery, type UpdateChunkInput } from './services/chunks.js';
import {
  DatasetService,
  type CreateDatasetInput,
  type DeleteDatasetsInput,
  type ListDatasetsQuery,
  type UpdateDatasetInput,
} from './services/datasets.js';
import { DocumentService, type ListDocumentsQuery, type ParseOptions, type UpdateDocumentInput } from './services/documents.js';
import type { UploadInput } from './services/uploads.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';
import type { Store } from './store/types.js';
import { ParseQueue } from './tasks/parse-queue.js';
import type { ChatAssistant, ChatSession, Chunk, Dataset, Document, Page, RetrievalResult } from './types.js';
import { ChatModelRegistry } from './llm/registry.js';
import type { ChatModel, ChatProviderSettings } from './llm/types.js';
import { ChatService, type CreateChatInput, type ListChatsQuery, type UpdateChatInput } from './services/chats.js';
import { SessionService, type ListSessionsQuery } from './services/sessions.js';
import { ApiKeyService, type ApiKeyInfo } from './services/api-keys.js';
import { ChatCompletion, tenantAsk } from './chat/completion.js';
import { evaluateRetrieval, type EvaluationResult } from './eval/evaluate.js';
import type { EvaluateInput } from './eval/input.js';

export interface RagFlowOptions {
  /** SQLite file for everything (datasets, files, chunks, vectors); ':memory:' (default) keeps nothing. */
  path?: string;
  /** Use another storage implementation instead of SQLite at `path`. */
  store?: Store;
  /**
   * Keep an in-memory search index next to SQLite's (default true): the same results, several times
   * faster at scale, for ~2.5 KB per chunk of memory (docs/scoring.md §3). false searches SQL only.
   */
  searchIndex?: boolean;
  /** Default `model@provider` for new datasets (default 'hash@Builtin': offline, no download). */
  embeddingModel?: string;
  /** Settings for the Ollama, OpenAI-compatible and transformers.js providers (embeddings and chat). */
  providers?: EmbeddingProviderSettings & Pick<ChatProviderSettings, 'contextTokens'>;
  /** Default `model@provider` for new chats (default 'extractive@Builtin': offline, quotes the sources). */
  chatModel?: string;
  /** Chat models of your own, named by their `id` in chats. */
  chatModels?: readonly ChatModel[];
  /** Embedding models of your own, named by their `id` in datasets (e.g. 'my-model@Custom'). */
  embeddingModels?: readonly EmbeddingModel[];
  /** Documents parsed at the same time (default 2). */
  parseConcurrency?: number;
  /** Largest accepted file in bytes (default 128 MiB, as RAGFlow). */
  maxUploadBytes?: number;
  /**
   * What open() does with documents a crash left "running": parse them again (true, default) or
   * mark them failed with a message (false).
   */
  resumeParsing?: boolean;
  /** Tenant of the returned instance (default 'default'); see forTenant(). */
  tenantId?: string;
  /**
   * OCR for images and scanned PDF pages (tesseract.js, an optional peer dependency): where the
   * language data is and which languages to read. `false` turns OCR off.
   */
  ocr?: OcrOptions;
  /**
   * A vision-capable model ('llava@Ollama', 'gpt-4o-mini@OpenAI-API-Compatible' or your own object)
   * that describes pictures for the `picture` parse method. None by default: pictures get OCR text only.
   */
  visionModel?: string | VisionModel;
}

const DEFAULT_TENANT = 'default';

function openSqlite(path: string, searchIndex: boolean): SqliteStore {
  if (typeof path !== 'string' || path === '') throw argumentError('`path` must be a file path or ":memory:"');
  try {
    return SqliteStore.open({ path, searchIndex });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RagFlowError(ErrorCode.Exception, `Could not open the knowledge base at ${path}: ${reason}`, { cause: error });
  }
}

/** Services and the parse queue, shared by every tenant view of one open knowledge base. */
class Engine {
  readonly datasets: DatasetService;
  readonly documents: DocumentService;
  readonly chunks: ChunkService;
  readonly retriever: Retriever;
  readonly chats: ChatService;
  readonly sessions: SessionService;
  readonly completion: ChatCompletion;
  readonly apiKeys: ApiKeyService;
  private closed = false;

  constructor(
    readonly ctx: EngineContext,
    readonly queue: ParseQueue,
  ) {
    this.datasets = new DatasetService(ctx);
    this.documents = new DocumentService(ctx, this.datasets, queue);
    this.chunks = new ChunkService(ctx, this.documents);
    this.retriever = new Retriever(ctx, this.datasets);
    this.chats = new ChatService(ctx, this.datasets);
    this.sessions = new SessionService(ctx, this.chats);
    this.completion = new ChatCompletion(ctx, {
      chats: this.chats,
      sessions: this.sessions,
      datasets: this.datasets,
      retriever: this.retriever,
      models: ctx.chatModels,
    });
    this.apiKeys = new ApiKeyService(ctx);
  }

  /** Parses that a crash interrupted are still marked RUNNING: resume or fail them, never leave them stuck. */
  async recover(resume: boolean): Promise<void> {
    for (const document of await this.ctx.store.documentsWithRun('RUNNING')) {
      if (resume) {
        const requeued = await this.ctx.store.updateDocument(document.id, {
          progress: 0,
          progressMsg: `${document.progressMsg}\nRe-queued after an interrupted run.`,
          updateTime: this.ctx.now(),
        });
        if (requeued) this.queue.enqueue(requeued);
      } else {
        await this.ctx.store.updateDocument(document.id, {
          run: 'FAIL',
          progress: -1,
          progressMsg: `${document.progressMsg}\n[ERROR]Parsing was interrupted (the process stopped); parse the document again.`,
          updateTime: this.ctx.now(),
        });
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.close();
    await this.ctx.embeddings.close();
    await this.ctx.chatModels.close();
    await this.ctx.store.close();
    await shutdownOcr();
  }

  assertOpen(): void {
    if (this.closed) throw argumentError('This RagFlow instance is closed');
  }
}

/**
 * An embedded RAGFlow: datasets, documents, background parsing into chunks, chunk editing and
 * hybrid retrieval, on one SQLite file.
 *
 * ```ts
 * const rag = await RagFlow.open({ path: './kb.db' });
 * const ds = await rag.datasets.create({ name: 'docs' });
 * const [doc] = await rag.documents.upload(ds.id, './handbook.pdf');
 * await rag.documents.parse(ds.id, [doc.id], { wait: true });
 * const { chunks } = await rag.retrieve({ datasetIds: [ds.id], question: 'How do I reset it?' });
 * ```
 */
export class RagFlow {
  readonly tenantId: string;
  readonly datasets;
  readonly documents;
  readonly chunks;
  readonly chats;
  readonly sessions;

  private constructor(
    private readonly engine: Engine,
    tenantId: string,
  ) {
    this.tenantId = tenantId;
    const t = tenantId;
    const e = engine;
    const guard = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
      e.assertOpen();
      return fn(...args);
    };
    this.datasets = {
      create: guard((input: CreateDatasetInput): Promise<Dataset> => e.datasets.create(t, input)),
      get: guard((id: string): Promise<Dataset> => e.datasets.get(t, id)),
      list: guard((query?: ListDatasetsQuery): Promise<Page<Dataset>> => e.datasets.list(t, query)),
      update: guard((id: string, input: UpdateDatasetInput): Promise<Dataset> => e.datasets.update(t, id, input)),
      /** Stops their parses and deletes the datasets with everything in them. */
      delete: guard(
        (input: DeleteDatasetsInput): Promise<string[]> =>
          e.datasets.delete(t, input, async (ids) => {
            await e.documents.stopAllIn(t, ids);
            await e.chats.forgetDatasets(t, ids);
          }),
      ),
    };
    this.documents = {
      upload: guard(
        (datasetId: string, files: UploadInput | readonly UploadInput[]): Promise<Document[]> =>
          e.documents.upload(t, datasetId, files),
      ),
      get: guard((datasetId: string, id: string): Promise<Document> => e.documents.get(t, datasetId, id)),
      list: guard(
        (datasetId: string, query?: ListDocumentsQuery): Promise<Page<Document>> => e.documents.list(t, datasetId, query),
      ),
      download: guard(
        (datasetId: string, id: string): Promise<{ name: string; data: Buffer }> => e.documents.download(t, datasetId, id),
      ),
      update: guard(
        (datasetId: string, id: string, input: UpdateDocumentInput): Promise<Document> =>
          e.documents.update(t, datasetId, id, input),
      ),
      delete: guard((datasetId: string, ids: readonly string[]): Promise<void> => e.documents.delete(t, datasetId, ids)),
      /** Starts parsing in the background; with `{ wait: true }` resolves when all are finished. */
      parse: guard(
        (datasetId: string, ids: readonly string[], options?: ParseOptions): Promise<Document[]> =>
          e.documents.parse(t, datasetId, ids, options),
      ),
      stopParsing: guard(
        (datasetId: string, ids: readonly string[]): Promise<Document[]> => e.documents.stopParsing(t, datasetId, ids),
      ),
      waitForParsing: guard(
        (datasetId: string, ids: readonly string[], options?: { signal?: AbortSignal }): Promise<Document[]> =>
          e.documents.waitForParsing(t, datasetId, ids, options),
      ),
    };
    this.chunks = {
      list: guard(
        (datasetId: string, documentId: string, query?: ListChunksQuery): Promise<ChunkList> =>
          e.chunks.list(t, datasetId, documentId, query),
      ),
      add: guard(
        (datasetId: string, documentId: string, input: AddChunksInput): Promise<Chunk[]> =>
          e.chunks.add(t, datasetId, documentId, input),
      ),
      update: guard(
        (datasetId: string, documentId: string, chunkId: string, input: UpdateChunkInput): Promise<Chunk> =>
          e.chunks.update(t, datasetId, documentId, chunkId, input),
      ),
      delete: guard(
        (datasetId: string, documentId: string, chunkIds: readonly string[]): Promise<void> =>
          e.chunks.delete(t, datasetId, documentId, chunkIds),
      ),
    };
    this.chats = {
      create: guard((input: CreateChatInput): Promise<ChatAssistant> => e.chats.create(t, input)),
      get: guard((id: string): Promise<ChatAssistant> => e.chats.get(t, id)),
      list: guard((query?: ListChatsQuery): Promise<Page<ChatAssistant>> => e.chats.list(t, query)),
      update: guard((id: string, input: UpdateChatInput): Promise<ChatAssistant> => e.chats.update(t, id, input)),
      /** Deletes the chats with their sessions. */
      delete: guard((ids: readonly string[]): Promise<void> => e.chats.delete(t, ids)),
      /** Answers from the chat's datasets; `{ stream: true }` gives cumulative events, then the cited answer. */
      ask: tenantAsk(e.completion, t, () => e.assertOpen()),
    };
    this.sessions = {
      create: guard(
        (chatId: string, input?: { name?: string }): Promise<ChatSession> => e.sessions.create(t, chatId, input),
      ),
      get: guard((chatId: string, id: string): Promise<ChatSession> => e.sessions.get(t, chatId, id)),
      list: guard(
        (chatId: string, query?: ListSessionsQuery): Promise<Page<ChatSession>> => e.sessions.list(t, chatId, query),
      ),
      rename: guard(
        (chatId: string, id: string, name: string): Promise<ChatSession> => e.sessions.rename(t, chatId, id, name),
      ),
      delete: guard((chatId: string, ids: readonly string[]): Promise<void> => e.sessions.delete(t, chatId, ids)),
    };
  }

  static async open(options: RagFlowOptions = {}): Promise<RagFlow> {
    if (typeof options !== 'object' || options === null) throw argumentError('RagFlow.open() takes an options object');
    const concurrency = optionalNumber('parseConcurrency', options.parseConcurrency, 2, { integer: true, min: 1, max: 64 });
    const maxUploadBytes = optionalNumber('maxUploadBytes', options.maxUploadBytes, 128 * 1024 * 1024, {
      integer: true,
      min: 1,
    });
    const tenantId = requireString('tenantId', options.tenantId ?? DEFAULT_TENANT);
    const searchIndex = optionalBoolean('searchIndex', options.searchIndex, true);
    const store = options.store ?? openSqlite(options.path ?? ':memory:', searchIndex);
    const embeddings = new EmbeddingRegistry(options.providers ?? {});
    for (const model of options.embeddingModels ?? []) embeddings.register(model);
    const chatModels = new ChatModelRegistry(options.providers ?? {});
    for (const model of options.chatModels ?? []) chatModels.register(model);
    const ctx: EngineContext = {
      store,
      embeddings,
      defaultEmbeddingModel: embeddings.resolve(options.embeddingModel ?? 'hash@Builtin').id,
      chatModels,
      defaultChatModel: chatModels.resolve(options.chatModel ?? 'extractive@Builtin').id,
      maxUploadBytes,
      now: () => Date.now(),
    };
    const ocr = resolveOcrSettings(options.ocr);
    if (ocr) ctx.ocr = ocr;
    if (options.visionModel !== undefined) {
      const vision = resolveVisionModel(options.visionModel, options.providers ?? {});
      ctx.describeImage = (image, mimeType, signal) => vision.describe(image, { mimeType, ...(signal && { signal }) });
    }
    const engine = new Engine(ctx, new ParseQueue(ctx, concurrency));
    // In the background, so the first retrieval or parse does not wait for it (a failure surfaces there).
    loadEnglishStatistics().catch(() => undefined);
    await engine.recover(options.resumeParsing ?? true);
    return new RagFlow(engine, tenantId);
  }

  /** The same knowledge base seen as another tenant: its resources are invisible to the others. */
  forTenant(tenantId: string): RagFlow {
    return new RagFlow(this.engine, requireString('tenantId', tenantId));
  }

  /**
   * API keys for the HTTP adapter. They span tenants (a key names its tenant), so they are managed
   * from any view; `authenticate` answers the tenant of a key.
   */
  get apiKeys(): {
    create(tenantId: string): Promise<{ key: string; info: ApiKeyInfo }>;
    list(tenantId?: string): Promise<ApiKeyInfo[]>;
    revoke(id: string): Promise<void>;
    authenticate(key: unknown): Promise<string | undefined>;
  } {
    const keys = this.engine.apiKeys;
    const open = () => this.engine.assertOpen();
    return {
      create: async (tenantId) => (open(), keys.create(tenantId)),
      list: async (tenantId) => (open(), keys.list(tenantId)),
      revoke: async (id) => (open(), keys.revoke(id)),
      authenticate: async (key) => (open(), keys.authenticate(key)),
    };
  }

  /** Hybrid retrieval: (1 − w)·term similarity + w·vector cosine, thresholded and paged. */
  async retrieve(input: RetrieveInput): Promise<RetrievalResult> {
    this.engine.assertOpen();
    return this.engine.retriever.retrieve(this.tenantId, input);
  }

  /**
   * Retrieval quality on labelled questions: nDCG@10, Recall@k and MRR@10 per query and mean
   * (trec_eval conventions), documents ranked by their best chunk at similarity threshold 0.
   */
  async evaluate(input: EvaluateInput): Promise<EvaluationResult> {
    this.engine.assertOpen();
    return evaluateRetrieval(
      {
        retrieve: (query) => this.retrieve(query),
        listDocuments: (datasetId, query) => this.documents.list(datasetId, query),
      },
      input,
    );
  }

  /** Stops background parsing (resumed at the next open) and releases the database and models. */
  async close(): Promise<void> {
    await this.engine.close();
  }
}
