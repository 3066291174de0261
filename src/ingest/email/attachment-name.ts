import type { Attachment } from 'postal-mime';

/** Extensions our ingest layer knows, by the MIME types mailers label attachments with. */
const MIME_EXTENSIONS: ReadonlyMap<string, string> = new Map([
  ['message/rfc822', 'eml'],
  ['text/plain', 'txt'],
  ['text/markdown', 'md'],
  ['text/html', 'html'],
  ['text/csv', 'csv'],
  ['text/tab-separated-values', 'tsv'],
  ['application/json', 'json'],
  ['application/pdf', 'pdf'],
  ['application/epub+zip', 'epub'],
  ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'docx'],
  ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
  ['application/vnd.ms-excel', 'xls'],
  ['application/vnd.oasis.opendocument.spreadsheet', 'ods'],
  ['application/vnd.openxmlformats-officedocument.presentationml.presentation', 'pptx'],
  ['image/png', 'png'],
  ['image/jpeg', 'jpg'],
  ['image/tiff', 'tif'],
  ['image/bmp', 'bmp'],
  ['image/webp', 'webp'],
]);

/** The extension the attachment's MIME type implies, when we know one. */
export function extensionForMimeType(mimeType: string): string | undefined {
  return MIME_EXTENSIONS.get(mimeType.toLowerCase());
}

/**
 * A name for the attachment: its own file name, or one made from its position and MIME type
 * (forwarded messages and some inline parts carry no name).
 */
export function attachmentName(attachment: Attachment, index: number): string {
  const own = attachment.filename?.replace(/[\r\n]+/g, ' ').trim();
  if (own) return own;
  const base = attachment.mimeType === 'message/rfc822' ? 'forwarded-message' : 'attachment';
  const extension = extensionForMimeType(attachment.mimeType);
  return `${base}-${index + 1}${extension ? `.${extension}` : ''}`;
}
