import type { EvaluationResult } from '../../src/index.js';

export interface Timing {
  evalSeconds: number;
  importSeconds?: number;
}

const fixed = (n: number): string => n.toFixed(4);

/** The means as a markdown table, then one line of timing. */
export function reportLines(dataset: string, result: EvaluationResult, timing: Timing): string[] {
  const { mean, perQuery, k } = result;
  const header = ['dataset', 'nDCG@10', `Recall@${k}`, 'MRR@10', 'queries'];
  const row = [dataset, fixed(mean.ndcg10), fixed(mean.recallK), fixed(mean.mrr10), String(mean.queries)];
  const widths = header.map((h, i) => Math.max(h.length, (row[i] ?? '').length));
  const cells = (values: string[]) =>
    `| ${values.map((v, i) => (i === 0 ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  const perQueryMs = perQuery.length === 0 ? 0 : (timing.evalSeconds * 1000) / perQuery.length;
  const imported = timing.importSeconds === undefined ? '' : `; import ${timing.importSeconds.toFixed(1)} s`;
  const skipped = perQuery.length - mean.queries;
  const unjudged = skipped > 0 ? ` (${skipped} without a relevant document, not in the means)` : '';
  return [
    cells(header),
    rule,
    cells(row),
    '',
    `${perQuery.length} queries${unjudged} in ${timing.evalSeconds.toFixed(1)} s (${perQueryMs.toFixed(1)} ms/query)${imported}`,
  ];
}
