import { describe, it, expect } from 'vitest';
import { parseFile, sectionsToText, IngestError, type Section } from '../../src/ingest/index.js';
import { utf8 } from './fixtures.js';

const texts = (sections: Section[]): string[] => sections.map((s) => (s.kind === 'table' ? '<table>' : s.text));

describe('txt and code', () => {
  it('decodes UTF-8, strips the BOM, normalises CRLF and keeps the lines', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('first line\r\nsecond – line\r\n\r\nthird\rfourth')]);
    const parsed = await parseFile(bytes, 'notes.txt');
    expect(parsed.sections).toEqual([{ kind: 'text', text: 'first line\nsecond – line\n\nthird\nfourth' }]);
  });

  it('keeps code indentation and blank lines', async () => {
    const source = 'def add(a, b):\n    """Sum."""\n\n    return a + b\n';
    const parsed = await parseFile(utf8(source), 'math.py');
    expect(parsed.sections).toEqual([{ kind: 'text', text: source }]);
  });

  it('decodes UTF-16LE text with a BOM', async () => {
    const body = Buffer.from('héllo wörld', 'utf16le');
    const parsed = await parseFile(new Uint8Array([0xff, 0xfe, ...body]), 'wide.txt');
    expect(sectionsToText(parsed)).toBe('héllo wörld');
  });
});

describe('markdown', () => {
  const md = [
    '---',
    'title: Front matter',
    '---',
    '# Getting started',
    '',
    'Install the package.',
    'It is quick.',
    '',
    'Configuration',
    '=============',
    '',
    '| Option | Default | Meaning |',
    '|:-------|--------:|---------|',
    '| `depth` | 3 | how deep \\| far |',
    '| verbose | false |',
    '',
    '```bash',
    '# not a heading',
    'npm install',
    '```',
    '',
    'Details',
    '-------',
    '### Closing ###',
    '#hashtag is text',
  ].join('\n');

  it('turns ATX/setext headings, pipe tables, fenced code and paragraphs into sections', async () => {
    const { sections } = await parseFile(utf8(md), 'guide.md');
    expect(sections).toEqual([
      { kind: 'text', text: '---\ntitle: Front matter\n---' },
      { kind: 'heading', text: 'Getting started', level: 1 },
      { kind: 'text', text: 'Install the package.\nIt is quick.' },
      { kind: 'heading', text: 'Configuration', level: 1 },
      {
        kind: 'table',
        hasHeader: true,
        rows: [
          ['Option', 'Default', 'Meaning'],
          ['`depth`', '3', 'how deep | far'],
          ['verbose', 'false', ''],
        ],
      },
      { kind: 'text', text: '```bash\n# not a heading\nnpm install\n```' },
      { kind: 'heading', text: 'Details', level: 2 },
      { kind: 'heading', text: 'Closing', level: 3 },
      { kind: 'text', text: '#hashtag is text' },
    ]);
  });
});

describe('html', () => {
  const html = `<!doctype html><html><head><title>Solar Panels Guide</title>
    <style>.x{color:red}</style><script>var tracking = "SECRET_SCRIPT";</script></head>
    <body>
      <header><a href="/">Home</a> <a href="/shop">Shop</a></header>
      <nav><ul><li>Menu item one</li><li>Menu item two</li></ul></nav>
      <div role="banner">Big banner text</div>
      <article>
        <h2>How panels work</h2>
        <p>Photovoltaic cells turn <b>light</b> into
           electricity.</p>
        <ul><li>Cheap</li><li>Clean</li></ul>
        <ol start="3"><li>Third</li><li>Fourth</li></ol>
        <blockquote>Quoted insight.</blockquote>
        <pre>  line one
    line two</pre>
        <table>
          <thead><tr><th>Panel</th><th>Watts</th></tr></thead>
          <tbody><tr><td>A &amp; B</td><td>300</td></tr><tr><td colspan="2">Spanning</td></tr></tbody>
        </table>
        <aside>Related: buy now</aside>
        <noscript>Enable JS</noscript>
        <form><input value="x"> Subscribe to our newsletter</form>
      </article>
      <footer>Copyright 2024 <a href="/privacy">Privacy</a></footer>
    </body></html>`;

  it('keeps the readable article and drops menus, scripts, banners, asides, forms and footers', async () => {
    const { sections } = await parseFile(utf8(html), 'guide.html');
    expect(sections).toEqual([
      { kind: 'heading', text: 'Solar Panels Guide', level: 1 },
      { kind: 'heading', text: 'How panels work', level: 2 },
      { kind: 'text', text: 'Photovoltaic cells turn light into electricity.' },
      { kind: 'text', text: '- Cheap' },
      { kind: 'text', text: '- Clean' },
      { kind: 'text', text: '3. Third' },
      { kind: 'text', text: '4. Fourth' },
      { kind: 'text', text: 'Quoted insight.' },
      { kind: 'text', text: '  line one\n    line two' },
      { kind: 'table', hasHeader: true, rows: [['Panel', 'Watts'], ['A & B', '300'], ['Spanning', 'Spanning']] },
    ]);
    const text = sectionsToText({ sections });
    for (const noise of ['SECRET_SCRIPT', 'Menu item', 'Big banner', 'Related', 'Enable JS', 'newsletter', 'Copyright', 'Home', 'color:red']) {
      expect(text).not.toContain(noise);
    }
  });

  it('prefers <main>, keeps an h1 instead of the title, and expands row spans', async () => {
    const page = `<html><head><title>Site - Page</title></head><body>
      <div class="menu">Outside main</div>
      <main><h1>Real title</h1><p>Body<br>second line</p>
        <table><tr><td rowspan="2">R</td><td>1</td></tr><tr><td>2</td></tr></table></main></body></html>`;
    const { sections } = await parseFile(utf8(page), 'p.htm');
    expect(sections).toEqual([
      { kind: 'heading', text: 'Real title', level: 1 },
      { kind: 'text', text: 'Body\nsecond line' },
      { kind: 'table', hasHeader: false, rows: [['R', '1'], ['R', '2']] },
    ]);
  });
});

describe('json and jsonl', () => {
  const doc = {
    name: 'catalog',
    products: Array.from({ length: 30 }, (_, i) => ({ id: i, title: `Product ${i}`, tags: ['a', 'b'], price: i * 1.5 })),
    meta: { owner: 'team', nested: { deep: { value: 'x'.repeat(50) } } },
  };

  it('splits a JSON document into sub-objects that each parse and stay near the size limit', async () => {
    const { sections } = await parseFile(utf8(JSON.stringify(doc)), 'catalog.json', { chunkTokenNum: 128 });
    expect(sections.length).toBeGreaterThan(3);
    const ids: number[] = [];
    for (const s of sections) {
      expect(s.kind).toBe('text');
      if (s.kind !== 'text') continue;
      expect(s.keepWhole).toBe(true);
      expect(s.text.length).toBeLessThanOrEqual(2 * 128 + 120);
      const value = JSON.parse(s.text) as { products?: Array<{ id: number }> };
      for (const p of value.products ?? []) ids.push(p.id);
    }
    // Every product lands in exactly one piece, in order, under its "products" key.
    expect(ids).toEqual(doc.products.map((p) => p.id));
    expect(texts(sections).some((t) => t.includes('"owner": "team"'))).toBe(true);
  });

  it('keeps a small JSON document as one pretty-printed section', async () => {
    const { sections } = await parseFile(utf8('{"a":1,"b":[true,null]}'), 'small.json');
    expect(sections).toEqual([{ kind: 'text', text: '{\n  "a": 1,\n  "b": [\n    true,\n    null\n  ]\n}', keepWhole: true }]);
  });

  it('reports invalid JSON with its line and column', async () => {
    const bad = '{\n  "a": 1,\n  "b": oops\n}';
    const error = await parseFile(utf8(bad), 'bad.json').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestError);
    expect((error as Error).message).toMatch(/^Invalid JSON at line 3, column 8: /);
    await expect(parseFile(utf8('{"a": [1, 2'), 'cut.json')).rejects.toThrow(/line 1, column 12/);
  });

  it('makes one section per JSONL record and names the bad line', async () => {
    const lines = '{"q": "first"}\n\n{"q": "second"}\r\n{"q": "third"}\n';
    const { sections } = await parseFile(utf8(lines), 'rows.jsonl');
    expect(texts(sections)).toEqual(['{"q": "first"}', '{"q": "second"}', '{"q": "third"}']);
    await expect(parseFile(utf8('{"ok": 1}\n{"broken": }\n'), 'rows.jsonl')).rejects.toThrow(/^Invalid JSON on line 2, column 12/);
  });
});

describe('csv and tsv', () => {
  it('parses quoted fields with commas and newlines into one table with a header row', async () => {
    const csv = 'name,comment,score\r\n"Smith, J.","said ""hi""\nthen left",3\r\nDoe,,4\r\n\r\n';
    const { sections } = await parseFile(utf8(csv), 'people.csv');
    expect(sections).toEqual([
      {
        kind: 'table',
        hasHeader: true,
        rows: [
          ['name', 'comment', 'score'],
          ['Smith, J.', 'said "hi"\nthen left', '3'],
          ['Doe', '', '4'],
        ],
        // The line each record starts on: the quoted newline puts Doe on line 4.
        rowNumbers: [1, 2, 4],
      },
    ]);
  });

  it('uses tabs for .tsv files and for tab-separated content in a .csv', async () => {
    const tsv = 'id\ttext\n1\thello, world\n2\tbye';
    const expected = [['id', 'text'], ['1', 'hello, world'], ['2', 'bye']];
    expect((await parseFile(utf8(tsv), 'data.tsv')).sections[0]).toMatchObject({ rows: expected });
    expect((await parseFile(utf8(tsv), 'data.csv')).sections[0]).toMatchObject({ rows: expected });
  });

  it('pads ragged rows and survives multi-byte characters across read slices', async () => {
    const long = 'é'.repeat(40_000);
    const csv = `a,b,c\n1\n${long},x,y\n`;
    const { sections } = await parseFile(utf8(csv), 'ragged.csv');
    expect(sections[0]).toMatchObject({ rows: [['a', 'b', 'c'], ['1', '', ''], [long, 'x', 'y']] });
    expect(sectionsToText({ sections }).split('\n')[1]).toBe('1\t\t');
  });

  it('reports a quote that is never closed', async () => {
    await expect(parseFile(utf8('a,b\n"open,2\n'), 'bad.csv')).rejects.toThrow(/^The CSV file could not be parsed/);
  });
});
