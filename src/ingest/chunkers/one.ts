import { mergeSources } from '../source.js';
import { chunkNaive } from './naive.js';
import type { Chunker } from './types.js';

/** RAGFlow's "One": the whole document is a single chunk, however long. */
export const oneChunker: Chunker = {
  method: 'one',
  accepts: 'any',
  async chunk(parsed, context) {
    const pieces = await chunkNaive(
      parsed.sections,
      { chunkTokenNum: Number.MAX_SAFE_INTEGER, delimiter: '' },
      { ...(context.signal && { signal: context.signal }) },
    );
    if (pieces.length === 0) return [];
    const source = pieces.reduce((merged, piece) => mergeSources(merged, piece.source), pieces[0]?.source ?? {});
    return [{ content: pieces.map((p) => p.content).join('\n'), positions: pieces.flatMap((p) => p.positions), source }];
  },
};
