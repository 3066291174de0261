import { describe, it, expect } from 'vitest';
import { Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { parseFile, type ChunkDraft, type ParsedFile, type Section } from '../../src/ingest/index.js';
import { chunkerFor } from '../../src/ingest/chunkers/index.js';
import { qaChunker } from '../../src/ingest/chunkers/qa.js';
import type { FileType } from '../../src/ingest/types.js';
import { IngestError } from '../../src/ingest/types.js';
import { utf8 } from './fixtures.js';
import { withLoopWatch } from '../fixtures/event-loop.js';

const TYPES: Record<string, FileType> = { csv: 'csv', txt: 'txt', md: 'md', html: 'html', docx: 'docx', pdf: 'pdf', xlsx: 'spreadsheet' };

async function chunk(parsed: ParsedFile, fileName: string, signal?: AbortSignal): Promise<ChunkDraft[]> {
  const fileType = TYPES[fileName.split('.').pop() ?? ''] as FileType;
  return qaChunker.chunk(parsed, { fileType, fileName, chunkTokenNum: 128, delimiter: '\n', bytes: new Uint8Array(), ...(signal && { signal }) });
}

async function chunkFile(bytes: Uint8Array, fileName: string): Promise<ChunkDraft[]> {
  return chunk(await parseFile(bytes, fileName), fileName);
}

const contents = (drafts: ChunkDraft[]): string[] => drafts.map((d) => d.content);

function sheet(name: string, rows: string[][], firstRow = 1): Section {
  return { kind: 'table', rows, hasHeader: true, source: { sheet: name }, rowNumbers: rows.map((_, i) => firstRow + i) };
}

describe('qa method: spreadsheets and CSV', () => {
  it('makes one chunk per row, indexes only the question and keeps sheet and row', async () => {
    const drafts = await chunk(
      {
        sections: [
          sheet('FAQ', [
            ['Question', 'Answer'],
            ['When does the museum open?', 'At 9 am every day but Monday.'],
            ['Is there parking?', ''],
            ['', 'An answer without a question'],
            ['Can I bring a dog?', 'Only guide dogs.'],
          ]),
          sheet('Tickets', [['How much is a ticket?', 'Twelve euros; children go free.']], 3),
        ],
      },
      'faq.xlsx',
    );
    expect(drafts).toEqual([
      {
        content: 'Question: When does the museum open?\tAnswer: At 9 am every day but Monday.',
        searchText: 'When does the museum open?',
        positions: [],
        source: { sheet: 'FAQ', rows: [2, 2] },
      },
      {
        content: 'Question: Can I bring a dog?\tAnswer: Only guide dogs.',
        searchText: 'Can I bring a dog?',
        positions: [],
        source: { sheet: 'FAQ', rows: [5, 5] },
      },
      // No header of labels here: the first row is a pair.
      {
        content: 'Question: How much is a ticket?\tAnswer: Twelve euros; children go free.',
        searchText: 'How much is a ticket?',
        positions: [],
        source: { sheet: 'Tickets', rows: [3, 3] },
      },
    ]);
  });

  it('finds the question and answer columns by their titles, else takes the first two filled columns', async () => {
    const titled = await chunk({ sections: [sheet('S', [['No.', 'Topic', 'Answer', 'Question'], ['1', 'Hours', 'At nine.', 'When do you open?']])] }, 'a.xlsx');
    expect(contents(titled)).toEqual(['Question: When do you open?\tAnswer: At nine.']);
    const shifted = await chunk({ sections: [sheet('S', [['', 'Q:', 'A:'], ['', 'Where is it?', 'On the hill.']])] }, 'b.xlsx');
    expect(contents(shifted)).toEqual(['Question: Where is it?\tAnswer: On the hill.']);
  });

  it('reads a CSV through its parser, with Chinese labels for Chinese questions and prefixes stripped', async () => {
    const csv = 'question,answer\n"Q: Do you ship abroad?","A: Yes, to 40 countries."\n问：营业时间是几点？,答：早上九点到晚上六点。\nonly one field\n';
    const drafts = await chunkFile(utf8(csv), 'faq.csv');
    expect(drafts.map((d) => [d.content, d.searchText, d.source])).toEqual([
      ['Question: Do you ship abroad?\tAnswer: Yes, to 40 countries.', 'Do you ship abroad?', { rows: [2, 2] }],
      ['问题：营业时间是几点？\t回答：早上九点到晚上六点。', '营业时间是几点？', { rows: [3, 3] }],
    ]);
  });
});

describe('qa method: plain text', () => {
  it('reads question<TAB>answer lines; a line without a tab continues the answer, one with three cells is skipped', async () => {
    const txt = 'Where is the station?\tTwo streets north.\nTake the second left.\nbad\trow\twith three\nQ: Is it open at night?\tA: No.\n\tno question\n';
    expect(contents(await chunkFile(utf8(txt), 'faq.txt'))).toEqual([
      'Question: Where is the station?\tAnswer: Two streets north.\nTake the second left.',
      'Question: Is it open at night?\tAnswer: No.',
    ]);
  });

  it('reads question,answer lines when more lines split in two at a comma than at a tab, as RAGFlow does', async () => {
    const txt = 'Is breakfast included?,Yes from 7 to 10.\nIs there a gym?,On the top floor.\nServed in the lobby.\n';
    expect(contents(await chunkFile(utf8(txt), 'hotel.txt'))).toEqual([
      'Question: Is breakfast included?\tAnswer: Yes from 7 to 10.',
      'Question: Is there a gym?\tAnswer: On the top floor.\nServed in the lobby.',
    ]);
  });

  it('reads Q:/A: blocks with multi-line answers and ignores text before the first question', async () => {
    const txt = [
      'Opening notes that answer nothing.',
      '',
      'Q: How do I reset my password?',
      'A: Open Settings.',
      'Then choose "Reset password".',
      '',
      'Question 2: What does',
      'the premium plan cost?',
      'Answer: 9 dollars, billed monthly.',
      'Q: A question nobody answered?',
    ].join('\n');
    expect(contents(await chunkFile(utf8(txt), 'faq.txt'))).toEqual([
      'Question: How do I reset my password?\tAnswer: Open Settings.\nThen choose "Reset password".',
      'Question: What does the premium plan cost?\tAnswer: 9 dollars, billed monthly.',
    ]);
  });
});

describe('qa method: Markdown and HTML', () => {
  it('takes each heading as a question and what lies under it, tables included, as its answer', async () => {
    const md = [
      '# Garden FAQ',
      '## Watering',
      '### How often should I water tomatoes?',
      'Twice a week, deeply.',
      '',
      'More in hot weather.',
      '### Which hose fits?',
      '| Hose | Fits |',
      '|---|---|',
      '| 1/2 inch | yes |',
      '## Soil',
      '### Do I need compost?',
      'Yes, every spring.',
    ].join('\n');
    const drafts = await chunkFile(utf8(md), 'garden.md');
    expect(drafts.map((d) => [d.content, d.searchText, d.source?.headingPath])).toEqual([
      [
        'Question: How often should I water tomatoes?\tAnswer: Twice a week, deeply.\nMore in hot weather.',
        'How often should I water tomatoes?',
        ['Garden FAQ', 'Watering', 'How often should I water tomatoes?'],
      ],
      [
        'Question: Which hose fits?\tAnswer: <table><tr><th>Hose</th><th>Fits</th></tr><tr><td>1/2 inch</td><td>yes</td></tr></table>',
        'Which hose fits?',
        ['Garden FAQ', 'Watering', 'Which hose fits?'],
      ],
      ['Question: Do I need compost?\tAnswer: Yes, every spring.', 'Do I need compost?', ['Garden FAQ', 'Soil', 'Do I need compost?']],
    ]);
  });

  it('keeps the sub-headings of an answer in that answer', async () => {
    const md = '## How do I install it?\nDownload the installer.\n### On Windows\nRun setup.exe.\n### On macOS\nOpen the .dmg file.\n## Is it free?\nYes.\n### Is there a trial?\nThirty days.';
    expect(contents(await chunkFile(utf8(md), 'install.md'))).toEqual([
      'Question: How do I install it?\tAnswer: Download the installer.\nOn Windows\nRun setup.exe.\nOn macOS\nOpen the .dmg file.',
      'Question: Is it free?\tAnswer: Yes.',
      'Question: Is there a trial?\tAnswer: Thirty days.',
    ]);
  });

  it('reads written-out Q:/A: paragraphs; headings then only group them', async () => {
    const md = '# Billing\n\nQ: Can I pay by card?\nA: Yes.\n\n- Visa\n- Mastercard\n\n# Delivery\n\n问：多久送到？\n\n答：三天。';
    const drafts = await chunkFile(utf8(md), 'faq.md');
    expect(drafts.map((d) => [d.content, d.source?.headingPath])).toEqual([
      ['Question: Can I pay by card?\tAnswer: Yes.\n- Visa\n- Mastercard', ['Billing']],
      ['问题：多久送到？\t回答：三天。', ['Delivery']],
    ]);
  });

  it('reads HTML headings as questions', async () => {
    const html = '<html><body><h1>Help</h1><h2>How do I log in?</h2><p>Use your e-mail address.</p><h2>Empty?</h2><h2>Who can see my files?</h2><p>Only you.</p></body></html>';
    expect(contents(await chunkFile(utf8(html), 'help.html'))).toEqual([
      'Question: How do I log in?\tAnswer: Use your e-mail address.',
      'Question: Who can see my files?\tAnswer: Only you.',
    ]);
  });
});

describe('qa method: DOCX and PDF', () => {
  it('reads Word headings as questions, with their heading path', async () => {
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph({ text: 'Travel questions', heading: HeadingLevel.HEADING_1 }),
            new Paragraph({ text: 'Do I need a visa?', heading: HeadingLevel.HEADING_2 }),
            new Paragraph({ children: [new TextRun('Not for stays under 90 days.')] }),
            new Paragraph({ text: 'Can I drink the tap water?', heading: HeadingLevel.HEADING_2 }),
            new Paragraph('Yes, it is safe everywhere.'),
          ],
        },
      ],
    });
    const drafts = await chunkFile(new Uint8Array(await Packer.toBuffer(doc)), 'travel.docx');
    expect(drafts.map((d) => [d.content, d.source?.headingPath])).toEqual([
      ['Question: Do I need a visa?\tAnswer: Not for stays under 90 days.', ['Travel questions', 'Do I need a visa?']],
      ['Question: Can I drink the tap water?\tAnswer: Yes, it is safe everywhere.', ['Travel questions', 'Can I drink the tap water?']],
    ]);
  });

  it('reads Q:/A: paragraphs in Word documents', async () => {
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph({ text: 'Support', heading: HeadingLevel.HEADING_1 }),
            new Paragraph('Q: Is support free?'),
            new Paragraph('A: For the first year.'),
            new Paragraph('Q: How do I reach support?'),
            new Paragraph('A: By phone or chat.'),
            new Paragraph('Chat is open all day.'),
          ],
        },
      ],
    });
    const drafts = await chunkFile(new Uint8Array(await Packer.toBuffer(doc)), 'support.docx');
    expect(drafts.map((d) => [d.content, d.searchText])).toEqual([
      ['Question: Is support free?\tAnswer: For the first year.', 'Is support free?'],
      ['Question: How do I reach support?\tAnswer: By phone or chat.\nChat is open all day.', 'How do I reach support?'],
    ]);
  });

  it('reads Q:/A: paragraphs in a PDF and keeps their page boxes', async () => {
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    const lines = [
      ['Q: What voltage does the charger need?', 'A: Any mains voltage from 100 to 240 volts.'],
      ['Q: How long does a full charge take?', 'A: About two hours from empty.'],
    ];
    lines.forEach(([question, answer]) => {
      const page = pdf.addPage([400, 300]);
      page.drawText(question as string, { x: 40, y: 240, size: 12, font });
      page.drawText(answer as string, { x: 40, y: 200, size: 12, font });
    });
    const drafts = await chunkFile(await pdf.save(), 'charger.pdf');
    expect(contents(drafts)).toEqual([
      'Question: What voltage does the charger need?\tAnswer: Any mains voltage from 100 to 240 volts.',
      'Question: How long does a full charge take?\tAnswer: About two hours from empty.',
    ]);
    expect(drafts.map((d) => [...new Set(d.positions.map((p) => p[0]))])).toEqual([[1], [2]]);
  });
});

describe('qa method: failures', () => {
  it('names the expected layouts when a file holds no pair, and refuses formats it cannot read', async () => {
    await expect(chunkFile(utf8('Just a paragraph of prose.'), 'notes.txt')).rejects.toThrow(IngestError);
    await expect(chunkFile(utf8('Just a paragraph of prose.'), 'notes.txt')).rejects.toThrow(/No question\/answer pairs were found in notes\.txt/);
    expect(() => chunkerFor('qa', 'pptx')).toThrow(/cannot read \.pptx/);
    expect(chunkerFor('qa', 'spreadsheet')).toBe(qaChunker);
  });

  it('stops with an AbortError when aborted, and yields while reading a large sheet', async () => {
    const rows = Array.from({ length: 50_000 }, (_, i) => [`Question number ${i}?`, `Answer number ${i}.`]);
    const big: ParsedFile = { sections: [sheet('Big', rows)] };
    const controller = new AbortController();
    controller.abort();
    await expect(chunk(big, 'big.xlsx', controller.signal)).rejects.toMatchObject({ name: 'AbortError' });

    const { result: drafts, worstMs: longest } = await withLoopWatch(() => chunk(big, 'big.xlsx'), 1);
    expect(drafts).toHaveLength(50_000);
    expect(drafts[49_999]?.source).toEqual({ sheet: 'Big', rows: [50_000, 50_000] });
    expect(longest).toBeLessThan(100);
  });
});
