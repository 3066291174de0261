import { createRequire } from 'node:module';
import { moduleLocation, type ModuleLocation } from '../../util/module-location.js';

export type XlsxModule = ModuleLocation;

/**
 * Where SheetJS's CommonJS build lives (it bundles the code pages old .xls files need), resolved
 * from this file so it works from the ESM and CJS builds; null when it cannot be resolved as a file.
 */
export function xlsxModule(): XlsxModule | null {
  return moduleLocation('@e965/xlsx');
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
