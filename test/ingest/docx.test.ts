import { describe, it, expect } from 'vitest';
import JSZip from 'jszip';
import { parseFile, sectionsToText, IngestError } from '../../src/ingest/index.js';
import { docxParser } from '../../src/ingest/parsers/docx.js';
import { prepareDocx } from '../../src/ingest/docx/prepare.js';
import { corpusFile } from './fixtures.js';

describe('DOCX parsing (real documents)', () => {
  it('keeps headings, paragraphs and list items in order', async () => {
    const parsed = await parseFile(await corpusFile('docx/word_sample.docx'), 'word_sample.docx');
    const start = parsed.sections.findIndex((s) => s.kind === 'heading' && s.text === 'Let’s swim!');
    expect(start).toBeGreaterThan(0);
    expect(parsed.sections.slice(start, start + 7)).toEqual([
      { kind: 'heading', text: 'Let’s swim!', level: 1 },
      { kind: 'text', text: 'To get started with swimming, first lay down in a water and try not to drown:' },
      { kind: 'text', text: '- You can relax and look around' },
      { kind: 'text', text: '- Paddle about' },
      { kind: 'text', text: '- Enjoy summer warmth' },
      { kind: 'text', text: 'Also, don’t forget:' },
      { kind: 'text', text: '1. Wear sunglasses' },
    ]);
  });

  it('turns Word tables into table sections with merged cells expanded', async () => {
    const parsed = await parseFile(await corpusFile('docx/word_tables.docx'), 'word_tables.docx');
    const tables = parsed.sections.filter((s) => s.kind === 'table');
    expect(tables.length).toBeGreaterThanOrEqual(5);
    expect(tables[0]).toMatchObject({
      rows: [
        ['Header 0.0', 'Header 0.1', 'Header 0.2'],
        ['Cell 1.0', 'Cell 1.1', 'Cell 1.2'],
        ['Cell 2.0', 'Cell 2.1', 'Cell 2.2'],
      ],
    });
    expect(tables[1]).toMatchObject({
      rows: [
        ['Header 0.0', 'Header 0.1', 'Header 0.2'],
        ['Cell 1.0', 'Merged Cell 1.1 1.2', 'Merged Cell 1.1 1.2'],
        ['Cell 2.0', 'Merged Cell 2.1 2.2', 'Merged Cell 2.1 2.2'],
      ],
    });
    const vertical = tables[3];
    expect(vertical?.kind === 'table' && vertical.rows.map((r) => r[1])).toEqual([
      'Header 0.1',
      'Merged Cell 1.1 2.1',
      'Merged Cell 1.1 2.1',
      'Merged Cell 3.1 4.1',
      'Merged Cell 3.1 4.1',
    ]);
  });

  it('writes back heading numbers that Word generates from its numbering definitions', async () => {
    const parsed = await parseFile(await corpusFile('docx/unit_test_headers_numbered.docx'), 'numbered.docx');
    const headings = parsed.sections.filter((s) => s.kind === 'heading').map((s) => (s.kind === 'heading' ? s.text : ''));
    expect(headings).toEqual([
      '1 Section 1',
      '1.1 Section 1.1',
      '1.2 Section 1.2',
      '1.2.1 Section 1.2.3',
      '2 Section 2',
      '2.1.1 Section 2.1.1',
      '2.2 Section 2.1',
    ]);
    // Numbering in format "none" shows no number in Word, so none is written (and no list item either).
    expect(parsed.sections).toContainEqual({ kind: 'text', text: 'REFERENCES' });
  });

  it('keeps equations (Office Math) as linear text, which mammoth alone drops', async () => {
    const parsed = await parseFile(await corpusFile('docx/equations.docx'), 'equations.docx');
    const text = sectionsToText(parsed);
    expect(text).toContain('This is a word document and this is an inline equation: A=πr^2 .');
    expect(text).toContain('E=mc^2 and F=ma are physics formulas');
    expect(parsed.sections).toContainEqual({ kind: 'text', text: 'a^2+b^2=c^2 × 23' });
  });

  it('keeps text from text boxes', async () => {
    const text = sectionsToText(await parseFile(await corpusFile('docx/textbox.docx'), 'textbox.docx'));
    expect(text.length).toBeGreaterThan(1000);
    expect(text).not.toContain('data:image');
  });
});

describe('DOCX parsing: broken and protected files', () => {
  it('rejects random bytes named .docx with a clear message', async () => {
    const random = new Uint8Array(2048).map((_, i) => (i * 2654435761) % 251);
    const error = await parseFile(random, 'random.docx').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestError);
    expect((error as Error).message).toMatch(/is not a DOCX document/);
    await expect(docxParser.parse(random, { fileName: 'random.docx' })).rejects.toThrow(
      'The DOCX file is corrupt or not a Word document (it is not a ZIP package).',
    );
  });

  it('rejects a truncated DOCX as corrupt', async () => {
    const whole = await corpusFile('docx/word_sample.docx');
    const cut = whole.subarray(0, Math.floor(whole.length * 0.6));
    const error = await parseFile(cut, 'cut.docx').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestError);
    expect((error as Error).message).toMatch(/^The DOCX file is corrupt or truncated: /);
  });

  it('recognises an encrypted or legacy Word file (OLE compound document)', async () => {
    const ole = new Uint8Array(1024);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const expected = /encrypted \(password protected\) or is a legacy Word \.doc file/;
    await expect(parseFile(ole, 'locked.docx')).rejects.toThrow(expected);
    await expect(docxParser.parse(ole, { fileName: 'locked.docx' })).rejects.toThrow(expected);
  });
});

describe('DOCX package preparation', () => {
  const parts = async (bytes: Uint8Array): Promise<Map<string, string>> => {
    const zip = await JSZip.loadAsync(bytes);
    const out = new Map<string, string>();
    for (const file of Object.values(zip.files)) if (!file.dir) out.set(file.name, await file.async('string'));
    return out;
  };

  it('rewrites only the main part, replacing equations with text runs', async () => {
    const bytes = await corpusFile('docx/equations.docx');
    const prepared = await prepareDocx(bytes);
    expect(prepared.bytes).not.toBe(bytes);
    const before = await parts(bytes);
    const after = await parts(prepared.bytes);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [name, text] of before) if (name !== 'word/document.xml') expect(after.get(name), name).toBe(text);
    const main = after.get('word/document.xml') ?? '';
    expect(main).not.toContain('<m:oMath');
    expect(main).toContain('<w:r><w:t xml:space="preserve"> E=mc^2 </w:t></w:r>');
  });

  it('hands packages without equations on as they are, with the numbering their styles carry', async () => {
    const bytes = await corpusFile('docx/unit_test_headers_numbered.docx');
    const prepared = await prepareDocx(bytes);
    expect(prepared.bytes).toBe(bytes);
    expect(prepared.styleNumbers.get('Heading2')).toEqual({ level: 1, format: 'decimal' });
    expect(prepared.styleNumbers.get('HeadingInvisNum')).toEqual({ level: 0, format: 'none' });
  });

  it('leaves a package it cannot read untouched, for mammoth to report', async () => {
    const whole = await corpusFile('docx/equations.docx');
    for (const bytes of [whole.subarray(0, Math.floor(whole.length * 0.6)), new Uint8Array(100)]) {
      const prepared = await prepareDocx(bytes);
      expect(prepared.bytes).toBe(bytes);
      expect(prepared.styleNumbers.size).toBe(0);
    }
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(prepareDocx(await corpusFile('docx/equations.docx'), controller.signal)).rejects.toThrow('stop');
  });

  it('lets timers run while it rewrites a large document', async () => {
    const zip = await JSZip.loadAsync(await corpusFile('docx/equations.docx'));
    const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
    const start = xml.indexOf('<w:body>') + '<w:body>'.length;
    const end = xml.indexOf('<w:sectPr');
    zip.file('word/document.xml', xml.slice(0, start) + xml.slice(start, end).repeat(50) + xml.slice(end));
    const big = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      const prepared = await prepareDocx(big);
      expect((await parts(prepared.bytes)).get('word/document.xml')).not.toContain('<m:oMath');
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(3);
  });
});
