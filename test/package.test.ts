import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * The published entry points, as a user's process loads them: ESM import and CJS require of the
 * build, each parsing a real PDF end to end. `.ci/run` builds before it tests, so dist/ is there.
 */
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const PDF = fileURLToPath(new URL('../../shared/data/parsing-docling/pdf/multi_page.pdf', import.meta.url));
const run = promisify(execFile);
const built = existsSync(`${ROOT}dist/index.js`) && existsSync(`${ROOT}dist/index.cjs`);

const script = (load: string) => `
${load}
(async () => {
  const rag = await RagFlow.open();
  const ds = await rag.datasets.create({ name: 'smoke' });
  const [doc] = await rag.documents.upload(ds.id, ${JSON.stringify(PDF)});
  const [done] = await rag.documents.parse(ds.id, [doc.id], { wait: true });
  const { chunks } = await rag.retrieve({ datasetIds: [ds.id], question: 'page' , similarityThreshold: 0 });
  console.log(JSON.stringify({ run: done.run, chunks: done.chunkCount, hits: chunks.length }));
  await rag.close();
})();`;

describe.skipIf(!built)('the built package (run `npm run build` first)', () => {
  it('loads with import (ESM) and parses a PDF', async () => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script(`import { RagFlow } from '${ROOT}dist/index.js';`)]);
    const out = JSON.parse(stdout) as { run: string; chunks: number; hits: number };
    expect(out.run).toBe('DONE');
    expect(out.chunks).toBeGreaterThan(0);
  });

  it('loads with require (CJS) and parses a PDF', async () => {
    const { stdout } = await run(process.execPath, ['-e', script(`const { RagFlow } = require('${ROOT}dist/index.cjs');`)]);
    const out = JSON.parse(stdout) as { run: string; chunks: number; hits: number };
    expect(out.run).toBe('DONE');
    expect(out.chunks).toBeGreaterThan(0);
  });
});
