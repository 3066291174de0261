import type { ChunkDraft } from '../types.js';
import { buildOutline, sectionRuns } from './hierarchy.js';
import { packRun, packSettings, pathLine } from './section-pack.js';
import type { Chunker } from './types.js';

/**
 * RAGFlow's "book": the document's chapters and sections (headings, or numbered lines in plain
 * text) decide the chunks. Text stays in its deepest section and a chunk never spans two sections;
 * within a section paragraphs are packed up to the budget. Every chunk opens with its section path
 * on one line ("Chapter 3 > 3.2 Results"): one line keeps the path cheap in tokens, and a passage
 * found on its own still says where in the book it is.
 */
export const bookChunker: Chunker = {
  method: 'book',
  accepts: ['docx', 'pdf', 'txt', 'html', 'md', 'epub'],
  async chunk(parsed, context): Promise<ChunkDraft[]> {
    const settings = packSettings(context);
    const outline = await buildOutline(parsed.sections, { nestOutlineNumbers: true, ...(context.signal && { signal: context.signal }) });
    const drafts: ChunkDraft[] = [];
    for (const run of sectionRuns(outline.items)) drafts.push(...(await packRun(run, pathLine(run.path), settings)));
    return drafts;
  },
};
