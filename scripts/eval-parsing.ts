/**
 * Extraction quality of the PDF and DOCX parsers against docling's reference markdown
 * (../shared/data/parsing-docling), measured as in ../shared/data/BASELINES.md "Parsing baseline":
 * the reference loses its HTML comments (`<!-- image -->`, `<!-- formula-not-decoded -->`) and table
 * rule lines; both sides become lowercase NFKC word tokens (runs of Unicode letters/digits); and the
 * bags of words are compared with multiplicity. Exits 1 when any file scores below its baseline.
 *
 *   npx tsx scripts/eval-parsing.ts [data-dir]
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFile, sectionsToText } from '../src/ingest/index.js';

/** F1 of the plain-library extraction (pdfjs-dist text content, mammoth raw text), BASELINES.md. */
const BASELINE_F1: Record<string, number> = {
  'pdf/2305.03393v1-pg9.pdf': 0.967,
  'pdf/amt_handbook_sample.pdf': 0.979,
  'pdf/code_and_formula.pdf': 0.987,
  'pdf/multi_page.pdf': 0.991,
  'pdf/normal_4pages.pdf': 0.989,
  'pdf/picture_classification.pdf': 0.99,
  'pdf/redp5110_sampled.pdf': 0.956,
  'pdf/right_to_left_01.pdf': 0.904,
  'pdf/table_mislabeled_as_picture.pdf': 0.96,
  'docx/docx_comments.docx': 1.0,
  'docx/docx_lists.docx': 0.962,
  'docx/docx_page_header_footer_first_page.docx': 1.0,
  'docx/docx_rich_cells.docx': 0.965,
  'docx/equations.docx': 0.73,
  'docx/lorem_ipsum.docx': 1.0,
  'docx/tablecell.docx': 1.0,
  'docx/textbox.docx': 0.994,
  'docx/unit_test_formatting.docx': 0.882,
  'docx/unit_test_headers.docx': 1.0,
  'docx/unit_test_headers_numbered.docx': 0.829,
  'docx/word_sample.docx': 0.977,
  'docx/word_tables.docx': 0.901,
};

export function wordTokens(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The reference markdown without the markup that carries no document words. */
export function stripReference(markdown: string): string {
  return markdown
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .split('\n')
    .filter((line) => !/^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/.test(line))
    .join('\n');
}

function bag(tokens: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

export function bagOfWordsScore(candidate: readonly string[], reference: readonly string[]) {
  const ref = bag(reference);
  let matched = 0;
  for (const [token, n] of bag(candidate)) matched += Math.min(n, ref.get(token) ?? 0);
  const precision = candidate.length ? matched / candidate.length : 0;
  const recall = reference.length ? matched / reference.length : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

async function main(): Promise<number> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const dataDir = process.argv[2] ?? path.resolve(here, '../../shared/data/parsing-docling');
  const rows: string[] = [
    '| file | ref words | P | R | F1 | baseline F1 | ms | pass |',
    '|---|---|---|---|---|---|---|---|',
  ];
  let failures = 0;
  for (const kind of ['pdf', 'docx']) {
    const names = (await readdir(path.join(dataDir, kind))).filter((n) => n.endsWith(`.${kind}`)).sort();
    for (const name of names) {
      const key = `${kind}/${name}`;
      const file = path.join(dataDir, kind, name);
      const reference = await readFile(file.replace(/\.[^.]+$/, '.groundtruth.md'), 'utf8');
      const bytes = new Uint8Array(await readFile(file));
      const started = performance.now();
      let text = '';
      let error = '';
      try {
        text = sectionsToText(await parseFile(bytes, name));
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      const ms = performance.now() - started;
      const refTokens = wordTokens(stripReference(reference));
      const score = bagOfWordsScore(wordTokens(text), refTokens);
      const baseline = BASELINE_F1[key];
      // Baselines are published to three decimals; compare at that precision.
      const pass = !error && (baseline === undefined || round3(score.f1) >= baseline);
      if (!pass) failures++;
      rows.push(
        `| ${key} | ${refTokens.length} | ${score.precision.toFixed(3)} | ${score.recall.toFixed(3)} | ${score.f1.toFixed(3)} | ${baseline?.toFixed(3) ?? '-'} | ${ms.toFixed(0)} | ${pass ? 'yes' : 'NO'}${error ? ` (${error})` : ''} |`,
      );
    }
  }
  console.log(rows.join('\n'));
  console.log(failures === 0 ? '\nAll files at or above baseline.' : `\n${failures} file(s) below baseline.`);
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
