import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface ModuleLocation {
  /** File path, for createRequire. */
  path: string;
  /** file: URL, for import() inside worker threads. */
  url: string;
}

// This file's own path: __filename in the CommonJS build, import.meta.url in the ESM build and in
// sources. Worker threads started from eval'd source cannot resolve packages themselves, so the
// main thread resolves them from here and passes the location.
const here = typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
const requireHere = createRequire(here);
const cache = new Map<string, ModuleLocation | null>();

/** Where an installed package (or a file in it) lives, as resolved from this package; null when it is not installed. */
export function moduleLocation(specifier: string): ModuleLocation | null {
  if (cache.has(specifier)) return cache.get(specifier) ?? null;
  let location: ModuleLocation | null;
  try {
    const path = requireHere.resolve(specifier);
    location = { path, url: pathToFileURL(path).href };
  } catch {
    location = null;
  }
  cache.set(specifier, location);
  return location;
}

/** require.resolve() as seen from this package; throws when the package is not installed. */
export function resolveFromPackage(specifier: string): string {
  return requireHere.resolve(specifier);
}

/** require() as seen from this package, for CommonJS-only packages and optional ones. */
export function requireFromPackage(specifier: string): unknown {
  return requireHere(specifier);
}
