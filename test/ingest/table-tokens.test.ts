import { describe, it, expect } from 'vitest';
import { countTokens, splitTableHtml, tableToHtml } from '../../src/ingest/index.js';

describe('countTokens (cl100k_base)', () => {
  it('counts like tiktoken cl100k_base', () => {
    expect(countTokens('')).toBe(0);
    expect(countTokens('hello world')).toBe(2);
    expect(countTokens('Hello world! café, 東京, 🚀')).toBeGreaterThan(8);
  });

  it('treats special-token text as ordinary text instead of throwing', () => {
    expect(countTokens('before <|endoftext|> after')).toBeGreaterThan(5);
  });
});

describe('table HTML', () => {
  it('renders header cells as th, escapes text and keeps line breaks', () => {
    expect(tableToHtml({ hasHeader: true, rows: [['<b>', 'x & y'], ['line1\nline2', '"q"']] })).toBe(
      '<table><tr><th>&lt;b&gt;</th><th>x &amp; y</th></tr><tr><td>line1<br>line2</td><td>&quot;q&quot;</td></tr></table>',
    );
    expect(tableToHtml({ hasHeader: false, rows: [['a', 'b']] })).toBe('<table><tr><td>a</td><td>b</td></tr></table>');
  });

  it('puts a row larger than the budget in a piece of its own instead of cutting it', () => {
    const huge = 'word '.repeat(300).trim();
    const pieces = splitTableHtml({ hasHeader: true, rows: [['h'], ['small'], [huge], ['tail']] }, 50);
    expect(pieces).toEqual([
      '<table><tr><th>h</th></tr><tr><td>small</td></tr></table>',
      `<table><tr><th>h</th></tr><tr><td>${huge}</td></tr></table>`,
      '<table><tr><th>h</th></tr><tr><td>tail</td></tr></table>',
    ]);
  });

  it('does not invent a header for tables without one', () => {
    const rows = Array.from({ length: 40 }, (_, i) => [`row ${i}`, `value ${i}`]);
    const pieces = splitTableHtml({ hasHeader: false, rows }, 60);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.every((p) => !p.includes('<th>'))).toBe(true);
    expect(pieces.join('').match(/<tr>/g)).toHaveLength(40);
  });
});
