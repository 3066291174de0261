import type { ChunkMethod } from '../../types.js';
import type { ChunkDraft, FileType, ParsedFile } from '../types.js';

export interface ChunkContext {
  fileType: FileType;
  fileName: string;
  /** Token budget of a chunk (cl100k tokens). */
  chunkTokenNum: number;
  delimiter: string;
  signal?: AbortSignal;
  /** The file's bytes, for methods that look at the original again (picture: a vision model). */
  bytes: Uint8Array;
  /** Describes an image in words, when a vision-capable model is configured. */
  describeImage?: (image: Uint8Array, mimeType: string, signal?: AbortSignal) => Promise<string>;
}

/**
 * One parse method (RAGFlow's chunk_method): turns a parsed file into chunk drafts. One file per
 * method implements this; `accepts` lists the file types it can read ('any' for every type).
 */
export interface Chunker {
  readonly method: ChunkMethod;
  readonly accepts: readonly FileType[] | 'any';
  chunk(parsed: ParsedFile, context: ChunkContext): Promise<ChunkDraft[]>;
}
