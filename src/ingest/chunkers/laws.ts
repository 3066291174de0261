import { naiveChunker } from './naive.js';
import type { Chunker } from './types.js';

// Placeholder: parses as naive until this method lands (issue 6).
export const lawsChunker: Chunker = { ...naiveChunker, method: 'laws' };
