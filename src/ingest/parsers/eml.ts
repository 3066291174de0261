import type { Parser } from '../types.js';
import { IngestError } from '../types.js';

// Placeholder until this format's parser lands (issue 6).
export const emlParser: Parser = {
  type: 'eml',
  parse: () => Promise.reject(new IngestError('Reading eml files is not implemented yet.')),
};
