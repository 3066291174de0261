import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../cli/helpers.js';

const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

/** A four-document BEIR folder: each test query names the words of exactly one document. */
function writeBeir(root: string): string {
  const dir = join(root, 'tinybeir');
  mkdirSync(join(dir, 'qrels'), { recursive: true });
  writeFileSync(
    join(dir, 'corpus.jsonl'),
    jsonl([
      { _id: 'd1', title: 'Mitochondria', text: 'Mitochondria produce ATP through cellular respiration.' },
      { _id: 'd2', title: 'Glaciers', text: 'Glaciers carve deep U-shaped valleys in the mountains.' },
      { _id: 'd3', title: 'Sourdough', text: 'Sourdough bread rises with a starter of wild yeast.' },
      { _id: 'd4', title: 'Telescopes', text: 'Telescopes reveal distant galaxies and nebulae.' },
    ]),
  );
  writeFileSync(
    join(dir, 'queries.jsonl'),
    jsonl([
      { _id: 'q1', text: 'mitochondria ATP respiration', metadata: {} },
      { _id: 'q2', text: 'glaciers valleys', metadata: {} },
      { _id: 'q3', text: 'sourdough starter yeast', metadata: {} },
      { _id: 'q9', text: 'a train-split question', metadata: {} },
    ]),
  );
  // q1 and q2 find their document first; q3's judged document is the telescope one, which has none
  // of its words: it comes 2nd to 4th, so nDCG@10 of q3 is at most 1/log2(3) and MRR at most 1/2.
  writeFileSync(join(dir, 'qrels', 'test.tsv'), 'query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\nq3\td4\t1\n');
  writeFileSync(join(dir, 'qrels', 'train.tsv'), 'query-id\tcorpus-id\tscore\nq9\td3\t1\n');
  return dir;
}

const tableRow = (stdout: string, name: string): string[] | undefined =>
  stdout
    .split('\n')
    .find((line) => line.startsWith(`| ${name} `))
    ?.split('|')
    .slice(1, -1)
    .map((cell) => cell.trim());

describe('ragflow eval', () => {
  let root: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir: root, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('imports a BEIR folder once, then prints the means as a markdown table', { timeout: 60_000 }, async () => {
    const beir = writeBeir(root);
    const dataDir = join(root, 'data');
    const first = await runCli(['eval', '--beir', beir, '--data-dir', dataDir, '--k', '10']);
    expect(first.stderr).toMatch(/Importing .*corpus\.jsonl into dataset "tinybeir": 4 of 4 documents to upload/);
    expect(first.stderr).toMatch(/^parse {2}\[#{30}\] 4\/4$/m); // not a TTY: whole lines
    expect(first.stderr).toMatch(/^query {2}\[#{30}\] 3\/3$/m);
    expect(first.stderr).toMatch(/1 queries without judgments/);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^\| dataset +\| nDCG@10 \| Recall@10 \| MRR@10 \| queries \|$/m);
    const row = tableRow(first.stdout, 'tinybeir');
    expect(row).toBeDefined();
    const [, ndcg, recall, mrr, queries] = (row ?? []).map(Number);
    // q1, q2 perfect (1); q3: its document at rank r in 2..4 → nDCG 1/log2(r+1) ≤ 0.6309, MRR 1/r ≤ 0.5
    // mean nDCG in [(2 + 1/log2(5))/3, (2 + 0.6309)/3] = [0.8289, 0.8770]; MRR in [(2 + 1/4)/3, (2 + 1/2)/3]
    expect(ndcg).toBeGreaterThanOrEqual(0.8289);
    expect(ndcg).toBeLessThanOrEqual(0.877);
    expect(mrr).toBeGreaterThanOrEqual(0.75);
    expect(mrr).toBeLessThanOrEqual(0.8334);
    expect(recall).toBe(1); // k = 10 covers the four documents
    expect(queries).toBe(3);
    expect(first.stdout).toMatch(/^3 queries in \d+\.\d s \(\d+\.\d ms\/query\); import \d+\.\d s$/m);

    // The dataset is there now: no second import; the train split and explicit files work too.
    const second = await runCli(['eval', '--beir', beir, '--split', 'train', '--data-dir', dataDir]);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/already holds the 4 documents/);
    expect(second.stderr).not.toMatch(/^parse/m);
    expect(tableRow(second.stdout, 'tinybeir')?.slice(1)).toEqual(['1.0000', '1.0000', '1.0000', '1']);

    const explicit = await runCli([
      'eval',
      '--data-dir',
      dataDir,
      '--dataset',
      'tinybeir',
      '--queries',
      join(beir, 'queries.jsonl'),
      '--qrels',
      join(beir, 'qrels', 'train.tsv'),
    ]);
    expect(explicit.code).toBe(0);
    expect(explicit.stdout).toMatch(/^\| dataset +\| nDCG@10 \| Recall@100 \| MRR@10 \| queries \|$/m);
  });

  it('explains mistakes: usage errors exit 2, a missing dataset or file exits 1', async () => {
    const missing = await runCli(['eval', '--data-dir', root, '--queries', 'q.jsonl', '--qrels', 'r.tsv']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Missing --dataset/);
    expect(missing.stderr).toMatch(/Usage:\n {2}ragflow eval/);

    const badK = await runCli(['eval', '--beir', root, '--k', '0']);
    expect(badK.code).toBe(2);
    expect(badK.stderr).toMatch(/--k must be an integer/);

    const beir = writeBeir(root);
    const dataDir = join(root, 'data');
    const noFile = await runCli(['eval', '--beir', beir, '--split', 'dev', '--data-dir', dataDir]);
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toMatch(/Cannot read .*qrels\/dev\.tsv/);

    const keys = await runCli(['keys', 'create', '--data-dir', dataDir]);
    expect(keys.code).toBe(0);
    const noDataset = await runCli([
      'eval',
      '--data-dir',
      dataDir,
      '--dataset',
      'nope',
      '--queries',
      join(beir, 'queries.jsonl'),
      '--qrels',
      join(beir, 'qrels', 'test.tsv'),
    ]);
    expect(noDataset.code).toBe(1);
    expect(noDataset.stderr).toMatch(/No dataset named "nope"/);

    const help = await runCli(['eval', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--beir DIR/);
  });
});
