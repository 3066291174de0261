import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // Native and optional providers stay external: they are resolved from the user's node_modules.
  // stemmer ships ESM only: bundle it so the CJS build needs no require(esm).
  noExternal: ['stemmer'],
  external: ['better-sqlite3', 'sqlite-vec', 'pdfjs-dist', '@huggingface/transformers', 'ollama'],
});
