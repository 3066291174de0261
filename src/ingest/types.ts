import type { ChunkPosition } from '../types.js';

/** Every file type the ingest layer can read. */
export type FileType = 'pdf' | 'docx' | 'txt' | 'code' | 'md' | 'html' | 'json' | 'jsonl' | 'csv';

/**
 * A piece of a parsed file, in reading order. Parsers keep structure (headings, tables, pages);
 * chunkers decide how sections become chunks.
 */
export type Section =
  | {
      kind: 'text';
      text: string;
      positions?: ChunkPosition[];
      /** One indivisible piece for the chunker (e.g. a JSON sub-object): not split on delimiters. */
      keepWhole?: boolean;
    }
  | { kind: 'heading'; text: string; level: number; positions?: ChunkPosition[] }
  | { kind: 'table'; rows: string[][]; /** rows[0] is the header row when true */ hasHeader: boolean; positions?: ChunkPosition[] };

export interface ParsedFile {
  sections: Section[];
  /** Pages for paged formats (PDF). */
  pageCount?: number;
}

export interface ParseContext {
  fileName: string;
  signal?: AbortSignal;
  /** fraction in 0..1 of this file's parsing; message is a short human line ("Page 3/10"). */
  onProgress?: (fraction: number, message?: string) => void;
  /** The dataset's chunk budget, for parsers that size their sections by it (JSON). Default 512. */
  chunkTokenNum?: number;
}

/** One file per format implements this. */
export interface Parser {
  readonly type: FileType;
  parse(bytes: Uint8Array, context: ParseContext): Promise<ParsedFile>;
}

/** A chunk before it is embedded and stored. */
export interface ChunkDraft {
  content: string;
  positions: ChunkPosition[];
}

/** Thrown by parsers for corrupt, encrypted or unreadable input; becomes the document's progress_msg. */
export class IngestError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IngestError';
  }
}
