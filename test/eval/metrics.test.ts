import { describe, expect, it } from 'vitest';
import { meanOf, orderRun, scoreQuery, scoreRuns, type Qrels, type RankedDoc } from '../../src/eval/metrics.js';

const ranking = (...pairs: [string, number][]): RankedDoc[] => pairs.map(([docId, score]) => ({ docId, score }));
const close = (actual: number, expected: number) => expect(actual).toBeCloseTo(expected, 6);

describe('retrieval metrics (trec_eval conventions), hand-computed', () => {
  it('a perfect ranking scores 1 everywhere', () => {
    const qrels: Qrels = { q1: { a: 1, b: 1 } };
    const m = scoreQuery({ queryId: 'q1', ranking: ranking(['a', 0.9], ['b', 0.8], ['c', 0.7]) }, qrels, 100);
    // DCG = 1/log2(2) + 1/log2(3) = IDCG → 1; both relevant found → recall 1; first hit rank 1 → 1
    expect(m).toEqual({ queryId: 'q1', ndcg10: 1, recallK: 1, mrr10: 1, relevant: 2, retrieved: 3 });
  });

  it('one relevant document at rank 3', () => {
    const qrels: Qrels = { q1: { c: 1 } };
    const m = scoreQuery({ queryId: 'q1', ranking: ranking(['a', 0.9], ['b', 0.8], ['c', 0.7], ['d', 0.6]) }, qrels, 100);
    // DCG = 1/log2(3+1) = 1/2; IDCG = 1/log2(2) = 1 → 0.5; MRR = 1/3; recall = 1/1
    close(m.ndcg10, 0.5);
    close(m.mrr10, 1 / 3);
    expect(m.recallK).toBe(1);
  });

  it('the ranking order does not matter: it is sorted by score first', () => {
    const qrels: Qrels = { q1: { c: 1 } };
    const m = scoreQuery({ queryId: 'q1', ranking: ranking(['d', 0.6], ['c', 0.7], ['a', 0.9], ['b', 0.8]) }, qrels, 100);
    close(m.ndcg10, 0.5); // c is still third
  });

  it('graded relevance: linear gain, ideal from the grades sorted descending, grade 0 is not relevant', () => {
    const qrels: Qrels = { q1: { a: 2, b: 1, c: 0 } };
    const m = scoreQuery({ queryId: 'q1', ranking: ranking(['b', 0.9], ['c', 0.8], ['a', 0.7]) }, qrels, 100);
    // DCG  = 1/log2(2) + 0/log2(3) + 2/log2(4) = 1 + 0 + 1 = 2
    // IDCG = 2/log2(2) + 1/log2(3) = 2 + 0.6309298 = 2.6309298
    // nDCG = 2 / 2.6309298 = 0.7601875
    close(m.ndcg10, 0.7601875);
    expect(m.mrr10).toBe(1); // b (grade 1) is first
    expect(m.recallK).toBe(1); // a and b, the two with grade > 0
    expect(m.relevant).toBe(2);
  });

  it('a relevant document that was not retrieved still counts in the ideal', () => {
    const qrels: Qrels = { q1: { a: 1, b: 1 } };
    const m = scoreQuery({ queryId: 'q1', ranking: ranking(['a', 0.5]) }, qrels, 100);
    // DCG = 1; IDCG = 1 + 1/log2(3) = 1.6309298 → 0.6131472; recall 1/2
    close(m.ndcg10, 0.6131472);
    expect(m.recallK).toBe(0.5);
  });

  it('ties in score are broken by doc id descending (string order, as trec_eval)', () => {
    const qrels: Qrels = { q1: { d1: 1 } };
    const m = scoreQuery({ queryId: 'q1', ranking: ranking(['d1', 0.5], ['d2', 0.5], ['d3', 0.5]) }, qrels, 100);
    // order d3, d2, d1 → d1 at rank 3: nDCG = 1/log2(4) = 0.5, MRR = 1/3 (ascending would give 1 and 1)
    close(m.ndcg10, 0.5);
    close(m.mrr10, 1 / 3);
    // "9" > "10" as strings: "9" first, "10" second → MRR 1/2; a higher score still wins over the id
    expect(orderRun({ queryId: 'q', ranking: ranking(['10', 0.5], ['9', 0.5], ['1', 0.6]) })).toEqual(['1', '9', '10']);
    const numeric = scoreQuery({ queryId: 'q2', ranking: ranking(['10', 0.5], ['9', 0.5]) }, { q2: { '10': 1 } }, 100);
    close(numeric.mrr10, 0.5);
  });

  it('a query with no relevant documents is reported but left out of the means', () => {
    const qrels: Qrels = { q1: { a: 1 }, q2: { x: 0 } };
    const { perQuery, mean } = scoreRuns(
      [
        { queryId: 'q1', ranking: ranking(['a', 0.9], ['b', 0.1]) }, // perfect: 1, 1, 1
        { queryId: 'q2', ranking: ranking(['a', 0.9], ['x', 0.1]) }, // nothing relevant: 0, 0, 0
        { queryId: 'q3', ranking: ranking(['a', 0.9]) }, // not judged at all: 0, 0, 0
      ],
      qrels,
      100,
    );
    expect(perQuery.map((q) => [q.queryId, q.ndcg10, q.relevant, q.retrieved])).toEqual([
      ['q1', 1, 1, 2],
      ['q2', 0, 0, 2],
      ['q3', 0, 0, 1],
    ]);
    // mean over q1 only: (1) / 1; including q2 and q3 would give 1/3
    expect(mean).toEqual({ ndcg10: 1, recallK: 1, mrr10: 1, queries: 1 });
  });

  it('averages over several judged queries', () => {
    const perQuery = [
      { queryId: 'a', ndcg10: 1, recallK: 1, mrr10: 1, relevant: 1, retrieved: 1 },
      { queryId: 'b', ndcg10: 0.5, recallK: 0, mrr10: 1 / 3, relevant: 2, retrieved: 3 },
    ];
    // (1 + 0.5)/2 = 0.75; (1 + 0)/2 = 0.5; (1 + 1/3)/2 = 2/3
    const mean = meanOf(perQuery);
    close(mean.ndcg10, 0.75);
    close(mean.recallK, 0.5);
    close(mean.mrr10, 2 / 3);
    expect(mean.queries).toBe(2);
    expect(meanOf([])).toEqual({ ndcg10: 0, recallK: 0, mrr10: 0, queries: 0 });
  });

  it('drops a hit whose id equals the query id (ignore_identical_ids)', () => {
    const qrels: Qrels = { q7: { b: 1, q7: 1 } };
    const m = scoreQuery({ queryId: 'q7', ranking: ranking(['q7', 0.99], ['a', 0.5], ['b', 0.4]) }, qrels, 100);
    // ranking becomes a, b → b at rank 2: MRR 1/2; DCG = 1/log2(3) = 0.6309298
    // IDCG still counts both judged ids: 1 + 0.6309298 = 1.6309298 → nDCG 0.3868528
    close(m.mrr10, 0.5);
    close(m.ndcg10, 0.6309298 / 1.6309298);
    expect(m.retrieved).toBe(2);
  });

  it('Recall@k counts only the first k documents, and keeps at most k', () => {
    const qrels: Qrels = { q1: { a: 1, e: 1, z: 1 } };
    const run = { queryId: 'q1', ranking: ranking(['a', 0.9], ['b', 0.8], ['c', 0.7], ['d', 0.6], ['e', 0.5]) };
    // k=3: a, b, c → 1 of 3; k=5: a..e → 2 of 3 (z never retrieved)
    close(scoreQuery(run, qrels, 3).recallK, 1 / 3);
    close(scoreQuery(run, qrels, 5).recallK, 2 / 3);
    expect(scoreQuery(run, qrels, 3).retrieved).toBe(3);
  });

  it('MRR@10 and nDCG@10 ignore a relevant document below rank 10', () => {
    const docs = Array.from({ length: 11 }, (_, i): [string, number] => [`d${String(i).padStart(2, '0')}`, 1 - i / 100]);
    const m = scoreQuery({ queryId: 'q1', ranking: ranking(...docs) }, { q1: { d10: 1 } }, 100);
    // d10 is 11th: MRR@10 0, nDCG@10 0, but Recall@100 = 1
    expect([m.mrr10, m.ndcg10, m.recallK]).toEqual([0, 0, 1]);
  });
});
