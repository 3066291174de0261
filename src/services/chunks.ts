import type { EngineContext } from '../context.js';
import { argumentError, dataError, notFound } from '../errors.js';
import { highlight } from '../retrieval/highlight.js';
import { indexText, queryTerms } from '../retrieval/analyzer.js';
import { loadEnglishStatistics } from '../retrieval/term-similarity.js';
import type { Chunk, Document } from '../types.js';
import { optionalBoolean, pageArgs, stringList } from '../validation.js';
import { buildChunkRecords, plainText } from './chunk-records.js';
import { storedQuestion } from '../ingest/qa/pair.js';
import type { DocumentService } from './documents.js';

export interface ListChunksQuery {
  keywords?: string;
  page?: number;
  pageSize?: number;
  id?: string;
}

export interface ListedChunk extends Chunk {
  /** With `keywords`: the content with matches wrapped in <em>. */
  highlight?: string;
}

export interface ChunkList {
  chunks: ListedChunk[];
  doc: Document;
  total: number;
}

export interface AddChunksInput {
  content: string | string[];
  importantKeywords?: string[];
}

export interface UpdateChunkInput {
  content?: string;
  importantKeywords?: string[];
  available?: boolean;
}

function keywordList(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((k) => typeof k !== 'string')) {
    throw argumentError('`important_keywords` should be a list of strings');
  }
  return (value as string[]).map((k) => k.trim()).filter((k) => k.length > 0);
}

export class ChunkService {
  constructor(
    private readonly ctx: EngineContext,
    private readonly documents: DocumentService,
  ) {}

  async list(tenantId: string, datasetId: string, documentId: string, query: ListChunksQuery = {}): Promise<ChunkList> {
    const doc = await this.documents.get(tenantId, datasetId, documentId);
    const { page, pageSize } = pageArgs(query, { pageSize: 30, maxPageSize: 1024 });
    const terms = query.keywords ? queryTerms(query.keywords) : [];
    const result = await this.ctx.store.listChunks(doc.id, {
      page,
      pageSize,
      ...(query.id !== undefined && { id: query.id }),
      ...(terms.length > 0 && { terms }),
    });
    if (query.id !== undefined && result.items.length === 0) throw notFound('Chunk', query.id);
    const chunks: ListedChunk[] =
      terms.length > 0
        ? result.items.map((chunk) => ({ ...chunk, highlight: highlight(chunk.content, new Set(terms)) }))
        : result.items;
    return { chunks, doc, total: result.total };
  }

  /** Adds chunks by hand; they are embedded and searchable when this resolves. */
  async add(tenantId: string, datasetId: string, documentId: string, input: AddChunksInput): Promise<Chunk[]> {
    const { dataset, document: doc } = await this.documents.getWithDataset(tenantId, datasetId, documentId);
    if (typeof input !== 'object' || input === null) throw argumentError('`content` is required');
    const contents = typeof input.content === 'string' ? [input.content] : input.content;
    if (!Array.isArray(contents) || contents.length === 0 || contents.some((c) => typeof c !== 'string' || !c.trim())) {
      throw argumentError('`content` is required: a non-empty string or a list of them');
    }
    const importantKeywords = keywordList(input.importantKeywords);
    const { records, tokens } = await buildChunkRecords(
      this.ctx,
      dataset,
      doc,
      contents.map((content) => ({ content, importantKeywords, ...searchTextFor(doc, content) })),
    );
    await this.ctx.store.upsertChunks(doc.id, records, tokens);
    return records.map((r) => r.chunk);
  }

  /** Edits content, keywords or availability; the chunk keeps its id and is re-indexed. */
  async update(
    tenantId: string,
    datasetId: string,
    documentId: string,
    chunkId: string,
    input: UpdateChunkInput,
  ): Promise<Chunk> {
    const { dataset, document: doc } = await this.documents.getWithDataset(tenantId, datasetId, documentId);
    const current = await this.ctx.store.getChunk(doc.id, chunkId);
    if (!current) throw notFound('Chunk', String(chunkId));
    if (typeof input !== 'object' || input === null) throw argumentError('chunk update must be an object');
    if (input.content !== undefined && (typeof input.content !== 'string' || !input.content.trim())) {
      throw argumentError('`content` must be a non-empty string');
    }
    const content = input.content ?? current.content;
    const importantKeywords =
      input.importantKeywords !== undefined ? keywordList(input.importantKeywords) : current.importantKeywords;
    const available = input.available === undefined ? undefined : optionalBoolean('available', input.available, true);
    // Only new content is re-indexed and re-embedded: a keyword or availability change must not turn a
    // Q&A chunk indexed by its question into one indexed by its whole text.
    const contentChanged = input.content !== undefined && content !== current.content;
    let vector: Float32Array | undefined;
    let contentTerms: string | undefined;
    await loadEnglishStatistics();
    if (contentChanged) {
      const [record] = (await buildChunkRecords(this.ctx, dataset, doc, [{ content, ...searchTextFor(doc, content) }])).records;
      vector = record?.vector;
      contentTerms = record?.contentTerms ?? indexText(plainText(content));
    }
    await this.ctx.store.updateChunk(doc.id, current.id, {
      content,
      importantKeywords,
      ...(contentTerms !== undefined && { contentTerms }),
      keywordTerms: indexText(importantKeywords.join(' ')),
      ...(available !== undefined && { available }),
      ...(vector && { vector }),
    });
    const updated = await this.ctx.store.getChunk(doc.id, current.id);
    if (!updated) throw notFound('Chunk', chunkId);
    return updated;
  }

  /** All or nothing: an unknown id deletes nothing. */
  async delete(tenantId: string, datasetId: string, documentId: string, chunkIds: readonly string[]): Promise<void> {
    const doc = await this.documents.get(tenantId, datasetId, documentId);
    const ids = stringList('chunk_ids', chunkIds);
    const deleted = await this.ctx.store.deleteChunks(doc.id, ids);
    if (!deleted) throw dataError(`Chunk not found in document ${documentId}: nothing was deleted`);
  }
}

/** In a `qa` document, a chunk written as "Question: …\tAnswer: …" is searched by its question only. */
function searchTextFor(doc: Document, content: string): { searchText?: string } {
  if (doc.chunkMethod !== 'qa') return {};
  const question = storedQuestion(content);
  return question ? { searchText: question } : {};
}
