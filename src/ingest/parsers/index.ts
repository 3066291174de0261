import type { FileType, Parser } from '../types.js';
import { codeParser, textParser } from './text.js';
import { markdownParser } from './markdown.js';
import { htmlParser } from './html.js';
import { pdfParser } from './pdf.js';
import { docxParser } from './docx.js';
import { jsonParser, jsonlParser } from './json.js';
import { csvParser } from './csv.js';
import { spreadsheetParser } from './spreadsheet.js';
import { pptxParser } from './pptx.js';
import { emlParser } from './eml.js';
import { epubParser } from './epub.js';
import { imageParser } from './image.js';

export const PARSERS: Readonly<Record<FileType, Parser>> = {
  pdf: pdfParser,
  docx: docxParser,
  txt: textParser,
  code: codeParser,
  md: markdownParser,
  html: htmlParser,
  json: jsonParser,
  jsonl: jsonlParser,
  csv: csvParser,
  spreadsheet: spreadsheetParser,
  pptx: pptxParser,
  eml: emlParser,
  epub: epubParser,
  image: imageParser,
};

export function getParser(type: FileType): Parser {
  return PARSERS[type];
}
