import { describe, expect, it } from 'vitest';
import { parseFile, IngestError, type Section } from '../../src/ingest/index.js';
import { composeMail, docxWith, mailWithAttachments } from './email-fixtures.js';
import { utf8 } from './fixtures.js';
import { encode, wrap } from 'nodemailer/lib/qp';
import { withLoopWatch } from '../fixtures/event-loop.js';

function textOf(section: Section): string {
  return section.kind === 'table' ? section.rows.map((r) => r.join(' | ')).join('\n') : section.text;
}

function partTexts(sections: readonly Section[], part: string): string {
  return sections
    .filter((s) => s.source?.part === part)
    .map(textOf)
    .join('\n');
}

describe('eml parser', () => {
  it('reads headers, body and every readable attachment, each tagged with its part', async () => {
    const { sections } = await parseFile(await mailWithAttachments(), 'numbers.eml');
    expect(sections[0]).toEqual({
      kind: 'text',
      text:
        'From: Ann Archer <ann@example.com>\nTo: bob@example.com, Cy Cole <cy@example.com>\n' +
        'Cc: dora@example.com\nDate: 2026-03-04T05:06:07.000Z\nSubject: Quarterly numbers',
      source: { part: 'headers' },
    });
    expect(partTexts(sections, 'body')).toContain('The meeting moved to Thursday.');
    expect(partTexts(sections, 'notes.txt')).toBe('The blue heron nests by the northern lake.');

    const csv = sections.find((s) => s.source?.part === 'sales.csv');
    expect(csv).toMatchObject({ kind: 'table', rows: [['region', 'revenue'], ['North', '120'], ['South', '95']] });

    const docx = sections.filter((s) => s.source?.part === 'report.docx');
    expect(docx[0]).toMatchObject({ kind: 'heading', text: 'Findings' });
    expect(docx.map(textOf).join('\n')).toContain('quokka population doubled');

    expect(sections.at(-1)).toEqual({
      kind: 'text',
      text: 'Attachments not indexed: archive.zip (application/zip)',
      source: { part: 'attachments' },
    });
    // Nothing from the zip was read.
    expect(sections.map(textOf).join('\n')).not.toContain('zipped words');
  });

  it('reads an HTML-only mail through the HTML parser, keeping its headings', async () => {
    const bytes = await composeMail({
      from: 'news@example.com',
      subject: 'Newsletter',
      html: '<html><body><h1>Spring update</h1><p>The <b>orchard</b> is blooming.</p><h2>Events</h2><ul><li>Picnic on Sunday</li></ul></body></html>',
    });
    const { sections } = await parseFile(bytes, 'news.eml');
    const body = sections.filter((s) => s.source?.part === 'body');
    expect(body.map((s) => [s.kind, textOf(s)])).toEqual([
      ['heading', 'Spring update'],
      ['text', 'The orchard is blooming.'],
      ['heading', 'Events'],
      ['text', '- Picnic on Sunday'],
    ]);
  });

  it('leaves out images the HTML body shows inline, and keeps same-named attachments apart', async () => {
    const pixel = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    const bytes = await composeMail({
      from: 'a@example.com',
      subject: 'Logo',
      html: '<p>Our logo: <img src="cid:logo@example.com"></p>',
      attachments: [
        { filename: 'logo.png', content: pixel, cid: 'logo@example.com' },
        { filename: 'notes.txt', content: 'first notes' },
        { filename: 'notes.txt', content: 'second notes' },
      ],
    });
    const { sections } = await parseFile(bytes, 'logo.eml');
    expect(sections.map((s) => s.source?.part)).toEqual(['headers', 'body', 'notes.txt', 'notes.txt (2)']);
    expect(partTexts(sections, 'notes.txt (2)')).toBe('second notes');
  });

  it('decodes a latin-1 quoted-printable body and encoded-word subject', async () => {
    const body = Buffer.from('La crème brûlée était parfaite. Ça coûte 5 EUR?', 'latin1');
    // Written out by hand: MailComposer always writes UTF-8, and a raw single part replaces the whole mail.
    const bytes = new Uint8Array(
      Buffer.from(
        'From: chef@example.fr\r\n' +
          'Subject: =?ISO-8859-1?Q?Cr=E8me_br=FBl=E9e?=\r\n' +
          'MIME-Version: 1.0\r\n' +
          'Content-Type: text/plain; charset=iso-8859-1\r\n' +
          'Content-Transfer-Encoding: quoted-printable\r\n\r\n' +
          wrap(encode(body)),
        'latin1',
      ),
    );
    const raw = Buffer.from(bytes).toString('latin1');
    // The fixture really is latin-1 in quoted-printable, not UTF-8.
    expect(raw).toMatch(/charset=iso-8859-1/i);
    expect(raw).toContain('cr=E8me br=FBl=E9e');
    const { sections } = await parseFile(bytes, 'dessert.eml');
    expect(partTexts(sections, 'body').trim()).toBe('La crème brûlée était parfaite. Ça coûte 5 EUR?');
    expect(textOf(sections[0]!)).toContain('Subject: Crème brûlée');
  });

  it('reads a forwarded mail attached to a mail, and stops at three levels', async () => {
    const innermost = await composeMail({ from: 'd@example.com', subject: 'Level 4', text: 'deepest words' });
    const level3 = await composeMail({
      from: 'c@example.com',
      subject: 'Level 3',
      text: 'third level words',
      attachments: [{ filename: 'four.eml', content: Buffer.from(innermost), contentType: 'message/rfc822' }],
    });
    const level2 = await composeMail({
      from: 'b@example.com',
      subject: 'Level 2',
      text: 'second level words',
      attachments: [{ filename: 'three.eml', content: Buffer.from(level3), contentType: 'message/rfc822' }],
    });
    const top = await composeMail({
      from: 'a@example.com',
      subject: 'Level 1',
      text: 'first level words',
      attachments: [{ filename: 'two.eml', content: Buffer.from(level2), contentType: 'message/rfc822' }],
    });
    const { sections } = await parseFile(top, 'top.eml');
    expect(partTexts(sections, 'body')).toContain('first level words');
    expect(partTexts(sections, 'two.eml / body')).toContain('second level words');
    expect(partTexts(sections, 'two.eml / headers')).toContain('Subject: Level 2');
    expect(partTexts(sections, 'two.eml / three.eml / body')).toContain('third level words');
    expect(sections.map(textOf).join('\n')).not.toContain('deepest words');
    expect(partTexts(sections, 'two.eml / three.eml / attachments')).toMatch(/four\.eml \(message\/rfc822: .*nested too deeply/);
  });

  it('lists an attachment whose parsing fails, with the reason, and still reads the mail', async () => {
    const bytes = await composeMail({
      from: 'a@example.com',
      subject: 'Broken',
      text: 'See the files.',
      attachments: [
        { filename: 'fake.pdf', content: 'this is not a pdf at all', contentType: 'application/pdf' },
        { filename: 'good.docx', content: await docxWith('Good', 'Readable paragraph.') },
      ],
    });
    const { sections } = await parseFile(bytes, 'broken.eml');
    expect(partTexts(sections, 'good.docx')).toContain('Readable paragraph.');
    expect(partTexts(sections, 'attachments')).toMatch(/^Attachments not indexed: fake\.pdf \(application\/pdf: .*not a PDF/);
  });

  it('refuses a file that is not an e-mail message', async () => {
    const parse = parseFile(utf8('just some words\nwith no header fields\n'), 'note.eml');
    await expect(parse).rejects.toBeInstanceOf(IngestError);
    await expect(parse).rejects.toThrow(/not an e-mail message/);
  });

  it('reads a mail that has headers but no body', async () => {
    const { sections } = await parseFile(utf8('Subject: Empty\r\nFrom: x@example.com\r\n\r\n'), 'empty.eml');
    expect(sections).toEqual([{ kind: 'text', text: 'From: x@example.com\nSubject: Empty', source: { part: 'headers' } }]);
  });

  it('propagates an abort instead of reporting it as a parse failure', async () => {
    const controller = new AbortController();
    controller.abort();
    const parse = parseFile(await mailWithAttachments(), 'numbers.eml', { signal: controller.signal });
    await expect(parse).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('large mails', () => {
  it('decodes a large mail off the event loop', async () => {
    const bytes = await composeMail({
      from: 'a@example.com',
      subject: 'Big',
      text: 'The big attachment follows.',
      attachments: [
        { filename: 'blob.bin', content: Buffer.alloc(16 * 1024 * 1024, 7), contentType: 'application/octet-stream' },
        { filename: 'small.txt', content: 'Small attached words.' },
      ],
    });
    const { result, worstMs } = await withLoopWatch(() => parseFile(bytes, 'big.eml'));
    const { sections } = result;
    expect(partTexts(sections, 'body')).toContain('The big attachment follows.');
    expect(partTexts(sections, 'small.txt')).toBe('Small attached words.');
    expect(partTexts(sections, 'attachments')).toBe('Attachments not indexed: blob.bin (application/octet-stream)');
    // Decoding this mail on the main thread holds it for several hundred milliseconds.
    expect(worstMs).toBeLessThan(150);
  }, 30_000);

  it('stops decoding a large mail when aborted', async () => {
    const bytes = await composeMail({
      from: 'a@example.com',
      text: 'words',
      attachments: [{ filename: 'blob.bin', content: Buffer.alloc(16 * 1024 * 1024, 7) }],
    });
    const controller = new AbortController();
    const parse = parseFile(bytes, 'big.eml', { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(parse).rejects.toMatchObject({ name: 'AbortError' });
  }, 30_000);
});
