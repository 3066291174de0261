import type { FileType } from './types.js';
import { looksLikeText } from './text-decode.js';

const CODE_EXTENSIONS = [
  'py', 'pyi', 'js', 'mjs', 'cjs', 'ts', 'mts', 'cts', 'tsx', 'jsx', 'java', 'c', 'cc', 'cpp', 'cxx', 'h', 'hh',
  'hpp', 'cs', 'go', 'rs', 'rb', 'php', 'sh', 'bash', 'zsh', 'ps1', 'bat', 'kt', 'kts', 'swift', 'sql', 'scala',
  'lua', 'r', 'pl', 'pm', 'm', 'dart', 'ex', 'exs', 'erl', 'hs', 'clj', 'groovy', 'gradle', 'vue', 'svelte',
  'css', 'scss', 'less', 'yaml', 'yml', 'toml', 'ini', 'cfg', 'conf', 'properties', 'env', 'xml', 'proto',
  'graphql', 'gql', 'tf', 'dockerfile', 'makefile', 'cmake',
] as const;

const EXTENSION_TYPES: ReadonlyMap<string, FileType> = new Map<string, FileType>([
  ['pdf', 'pdf'],
  ['docx', 'docx'],
  ['txt', 'txt'],
  ['text', 'txt'],
  ['log', 'txt'],
  ['md', 'md'],
  ['markdown', 'md'],
  ['mdx', 'md'],
  ['htm', 'html'],
  ['html', 'html'],
  ['xhtml', 'html'],
  ['json', 'json'],
  ['jsonl', 'jsonl'],
  ['ldjson', 'jsonl'],
  ['ndjson', 'jsonl'],
  ['csv', 'csv'],
  ['tsv', 'csv'],
  ['xlsx', 'spreadsheet'],
  ['xlsm', 'spreadsheet'],
  ['xls', 'spreadsheet'],
  ['ods', 'spreadsheet'],
  ['pptx', 'pptx'],
  ['eml', 'eml'],
  ['epub', 'epub'],
  ['png', 'image'],
  ['jpg', 'image'],
  ['jpeg', 'image'],
  ['tif', 'image'],
  ['tiff', 'image'],
  ['bmp', 'image'],
  ['webp', 'image'],
  ...CODE_EXTENSIONS.map((ext): [string, FileType] => [ext, 'code']),
]);

/** Every extension the ingest layer accepts, without the dot, for error messages. */
export const SUPPORTED_EXTENSIONS: readonly string[] = [...EXTENSION_TYPES.keys()];

/** Lower-case extension without the dot; extension-less names such as "Makefile" count as their name. */
export function fileExtension(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return (dot > 0 ? base.slice(dot + 1) : base).toLowerCase();
}

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]; // PK\3\4
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
  if (bytes.length < at + magic.length) return false;
  return magic.every((b, i) => bytes[at + i] === b);
}

export function isPdf(bytes: Uint8Array): boolean {
  // The PDF spec tolerates junk before the header and readers look for it in the first KiB.
  const limit = Math.min(bytes.length - PDF_MAGIC.length, 1024);
  for (let i = 0; i <= limit; i++) if (startsWith(bytes, PDF_MAGIC, i)) return true;
  return false;
}

export function isZip(bytes: Uint8Array): boolean {
  return startsWith(bytes, ZIP_MAGIC);
}

/** OLE compound file: a legacy .doc, or an Office file encrypted with a password. */
export function isOleCompoundFile(bytes: Uint8Array): boolean {
  return startsWith(bytes, OLE_MAGIC);
}

const WORD_ENTRY = Buffer.from('word/');

/** A ZIP whose entry names (stored uncompressed in the archive) include the word/ folder. */
export function isDocx(bytes: Uint8Array): boolean {
  return isZip(bytes) && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(WORD_ENTRY);
}

const PPT_ENTRY = Buffer.from('ppt/');

/** A ZIP whose entry names include the ppt/ folder. */
export function isPptx(bytes: Uint8Array): boolean {
  return isZip(bytes) && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(PPT_ENTRY);
}

/** PNG, JPEG, TIFF (both byte orders), BMP or WebP, by their signatures. */
export function isImage(bytes: Uint8Array): boolean {
  return (
    startsWith(bytes, [0x89, 0x50, 0x4e, 0x47]) ||
    startsWith(bytes, [0xff, 0xd8, 0xff]) ||
    startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) ||
    startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]) ||
    startsWith(bytes, [0x42, 0x4d]) ||
    (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8))
  );
}

/** The type implied by the file name alone, or null when the extension is unknown. */
export function typeFromExtension(fileName: string): FileType | null {
  return EXTENSION_TYPES.get(fileExtension(fileName)) ?? null;
}

/**
 * The file type, from the extension and confirmed by the bytes; null when the extension is unknown or
 * the content contradicts it (a ".pdf" that is not a PDF, binary bytes in a ".txt").
 */
export function detectFileType(fileName: string, bytes: Uint8Array): FileType | null {
  const type = typeFromExtension(fileName);
  if (type === null) return null;
  switch (type) {
    case 'pdf':
      return isPdf(bytes) ? type : null;
    case 'docx':
      return isDocx(bytes) ? type : null;
    case 'spreadsheet':
      // .xls is an OLE compound file; .xlsx and .ods are ZIP packages.
      return isZip(bytes) || isOleCompoundFile(bytes) ? type : null;
    case 'pptx':
      return isPptx(bytes) ? type : null;
    case 'epub':
      return isZip(bytes) ? type : null;
    case 'image':
      return isImage(bytes) ? type : null;
    default:
      return looksLikeText(bytes) ? type : null;
  }
}

/** Why detectFileType returned null, phrased for a document's progress message. */
export function explainUndetected(fileName: string, bytes: Uint8Array): string {
  const type = typeFromExtension(fileName);
  const supported = `supported: ${SUPPORTED_EXTENSIONS.map((e) => '.' + e).join(' ')}`;
  if (type === null) return `Unsupported file type "${fileName}"; ${supported}`;
  if (bytes.length === 0) return `The file "${fileName}" is empty.`;
  if (type === 'pdf') return `The file "${fileName}" is not a PDF (no %PDF- header); it may be corrupt or have the wrong extension.`;
  if (type === 'docx') {
    if (isOleCompoundFile(bytes)) return DOCX_OLE_MESSAGE;
    return `The file "${fileName}" is not a DOCX document (not a Word ZIP package); it may be corrupt or have the wrong extension.`;
  }
  if (type === 'spreadsheet') return `The file "${fileName}" is not a spreadsheet (neither an Excel/OpenDocument ZIP package nor a legacy .xls file); it may be corrupt or have the wrong extension.`;
  if (type === 'pptx') {
    if (isOleCompoundFile(bytes)) return PPTX_OLE_MESSAGE;
    return `The file "${fileName}" is not a PowerPoint .pptx package; it may be corrupt, a legacy .ppt file, or have the wrong extension.`;
  }
  if (type === 'epub') return `The file "${fileName}" is not an EPUB book (not a ZIP package); it may be corrupt or have the wrong extension.`;
  if (type === 'image') return `The file "${fileName}" is not a PNG, JPEG, TIFF, BMP or WebP image; it may be corrupt or have the wrong extension.`;
  return `The file "${fileName}" does not look like text (binary content or an encoding other than UTF-8/UTF-16).`;
}

export const DOCX_OLE_MESSAGE =
  'The DOCX file is encrypted (password protected) or is a legacy Word .doc file; remove the password or save it as .docx and upload it again.';

export const PPTX_OLE_MESSAGE =
  'The PPTX file is encrypted (password protected) or is a legacy PowerPoint .ppt file; remove the password or save it as .pptx and upload it again.';
