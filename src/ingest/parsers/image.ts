import type { Parser } from '../types.js';
import { IngestError } from '../types.js';

// Placeholder until this format's parser lands (issue 6).
export const imageParser: Parser = {
  type: 'image',
  parse: () => Promise.reject(new IngestError('Reading image files is not implemented yet.')),
};
