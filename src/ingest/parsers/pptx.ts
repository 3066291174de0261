import type { Parser } from '../types.js';
import { IngestError } from '../types.js';

// Placeholder until this format's parser lands (issue 6).
export const pptxParser: Parser = {
  type: 'pptx',
  parse: () => Promise.reject(new IngestError('Reading pptx files is not implemented yet.')),
};
