import { describe, it, expect } from 'vitest';
import { detectFileType, parseFile, SUPPORTED_EXTENSIONS, IngestError } from '../../src/ingest/index.js';
import { corpusFile, encryptedPdf, utf8 } from './fixtures.js';

describe('detectFileType', () => {
  it('maps extensions to types when the bytes agree', async () => {
    const pdf = await corpusFile('pdf/picture_classification.pdf');
    const docx = await corpusFile('docx/lorem_ipsum.docx');
    expect(detectFileType('Report.PDF', pdf)).toBe('pdf');
    expect(detectFileType('letter.docx', docx)).toBe('docx');
    expect(detectFileType('notes.txt', utf8('hello'))).toBe('txt');
    expect(detectFileType('main.py', utf8('print(1)'))).toBe('code');
    expect(detectFileType('lib.rs', utf8('fn main() {}'))).toBe('code');
    expect(detectFileType('cfg.yaml', utf8('a: 1'))).toBe('code');
    expect(detectFileType('README.md', utf8('# Hi'))).toBe('md');
    expect(detectFileType('page.mdx', utf8('# Hi'))).toBe('md');
    expect(detectFileType('index.htm', utf8('<p>x</p>'))).toBe('html');
    expect(detectFileType('data.json', utf8('{}'))).toBe('json');
    expect(detectFileType('rows.jsonl', utf8('{}\n{}'))).toBe('jsonl');
    expect(detectFileType('rows.ldjson', utf8('{}'))).toBe('jsonl');
    expect(detectFileType('table.csv', utf8('a,b'))).toBe('csv');
    expect(detectFileType('table.tsv', utf8('a\tb'))).toBe('csv');
    expect(detectFileType('encrypted.pdf', encryptedPdf())).toBe('pdf');
  });

  it('accepts UTF-8 with a BOM, UTF-16 with a BOM and a multi-byte character cut at the sniff limit', () => {
    expect(detectFileType('bom.txt', new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0x69]))).toBe('txt');
    expect(detectFileType('wide.csv', new Uint8Array([0xff, 0xfe, 0x61, 0x00, 0x2c, 0x00, 0x62, 0x00]))).toBe('csv');
    const text = 'a'.repeat(8191) + 'é'.repeat(10);
    expect(detectFileType('long.txt', utf8(text))).toBe('txt');
  });

  it('returns null when the content contradicts the extension', async () => {
    const pdf = await corpusFile('pdf/picture_classification.pdf');
    const docx = await corpusFile('docx/lorem_ipsum.docx');
    expect(detectFileType('fake.pdf', utf8('just some text, not a PDF'))).toBeNull();
    expect(detectFileType('fake.docx', utf8('plain text'))).toBeNull();
    expect(detectFileType('renamed.docx', pdf)).toBeNull();
    expect(detectFileType('renamed.txt', pdf)).toBeNull(); // binary streams, invalid UTF-8
    expect(detectFileType('archive.json', docx)).toBeNull(); // a ZIP is not text
    expect(detectFileType('nul.txt', new Uint8Array([0x61, 0x00, 0x62]))).toBeNull();
    expect(detectFileType('latin1.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x20, 0x61]))).toBeNull();
    expect(detectFileType('empty.pdf', new Uint8Array())).toBeNull();
  });

  it('returns null for unknown extensions', () => {
    expect(detectFileType('photo.jpg', utf8('x'))).toBeNull();
    expect(detectFileType('noextension', utf8('x'))).toBeNull();
    expect(detectFileType('old.doc', utf8('x'))).toBeNull();
  });
});

describe('parseFile on undetectable input', () => {
  it('names the supported types for an unknown extension', async () => {
    const error = await parseFile(utf8('x'), 'song.mp3').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestError);
    expect((error as Error).message).toMatch(/^Unsupported file type "song\.mp3"; supported: .*\.pdf .*\.docx .*\.csv/);
    expect(SUPPORTED_EXTENSIONS).toEqual(expect.arrayContaining(['pdf', 'docx', 'txt', 'md', 'html', 'json', 'jsonl', 'csv', 'tsv', 'py']));
  });

  it('says what is wrong when a known extension has the wrong content', async () => {
    await expect(parseFile(utf8('hello'), 'x.pdf')).rejects.toThrow(/not a PDF/);
    await expect(parseFile(new Uint8Array([0x00, 0x01, 0x02, 0xff]), 'x.txt')).rejects.toThrow(/does not look like text/);
    await expect(parseFile(new Uint8Array(), 'x.pdf')).rejects.toThrow(/is empty/);
    // An empty text file is simply empty.
    await expect(parseFile(new Uint8Array(), 'x.md')).resolves.toEqual({ sections: [] });
  });
});
