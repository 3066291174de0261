import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readQrels, readQueries } from '../../bin/cli/eval-files.js';
import { Progress } from '../../bin/cli/eval-progress.js';
import { tempDir } from '../cli/helpers.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, write: (text: string) => writes.push(text) }, writes };
}

describe('eval progress bar', () => {
  it('redraws one line in place on a terminal, at most every 100 ms, and ends it with a newline', () => {
    let now = 0;
    const { stream, writes } = fakeStream(true);
    const bar = new Progress('query ', 10, stream, () => now);
    bar.update(1); // 0 ms later: not drawn
    now = 150;
    bar.update(3);
    now = 160;
    bar.update(10); // the end is always drawn
    bar.end();
    expect(writes).toEqual([
      '\rquery  [..............................] 0/10',
      '\rquery  [#########.....................] 3/10',
      '\rquery  [##############################] 10/10',
      '\rquery  [##############################] 10/10',
      '\n',
    ]);
  });

  it('writes whole lines every 10 s when stderr is not a terminal', () => {
    let now = 0;
    const { stream, writes } = fakeStream(false);
    const bar = new Progress('parse', 4, stream, () => now);
    now = 5_000;
    bar.update(1);
    now = 10_001;
    bar.update(2);
    bar.update(4);
    bar.end();
    expect(writes).toEqual([
      'parse [..............................] 0/4\n',
      'parse [###############...............] 2/4\n',
      'parse [##############################] 4/4\n',
    ]);
  });
});

describe('eval input files', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('reads BEIR qrels with a header and TREC qrels with four columns', async () => {
    const beir = join(dir, 'beir.tsv');
    writeFileSync(beir, 'query-id\tcorpus-id\tscore\n1\t31715818\t1\n1\t999\t0\n3\tdoc.txt\t2\n');
    expect(await readQrels(beir)).toEqual({ '1': { '31715818': 1, '999': 0 }, '3': { 'doc.txt': 2 } });
    const trec = join(dir, 'trec.txt');
    writeFileSync(trec, 'q1 0 d1 1\nq1 0 d2 0\n\nq2 0 d3 2\n');
    expect(await readQrels(trec)).toEqual({ q1: { d1: 1, d2: 0 }, q2: { d3: 2 } });
    const bad = join(dir, 'bad.tsv');
    writeFileSync(bad, 'q\td\t1\nq\td2\tyes\n');
    await expect(readQrels(bad)).rejects.toThrow(/bad\.tsv:2: the score "yes" is not a number/);
  });

  it('reads queries as {_id, text} or {id, question}, naming the line of a mistake', async () => {
    const path = join(dir, 'q.jsonl');
    writeFileSync(path, '{"_id": "0", "text": "a?", "metadata": {}}\n{"id": 7, "question": "b?"}\n');
    expect(await readQueries(path)).toEqual([
      { id: '0', question: 'a?' },
      { id: '7', question: 'b?' },
    ]);
    writeFileSync(path, '{"_id": "0", "text": "a?"}\n{"_id": "1"}\n');
    await expect(readQueries(path)).rejects.toThrow(/q\.jsonl:2: missing "text"/);
    await expect(readQueries(join(dir, 'none.jsonl'))).rejects.toThrow(/Cannot read .*none\.jsonl/);
  });
});
