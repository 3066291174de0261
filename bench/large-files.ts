/**
 * Memory and event-loop bounds for parsing large files (issue 6): a 300-page PDF and a 50,000-row
 * spreadsheet, each parsed in a fresh child process so one file's high-water mark does not hide
 * another's. Usage: `npm run bench:large` (prints a markdown table on stdout, progress on stderr).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { RagFlow, type ChunkMethod } from '../src/index.js';
import { loadScifactCorpus, pdfFiles } from './lib/data.js';
import { loopSettled, progress, watchEventLoop } from './lib/util.js';

const PDF_PAGES = 300;
const SHEET_ROWS = 50_000;

interface CaseResult {
  file: string;
  method: ChunkMethod;
  sizeMiB: number;
  seconds: number;
  chunks: number;
  baselineRssMiB: number;
  peakRssMiB: number;
  loopMaxMs: number;
  loopP99Ms: number;
}

/**
 * The docling sample PDFs once (tables, figures, two-column layouts), then pages of SciFact abstracts
 * set in Helvetica until the document has `pages` pages: distinct text on every page, so the chunks
 * (whose ids hash their content) are not deduplicated away.
 */
async function makeLongPdf(path: string, pages: number): Promise<void> {
  const { PDFDocument, StandardFonts } = await import('pdf-lib');
  const out = await PDFDocument.create();
  for (const file of pdfFiles()) {
    const source = await PDFDocument.load(readFileSync(file), { ignoreEncryption: true });
    const indices = source.getPageIndices().slice(0, pages - out.getPageCount());
    for (const page of await out.copyPages(source, indices)) out.addPage(page);
  }
  const font = await out.embedFont(StandardFonts.Helvetica);
  const bold = await out.embedFont(StandardFonts.HelveticaBold);
  const [width, height, margin, size, leading] = [595, 842, 56, 10, 13];
  const wrap = (text: string): string[] => {
    const lines: string[] = [];
    let line = '';
    for (const word of text.split(/\s+/)) {
      const next = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(next, size) > width - 2 * margin && line) {
        lines.push(line);
        line = word;
      } else line = next;
    }
    if (line) lines.push(line);
    return lines;
  };
  const corpus = loadScifactCorpus();
  let doc = 0;
  while (out.getPageCount() < pages) {
    const page = out.addPage([width, height]);
    let y = height - margin;
    while (y > margin + 3 * leading) {
      const abstract = corpus[doc++ % corpus.length];
      if (!abstract) break;
      // WinAnsi (the standard fonts' encoding) has no Greek or math symbols: drop what it cannot draw.
      const clean = (t: string): string => t.replace(/[^\x20-\x7e]/g, ' ');
      page.drawText(clean(abstract.title).slice(0, 90), { x: margin, y, size: size + 1, font: bold });
      y -= leading * 1.4;
      for (const line of wrap(clean(abstract.text))) {
        if (y < margin) break;
        page.drawText(line, { x: margin, y, size, font });
        y -= leading;
      }
      y -= leading;
    }
  }
  writeFileSync(path, await out.save());
}

/** A sheet of typed columns, written with exceljs's streaming writer (the bench should not measure the writer). */
async function makeLargeSheet(path: string, rows: number): Promise<void> {
  const ExcelJS = (await import('exceljs')).default;
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
  const sheet = workbook.addWorksheet('Orders');
  sheet.addRow(['Order', 'Customer', 'City', 'Product', 'Quantity', 'Unit price', 'Shipped', 'Ordered on']).commit();
  const cities = ['Lyon', 'Porto', 'Ghent', 'Turku', 'Graz', 'Bergen', 'Split', 'Cork'];
  const products = ['solar panel', 'inverter', 'battery pack', 'charge controller', 'mounting rail', 'cable kit'];
  for (let i = 1; i <= rows; i++) {
    sheet
      .addRow([
        `ORD-${String(i).padStart(6, '0')}`,
        `Customer ${(i * 7919) % 4001}`,
        cities[i % cities.length],
        products[(i * 31) % products.length],
        1 + ((i * 13) % 40),
        Math.round(((i * 37) % 90000) + 999) / 100,
        i % 3 !== 0,
        new Date(Date.UTC(2025, i % 12, 1 + (i % 28))),
      ])
      .commit();
  }
  sheet.commit();
  await workbook.commit();
}

/** Child process: parse one file with one method and report what it cost. */
async function measure(file: string, method: ChunkMethod): Promise<CaseResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ragflow-large-'));
  const rag = await RagFlow.open({ path: join(dir, 'kb.sqlite') });
  try {
    const dataset = await rag.datasets.create({ name: 'large', chunkMethod: method });
    const [document] = await rag.documents.upload(dataset.id, { path: file });
    if (!document) throw new Error('upload returned nothing');
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const loop = watchEventLoop();
    const started = performance.now();
    await rag.documents.parse(dataset.id, [document.id], { wait: true });
    const seconds = (performance.now() - started) / 1000;
    await loopSettled();
    const delay = loop.stop();
    clearInterval(sampler);
    const done = await rag.documents.get(dataset.id, document.id);
    if (done.run !== 'DONE') throw new Error(`${basename(file)} ended ${done.run}: ${done.progressMsg}`);
    const mib = (bytes: number): number => Math.round(bytes / 1024 / 1024);
    return {
      file: basename(file),
      method,
      sizeMiB: Math.round((statSync(file).size / 1024 / 1024) * 10) / 10,
      seconds: Math.round(seconds * 10) / 10,
      chunks: done.chunkCount,
      baselineRssMiB: mib(baseline),
      peakRssMiB: Math.max(mib(peak), Math.round(process.resourceUsage().maxRSS / 1024)),
      loopMaxMs: Math.round(delay.maxMs),
      loopP99Ms: Math.round(delay.p99Ms),
    };
  } finally {
    await rag.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function runChild(file: string, method: ChunkMethod): CaseResult {
  const self = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, [...process.execArgv, self, '--child', file, method], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`measuring ${basename(file)} (${method}) failed with exit code ${child.status}`);
  return JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as CaseResult;
}

function table(rows: readonly CaseResult[]): string {
  const head =
    '| file | method | size MiB | parse s | chunks | RSS before MiB | peak RSS MiB | event loop max ms | p99 ms |\n' +
    '|---|---|---:|---:|---:|---:|---:|---:|---:|';
  const lines = rows.map(
    (r) =>
      `| ${r.file} | ${r.method} | ${r.sizeMiB} | ${r.seconds} | ${r.chunks} | ${r.baselineRssMiB} | ${r.peakRssMiB} | ${r.loopMaxMs} | ${r.loopP99Ms} |`,
  );
  return [head, ...lines].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    const result = await measure(args[1] as string, args[2] as ChunkMethod);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'ragflow-large-files-'));
  try {
    const pdf = join(dir, `long-${PDF_PAGES}-pages.pdf`);
    const sheet = join(dir, `orders-${SHEET_ROWS}-rows.xlsx`);
    progress(`writing a ${PDF_PAGES}-page PDF from the docling samples`);
    await makeLongPdf(pdf, PDF_PAGES);
    progress(`writing a ${SHEET_ROWS}-row spreadsheet`);
    await makeLargeSheet(sheet, SHEET_ROWS);
    // --only=pdf or --only=sheet measures one kind.
    const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
    const cases = (
      [
        [pdf, 'naive'],
        [sheet, 'naive'],
        [sheet, 'table'],
      ] as [string, ChunkMethod][]
    ).filter(([file]) => !only || (only === 'pdf') === file.endsWith('.pdf'));
    const results: CaseResult[] = [];
    for (const [file, method] of cases) {
      progress(`parsing ${basename(file)} with ${method} in a fresh process`);
      results.push(runChild(file, method));
    }
    process.stdout.write(
      `${table(results)}\n\nEach row: a fresh process opens a new knowledge base, uploads the file and parses it ` +
        '(`perf_hooks.monitorEventLoopDelay`, 10 ms resolution, so an idle loop reads ~10 ms; peak RSS = the ' +
        "process's high-water mark, the runtime and libraries included).\n",
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
