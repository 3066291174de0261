import type { EngineContext } from '../context.js';
import { argumentError, dataError, notFound } from '../errors.js';
import { newId } from '../ids.js';
import { detectFileType, SUPPORTED_EXTENSIONS, type FileType } from '../ingest/index.js';
import { automaticChunkMethod } from '../ingest/chunkers/index.js';
import type { ParseQueue } from '../tasks/parse-queue.js';
import type { ChunkMethod, Dataset, Document, Page, ParserConfig, RunStatus } from '../types.js';
import { optionalBoolean, optionalEnum, pageArgs, requireString, stringList } from '../validation.js';
import { CHUNK_METHODS, mergeParserConfig, uniqueName, type DatasetService } from './datasets.js';
import { readUpload, sanitizeFileName, type UploadInput, type UploadedFile } from './uploads.js';

export interface ListDocumentsQuery {
  keywords?: string;
  name?: string;
  id?: string;
  run?: RunStatus;
  page?: number;
  pageSize?: number;
  orderBy?: 'create_time' | 'update_time' | 'name' | 'size';
  desc?: boolean;
}

export interface UpdateDocumentInput {
  name?: string;
  chunkMethod?: ChunkMethod;
  parserConfig?: Partial<ParserConfig>;
  enabled?: boolean;
}

export interface ParseOptions {
  /** Aborting stops the parses this call started. */
  signal?: AbortSignal;
  /** Called on every status change of these documents. */
  onProgress?: (document: Document) => void;
  /** Resolve only when all of them have finished (DONE, FAIL or CANCEL). */
  wait?: boolean;
}

const extensionOf = (name: string): string => {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
};

export class DocumentService {
  constructor(
    private readonly ctx: EngineContext,
    private readonly datasets: DatasetService,
    private readonly queue: ParseQueue,
  ) {}

  /**
   * Stores files as new documents (nothing is parsed until asked). Every file is read and checked
   * first, so one unsupported or oversized file rejects the whole call and nothing is kept.
   */
  async upload(tenantId: string, datasetId: string, inputs: UploadInput | readonly UploadInput[]): Promise<Document[]> {
    const dataset = await this.datasets.get(tenantId, datasetId);
    const list = Array.isArray(inputs) ? (inputs as readonly UploadInput[]) : [inputs as UploadInput];
    if (list.length === 0) throw argumentError('No file to upload');
    const files: (UploadedFile & { type: FileType })[] = [];
    for (const input of list) {
      const file = await readUpload(input, this.ctx.maxUploadBytes);
      const type = detectFileType(file.name, file.bytes);
      if (!type) {
        throw argumentError(
          `${file.name}: this type of file is not supported (or its content does not match its extension). ` +
            `Supported: ${SUPPORTED_EXTENSIONS.map((ext) => `.${ext}`).join(' ')}`,
        );
      }
      files.push({ ...file, type });
    }
    const taken = await this.ctx.store.documentNames(dataset.id);
    const created: Document[] = [];
    for (const file of files) {
      const name = uniqueName(file.name, taken, true);
      taken.add(name.toLowerCase());
      const now = this.ctx.now();
      const document: Document = {
        id: newId(),
        tenantId,
        datasetId: dataset.id,
        name,
        type: file.type,
        size: file.bytes.byteLength,
        chunkMethod: automaticChunkMethod(file.type) ?? dataset.chunkMethod,
        parserConfig: dataset.parserConfig,
        run: 'UNSTART',
        progress: 0,
        progressMsg: '',
        processBeginAt: null,
        processDuration: 0,
        chunkCount: 0,
        tokenCount: 0,
        enabled: true,
        createTime: now,
        updateTime: now,
      };
      await this.ctx.store.insertDocument(document, file.bytes);
      created.push(document);
    }
    return created;
  }

  async get(tenantId: string, datasetId: string, documentId: string): Promise<Document> {
    return (await this.getWithDataset(tenantId, datasetId, documentId)).document;
  }

  /** The document and its dataset, each read once, for callers that need both (chunk editing). */
  async getWithDataset(
    tenantId: string,
    datasetId: string,
    documentId: string,
  ): Promise<{ dataset: Dataset; document: Document }> {
    const dataset = await this.datasets.get(tenantId, datasetId);
    return { dataset, document: await this.find(tenantId, datasetId, documentId) };
  }

  async list(tenantId: string, datasetId: string, query: ListDocumentsQuery = {}): Promise<Page<Document>> {
    await this.datasets.get(tenantId, datasetId);
    const { page, pageSize } = pageArgs(query, { pageSize: 30, maxPageSize: 1024 });
    return this.ctx.store.listDocuments(datasetId, {
      page,
      pageSize,
      orderBy: optionalEnum('orderby', query.orderBy, ['create_time', 'update_time', 'name', 'size'], 'create_time'),
      desc: query.desc ?? true,
      ...(query.keywords && { keywords: query.keywords }),
      ...(query.name !== undefined && { name: query.name }),
      ...(query.id !== undefined && { id: query.id }),
      ...(query.run !== undefined && {
        run: optionalEnum('run', query.run, ['UNSTART', 'RUNNING', 'CANCEL', 'DONE', 'FAIL'], 'UNSTART'),
      }),
    });
  }

  async download(tenantId: string, datasetId: string, documentId: string): Promise<{ name: string; data: Buffer }> {
    const document = await this.get(tenantId, datasetId, documentId);
    const bytes = await this.ctx.store.readDocumentFile(document.id);
    if (!bytes) throw dataError(`The file of document ${documentId} is missing`);
    return { name: document.name, data: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  }

  async update(tenantId: string, datasetId: string, documentId: string, input: UpdateDocumentInput): Promise<Document> {
    const document = await this.get(tenantId, datasetId, documentId);
    if (typeof input !== 'object' || input === null) throw argumentError('document update must be an object');
    let name: string | undefined;
    if (input.name !== undefined) {
      name = sanitizeFileName(requireString('name', input.name));
      if (extensionOf(name) !== extensionOf(document.name)) throw argumentError("The extension of file can't be changed");
      if (name.toLowerCase() !== document.name.toLowerCase()) {
        const taken = await this.ctx.store.documentNames(datasetId);
        if (taken.has(name.toLowerCase())) throw dataError('Duplicated document name in the same dataset.');
      }
    }
    const chunkMethod =
      input.chunkMethod === undefined
        ? document.chunkMethod
        : optionalEnum('chunk_method', input.chunkMethod, CHUNK_METHODS, document.chunkMethod);
    const parserConfig =
      input.parserConfig === undefined ? document.parserConfig : mergeParserConfig(document.parserConfig, input.parserConfig);
    // Only a real change resets the document: clients often send the whole record back unchanged.
    const reparse =
      chunkMethod !== document.chunkMethod || JSON.stringify(parserConfig) !== JSON.stringify(document.parserConfig);
    if (reparse && this.queue.isActive(document.id)) {
      throw dataError('The document is being parsed; stop parsing it before changing how it is parsed.');
    }
    const updated = await this.ctx.store.updateDocument(document.id, {
      ...(name !== undefined && { name }),
      ...(input.enabled !== undefined && { enabled: optionalBoolean('enabled', input.enabled, document.enabled) }),
      // A new way of parsing takes effect at the next parse; the old chunks stay searchable until then.
      ...(reparse && { chunkMethod, parserConfig, run: 'UNSTART' as const, progress: 0, progressMsg: '' }),
      updateTime: this.ctx.now(),
    });
    if (!updated) throw notFound('Document', documentId);
    return updated;
  }

  /** All or nothing: an unknown id deletes nothing. Running parses of these documents are stopped first. */
  async delete(tenantId: string, datasetId: string, ids: readonly string[]): Promise<void> {
    const list = stringList('ids', ids);
    await this.findAll(tenantId, datasetId, list);
    await this.queue.cancel(list, 'stop');
    await this.ctx.store.deleteDocuments(datasetId, list);
  }

  /** Queues the documents for parsing (RAGFlow: `POST /dataset/{id}/chunk`). */
  async parse(tenantId: string, datasetId: string, ids: readonly string[], options: ParseOptions = {}): Promise<Document[]> {
    const list = stringList('document_ids', ids);
    const documents = await this.findAll(tenantId, datasetId, list, (document) => {
      if (this.queue.isActive(document.id)) {
        throw dataError(`Can't parse document ${document.id}: it is being parsed already`);
      }
    });
    options.signal?.throwIfAborted();
    const wanted = new Set(list);
    const unsubscribe = options.onProgress
      ? this.queue.subscribe((doc) => {
          if (wanted.has(doc.id)) options.onProgress?.(doc);
        })
      : undefined;
    const queued: Document[] = [];
    for (const document of documents) {
      const now = this.ctx.now();
      const running = await this.ctx.store.updateDocument(document.id, {
        run: 'RUNNING',
        progress: 0,
        progressMsg: '',
        processBeginAt: now,
        processDuration: 0,
        updateTime: now,
      });
      if (!running) continue;
      this.queue.enqueue(running);
      queued.push(running);
    }
    const onAbort = () => void this.stopActive(tenantId, datasetId, list);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const finished = this.queue.waitFor(list).finally(() => {
      unsubscribe?.();
      options.signal?.removeEventListener('abort', onAbort);
    });
    if (!options.wait) return queued;
    await finished;
    return Promise.all(list.map((id) => this.get(tenantId, datasetId, id)));
  }

  /** Resolves with the documents once none of them is queued or running. */
  async waitForParsing(
    tenantId: string,
    datasetId: string,
    ids: readonly string[],
    options: { signal?: AbortSignal } = {},
  ): Promise<Document[]> {
    const list = stringList('document_ids', ids);
    await this.findAll(tenantId, datasetId, list);
    await this.queue.waitFor(list, options.signal);
    return Promise.all(list.map((id) => this.get(tenantId, datasetId, id)));
  }

  /** Stops parsing (run "2"); the documents keep the chunks they had before. */
  async stopParsing(tenantId: string, datasetId: string, ids: readonly string[]): Promise<Document[]> {
    const list = stringList('document_ids', ids);
    await this.findAll(tenantId, datasetId, list, (document) => {
      if (document.run !== 'RUNNING') {
        throw dataError(`Can't stop parsing document ${document.id}: it has not started or has already completed`);
      }
    });
    await this.stopActive(tenantId, datasetId, list);
    return Promise.all(list.map((id) => this.get(tenantId, datasetId, id)));
  }

  /** Cancels every queued or running parse in these datasets (before they are deleted). */
  async stopAllIn(tenantId: string, datasetIds: readonly string[]): Promise<void> {
    for (const datasetId of datasetIds) {
      const running = await this.ctx.store.listDocuments(datasetId, {
        run: 'RUNNING',
        page: 1,
        pageSize: 100_000,
        orderBy: 'create_time',
        desc: false,
      });
      await this.queue.cancel(running.items.filter((d) => d.tenantId === tenantId).map((d) => d.id), 'stop');
    }
  }

  /**
   * The dataset checked once, then every document in order. `check` runs on each as it is read, so
   * an unknown id and a refused one are reported in the order the caller listed them.
   */
  private async findAll(
    tenantId: string,
    datasetId: string,
    ids: readonly string[],
    check?: (document: Document) => void,
  ): Promise<Document[]> {
    await this.datasets.get(tenantId, datasetId);
    const documents: Document[] = [];
    for (const id of ids) {
      const document = await this.find(tenantId, datasetId, id);
      check?.(document);
      documents.push(document);
    }
    return documents;
  }

  /** The document, once the caller has checked its dataset. */
  private async find(tenantId: string, datasetId: string, documentId: string): Promise<Document> {
    const document =
      typeof documentId === 'string' ? await this.ctx.store.getDocument(tenantId, datasetId, documentId) : undefined;
    if (!document) throw notFound('Document', String(documentId));
    return document;
  }

  private async stopActive(tenantId: string, datasetId: string, ids: readonly string[]): Promise<void> {
    await this.queue.cancel(ids, 'stop');
    for (const id of ids) {
      // RUNNING in the store but unknown to the queue: a row no job owns any more. Close it too.
      const document = await this.ctx.store.getDocument(tenantId, datasetId, id);
      if (document?.run !== 'RUNNING') continue;
      await this.ctx.store.updateDocument(id, {
        run: 'CANCEL',
        progressMsg: `${document.progressMsg} [Canceled]`,
        updateTime: this.ctx.now(),
      });
    }
  }
}
