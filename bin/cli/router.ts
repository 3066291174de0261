import type { Router } from 'express';
import type { RagFlow } from '../../src/index.js';

export interface RouterOptions {
  maxUploadBytes?: number;
  maxRequestBytes?: number;
  maxJsonBytes?: number;
  authenticate?: (key: string) => Promise<string | undefined>;
}
type RouterFactory = (rag: RagFlow, options?: RouterOptions) => Router;

/** The Express adapter (adapters/express), or undefined while it does not exist yet. */
export async function loadRouter(): Promise<RouterFactory | undefined> {
  const specifier = new URL('../../adapters/express/index.js', import.meta.url).href;
  try {
    const module = (await import(specifier)) as { ragflowRouter?: RouterFactory };
    return module.ragflowRouter;
  } catch {
    return undefined;
  }
}
