import type { ParsedFile, Parser, Section } from '../types.js';
import { decodeText } from '../text-decode.js';

function parseText(bytes: Uint8Array): ParsedFile {
  const text = decodeText(bytes);
  // One section: the chunker splits on the dataset's delimiters, which is how RAGFlow treats txt/code.
  const sections: Section[] = text.trim() ? [{ kind: 'text', text }] : [];
  return { sections };
}

export const textParser: Parser = {
  type: 'txt',
  parse: async (bytes) => parseText(bytes),
};

export const codeParser: Parser = {
  type: 'code',
  parse: async (bytes) => parseText(bytes),
};
