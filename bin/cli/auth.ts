import { createHash, timingSafeEqual } from 'node:crypto';
import type { RagFlow } from '../../src/index.js';

export const DEFAULT_TENANT = 'default';

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * The key given to `serve` (--api-key / RAGFLOW_API_KEY) is accepted for tenant "default" from
 * memory, never stored: it may have any form and stops working when the server stops with it.
 * Every other key is looked up in the database on each request, so keys created or revoked by
 * `ragflow keys` count at once.
 */
export function authenticator(rag: RagFlow, givenKey?: string): (key: string) => Promise<string | undefined> {
  const given = givenKey === undefined ? undefined : digest(givenKey);
  return async (key) => {
    if (typeof key !== 'string' || key === '') return undefined;
    if (given && timingSafeEqual(digest(key), given)) return DEFAULT_TENANT;
    return rag.apiKeys.authenticate(key);
  };
}
