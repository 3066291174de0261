import type { ParsedFile, Parser } from '../types.js';
import { readMail } from '../email/read-mail.js';

/** .eml (RFC 5322 messages): headers, body and attachments, each section tagged with its part. */
export const emlParser: Parser = {
  type: 'eml',
  parse: async (bytes, context): Promise<ParsedFile> => ({ sections: await readMail(bytes, context) }),
};
