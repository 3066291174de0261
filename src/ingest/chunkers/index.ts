import type { ChunkMethod } from '../../types.js';
import type { FileType } from '../types.js';
import { IngestError } from '../types.js';
import { naiveChunker } from './naive.js';
import { oneChunker } from './one.js';
import { qaChunker } from './qa.js';
import { tableChunker } from './table.js';
import { manualChunker } from './manual.js';
import { bookChunker } from './book.js';
import { lawsChunker } from './laws.js';
import { paperChunker } from './paper.js';
import { presentationChunker } from './presentation.js';
import { pictureChunker } from './picture.js';
import { emailChunker } from './email.js';
import type { Chunker } from './types.js';

export type { Chunker, ChunkContext } from './types.js';

export const CHUNKERS: Readonly<Record<ChunkMethod, Chunker>> = {
  naive: naiveChunker,
  one: oneChunker,
  qa: qaChunker,
  table: tableChunker,
  manual: manualChunker,
  book: bookChunker,
  laws: lawsChunker,
  paper: paperChunker,
  presentation: presentationChunker,
  picture: pictureChunker,
  email: emailChunker,
  // RAGFlow's current version maps it to naive and builds the graph separately; we build no graph.
  knowledge_graph: { ...naiveChunker, method: 'knowledge_graph' },
};

/**
 * As RAGFlow does on upload: some files have one obvious method whatever the dataset's (a slide deck
 * is read slide by slide, a photo by OCR, a mail as a mail). The document can still be changed after.
 */
const AUTOMATIC_METHODS: Partial<Readonly<Record<FileType, ChunkMethod>>> = {
  image: 'picture',
  pptx: 'presentation',
  eml: 'email',
};

export function automaticChunkMethod(fileType: FileType): ChunkMethod | undefined {
  return AUTOMATIC_METHODS[fileType];
}

/** What a file type is called in messages: its usual extensions. */
const TYPE_NAMES: Readonly<Record<FileType, string>> = {
  pdf: '.pdf',
  docx: '.docx',
  txt: '.txt',
  code: 'source code',
  md: '.md',
  html: '.html',
  json: '.json',
  jsonl: '.jsonl',
  csv: '.csv/.tsv',
  spreadsheet: '.xlsx/.xls/.ods',
  pptx: '.pptx',
  eml: '.eml',
  epub: '.epub',
  image: 'images',
};

/** The chunker of `method`, or an IngestError (the document's failure message) when it cannot read this type. */
export function chunkerFor(method: ChunkMethod, fileType: FileType): Chunker {
  const chunker = CHUNKERS[method];
  if (chunker.accepts === 'any' || chunker.accepts.includes(fileType)) return chunker;
  const accepted = chunker.accepts.map((t) => TYPE_NAMES[t]).join(', ');
  throw new IngestError(
    `The "${method}" parse method cannot read ${TYPE_NAMES[fileType]} files; it reads ${accepted}. ` +
      `Choose another chunk_method for this document.`,
  );
}
