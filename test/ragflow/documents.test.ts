import { Readable } from 'node:stream';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RagFlow } from '../../src/ragflow.js';
import type { Dataset } from '../../src/types.js';
import { expectRagFlowError, openMemory, SHARED_DATA, tempDir, text } from './helpers.js';

let rag: RagFlow;
let ds: Dataset;
beforeEach(async () => {
  rag = await openMemory({ maxUploadBytes: 1024 });
  ds = await rag.datasets.create({ name: 'docs' });
});
afterEach(async () => {
  await rag.close();
});

describe('documents', () => {
  it('uploads from bytes, ArrayBuffer, Node and web streams, and a path', async () => {
    const tmp = await tempDir();
    try {
      const path = join(tmp.dir, 'from-disk.md');
      await writeFile(path, '# Title\n\nBody');
      const docs = await rag.documents.upload(ds.id, [
        { name: 'a.txt', data: text('alpha') },
        { name: 'b.txt', data: text('bravo').buffer as ArrayBuffer },
        { name: 'c.txt', data: Readable.from([Buffer.from('char'), Buffer.from('lie')]) },
        { name: 'd.txt', data: new Blob(['delta']).stream() },
        path,
      ]);
      expect(docs.map((d) => [d.name, d.type, d.size, d.run])).toEqual([
        ['a.txt', 'txt', 5, 'UNSTART'],
        ['b.txt', 'txt', 5, 'UNSTART'],
        ['c.txt', 'txt', 7, 'UNSTART'],
        ['d.txt', 'txt', 5, 'UNSTART'],
        ['from-disk.md', 'md', 13, 'UNSTART'],
      ]);
      expect((await rag.documents.download(ds.id, docs[2]!.id)).data.toString()).toBe('charlie');
      expect((await rag.datasets.get(ds.id)).documentCount).toBe(5);
    } finally {
      await tmp.cleanup();
    }
  });

  it('returns the original bytes byte for byte', async () => {
    const big = await openMemory();
    try {
      const kb = await big.datasets.create({ name: 'pdf' });
      const bytes = await readFile(join(SHARED_DATA, 'parsing-docling/pdf/code_and_formula.pdf'));
      const [doc] = await big.documents.upload(kb.id, { name: 'paper.pdf', data: bytes });
      const file = await big.documents.download(kb.id, doc!.id);
      expect(file.name).toBe('paper.pdf');
      expect(file.data.length).toBe(bytes.length);
      expect(Buffer.compare(file.data, bytes)).toBe(0);
    } finally {
      await big.close();
    }
  });

  it('renames duplicate file names a(1).txt, a(2).txt', async () => {
    const names = [];
    for (let i = 0; i < 3; i++) names.push((await rag.documents.upload(ds.id, { name: 'a.txt', data: text('x') }))[0]!.name);
    expect(names).toEqual(['a.txt', 'a(1).txt', 'a(2).txt']);
  });

  it('rejects an unsupported type naming the supported ones, and keeps nothing of the request', async () => {
    await expectRagFlowError(
      rag.documents.upload(ds.id, [
        { name: 'ok.txt', data: text('fine') },
        { name: 'app.exe', data: new Uint8Array([0x4d, 0x5a, 0, 0]) },
      ]),
      101,
      /app\.exe.*Supported:.*\.pdf .*\.docx/s,
    );
    await expectRagFlowError(rag.documents.upload(ds.id, { name: 'fake.pdf', data: text('not a pdf') }), 101, /fake\.pdf/);
    expect((await rag.documents.list(ds.id)).total).toBe(0);
  });

  it('rejects an oversized file (bytes or stream) and keeps nothing', async () => {
    await expectRagFlowError(
      rag.documents.upload(ds.id, { name: 'big.txt', data: new Uint8Array(2048).fill(65) }),
      101,
      /upload limit/,
    );
    async function* endless() {
      for (;;) yield new Uint8Array(512).fill(66);
    }
    await expectRagFlowError(rag.documents.upload(ds.id, { name: 'stream.txt', data: endless() }), 101, /upload limit/);
    expect((await rag.documents.list(ds.id)).total).toBe(0);
  });

  it('sanitises file names: no path, no control characters, at most 255 bytes', async () => {
    const [doc] = await rag.documents.upload(ds.id, { name: '../../etc/pass\u0000wd.txt', data: text('x') });
    expect(doc!.name).toBe('passwd.txt');
    await expectRagFlowError(rag.documents.upload(ds.id, { name: `${'é'.repeat(130)}.txt`, data: text('x') }), 101, /255/);
    await expectRagFlowError(rag.documents.upload(ds.id, { name: '..', data: text('x') }), 101);
  });

  it('lists with keywords, name, paging and order', async () => {
    for (const name of ['report-2024.txt', 'report-2025.txt', 'notes.txt']) {
      await rag.documents.upload(ds.id, { name, data: text(name) });
    }
    const reports = await rag.documents.list(ds.id, { keywords: 'REPORT', orderBy: 'name', desc: false });
    expect(reports.items.map((d) => d.name)).toEqual(['report-2024.txt', 'report-2025.txt']);
    expect(reports.total).toBe(2);
    expect((await rag.documents.list(ds.id, { name: 'notes.txt' })).items).toHaveLength(1);
    const paged = await rag.documents.list(ds.id, { orderBy: 'name', desc: false, page: 2, pageSize: 2 });
    expect(paged.items.map((d) => d.name)).toEqual(['report-2025.txt']);
  });

  it('updates name (same extension, unique), chunk method and parser config', async () => {
    const [a, b] = await rag.documents.upload(ds.id, [
      { name: 'a.txt', data: text('a') },
      { name: 'b.txt', data: text('b') },
    ]);
    expect((await rag.documents.update(ds.id, a!.id, { name: 'renamed.txt' })).name).toBe('renamed.txt');
    await expectRagFlowError(rag.documents.update(ds.id, a!.id, { name: 'renamed.md' }), 101, /extension/);
    await expectRagFlowError(rag.documents.update(ds.id, a!.id, { name: 'B.txt' }), 102, /Duplicated/);
    const unchanged = await rag.documents.update(ds.id, b!.id, { chunkMethod: b!.chunkMethod, parserConfig: b!.parserConfig });
    expect(unchanged).toMatchObject({ chunkMethod: b!.chunkMethod, parserConfig: b!.parserConfig });
    const changed = await rag.documents.update(ds.id, b!.id, { chunkMethod: 'one', parserConfig: { chunkTokenNum: 64 } });
    expect(changed).toMatchObject({ chunkMethod: 'one', run: 'UNSTART', progress: 0 });
    expect(changed.parserConfig.chunkTokenNum).toBe(64);
  });

  it('deletes all or nothing and adjusts the dataset counters', async () => {
    const [a] = await rag.documents.upload(ds.id, { name: 'a.txt', data: text('alpha') });
    await rag.chunks.add(ds.id, a!.id, { content: ['one chunk', 'two chunk'] });
    expect((await rag.datasets.get(ds.id)).chunkCount).toBe(2);
    await expectRagFlowError(rag.documents.delete(ds.id, [a!.id, 'nope']), 102, /nope/);
    expect((await rag.documents.list(ds.id)).total).toBe(1);
    await rag.documents.delete(ds.id, [a!.id]);
    const after = await rag.datasets.get(ds.id);
    expect([after.documentCount, after.chunkCount]).toEqual([0, 0]);
    await expectRagFlowError(rag.documents.download(ds.id, a!.id), 102);
  });

  it("keeps another tenant's documents invisible", async () => {
    const [doc] = await rag.documents.upload(ds.id, { name: 'a.txt', data: text('alpha') });
    const other = rag.forTenant('acme');
    await expectRagFlowError(other.documents.get(ds.id, doc!.id), 102, /not found/);
    await expectRagFlowError(other.documents.download(ds.id, doc!.id), 102, /not found/);
    await expectRagFlowError(other.documents.upload(ds.id, { name: 'b.txt', data: text('b') }), 102, /not found/);
    await expectRagFlowError(other.documents.parse(ds.id, [doc!.id]), 102, /not found/);
  });
});
