import MailComposer from 'nodemailer/lib/mail-composer';
import type { MailComposerOptions } from 'nodemailer/lib/mail-composer';
import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import JSZip from 'jszip';

export async function composeMail(options: MailComposerOptions): Promise<Uint8Array> {
  return new Uint8Array(await new MailComposer(options).compile().build());
}

export async function docxWith(heading: string, paragraph: string): Promise<Buffer> {
  const doc = new Document({
    sections: [{ children: [new Paragraph({ text: heading, heading: HeadingLevel.HEADING_1 }), new Paragraph(paragraph)] }],
  });
  return Packer.toBuffer(doc);
}

export async function zipWith(name: string, text: string): Promise<Buffer> {
  const zip = new JSZip();
  zip.file(name, text);
  return zip.generateAsync({ type: 'nodebuffer' });
}

/** A mail with a .txt, a .csv, a .docx and a .zip attached. */
export async function mailWithAttachments(): Promise<Uint8Array> {
  return composeMail({
    from: 'Ann Archer <ann@example.com>',
    to: ['bob@example.com', 'Cy Cole <cy@example.com>'],
    cc: 'dora@example.com',
    date: new Date('2026-03-04T05:06:07Z'),
    subject: 'Quarterly numbers',
    text: 'Hi Bob,\n\nthe quarterly numbers are attached. The meeting moved to Thursday.\n\nAnn',
    attachments: [
      { filename: 'notes.txt', content: 'The blue heron nests by the northern lake.' },
      { filename: 'sales.csv', content: 'region,revenue\nNorth,120\nSouth,95\n' },
      {
        filename: 'report.docx',
        content: await docxWith('Findings', 'The quokka population doubled in the western reserve.'),
      },
      { filename: 'archive.zip', content: await zipWith('inside.txt', 'zipped words'), contentType: 'application/zip' },
    ],
  });
}
