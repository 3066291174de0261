import type { Parser } from '../types.js';
import { IngestError } from '../types.js';

// Placeholder until this format's parser lands (issue 6).
export const epubParser: Parser = {
  type: 'epub',
  parse: () => Promise.reject(new IngestError('Reading epub files is not implemented yet.')),
};
