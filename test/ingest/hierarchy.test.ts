import { describe, it, expect } from 'vitest';
import { parseFile, countTokens, type ChunkDraft, type FileType, type Section } from '../../src/ingest/index.js';
import { FamilyVote, matchNumbering, numberValue, NumberingLevels, type NumberingFamily } from '../../src/ingest/chunkers/numbering.js';
import { buildOutline, sectionRuns } from '../../src/ingest/chunkers/hierarchy.js';
import { bookChunker } from '../../src/ingest/chunkers/book.js';
import { manualChunker } from '../../src/ingest/chunkers/manual.js';
import type { Chunker } from '../../src/ingest/chunkers/types.js';
import { chunkerFor } from '../../src/ingest/chunkers/index.js';
import { paperChunker } from '../../src/ingest/chunkers/paper.js';
import { lawsChunker } from '../../src/ingest/chunkers/laws.js';
import { utf8 } from './fixtures.js';

function context(fileType: FileType, chunkTokenNum: number): Parameters<Chunker['chunk']>[1] {
  return { fileType, fileName: `doc.${fileType}`, chunkTokenNum, delimiter: '\n!?;。；！？', bytes: new Uint8Array() };
}

function chooseFamily(lines: string[]): NumberingFamily | undefined {
  const vote = new FamilyVote();
  for (const line of lines) vote.add(line);
  return vote.winner();
}

describe('numbering', () => {
  it('reads Chinese, English keyword and outline numbers with their labels', () => {
    const read = (line: string, family: NumberingFamily): [string, string, string] | undefined => {
      const m = matchNumbering(line, family);
      return m && [m.kind, m.label, m.rest];
    };
    expect(read('第十二条 用人单位应当支付工资。', 'zh-keyword')).toEqual(['条', '第十二条', '用人单位应当支付工资。']);
    expect(read('第 3 章　总则', 'zh-keyword')).toEqual(['章', '第3章', '总则']);
    expect(read('第一条款', 'zh-keyword')).toBeUndefined();
    expect(read('CHAPTER IV. Remedies', 'en-keyword')).toEqual(['chapter', 'CHAPTER IV', 'Remedies']);
    expect(read('Part One', 'en-keyword')).toEqual(['part', 'Part One', '']);
    expect(read('§ 12 Scope', 'en-keyword')).toEqual(['article', '§ 12', 'Scope']);
    expect(read('Art. 5 Definitions', 'en-keyword')).toEqual(['article', 'Art. 5', 'Definitions']);
    // Lower-case words spelled with numeral letters and references inside sentences are not divisions.
    expect(read('Chapter mix', 'en-keyword')).toBeUndefined();
    expect(read('Article 5 shall apply.', 'en-keyword')).toBeUndefined();
    expect(read('2.1.3 Sampling', 'decimal')).toEqual(['3', '2.1.3', 'Sampling']);
    expect(read('1. Introduction', 'decimal')).toEqual(['1', '1', 'Introduction']);
    expect(read('1.5 million people', 'decimal')).toBeUndefined();
    expect(read('2024 Annual report', 'decimal')).toBeUndefined();
    expect(read('（二）工作原则', 'zh-outline')).toEqual(['2', '（二）', '工作原则']);
  });

  it('reads the value of numbers in digits, Roman capitals, English words and Chinese numerals', () => {
    expect(['12', '１２', 'XII', 'IX', 'Twelve', '十二', '二十', '一百零五', '两百', '3.2'].map(numberValue)).toEqual([12, 12, 12, 9, 12, 12, 20, 105, 200, 3]);
    expect(numberValue('abc')).toBeUndefined();
  });

  it('chooses the family most lines follow, keyword lines counting double', () => {
    expect(chooseFamily(['Chapter 1 A', 'Article 1 B', '1. first', '2. second', '3. third'])).toBe('en-keyword');
    expect(chooseFamily(['1 Intro', '2 Methods', '2.1 Data', 'Chapter 3 Results'])).toBe('decimal');
    expect(chooseFamily(['第一章 总则', '第一条 x', '1. 一'])).toBe('zh-keyword');
    expect(chooseFamily(['Just text', '1 Lonely line'])).toBeUndefined();
  });

  it('nests Article under Section, but Section under Article when Sections outnumber Articles (US style)', () => {
    const eu = new NumberingLevels('en-keyword', new Map([['chapter', 3], ['section', 2], ['article', 20]]));
    const us = new NumberingLevels('en-keyword', new Map([['article', 7], ['section', 21]]));
    const level = (levels: NumberingLevels, line: string): number => levels.levelOf(matchNumbering(line, 'en-keyword')!);
    expect(level(eu, 'Chapter 1') < level(eu, 'Section 1')).toBe(true);
    expect(level(eu, 'Section 1') < level(eu, 'Article 1')).toBe(true);
    expect(level(us, 'Article I') < level(us, 'Section 2')).toBe(true);
  });
});

describe('document outline', () => {
  it('splits one text section at its numbered lines and keeps wrapped lines together', async () => {
    const text = ['1 Introduction', 'We study rivers and', 'their deltas.', '1.1 Scope', 'Only large rivers.', '2 Data', '(a) gauges;', '(b) satellites.'].join('\n');
    const { items, family } = await buildOutline([{ kind: 'text', text }]);
    expect(family).toBe('decimal');
    expect(items.map((i) => (i.kind === 'node' ? `#${i.node.level} ${i.node.title}` : i.kind === 'text' ? i.text : 'table'))).toEqual([
      '#1 1 Introduction',
      'We study rivers and\ntheir deltas.',
      '#2 1.1 Scope',
      'Only large rivers.',
      '#1 2 Data',
      '(a) gauges;',
      '(b) satellites.',
    ]);
    const runs = sectionRuns(items);
    expect(runs.map((r) => r.path.map((n) => n.title).join(' > '))).toEqual(['1 Introduction', '1 Introduction > 1.1 Scope', '2 Data']);
  });

  it('places unnumbered headings of the parser among the numbered ones', async () => {
    const sections: Section[] = [
      { kind: 'heading', text: 'Labour Code', level: 1 },
      { kind: 'heading', text: 'Chapter 1 General', level: 2 },
      { kind: 'text', text: 'Article 1 Workers are protected.' },
      { kind: 'heading', text: 'Notes', level: 3 },
      { kind: 'text', text: 'A note.' },
    ];
    const { items } = await buildOutline(sections);
    const levels = items.flatMap((i) => (i.kind === 'node' ? [[i.node.title, i.node.level] as const] : []));
    const [title, chapter, article, notes] = levels.map(([, level]) => level) as [number, number, number, number];
    expect(levels.map(([t]) => t)).toEqual(['Labour Code', 'Chapter 1 General', 'Article 1', 'Notes']);
    expect(title).toBeLessThan(chapter);
    expect(chapter).toBeLessThan(article);
    expect(notes).toBeGreaterThan(chapter);
    expect(notes).toBeLessThan(article);
  });
});

const BOOK = [
  '# Rivers',
  '',
  'A book about rivers.',
  '',
  '## Chapter 1 Sources',
  '',
  ...Array.from({ length: 12 }, (_, i) => `Spring water number ${i + 1} rises from the ground, cold and clear, and feeds the stream below.\n`),
  '### 1.1 Glaciers',
  '',
  'Glaciers melt in summer.',
  '',
  '## Chapter 2 Deltas',
  '',
  'Deltas form where rivers meet the sea.',
  '',
  '| Delta | Area km2 |',
  '| --- | --- |',
  ...Array.from({ length: 30 }, (_, i) => `| Delta ${i + 1} | ${1000 + i} |`),
].join('\n');

async function chunksOf(chunker: Chunker, data: string, name: string, fileType: FileType, budget: number): Promise<ChunkDraft[]> {
  return chunker.chunk(await parseFile(utf8(data), name), context(fileType, budget));
}

describe('book', () => {
  it('chunks within the deepest section, up to the budget, each chunk opening with its path', async () => {
    const budget = 64;
    const chunks = await chunksOf(bookChunker, BOOK, 'rivers.md', 'md', budget);
    const paths = chunks.map((c) => c.source?.headingPath?.join(' > '));
    // In reading order, sections never interleaved.
    const order = paths.filter((p, i) => p !== paths[i - 1]);
    expect(order).toEqual(['Rivers', 'Rivers > Chapter 1 Sources', 'Rivers > Chapter 1 Sources > 1.1 Glaciers', 'Rivers > Chapter 2 Deltas']);
    for (const chunk of chunks) {
      expect(countTokens(chunk.content.replace(/<[^>]+>/g, ' '))).toBeLessThanOrEqual(budget * 1.2);
      const path = chunk.source?.headingPath?.join(' > ') ?? '';
      if (!chunk.content.startsWith('<table>')) {
        expect(chunk.content.split('\n')[0]).toBe(path);
        expect(countTokens(chunk.content)).toBeLessThanOrEqual(budget);
      }
    }
    const springs = chunks.filter((c) => c.source?.headingPath?.at(-1) === 'Chapter 1 Sources');
    expect(springs.length).toBeGreaterThan(2);
    // Split at paragraph boundaries: every spring sentence is whole in exactly one chunk.
    for (let i = 1; i <= 12; i++) {
      expect(springs.filter((c) => c.content.includes(`Spring water number ${i} rises from the ground, cold and clear`))).toHaveLength(1);
    }
    expect(chunks.find((c) => c.content.includes('Glaciers melt'))?.content).toBe('Rivers > Chapter 1 Sources > 1.1 Glaciers\nGlaciers melt in summer.');
    const tables = chunks.filter((c) => c.content.startsWith('<table>'));
    expect(tables.length).toBeGreaterThan(1);
    for (const table of tables) {
      expect(table.content).toContain('<caption>Rivers &gt; Chapter 2 Deltas</caption><tr><th>Delta</th><th>Area km2</th></tr>');
    }
  });

  it('nests "3.2" sections under "Chapter Three" in plain text, and leaves numbered lists alone', async () => {
    const text = [
      'Chapter One Sources',
      '1.1 Springs',
      'Springs feed streams.',
      '1.2 Glaciers',
      'Glaciers melt.',
      'Chapter Two Deltas',
      'Deltas are flat.',
      '2.1 Mud',
      'You need:',
      '1. Boots',
      '2. Patience',
      '3.5 Notes on something else',
    ].join('\n');
    const chunks = await chunksOf(bookChunker, text, 'book.txt', 'txt', 128);
    expect(chunks.map((c) => [c.content, c.source?.headingPath])).toEqual([
      ['Chapter One Sources > 1.1 Springs\nSprings feed streams.', ['Chapter One Sources', '1.1 Springs']],
      ['Chapter One Sources > 1.2 Glaciers\nGlaciers melt.', ['Chapter One Sources', '1.2 Glaciers']],
      ['Chapter Two Deltas\nDeltas are flat.', ['Chapter Two Deltas']],
      ['Chapter Two Deltas > 2.1 Mud\nYou need:\n1. Boots\n2. Patience\n3.5 Notes on something else', ['Chapter Two Deltas', '2.1 Mud']],
    ]);
  });

  it('keeps Chinese text without any delimiter within the budget, chapter by chapter', async () => {
    const duty = '用人单位应当按月以货币形式支付劳动者工资不得克扣或者无故拖欠劳动者的工资'.repeat(20);
    const text = `第一章 总则\n${duty}\n第二章 附则\n本法自公布之日起施行。`;
    const chunks = await bookChunker.chunk({ sections: [{ kind: 'text', text }] }, { ...context('txt', 64), delimiter: '' });
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) expect(countTokens(c.content)).toBeLessThanOrEqual(64);
    const first = chunks.filter((c) => c.source?.headingPath?.[0] === '第一章 总则');
    expect(first.map((c) => c.content.replace('第一章 总则\n', '')).join('')).toBe(duty);
    expect(chunks.at(-1)?.content).toBe('第二章 附则\n本法自公布之日起施行。');
  });

  it('finds chapters in plain text by their numbering', async () => {
    const text = [
      'THE RIVER BOOK',
      '',
      'Chapter 1 Sources',
      'Springs feed streams.',
      'Chapter 2 Deltas',
      'Deltas are flat.',
      'They are fertile.',
      'Chapter 3 Floods',
      'Floods come in spring.',
    ].join('\n');
    const chunks = await chunksOf(bookChunker, text, 'book.txt', 'txt', 128);
    expect(chunks.map((c) => [c.content, c.source?.headingPath])).toEqual([
      ['THE RIVER BOOK', undefined],
      ['Chapter 1 Sources\nSprings feed streams.', ['Chapter 1 Sources']],
      ['Chapter 2 Deltas\nDeltas are flat.\nThey are fertile.', ['Chapter 2 Deltas']],
      ['Chapter 3 Floods\nFloods come in spring.', ['Chapter 3 Floods']],
    ]);
  });
});

describe('manual', () => {
  const MANUAL = [
    '# Coffee machine',
    '## Setup',
    '### Water',
    'Fill the tank with fresh water.',
    '### Power',
    'Plug the machine in.',
    '### Beans',
    'Pour beans into the hopper.',
    '## Cleaning',
    ...Array.from({ length: 10 }, (_, i) => `Step ${i + 1}: rinse part ${i + 1} under warm running water and let it dry completely.\n`),
    '## Settings',
    '| Setting | Values |',
    '| --- | --- |',
    ...Array.from({ length: 25 }, (_, i) => `| Option ${i + 1} | level ${i + 1} |`),
  ].join('\n');

  it('merges small sibling sections up to the budget, splits large ones under their title', async () => {
    const chunks = await chunksOf(manualChunker, MANUAL, 'coffee.md', 'md', 48);
    expect(chunks[0]?.content).toBe(
      'Coffee machine > Setup\nWater\nFill the tank with fresh water.\nPower\nPlug the machine in.\nBeans\nPour beans into the hopper.',
    );
    expect(chunks[0]?.source?.headingPath).toEqual(['Coffee machine', 'Setup', 'Water']);
    const cleaning = chunks.filter((c) => c.source?.headingPath?.at(-1) === 'Cleaning');
    expect(cleaning.length).toBeGreaterThan(1);
    for (const chunk of cleaning) {
      expect(chunk.content.startsWith('Coffee machine\nCleaning\n')).toBe(true);
      expect(countTokens(chunk.content)).toBeLessThanOrEqual(48);
    }
    const tables = chunks.filter((c) => c.content.startsWith('<table>'));
    expect(tables.length).toBeGreaterThan(1);
    for (const t of tables) expect(t.content).toContain('<tr><th>Setting</th><th>Values</th></tr>');
    expect(tables.map((t) => t.content).join('')).toContain('Option 25');
  });

  it('does not merge sections of different parents', async () => {
    const chunks = await chunksOf(manualChunker, '# A\n## A1\nOne.\n# B\n## B1\nTwo.', 'm.md', 'md', 200);
    expect(chunks.map((c) => c.content)).toEqual(['A\nA1\nOne.', 'B\nB1\nTwo.']);
  });
});

describe('structured methods: file types and aborts', () => {
  it('accept the documents RAGFlow gives them and refuse the rest', () => {
    expect(chunkerFor('laws', 'txt')).toBe(lawsChunker);
    expect(chunkerFor('book', 'epub')).toBe(bookChunker);
    expect(chunkerFor('paper', 'pdf')).toBe(paperChunker);
    expect(() => chunkerFor('laws', 'spreadsheet')).toThrow(/"laws" parse method cannot read/);
    expect(() => chunkerFor('manual', 'epub')).toThrow(/"manual" parse method cannot read \.epub/);
    expect(() => chunkerFor('paper', 'pptx')).toThrow(/"paper" parse method cannot read \.pptx/);
  });

  it('stop with an AbortError when the parse is cancelled', async () => {
    const text = Array.from({ length: 2000 }, (_, i) => `Article ${i + 1} Rule\nText of rule ${i + 1}.`).join('\n');
    for (const chunker of [bookChunker, lawsChunker, manualChunker, paperChunker]) {
      const controller = new AbortController();
      controller.abort();
      const run = chunker.chunk({ sections: [{ kind: 'text', text }] }, { ...context('txt', 64), signal: controller.signal });
      await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    }
  });
});
