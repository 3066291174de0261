import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseFile } from '../../src/ingest/index.js';
import { chunkerFor } from '../../src/ingest/chunkers/index.js';
import { emailChunker } from '../../src/ingest/chunkers/email.js';
import type { RagFlow } from '../../src/ragflow.js';
import type { Dataset, Document } from '../../src/types.js';
import { openMemory } from '../ragflow/helpers.js';
import { ControlledModel } from '../ragflow/test-models.js';
import { composeMail, mailWithAttachments } from './email-fixtures.js';

async function chunkMail(bytes: Uint8Array, chunkTokenNum = 128) {
  const parsed = await parseFile(bytes, 'mail.eml');
  return emailChunker.chunk(parsed, { fileType: 'eml', fileName: 'mail.eml', chunkTokenNum, delimiter: '\n!?。；！？', bytes });
}

describe('email chunker', () => {
  it('reads only mails', () => {
    expect(chunkerFor('email', 'eml')).toBe(emailChunker);
    expect(() => chunkerFor('email', 'pdf')).toThrow(/"email" parse method cannot read \.pdf files/);
  });

  it('keeps the headers in one chunk and chunks the body and each attachment apart', async () => {
    const chunks = await chunkMail(await mailWithAttachments());
    expect(chunks[0]).toEqual({
      content:
        'From: Ann Archer <ann@example.com>\nTo: bob@example.com, Cy Cole <cy@example.com>\n' +
        'Cc: dora@example.com\nDate: 2026-03-04T05:06:07.000Z\nSubject: Quarterly numbers',
      positions: [],
      source: { part: 'headers' },
    });
    expect(chunks.map((c) => c.source?.part)).toEqual(['headers', 'body', 'notes.txt', 'sales.csv', 'report.docx', 'attachments']);
    expect(chunks[1]?.content).toContain('The meeting moved to Thursday.');
    expect(chunks[1]?.content).not.toContain('Quarterly numbers');
    expect(chunks[3]?.content).toMatch(/^<table>.*North.*<\/table>$/s);
    expect(chunks[4]).toMatchObject({
      content: 'Findings\nThe quokka population doubled in the western reserve.',
      source: { part: 'report.docx', headingPath: ['Findings'] },
    });
    expect(chunks[5]?.content).toBe('Attachments not indexed: archive.zip (application/zip)');
  });

  it('chunks a long body by the token budget, every piece tagged as body', async () => {
    const sentences = Array.from({ length: 60 }, (_, i) => `Sentence number ${i} talks about the harvest.`);
    const chunks = await chunkMail(await composeMail({ from: 'a@example.com', subject: 'Long', text: sentences.join('\n') }), 64);
    const body = chunks.filter((c) => c.source?.part === 'body');
    expect(body.length).toBeGreaterThan(3);
    expect(chunks.filter((c) => c.source?.part === 'headers')).toHaveLength(1);
    expect(body.map((c) => c.content).join('\n')).toBe(sentences.join('\n'));
  });
});

describe('email method end to end', () => {
  let rag: RagFlow;
  let ds: Dataset;
  beforeEach(async () => {
    const model = new ControlledModel();
    rag = await openMemory({ embeddingModels: [model] });
    ds = await rag.datasets.create({ name: 'mail', chunkMethod: 'naive', embeddingModel: model.id });
  });
  afterEach(async () => {
    await rag.close();
  });

  it('switches an uploaded mail to the email method, parses it and retrieves attachment text', async () => {
    const [doc] = (await rag.documents.upload(ds.id, { name: 'numbers.eml', data: await mailWithAttachments() })) as Document[];
    expect(doc?.chunkMethod).toBe('email');
    const [done] = await rag.documents.parse(ds.id, [doc!.id], { wait: true });
    expect(done).toMatchObject({ run: 'DONE' });

    const { chunks } = await rag.chunks.list(ds.id, doc!.id);
    expect(chunks.length).toBeGreaterThanOrEqual(6);
    for (const chunk of chunks) expect(chunk.source.part).toBeTruthy();
    expect(new Set(chunks.map((c) => c.source.part))).toEqual(
      new Set(['headers', 'body', 'notes.txt', 'sales.csv', 'report.docx', 'attachments']),
    );

    const result = await rag.retrieve({ datasetIds: [ds.id], question: 'quokka population western reserve' });
    expect(result.chunks[0]?.content).toContain('quokka population doubled');
    expect(result.chunks[0]?.source).toMatchObject({ part: 'report.docx' });
  });
});
