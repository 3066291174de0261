import { describe, it, expect } from 'vitest';
import { chunkNaive, type Section } from '../../src/ingest/index.js';
import { chunkerFor, automaticChunkMethod } from '../../src/ingest/chunkers/index.js';
import { IngestError } from '../../src/ingest/types.js';
import { mergeSources } from '../../src/ingest/source.js';

describe('chunk provenance in the naive chunker', () => {
  it('gives every chunk the path of headings it sits under, outermost first', async () => {
    const sections: Section[] = [
      { kind: 'heading', text: 'Part I', level: 1 },
      { kind: 'heading', text: 'Costs', level: 2 },
      { kind: 'text', text: 'Tea costs four euros.' },
      { kind: 'heading', text: 'Taxes', level: 2 },
      { kind: 'text', text: 'Tax is twenty percent.' },
      { kind: 'heading', text: 'Part II', level: 1 },
      { kind: 'text', text: 'Nothing else.' },
    ];
    const chunks = await chunkNaive(sections, { chunkTokenNum: 1, delimiter: '\n' });
    expect(chunks.map((c) => [c.content, c.source?.headingPath])).toEqual([
      ['Part I\nCosts\nTea costs four euros.', ['Part I', 'Costs']],
      ['Taxes\nTax is twenty percent.', ['Part I', 'Taxes']],
      ['Part II\nNothing else.', ['Part II']],
    ]);
  });

  it('gives each piece of a split table the sheet rows it holds, header repeated', async () => {
    const rows = [['name', 'price'], ...Array.from({ length: 40 }, (_, i) => [`item ${i}`, `${i}.50`])];
    const rowNumbers = rows.map((_, i) => i + 1);
    const chunks = await chunkNaive(
      [{ kind: 'table', rows, hasHeader: true, rowNumbers, source: { sheet: 'Prices' } }],
      { chunkTokenNum: 60, delimiter: '\n' },
    );
    expect(chunks.length).toBeGreaterThan(2);
    let expectedFirst = 2;
    for (const chunk of chunks) {
      expect(chunk.content).toContain('<th>name</th><th>price</th>');
      expect(chunk.content).toMatch(/<\/tr><\/table>$/);
      const [first, last] = chunk.source?.rows ?? [0, 0];
      expect(chunk.source?.sheet).toBe('Prices');
      expect(first).toBe(expectedFirst);
      expect(chunk.content.match(/<tr><td>/g)?.length).toBe(last - first + 1);
      expectedFirst = last + 1;
    }
    expect(expectedFirst).toBe(42);
  });

  it('merges sources: pages add up, rows widen, the first piece names the place', () => {
    expect(mergeSources({ pages: [2, 3], headingPath: ['A'] }, { pages: [1, 3], headingPath: ['B'] })).toEqual({ pages: [1, 2, 3], headingPath: ['A'] });
    expect(mergeSources({ sheet: 'S', rows: [5, 6] }, { sheet: 'S', rows: [2, 9] })).toEqual({ sheet: 'S', rows: [2, 9] });
  });
});

describe('parse methods and file types', () => {
  it('refuses a method that cannot read the file type, naming what it reads', () => {
    expect(() => chunkerFor('email', 'pdf')).toThrow(IngestError);
    expect(() => chunkerFor('email', 'pdf')).toThrow(/"email" parse method cannot read \.pdf files; it reads \.eml/);
    expect(chunkerFor('naive', 'pptx').method).toBe('naive');
  });

  it('chooses the method RAGFlow chooses on upload for slides, images and mail', () => {
    expect(automaticChunkMethod('pptx')).toBe('presentation');
    expect(automaticChunkMethod('image')).toBe('picture');
    expect(automaticChunkMethod('eml')).toBe('email');
    expect(automaticChunkMethod('pdf')).toBeUndefined();
  });
});

describe('heading paths across slides', () => {
  it('an untitled slide does not inherit the previous slide title', async () => {
    const chunks = await chunkNaive(
      [
        { kind: 'heading', text: 'Costs', level: 1, source: { slides: [1] } },
        { kind: 'text', text: 'North 1200 EUR.', source: { slides: [1] } },
        { kind: 'text', text: 'Untitled slide text.', source: { slides: [2] } },
      ],
      { chunkTokenNum: 1, delimiter: '\n' },
    );
    expect(chunks.map((c) => c.source)).toEqual([
      { slides: [1], headingPath: ['Costs'] },
      { slides: [2] },
    ]);
  });
});
