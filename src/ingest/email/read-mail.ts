import type { Email } from 'postal-mime';
import type { ParseContext, Section } from '../types.js';
import { IngestError } from '../types.js';
import { htmlToSections } from '../parsers/html-sections.js';
import { headerText, hasHeaderFields } from './headers.js';
import { readAttachments } from './attachments.js';
import { MimeParseError, parseMime } from './parse-mime.js';
import { BODY_PART, HEADERS_PART, NOT_INDEXED_PART } from './parts.js';

/** How deep mails attached to mails are read; a deeper one is listed as not indexed. */
const MAX_MAIL_DEPTH = 3;


async function parseMessage(bytes: Uint8Array, context: ParseContext): Promise<Email> {
  try {
    // Forwarded messages stay attachments, so that their text is tagged as theirs and not merged
    // into this mail's body.
    return await parseMime(bytes, { forceRfc822Attachments: true }, context.signal);
  } catch (error) {
    if (!(error instanceof MimeParseError)) throw error;
    throw new IngestError(`The file "${context.fileName}" could not be read as an e-mail message: ${error.message}`, { cause: error });
  }
}

/** The plain-text body when the mail has one, else its HTML body as sections (headings kept). */
async function bodySections(email: Email, signal: AbortSignal | undefined): Promise<Section[]> {
  const text = email.text?.replace(/\r\n?/g, '\n');
  if (text?.trim()) return [{ kind: 'text', text, source: { part: BODY_PART } }];
  if (!email.html?.trim()) return [];
  const sections = await htmlToSections(email.html, { mainContent: true, ...(signal && { signal }) });
  return sections.map((s) => ({ ...s, source: { ...s.source, part: BODY_PART } }));
}

/**
 * An e-mail as sections: the header block, the body, then each readable attachment's sections and
 * a closing list of the attachments that were not indexed. `depth` counts mails inside mails.
 */
export async function readMail(bytes: Uint8Array, context: ParseContext, depth = 1): Promise<Section[]> {
  const email = await parseMessage(bytes, context);
  context.signal?.throwIfAborted();
  const headers = headerText(email);
  const body = await bodySections(email, context.signal);
  if (!hasHeaderFields(email) && body.length === 0 && email.attachments.length === 0) {
    throw new IngestError(`The file "${context.fileName}" is not an e-mail message (no header fields and no body).`);
  }
  const nested = depth < MAX_MAIL_DEPTH ? (b: Uint8Array, c: ParseContext) => readMail(b, c, depth + 1) : null;
  const attachments = await readAttachments(email.attachments, context, nested);

  const sections: Section[] = [];
  if (headers) sections.push({ kind: 'text', text: headers, source: { part: HEADERS_PART } });
  sections.push(...body, ...attachments.sections);
  if (attachments.notIndexed.length > 0) {
    sections.push({
      kind: 'text',
      text: `Attachments not indexed: ${attachments.notIndexed.join('; ')}`,
      source: { part: NOT_INDEXED_PART },
    });
  }
  return sections;
}
