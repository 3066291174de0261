import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface XlsxModule {
  path: string;
  url: string;
}

let cached: XlsxModule | null | undefined;

/**
 * Where SheetJS's CommonJS build lives (it bundles the code pages old .xls files need), resolved
 * from this file so it works from the ESM and CJS builds; null when it cannot be resolved as a file.
 */
export function xlsxModule(): XlsxModule | null {
  if (cached !== undefined) return cached;
  try {
    const here = typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
    const path = createRequire(here).resolve('@e965/xlsx');
    cached = { path, url: pathToFileURL(path).href };
  } catch {
    cached = null;
  }
  return cached;
}

/**
 * SheetJS loaded on this thread, for when no worker can start: the CommonJS build when it resolves
 * as a file, otherwise whatever the host's module system (or a bundler) gives for the package.
 */
export async function loadXlsxHere(): Promise<unknown> {
  const module = xlsxModule();
  if (module) return createRequire(module.path)(module.path);
  const loaded = (await import('@e965/xlsx')) as { default?: unknown };
  return loaded.default ?? loaded;
}
