import type { ChunkDraft, Section } from '../types.js';
import { HEADERS_PART } from '../email/parts.js';
import { chunkNaive } from './naive.js';
import type { Chunker } from './types.js';
import { Yielder } from '../../util/yield.js';

/** Consecutive sections from the same part of the mail (headers, body, one attachment). */
function groupByPart(sections: readonly Section[]): Section[][] {
  const groups: Section[][] = [];
  let current: Section[] = [];
  for (const section of sections) {
    if (current.length > 0 && current[0]?.source?.part !== section.source?.part) {
      groups.push(current);
      current = [];
    }
    current.push(section);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

function sectionText(section: Section): string {
  return section.kind === 'table' ? section.rows.map((row) => row.join(' ')).join('\n') : section.text;
}

/**
 * RAGFlow's "email" method: the header block is one chunk, and the body and each attachment are
 * chunked apart with the naive rules, so no chunk mixes two parts and each says which it is from.
 *
 * Body chunks are not prefixed with the Subject line, as in RAGFlow: the header chunk already holds
 * it, and repeating it in every chunk would spend each chunk's token budget on it and make every
 * chunk of a long mail match the subject's words in keyword search, crowding out other documents.
 */
export const emailChunker: Chunker = {
  method: 'email',
  accepts: ['eml'],
  chunk: async (parsed, context): Promise<ChunkDraft[]> => {
    const yielder = new Yielder(context.signal);
    const config = { chunkTokenNum: context.chunkTokenNum, delimiter: context.delimiter };
    const options = context.signal ? { signal: context.signal } : {};
    const drafts: ChunkDraft[] = [];
    for (const group of groupByPart(parsed.sections)) {
      await yielder.tick();
      const source = group[0]?.source;
      if (source?.part === HEADERS_PART) {
        const content = group.map(sectionText).join('\n').trim();
        if (content) drafts.push({ content, positions: [], source: { part: HEADERS_PART } });
        continue;
      }
      drafts.push(...(await chunkNaive(group, config, options)));
    }
    return drafts;
  },
};
