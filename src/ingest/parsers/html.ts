import type { ParsedFile, Parser } from '../types.js';
import { decodeText } from '../text-decode.js';
import { htmlToSections } from './html-sections.js';

export const htmlParser: Parser = {
  type: 'html',
  parse: async (bytes): Promise<ParsedFile> => ({
    sections: htmlToSections(decodeText(bytes), { mainContent: true }),
  }),
};
