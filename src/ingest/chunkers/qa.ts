import type { ChunkDraft, FileType, Section } from '../types.js';
import { IngestError } from '../types.js';
import { Yielder } from '../../util/yield.js';
import { documentPairs } from '../qa/document-pairs.js';
import { pairDraft, type QaPair } from '../qa/pair.js';
import { tablePairs } from '../qa/table-pairs.js';
import { textPairs } from '../qa/text-pairs.js';
import type { Chunker } from './types.js';

function* tableFilePairs(sections: readonly Section[]): Generator<QaPair> {
  for (const section of sections) if (section.kind === 'table') yield* tablePairs(section);
}

function pairsOf(sections: readonly Section[], fileType: FileType): Generator<QaPair> {
  if (fileType === 'spreadsheet' || fileType === 'csv') return tableFilePairs(sections);
  if (fileType === 'txt') return textPairs(sections.map((s) => (s.kind === 'table' ? '' : s.text)).join('\n'));
  return documentPairs(sections);
}

const LAYOUTS =
  'a sheet or CSV with a question column and an answer column, "question<TAB>answer" lines, ' +
  '"Q: … / A: …" paragraphs, or headings that are questions with their answers below them';

/**
 * RAGFlow's "Q&A" method: one chunk per question/answer pair, content "Question: q\tAnswer: a",
 * only the question indexed and embedded. Pairs missing either half are dropped.
 */
export const qaChunker: Chunker = {
  method: 'qa',
  accepts: ['spreadsheet', 'csv', 'txt', 'md', 'docx', 'pdf', 'html'],
  async chunk(parsed, context) {
    const yielder = new Yielder(context.signal);
    const drafts: ChunkDraft[] = [];
    for (const pair of pairsOf(parsed.sections, context.fileType)) {
      await yielder.tick();
      const draft = pairDraft(pair);
      if (draft) drafts.push(draft);
    }
    if (drafts.length === 0 && parsed.sections.length > 0) {
      throw new IngestError(`No question/answer pairs were found in ${context.fileName}; the Q&A method reads ${LAYOUTS}.`);
    }
    return drafts;
  },
};
