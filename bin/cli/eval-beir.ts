import { join } from 'node:path';
import type { Dataset, Document, RagFlow } from '../../src/index.js';
import { jsonLines } from './eval-files.js';
import { Progress } from './eval-progress.js';
import { CliError } from './usage.js';

const UPLOAD_BATCH = 200;
const FINISHED = new Set(['DONE', 'FAIL', 'CANCEL']);

export interface ImportReport {
  dataset: Dataset;
  uploaded: number;
  parsed: number;
  failed: number;
  seconds: number;
}

/** The dataset called exactly `name`, if this tenant has one. */
export async function findDataset(rag: RagFlow, name: string): Promise<Dataset | undefined> {
  const { items } = await rag.datasets.list({ name, pageSize: 1024 });
  return items.find((d) => d.name === name);
}

async function allDocuments(rag: RagFlow, datasetId: string): Promise<Document[]> {
  const all: Document[] = [];
  for (let page = 1; ; page++) {
    const { items, total } = await rag.documents.list(datasetId, { page, pageSize: 1024 });
    all.push(...items);
    if (items.length === 0 || all.length >= total) return all;
  }
}

/** BEIR's corpus.jsonl entries as uploads: `<_id>.txt` holding `title\n\ntext` (only the names when asked). */
async function* corpusFiles(path: string, namesOnly = false): AsyncGenerator<{ name: string; data: Buffer }> {
  for await (const { value, where } of jsonLines(path)) {
    const id = value['_id'];
    if ((typeof id !== 'string' || id === '') && typeof id !== 'number') throw new CliError(`${where}: missing "_id"`);
    if (namesOnly) {
      yield { name: `${id}.txt`, data: Buffer.alloc(0) };
      continue;
    }
    const title = typeof value['title'] === 'string' ? value['title'].trim() : '';
    const text = typeof value['text'] === 'string' ? value['text'] : '';
    yield { name: `${id}.txt`, data: Buffer.from(title === '' ? text : `${title}\n\n${text}`) };
  }
}

/**
 * Imports a BEIR folder into the dataset `name` (created if missing): uploads the corpus entries
 * it does not have yet, in batches, then parses every document not parsed yet and waits. Run
 * again after an interruption, it picks up where it stopped.
 */
export async function importBeir(
  rag: RagFlow,
  dir: string,
  name: string,
  chunkTokenNum: number,
  err: (line: string) => void,
): Promise<ImportReport> {
  const started = Date.now();
  const corpus = join(dir, 'corpus.jsonl');
  const names: string[] = [];
  for await (const file of corpusFiles(corpus, true)) names.push(file.name);
  const total = names.length;
  const dataset = (await findDataset(rag, name)) ?? (await rag.datasets.create({ name, parserConfig: { chunkTokenNum } }));
  const documents = await allDocuments(rag, dataset.id);
  const have = new Set(documents.map((d) => d.name));
  const missing = new Set(names.filter((n) => !have.has(n))).size;
  let uploaded = 0;
  if (missing > 0) {
    err(`Importing ${corpus} into dataset "${name}": ${missing} of ${total} documents to upload`);
    const bar = new Progress('upload', total);
    let batch: { name: string; data: Buffer }[] = [];
    let seen = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      documents.push(...(await rag.documents.upload(dataset.id, batch)));
      uploaded += batch.length;
      batch = [];
    };
    for await (const file of corpusFiles(corpus)) {
      seen++;
      if (!have.has(file.name)) {
        have.add(file.name);
        batch.push(file);
        if (batch.length >= UPLOAD_BATCH) await flush();
      }
      bar.update(seen);
    }
    await flush();
    bar.end();
  }
  const pending = documents.filter((d) => d.run !== 'DONE').map((d) => d.id);
  let failed = 0;
  if (pending.length > 0) {
    const bar = new Progress('parse ', pending.length);
    const finished = new Set<string>();
    const results = await rag.documents.parse(dataset.id, pending, {
      wait: true,
      onProgress: (doc) => {
        if (FINISHED.has(doc.run)) finished.add(doc.id);
        bar.update(finished.size);
      },
    });
    bar.end();
    failed = results.filter((d) => d.run !== 'DONE').length;
    if (failed > 0) err(`${failed} documents failed to parse; they are left out of the evaluation`);
  }
  if (missing <= 0 && pending.length === 0) err(`Dataset "${name}" already holds the ${total} documents of ${corpus}`);
  return { dataset, uploaded, parsed: pending.length - failed, failed, seconds: (Date.now() - started) / 1000 };
}
