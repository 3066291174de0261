import { describe, expect, it } from 'vitest';
import { evaluateRetrieval, type EvaluationDeps } from '../../src/eval/evaluate.js';
import type { RetrieveInput } from '../../src/retrieval/retriever.js';
import type { Document, RetrievedChunk } from '../../src/types.js';

/** A ranked list of chunks (document name, similarity), served page by page like retrieve(). */
function fakeDeps(ranked: [string, number][]): { deps: EvaluationDeps; calls: RetrieveInput[] } {
  const calls: RetrieveInput[] = [];
  const chunk = ([name, similarity]: [string, number], i: number) =>
    ({ id: `c${i}`, documentId: `id-${name}`, documentName: `${name}.txt`, similarity }) as RetrievedChunk;
  const deps: EvaluationDeps = {
    retrieve: async (input) => {
      calls.push(input);
      const page = input.page ?? 1;
      const size = input.pageSize ?? 30;
      return { chunks: ranked.slice((page - 1) * size, page * size).map(chunk), docAggs: [], total: ranked.length };
    },
    listDocuments: async () => {
      const names = [...new Set(ranked.map(([name]) => name))];
      return { items: names.map((name) => ({ id: `id-${name}`, name: `${name}.txt` }) as Document), total: names.length };
    },
  };
  return { deps, calls };
}

const question = [{ id: 'q', question: 'anything' }];

describe('evaluateRetrieval paging and max-P', () => {
  it('reads further pages until k distinct documents are found, at threshold 0', async () => {
    // pages of 2 (k = 2): [a, a] [a, b] → two documents after page 2, page 3 is never read
    const { deps, calls } = fakeDeps([['a', 0.9], ['a', 0.8], ['a', 0.7], ['b', 0.6], ['c', 0.5]]);
    const result = await evaluateRetrieval(deps, { datasetIds: ['ds'], queries: question, qrels: { q: { b: 1 } }, k: 2 });
    expect(calls.map((c) => [c.page, c.pageSize, c.similarityThreshold])).toEqual([
      [1, 2, 0],
      [2, 2, 0],
    ]);
    // b is second: MRR 1/2, nDCG 1/log2(3) = 0.6309298
    expect(result.perQuery[0]?.mrr10).toBe(0.5);
    expect(result.perQuery[0]?.ndcg10).toBeCloseTo(0.6309298, 6);
    expect(result.perQuery[0]?.retrieved).toBe(2);
  });

  it('stops at the end of the results, and asks at most 1024 chunks a page', async () => {
    const { deps, calls } = fakeDeps([['a', 0.9], ['b', 0.8]]);
    const result = await evaluateRetrieval(deps, { datasetIds: ['ds'], queries: question, qrels: { q: { b: 1 } }, k: 5000 });
    expect(calls.map((c) => [c.page, c.pageSize])).toEqual([[1, 1024]]);
    expect(result.perQuery[0]?.retrieved).toBe(2);
    expect(result.perQuery[0]?.recallK).toBe(1);
  });

  it('scores a document by its best chunk, with ties between documents broken by id descending', async () => {
    // a's best chunk 0.5 ties with b's only chunk 0.5: trec order puts b before a
    const { deps } = fakeDeps([['b', 0.5], ['a', 0.5], ['a', 0.4], ['c', 0.3]]);
    const result = await evaluateRetrieval(deps, { datasetIds: ['ds'], queries: question, qrels: { q: { a: 1 } } });
    expect(result.perQuery[0]?.mrr10).toBe(0.5);
    expect(result.perQuery[0]?.retrieved).toBe(3);
  });
});
