import type { ChunkFieldValue, ChunkPosition, ChunkSource } from '../types.js';

/** Every file type the ingest layer can read. */
export type FileType =
  | 'pdf'
  | 'docx'
  | 'txt'
  | 'code'
  | 'md'
  | 'html'
  | 'json'
  | 'jsonl'
  | 'csv'
  /** .xlsx, .xls, .ods: one table section per sheet. */
  | 'spreadsheet'
  | 'pptx'
  | 'eml'
  | 'epub'
  /** .png, .jpg, .tif, .bmp, .webp: read by OCR. */
  | 'image';

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
      source?: ChunkSource;
    }
  | { kind: 'heading'; text: string; level: number; positions?: ChunkPosition[]; source?: ChunkSource }
  | {
      kind: 'table';
      rows: string[][];
      /** rows[0] is the header row when true */
      hasHeader: boolean;
      positions?: ChunkPosition[];
      /** Where the table sits (a spreadsheet's sheet name, a slide, a heading path). */
      source?: ChunkSource;
      /** The sheet's own row number (1-based) of each entry of `rows`, for spreadsheets and CSV. */
      rowNumbers?: number[];
      /** Typed cell values parallel to `rows` (spreadsheets know numbers, dates and booleans). */
      typedRows?: (ChunkFieldValue | null)[][];
    };

export interface ParsedFile {
  sections: Section[];
  /** Pages for paged formats (PDF), slides for presentations. */
  pageCount?: number;
}

export interface ParseContext {
  fileName: string;
  signal?: AbortSignal;
  /** fraction in 0..1 of this file's parsing; message is a short human line ("Page 3/10"). */
  onProgress?: (fraction: number, message?: string) => void;
  /** The dataset's chunk budget, for parsers that size their sections by it (JSON). Default 512. */
  chunkTokenNum?: number;
  /** Where OCR finds its language data; images and scanned PDF pages fail clearly without it. */
  ocr?: OcrSettings;
}

export interface OcrSettings {
  /** Folder holding `<lang>.traineddata` (Debian's tesseract-ocr-eng installs /usr/share/tesseract-ocr/5/tessdata). */
  langPath: string;
  /** Tesseract language codes, e.g. ['eng'] or ['eng', 'deu']. */
  languages: string[];
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
  source?: ChunkSource;
  fields?: Record<string, ChunkFieldValue>;
  /**
   * What is indexed and embedded instead of `content` (the `qa` method: only the question). The
   * stored and returned content stays `content`.
   */
  searchText?: string;
}

/** Thrown by parsers for corrupt, encrypted or unreadable input; becomes the document's progress_msg. */
export class IngestError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IngestError';
  }
}
