import type { ParsedFile, Parser } from '../types.js';
import { decodeText } from '../text-decode.js';
import { htmlToSections } from './html-sections.js';

export const htmlParser: Parser = {
  type: 'html',
  parse: async (bytes, context): Promise<ParsedFile> => {
    const options = context.signal ? { mainContent: true, signal: context.signal } : { mainContent: true };
    return { sections: await htmlToSections(decodeText(bytes), options) };
  },
};
