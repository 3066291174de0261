import type { Attachment } from 'postal-mime';
import type { FileType, ParseContext, Section } from '../types.js';
import { detectFileType, explainUndetected, typeFromExtension } from '../detect.js';
import { Yielder } from '../../util/yield.js';
import { attachmentName, extensionForMimeType } from './attachment-name.js';

/** Reads a mail attached to a mail, one level deeper. */
export type NestedMailReader = (bytes: Uint8Array, context: ParseContext) => Promise<Section[]>;

export interface AttachmentSections {
  /** Every readable attachment's sections, each tagged with the attachment's name as its part. */
  sections: Section[];
  /** "name (type)" or "name (type: why)" for each attachment that was not indexed. */
  notIndexed: string[];
}

function attachmentBytes(attachment: Attachment): Uint8Array {
  const { content } = attachment;
  if (typeof content === 'string') return new TextEncoder().encode(content);
  return content instanceof Uint8Array ? content : new Uint8Array(content);
}

/** The type from the name, else from the MIME type (some mailers send "report" or "noname"). */
function attachmentType(name: string, mimeType: string, bytes: Uint8Array): FileType | null {
  const byName = detectFileType(name, bytes);
  if (byName) return byName;
  const extension = extensionForMimeType(mimeType);
  return extension ? detectFileType(`attachment.${extension}`, bytes) : null;
}

/** An image the HTML body shows by Content-ID (logos, signatures): part of the body, not a file sent. */
function isBodyImage(attachment: Attachment): boolean {
  return attachment.related === true && attachment.mimeType.startsWith('image/');
}

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error instanceof Error && error.name === 'AbortError');
}

/** Two attachments may share a file name; their parts must not, or their chunks would merge. */
function uniqueName(name: string, used: Map<string, number>): string {
  const seen = (used.get(name) ?? 0) + 1;
  used.set(name, seen);
  return seen === 1 ? name : `${name} (${seen})`;
}

function inPart(section: Section, name: string): Section {
  const inner = section.source?.part;
  // A container inside the mail (a forwarded mail, a book) keeps its own part after the file name.
  return { ...section, source: { ...section.source, part: inner ? `${name} / ${inner}` : name } };
}

/**
 * Parses every attachment our ingest layer can read, with the parser its type has. One that cannot
 * be read, or whose parsing fails, is reported in `notIndexed` instead of failing the mail; only an
 * abort propagates.
 */
export async function readAttachments(
  attachments: readonly Attachment[],
  context: ParseContext,
  readNestedMail: NestedMailReader | null,
): Promise<AttachmentSections> {
  // Loaded on use: the parser registry imports this format's parser, so a static import is a cycle.
  const { getParser } = await import('../parsers/index.js');
  const yielder = new Yielder(context.signal);
  const sections: Section[] = [];
  const notIndexed: string[] = [];
  const files = attachments.filter((a) => !isBodyImage(a));
  const usedNames = new Map<string, number>();

  for (const [index, attachment] of files.entries()) {
    await yielder.now();
    context.onProgress?.(index / files.length, `Attachment ${index + 1}/${files.length}`);
    const name = uniqueName(attachmentName(attachment, index), usedNames);
    const bytes = attachmentBytes(attachment);
    const type = attachmentType(name, attachment.mimeType, bytes);
    if (type === null) {
      // A known extension whose bytes contradict it deserves the reason; an unknown type does not.
      const why = typeFromExtension(name) ? `: ${explainUndetected(name, bytes)}` : '';
      notIndexed.push(`${name} (${attachment.mimeType}${why})`);
      continue;
    }
    if (type === 'eml' && readNestedMail === null) {
      notIndexed.push(`${name} (${attachment.mimeType}: mails nested too deeply)`);
      continue;
    }
    const childContext: ParseContext = {
      fileName: name,
      ...(context.signal && { signal: context.signal }),
      ...(context.chunkTokenNum !== undefined && { chunkTokenNum: context.chunkTokenNum }),
      ...(context.ocr && { ocr: context.ocr }),
    };
    try {
      const parsed =
        type === 'eml' && readNestedMail
          ? await readNestedMail(bytes, childContext)
          : (await getParser(type).parse(bytes, childContext)).sections;
      for (const section of parsed) sections.push(inPart(section, name));
    } catch (error) {
      if (isAbort(error, context.signal)) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      notIndexed.push(`${name} (${attachment.mimeType}: ${reason})`);
    }
  }
  return { sections, notIndexed };
}
