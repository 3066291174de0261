import { defineConfig, type Options } from 'tsup';

// Native and optional providers stay external: they are resolved from the user's node_modules.
// stemmer ships ESM only: bundled, so the CJS build needs no require(esm).
const shared: Options = {
  sourcemap: true,
  target: 'node20',
  noExternal: ['stemmer'],
  external: ['better-sqlite3', 'sqlite-vec', 'pdfjs-dist', '@huggingface/transformers', 'ollama', 'express'],
  // src/util/module-location.ts reads import.meta.url only where __filename is missing (ESM), so the
  // CommonJS build's empty import.meta is never used.
  esbuildOptions(options) {
    options.logOverride = { ...options.logOverride, 'empty-import-meta': 'silent' };
  },
};

export default defineConfig([
  {
    ...shared,
    entry: { index: 'src/index.ts', express: 'adapters/express/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
  },
  {
    // The CLI: one ESM file with its shebang, run as `ragflow` (package.json "bin").
    ...shared,
    entry: { cli: 'bin/ragflow.ts' },
    format: ['esm'],
    dts: false,
    clean: false,
  },
]);
