import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RagFlow } from '../../src/ragflow.js';
import type { Dataset, Document } from '../../src/types.js';
import { tempDir, text } from './helpers.js';
import { ControlledModel } from './test-models.js';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CONTENT = Array.from({ length: 40 }, (_, i) => `Paragraph ${i} talks about subject number ${i}.`).join('\n');

function runChild(args: string[]): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { cwd: ROOT, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve(signal));
  });
}

let tmp: Awaited<ReturnType<typeof tempDir>>;
let path: string;
let ds: Dataset;
let doc: Document;
let firstChunks: string[];

beforeEach(async () => {
  tmp = await tempDir();
  path = join(tmp.dir, 'kb.db');
  const rag = await RagFlow.open({ path, embeddingModels: [new ControlledModel()] });
  ds = await rag.datasets.create({ name: 'kb', embeddingModel: 'controlled@Test', parserConfig: { chunkTokenNum: 16 } });
  [doc] = (await rag.documents.upload(ds.id, { name: 'notes.txt', data: text(CONTENT) })) as [Document];
  await rag.documents.parse(ds.id, [doc.id], { wait: true });
  firstChunks = (await rag.chunks.list(ds.id, doc.id, { pageSize: 1000 })).chunks.map((c) => c.id);
  await rag.close();
  expect(firstChunks.length).toBeGreaterThan(3);
  expect(await runChild([path, ds.id, doc.id])).toBe('SIGKILL');
}, 60_000);

afterEach(async () => {
  await tmp.cleanup();
});

describe('a crash in the middle of a parse', () => {
  it('leaves the old chunks intact and the document re-queued by the next open()', async () => {
    const rag = await RagFlow.open({ path, embeddingModels: [new ControlledModel()] });
    try {
      const [after] = await rag.documents.waitForParsing(ds.id, [doc.id]);
      expect(after?.run).toBe('DONE');
      expect(after?.progressMsg).toContain('Re-queued after an interrupted run.');
      const chunks = (await rag.chunks.list(ds.id, doc.id, { pageSize: 1000 })).chunks.map((c) => c.id);
      expect(chunks).toEqual(firstChunks);
      expect((await rag.datasets.get(ds.id)).chunkCount).toBe(firstChunks.length);
    } finally {
      await rag.close();
    }
  }, 60_000);

  it('or fails it with a message when resuming is off, keeping the old chunks', async () => {
    const rag = await RagFlow.open({ path, embeddingModels: [new ControlledModel()], resumeParsing: false });
    try {
      const after = await rag.documents.get(ds.id, doc.id);
      expect(after).toMatchObject({ run: 'FAIL', progress: -1 });
      expect(after.progressMsg).toContain('[ERROR]Parsing was interrupted');
      const chunks = (await rag.chunks.list(ds.id, doc.id, { pageSize: 1000 })).chunks.map((c) => c.id);
      expect(chunks).toEqual(firstChunks);
    } finally {
      await rag.close();
    }
  }, 60_000);
});
