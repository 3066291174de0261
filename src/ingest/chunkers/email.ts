import { naiveChunker } from './naive.js';
import type { Chunker } from './types.js';

// Placeholder: parses as naive until this method lands (issue 6).
export const emailChunker: Chunker = { ...naiveChunker, method: 'email', accepts: ['eml'] };
