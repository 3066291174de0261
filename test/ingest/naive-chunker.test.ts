import { describe, it, expect } from 'vitest';
import { chunkNaive, countTokens, type Section } from '../../src/ingest/index.js';
import type { ChunkPosition } from '../../src/types.js';

const sentences = (n: number): string =>
  Array.from({ length: n }, (_, i) => `Sentence number ${i} talks about retrieval and chunking.\n`).join('');

describe('chunkNaive: merging by token budget', () => {
  it('grows a chunk until it exceeds the budget, so each chunk is at most budget + one piece', async () => {
    const text = sentences(120);
    const budget = 64;
    const pieceTokens = countTokens('Sentence number 100 talks about retrieval and chunking.\n');
    const chunks = await chunkNaive([{ kind: 'text', text }], { chunkTokenNum: budget, delimiter: '\n' });

    expect(chunks.length).toBeGreaterThan(5);
    for (const [i, chunk] of chunks.entries()) {
      const n = countTokens(chunk.content);
      expect(n).toBeLessThanOrEqual(budget + pieceTokens + 1);
      // Every chunk but the last was closed only because it went over the budget.
      if (i < chunks.length - 1) expect(n).toBeGreaterThan(budget - 2);
    }
    // Nothing lost, nothing duplicated, order kept.
    expect(chunks.map((c) => c.content).join('\n')).toBe(text.trimEnd());
  });

  it('keeps every delimiter character at the end of its piece', async () => {
    const chunks = await chunkNaive([{ kind: 'text', text: 'alpha!beta?gamma;delta' }], {
      chunkTokenNum: 1,
      delimiter: '!?;',
    });
    expect(chunks.map((c) => c.content)).toEqual(['alpha!', 'beta?', 'gamma;', 'delta']);
  });

  it('treats text inside backticks as one multi-character delimiter', async () => {
    const chunks = await chunkNaive([{ kind: 'text', text: 'one#two##three##four' }], {
      chunkTokenNum: 1,
      delimiter: '`##`',
    });
    expect(chunks.map((c) => c.content)).toEqual(['one#two##', 'three##', 'four']);
  });

  it('reads a literal backslash-n in the delimiter as a newline, not as "\\\\" and "n"', async () => {
    const chunks = await chunkNaive([{ kind: 'text', text: 'banana nonsense\nsecond line' }], {
      chunkTokenNum: 1,
      delimiter: '\\n!?',
    });
    expect(chunks.map((c) => c.content)).toEqual(['banana nonsense', 'second line']);
  });

  it('cuts a huge piece without delimiters in halves until each part is at most 10x the budget', async () => {
    const words = Array.from({ length: 3000 }, (_, i) => `w${i}`).join(' ');
    const budget = 20;
    const chunks = await chunkNaive([{ kind: 'text', text: words }], { chunkTokenNum: budget, delimiter: '\n' });
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(countTokens(c.content)).toBeLessThanOrEqual(budget + 10 * budget + 2);
    expect(chunks.map((c) => c.content).join(' ').split(/\s+/)).toEqual(words.split(' '));
  });

  it('drops whitespace-only chunks', async () => {
    const chunks = await chunkNaive(
      [
        { kind: 'text', text: '   \n\n  \n' },
        { kind: 'text', text: '\n\n' },
      ],
      { chunkTokenNum: 10, delimiter: '\n' },
    );
    expect(chunks).toEqual([]);
  });

  it('keeps a keepWhole section as one piece even when it contains delimiters', async () => {
    const json = '{\n  "a": 1,\n  "b": 2\n}';
    const chunks = await chunkNaive(
      [
        { kind: 'text', text: json, keepWhole: true },
        { kind: 'text', text: json, keepWhole: true },
      ],
      { chunkTokenNum: 4, delimiter: '\n' },
    );
    expect(chunks.map((c) => c.content)).toEqual([json, json]);
  });
});

describe('chunkNaive: headings', () => {
  it('glues a heading to the text after it; a heading is never the last thing in a chunk', async () => {
    const sections: Section[] = [
      { kind: 'text', text: sentences(8) },
      { kind: 'heading', text: 'Installation Guide', level: 2 },
      { kind: 'text', text: 'Run the installer first.\nThen configure it.\n' },
      { kind: 'heading', text: 'Usage', level: 2 },
      { kind: 'heading', text: 'Basics', level: 3 },
      { kind: 'text', text: 'Call the API.\n' },
    ];
    const chunks = await chunkNaive(sections, { chunkTokenNum: 20, delimiter: '\n' });
    const withInstall = chunks.find((c) => c.content.includes('Installation Guide'));
    expect(withInstall?.content).toMatch(/Installation Guide\nRun the installer first\./);
    const withUsage = chunks.find((c) => c.content.includes('Usage'));
    expect(withUsage?.content).toMatch(/Usage\nBasics\nCall the API\./);
    for (const c of chunks) {
      expect(c.content.endsWith('Installation Guide')).toBe(false);
      expect(c.content.endsWith('Usage')).toBe(false);
      expect(c.content.endsWith('Basics')).toBe(false);
    }
  });
});

describe('chunkNaive: tables', () => {
  const header = ['Country', 'Capital', 'Population'];
  const rows = Array.from({ length: 120 }, (_, i) => [`Country ${i}`, `Capital city ${i}`, String(1000 + i)]);
  const table: Section = { kind: 'table', rows: [header, ...rows], hasHeader: true };

  it('keeps a small table whole as one HTML chunk of its own', async () => {
    const small: Section = { kind: 'table', rows: [header, ['France', 'Paris', '68'], ['Japan', 'Tokyo', '125']], hasHeader: true };
    const chunks = await chunkNaive([{ kind: 'text', text: 'Intro line.' }, small, { kind: 'text', text: 'Outro.' }], {
      chunkTokenNum: 512,
      delimiter: '\n',
    });
    expect(chunks.map((c) => c.content)).toEqual([
      'Intro line.',
      '<table><tr><th>Country</th><th>Capital</th><th>Population</th></tr><tr><td>France</td><td>Paris</td><td>68</td></tr><tr><td>Japan</td><td>Tokyo</td><td>125</td></tr></table>',
      'Outro.',
    ]);
  });

  it('splits a big table by rows, repeats the header row in every piece and never cuts a row', async () => {
    const budget = 120;
    const chunks = await chunkNaive([table], { chunkTokenNum: budget, delimiter: '\n' });
    expect(chunks.length).toBeGreaterThan(3);
    const seen: string[] = [];
    for (const c of chunks) {
      expect(c.content.startsWith('<table><tr><th>Country</th><th>Capital</th><th>Population</th></tr>')).toBe(true);
      expect(c.content.endsWith('</tr></table>')).toBe(true);
      // The budget counts cell text (tab-joined), not markup.
      const text = [...c.content.matchAll(/<tr>(.*?)<\/tr>/g)]
        .map((row) => [...(row[1] ?? '').matchAll(/<t[hd]>(.*?)<\/t[hd]>/g)].map((m) => m[1]).join('\t'))
        .join('\n');
      expect(countTokens(text)).toBeLessThanOrEqual(budget);
      for (const m of c.content.matchAll(/<tr><td>(.*?)<\/td><td>(.*?)<\/td><td>(.*?)<\/td><\/tr>/g)) seen.push(m[1] ?? '');
    }
    expect(seen).toEqual(rows.map((r) => r[0]));
  });

  it('keeps a small table whole even when its HTML is longer than the budget', async () => {
    const small: Section = { kind: 'table', rows: rows.slice(0, 6), hasHeader: true };
    const chunks = await chunkNaive([small], { chunkTokenNum: 100, delimiter: '\n' });
    expect(chunks).toHaveLength(1);
    expect(countTokens(chunks[0]?.content ?? '')).toBeGreaterThan(100);
  });

  it('escapes cell text and puts a heading right before a table into every piece as its caption', async () => {
    const sections: Section[] = [
      { kind: 'heading', text: 'Results <2024>', level: 2 },
      { kind: 'table', rows: [['a & b', 'c'], ...rows.slice(0, 60).map((r) => [r[0] ?? '', r[1] ?? ''])], hasHeader: true },
    ];
    const chunks = await chunkNaive(sections, { chunkTokenNum: 100, delimiter: '\n' });
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) {
      expect(c.content.startsWith('<table><caption>Results &lt;2024&gt;</caption><tr><th>a &amp; b</th><th>c</th></tr>')).toBe(true);
    }
  });
});

describe('chunkNaive: positions and cancellation', () => {
  it('gives each chunk the positions of the sections it was made from, deduplicated and in order', async () => {
    const p1: ChunkPosition = [1, 10, 200, 30, 40];
    const p2: ChunkPosition = [1, 10, 200, 50, 60];
    const p3: ChunkPosition = [2, 10, 200, 30, 40];
    const sections: Section[] = [
      { kind: 'text', text: 'First paragraph.\nStill first.', positions: [p1] },
      { kind: 'text', text: 'Second paragraph.', positions: [p2] },
      { kind: 'text', text: sentences(10), positions: [p3] },
    ];
    const chunks = await chunkNaive(sections, { chunkTokenNum: 8, delimiter: '\n' });
    expect(chunks[0]?.content).toBe('First paragraph.\nStill first.\nSecond paragraph.');
    expect(chunks[0]?.positions).toEqual([p1, p2]);
    expect(chunks[1]?.positions).toEqual([p3]);
    expect(chunks.at(-1)?.positions).toEqual([p3]);
  });

  it('rejects with the abort reason when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      chunkNaive([{ kind: 'text', text: 'x' }], { chunkTokenNum: 10, delimiter: '\n' }, { signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('stops a long run when aborted midway, and yields to the event loop while working', async () => {
    const controller = new AbortController();
    const big = sentences(40_000);
    let ticks = 0;
    const timer = setInterval(() => {
      ticks++;
      if (ticks === 2) controller.abort(new Error('stop requested'));
    }, 1);
    try {
      await expect(
        chunkNaive([{ kind: 'text', text: big }], { chunkTokenNum: 128, delimiter: '\n' }, { signal: controller.signal }),
      ).rejects.toThrow('stop requested');
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThanOrEqual(2);
  });
});
