import type { Parser } from '../types.js';
import { IngestError } from '../types.js';

// Placeholder until this format's parser lands (issue 6).
export const spreadsheetParser: Parser = {
  type: 'spreadsheet',
  parse: () => Promise.reject(new IngestError('Reading spreadsheet files is not implemented yet.')),
};
