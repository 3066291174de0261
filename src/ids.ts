import { createHash, randomUUID } from 'node:crypto';

/** 32 lowercase hex characters, the shape of RAGFlow's ids. */
export const newId = (): string => randomUUID().replaceAll('-', '');

/**
 * RAGFlow derives a chunk id from its content and document (SEED: MD5), so the same text added to
 * the same document twice is one chunk, not two.
 */
export const chunkId = (content: string, documentId: string): string =>
  createHash('md5').update(content).update(documentId).digest('hex');
