import { describe, it, expect } from 'vitest';
import { parseFile, countTokens, type ChunkDraft, type FileType } from '../../src/ingest/index.js';
import { paperChunker } from '../../src/ingest/chunkers/paper.js';
import { corpusFile, paragraphsPdf, utf8 } from './fixtures.js';

const ABSTRACT = Array.from(
  { length: 8 },
  (_, i) => `Sentence ${i + 1} of the abstract explains how braided channels migrate across their floodplain when discharge varies from season to season.`,
).join(' ');
const INTRODUCTION = Array.from({ length: 20 }, (_, i) => `Rivers shape landscapes in way number ${i + 1}.`).join(' ');
const METHODS = 'We measured channel width from satellite images taken every month.';
const DATA = 'Images come from two satellites and cover ten years.';
const REFERENCE = '[1] A. Author. Rivers and their channels. Journal of Water, 2001.';

async function paperChunks(data: Uint8Array, name: string, fileType: FileType, budget = 64): Promise<ChunkDraft[]> {
  const parsed = await parseFile(data, name);
  return paperChunker.chunk(parsed, { fileType, fileName: name, chunkTokenNum: budget, delimiter: '\n!?;。；！？', bytes: data });
}

const pathOf = (c: ChunkDraft): string | undefined => c.source?.headingPath?.join(' > ');

/** Each heading path once, in the order chunks carry them: sections in order and never interleaved. */
function sectionOrder(chunks: ChunkDraft[]): (string | undefined)[] {
  const paths = chunks.map(pathOf);
  return paths.filter((p, i) => i === 0 || p !== paths[i - 1]);
}

describe('paper (text and markdown)', () => {
  const TXT = [
    'Braided Rivers Under Climate Change',
    'Ada Lovelace, Alan Turing',
    '',
    'Abstract',
    ABSTRACT,
    '',
    '1 Introduction',
    INTRODUCTION,
    '2 Methods',
    METHODS,
    '2.1 Data',
    DATA,
    'References',
    REFERENCE,
    '[2] B. Author. Deltas. Journal of Sand, 2005.',
  ].join('\n');

  it('front matter, the whole abstract, then sections in order with their titles', async () => {
    const chunks = await paperChunks(utf8(TXT), 'paper.txt', 'txt');
    expect(countTokens(ABSTRACT)).toBeGreaterThan(64 * 2);
    expect(chunks[0]).toEqual({ content: 'Braided Rivers Under Climate Change\nAda Lovelace, Alan Turing', positions: [] });
    expect(chunks[1]?.content).toBe(`Abstract\n${ABSTRACT}`);
    expect(chunks[1]?.source?.headingPath).toEqual(['Abstract']);
    expect(sectionOrder(chunks.slice(2))).toEqual(['1 Introduction', '2 Methods', '2 Methods > 2.1 Data', 'References']);
    const intro = chunks.filter((c) => pathOf(c) === '1 Introduction');
    expect(intro.length).toBeGreaterThan(1);
    for (const c of intro) {
      expect(c.content.startsWith('1 Introduction\nRivers shape landscapes')).toBe(true);
      expect(countTokens(c.content)).toBeLessThanOrEqual(64);
    }
    // Cut at sentence ends: every sentence of the introduction is whole in one chunk.
    for (let i = 1; i <= 20; i++) {
      expect(intro.filter((c) => c.content.includes(`Rivers shape landscapes in way number ${i}.`))).toHaveLength(1);
    }
    expect(chunks.find((c) => pathOf(c) === '2 Methods > 2.1 Data')?.content).toBe(`2 Methods > 2.1 Data\n${DATA}`);
    expect(chunks.at(-1)?.content).toBe(`References\n${REFERENCE}\n[2] B. Author. Deltas. Journal of Sand, 2005.`);
  });

  it('finds an abstract that starts a paragraph ("Abstract—…") and a markdown abstract heading', async () => {
    const txt = `Rivers\nA. Lovelace\n\nAbstract—${ABSTRACT}\n\n1 Introduction\n${METHODS}\n2 Data\n${DATA}`;
    const inline = await paperChunks(utf8(txt), 'p.txt', 'txt');
    expect(inline.map((c) => c.content)).toEqual(['Rivers\nA. Lovelace', `Abstract—${ABSTRACT}`, `1 Introduction\n${METHODS}`, `2 Data\n${DATA}`]);

    const md = `# Braided Rivers\n\nAda Lovelace\n\n## Abstract\n\n${ABSTRACT}\n\n## 1 Introduction\n\n${METHODS}\n\n## References\n\n${REFERENCE}\n`;
    const chunks = await paperChunks(utf8(md), 'p.md', 'md');
    expect(chunks.map((c) => [pathOf(c), c.content])).toEqual([
      [undefined, 'Braided Rivers\nAda Lovelace'],
      ['Abstract', `Abstract\n${ABSTRACT}`],
      ['1 Introduction', `1 Introduction\n${METHODS}`],
      ['References', `References\n${REFERENCE}`],
    ]);
  });
});

/** A one-column paper set like a real one: a large title, bold section headings, wrapped 10 pt text. */
function paperPdf(): Promise<Uint8Array> {
  return paragraphsPdf((paragraph, { regular, bold }) => {
    paragraph('Braided Rivers Under Climate Change', 18, bold, 8);
    paragraph('Ada Lovelace and Alan Turing, University of Nowhere', 11, regular, 14);
    paragraph('Abstract', 12, bold, 4);
    paragraph(ABSTRACT, 10, regular, 10);
    paragraph('1 Introduction', 12, bold, 4);
    for (let i = 0; i < 6; i++) paragraph(INTRODUCTION, 10, regular, 10);
    paragraph('2 Methods', 12, bold, 4);
    paragraph(METHODS, 10, regular, 10);
    paragraph('References', 12, bold, 4);
    paragraph(REFERENCE, 10, regular, 10);
  });
}

describe('paper (PDF)', () => {
  it('reads a generated two-page paper: title and authors, whole abstract, sections in order', async () => {
    const chunks = await paperChunks(await paperPdf(), 'rivers.pdf', 'pdf');
    expect(chunks[0]?.content).toBe('Braided Rivers Under Climate Change\nAda Lovelace and Alan Turing, University of Nowhere');
    expect(chunks[1]?.content).toBe(`Abstract\n${ABSTRACT}`);
    expect(chunks[1]?.positions.every((p) => p[0] === 1)).toBe(true);
    expect(sectionOrder(chunks.slice(2))).toEqual(['1 Introduction', '2 Methods', 'References']);
    // The introduction runs onto page 2; its chunks say so through their boxes.
    const introPages = new Set(chunks.filter((c) => pathOf(c) === '1 Introduction').flatMap((c) => c.positions.map((p) => p[0])));
    expect([...introPages].sort()).toEqual([1, 2]);
    expect(chunks.at(-1)?.content).toBe(`References\n${REFERENCE}`);
  });

  it('keeps the sections of a real paper page (arXiv 2305.03393, page 9) apart and in order', async () => {
    const chunks = await paperChunks(await corpusFile('pdf/2305.03393v1-pg9.pdf'), '2305.03393v1-pg9.pdf', 'pdf', 128);
    expect(sectionOrder(chunks)).toEqual([undefined, '5.1 Hyper Parameter Optimization', '5.2 Quantitative Results']);
    const hpo = chunks.filter((c) => pathOf(c) === '5.1 Hyper Parameter Optimization').map((c) => c.content).join('\n');
    const results = chunks.filter((c) => pathOf(c) === '5.2 Quantitative Results').map((c) => c.content).join('\n');
    expect(hpo).toContain('We have chosen the PubTabNet data set to perform HPO');
    expect(hpo).not.toContain('We picked the model parameter configuration');
    expect(results).toContain('We picked the model parameter configuration');
    expect(results).not.toContain('We have chosen the PubTabNet data set');
    for (const c of chunks.slice(1)) expect(c.content.startsWith(`${pathOf(c)}\n`)).toBe(true);
  });
});
