import { describe, it, expect } from 'vitest';
import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import { parseFile, countTokens, type ChunkDraft, type FileType } from '../../src/ingest/index.js';
import { lawsChunker } from '../../src/ingest/chunkers/laws.js';
import { RagFlow } from '../../src/ragflow.js';
import type { Document as RagDocument } from '../../src/types.js';
import { paragraphsPdf, utf8 } from './fixtures.js';

const LONG_DUTY = 'The employer shall pay the agreed wages in full, in legal tender, at least once a month and on a fixed day. ';

const ENGLISH_LAW = [
  'EMPLOYMENT CODE OF THE REPUBLIC',
  '',
  'The Assembly adopts this Code to protect workers and employers alike.',
  '',
  'Chapter 1 General Provisions',
  'Article 1 Purpose',
  'This Code governs employment relationships.',
  'Article 2 Scope',
  'This Code applies to every employer in the Republic, including',
  '(a) public bodies;',
  '(b) private companies.',
  'Chapter 2 Obligations of Employers',
  'Article 11 Records',
  'Employers shall keep records of working time for five years.',
  'Article 12 Payment of wages',
  LONG_DUTY.repeat(30).trim(),
  'Wages paid late bear interest at the statutory rate; the provisions of',
  'Article 5 of the Civil Code apply to the calculation.',
  'Article 13 Holidays',
  'Every worker is entitled to paid holidays.',
].join('\n');

const CHINESE_LAW = [
  '中华人民共和国示范劳动法',
  '',
  '第一章 总则',
  '',
  '第一条 为了保护劳动者的合法权益，调整劳动关系，制定本法。',
  '第二条 在中华人民共和国境内的企业、个体经济组织和与之形成劳动关系的劳动者，适用本法。',
  '第二章 劳动合同',
  '第十一条 订立劳动合同，应当遵循平等自愿、协商一致的原则。',
  '第十二条 用人单位应当按月以货币形式支付劳动者工资，不得克扣或者无故拖欠劳动者的工资。',
  '有下列情形之一的，用人单位应当支付赔偿金：',
  '（一）克扣或者无故拖欠劳动者工资的；',
  '（二）拒不支付劳动者延长工作时间工资报酬的；',
  '（三）低于当地最低工资标准支付劳动者工资的。',
  '第十三条 劳动者有权依法参加和组织工会。',
  '第三章 附则',
  '第十四条 本法自公布之日起施行。',
].join('\n');

const ARTICLE_12_ZH = CHINESE_LAW.slice(CHINESE_LAW.indexOf('第十二条'), CHINESE_LAW.indexOf('\n第十三条'));

function context(fileType: FileType, chunkTokenNum = 64): Parameters<typeof lawsChunker.chunk>[1] {
  return { fileType, fileName: `law.${fileType}`, chunkTokenNum, delimiter: '\n!?;。；！？', bytes: new Uint8Array() };
}

async function lawChunks(data: Uint8Array, name: string, fileType: FileType, budget = 64): Promise<ChunkDraft[]> {
  return lawsChunker.chunk(await parseFile(data, name), context(fileType, budget));
}

const articleOf = (chunks: ChunkDraft[], label: string): ChunkDraft[] =>
  chunks.filter((c) => c.source?.headingPath?.at(-1)?.startsWith(label));

describe('laws: one chunk per article', () => {
  it('keeps an English article whole however long, with its chapter title above it', async () => {
    const chunks = await lawChunks(utf8(ENGLISH_LAW), 'code.txt', 'txt');
    const article12 = articleOf(chunks, 'Article 12');
    expect(article12).toHaveLength(1);
    const [only] = article12 as [ChunkDraft];
    expect(countTokens(only.content)).toBeGreaterThan(64 * 5);
    expect(only.content.startsWith('Chapter 2 Obligations of Employers\nArticle 12 Payment of wages\nThe employer shall pay')).toBe(true);
    // The wrapped reference to "Article 5" of another law is text of Article 12, not an article.
    expect(only.content.endsWith('Article 5 of the Civil Code apply to the calculation.')).toBe(true);
    expect(only.source?.headingPath).toEqual(['Chapter 2 Obligations of Employers', 'Article 12 Payment of wages']);
    expect(articleOf(chunks, 'Article 5')).toHaveLength(0);
  });

  it('gives every article its own chunk in order, tiny ones included, items inside their article', async () => {
    const chunks = await lawChunks(utf8(ENGLISH_LAW), 'code.txt', 'txt');
    const paths = chunks.map((c) => c.source?.headingPath?.join(' / '));
    expect(paths).toEqual([
      undefined,
      'Chapter 1 General Provisions / Article 1 Purpose',
      'Chapter 1 General Provisions / Article 2 Scope',
      'Chapter 2 Obligations of Employers / Article 11 Records',
      'Chapter 2 Obligations of Employers / Article 12 Payment of wages',
      'Chapter 2 Obligations of Employers / Article 13 Holidays',
    ]);
    // The preamble before the first article is chunked as naive does.
    expect(chunks[0]?.content).toBe('EMPLOYMENT CODE OF THE REPUBLIC\nThe Assembly adopts this Code to protect workers and employers alike.');
    expect(chunks[2]?.content).toBe(
      'Chapter 1 General Provisions\nArticle 2 Scope\nThis Code applies to every employer in the Republic, including\n(a) public bodies;\n(b) private companies.',
    );
    expect(chunks[5]?.content).toBe('Chapter 2 Obligations of Employers\nArticle 13 Holidays\nEvery worker is entitled to paid holidays.');
  });

  it('reads Chinese law: 第X章 titles and 第X条 articles, items （一） kept in the article', async () => {
    const chunks = await lawChunks(utf8(CHINESE_LAW), '劳动法.txt', 'txt', 16);
    expect(chunks.map((c) => c.source?.headingPath?.join(' / '))).toEqual([
      undefined,
      '第一章 总则 / 第一条',
      '第一章 总则 / 第二条',
      '第二章 劳动合同 / 第十一条',
      '第二章 劳动合同 / 第十二条',
      '第二章 劳动合同 / 第十三条',
      '第三章 附则 / 第十四条',
    ]);
    const article12 = articleOf(chunks, '第十二条');
    expect(article12.map((c) => c.content)).toEqual([`第二章 劳动合同\n${ARTICLE_12_ZH}`]);
    expect(countTokens(ARTICLE_12_ZH)).toBeGreaterThan(16);
  });

  it('reads a Word law: chapters as styled headings, articles as plain numbered paragraphs', async () => {
    const paragraphs = [
      new Paragraph({ text: 'Data Protection Act', heading: HeadingLevel.TITLE }),
      new Paragraph('An Act to protect personal data.'),
      new Paragraph({ text: 'Chapter I General provisions', heading: HeadingLevel.HEADING_1 }),
      new Paragraph('Article 1. This Act protects natural persons with regard to the processing of personal data.'),
      new Paragraph('Article 2. This Act applies to automated processing.'),
      new Paragraph({ text: 'Chapter II Principles', heading: HeadingLevel.HEADING_1 }),
      new Paragraph({ text: 'Section 1 Lawfulness', heading: HeadingLevel.HEADING_2 }),
      new Paragraph('Article 5. Personal data shall be processed lawfully, fairly and in a transparent manner.'),
      new Paragraph('Processing is lawful only if at least one of the following applies:'),
      new Paragraph('(a) the data subject has given consent;'),
      new Paragraph('(b) processing is necessary for a contract.'),
      new Paragraph('Article 6. Personal data shall be collected for specified purposes.'),
    ];
    const bytes = new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children: paragraphs }] })));
    const chunks = await lawChunks(bytes, 'act.docx', 'docx');
    const articles = chunks.filter((c) => c.source?.headingPath?.at(-1)?.startsWith('Article'));
    expect(articles.map((c) => c.source?.headingPath)).toEqual([
      ['Chapter I General provisions', 'Article 1'],
      ['Chapter I General provisions', 'Article 2'],
      ['Chapter II Principles', 'Section 1 Lawfulness', 'Article 5'],
      ['Chapter II Principles', 'Section 1 Lawfulness', 'Article 6'],
    ]);
    expect(articles[2]?.content).toBe(
      [
        'Chapter II Principles',
        'Section 1 Lawfulness',
        'Article 5. Personal data shall be processed lawfully, fairly and in a transparent manner.',
        'Processing is lawful only if at least one of the following applies:',
        '(a) the data subject has given consent;',
        '(b) processing is necessary for a contract.',
      ].join('\n'),
    );
    expect(chunks[0]?.content).toContain('An Act to protect personal data.');
  });

  it('keeps a PDF article that runs across a page break in one chunk with the boxes of both pages', async () => {
    const long = `Article 3. ${LONG_DUTY.repeat(70).trim()}`;
    const pdf = await paragraphsPdf((paragraph, { regular, bold }) => {
      paragraph('Chapter 1 General Provisions', 14, bold, 10);
      paragraph('Article 1. This Act governs wages.', 10, regular, 10);
      paragraph('Article 2. This Act applies to every employer.', 10, regular, 10);
      paragraph(long, 10, regular, 10);
      paragraph('Chapter 2 Final Provisions', 14, bold, 10);
      paragraph('Article 4. This Act enters into force on 1 January.', 10, regular, 10);
    });
    const chunks = await lawChunks(pdf, 'act.pdf', 'pdf');
    expect(chunks.map((c) => c.source?.headingPath)).toEqual([
      ['Chapter 1 General Provisions', 'Article 1'],
      ['Chapter 1 General Provisions', 'Article 2'],
      ['Chapter 1 General Provisions', 'Article 3'],
      ['Chapter 2 Final Provisions', 'Article 4'],
    ]);
    const article3 = chunks[2] as ChunkDraft;
    expect(article3.content.replace(/\s+/g, ' ')).toBe(`Chapter 1 General Provisions ${long}`);
    expect(new Set(article3.positions.map((p) => p[0]))).toEqual(new Set([1, 2]));
  });

  it('reads a markdown law whose articles are headings', async () => {
    const md = '# Park Rules\n\n## Chapter 1 Access\n\n### Article 1 Opening hours\n\nThe park opens at dawn.\n\nIt closes at dusk.\n\n### Article 2 Dogs\n\nDogs stay on a leash.\n';
    const chunks = await lawChunks(utf8(md), 'rules.md', 'md');
    expect(chunks.map((c) => [c.content, c.source?.headingPath])).toEqual([
      ['Park Rules\nChapter 1 Access\nArticle 1 Opening hours\nThe park opens at dawn.\nIt closes at dusk.', ['Park Rules', 'Chapter 1 Access', 'Article 1 Opening hours']],
      ['Park Rules\nChapter 1 Access\nArticle 2 Dogs\nDogs stay on a leash.', ['Park Rules', 'Chapter 1 Access', 'Article 2 Dogs']],
    ]);
  });

  it('falls back to naive chunking when nothing is numbered', async () => {
    const chunks = await lawChunks(utf8('A short notice.\nNothing here is numbered.'), 'notice.txt', 'txt');
    expect(chunks).toEqual([{ content: 'A short notice.\nNothing here is numbered.', positions: [] }]);
  });
});

describe('laws through the library', () => {
  it('retrieves 第十二条 as one whole chunk', async () => {
    const rag = await RagFlow.open({ path: ':memory:' });
    try {
      const ds = await rag.datasets.create({ name: 'laws', chunkMethod: 'laws', parserConfig: { chunkTokenNum: 16 } });
      const [doc] = (await rag.documents.upload(ds.id, { name: '劳动法.txt', data: utf8(CHINESE_LAW) })) as [RagDocument];
      const [done] = await rag.documents.parse(ds.id, [doc.id], { wait: true });
      expect(done?.run).toBe('DONE');
      const { chunks } = await rag.chunks.list(ds.id, doc.id);
      expect(chunks).toHaveLength(7);
      const result = await rag.retrieve({ datasetIds: [ds.id], question: '第十二条 用人单位 克扣 工资 赔偿金' });
      const top = result.chunks[0];
      expect(top?.content).toBe(`第二章 劳动合同\n${ARTICLE_12_ZH}`);
      expect(top?.source?.headingPath).toEqual(['第二章 劳动合同', '第十二条']);
    } finally {
      await rag.close();
    }
  });
});
