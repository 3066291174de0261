import { describe, it, expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import JSZip from 'jszip';
import { chunkNaive, parseFile, IngestError, type Section } from '../../src/ingest/index.js';
import { pptxParser } from '../../src/ingest/parsers/pptx.js';
import { PPTX_OLE_MESSAGE } from '../../src/ingest/detect.js';
import { deckBytes, editPart, MASTER, newDeck, sampleDeck, tableRow } from './pptx-fixtures.js';
import { bestOfTwo } from '../fixtures/event-loop.js';

const texts = (sections: Section[]): string[] => sections.map((s) => (s.kind === 'table' ? `[table] ${s.rows.flat().join(' ')}` : s.text));
const onSlide = (sections: Section[], slide: number): Section[] => sections.filter((s) => s.source?.slides?.[0] === slide);

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('PPTX parsing', () => {
  it('reads each slide: title as a heading, text in reading order, tables, notes; hidden slides skipped', async () => {
    const parsed = await parseFile(await sampleDeck(), 'solar.pptx');
    expect(parsed.pageCount).toBe(6);
    expect(parsed.sections).toEqual([
      { kind: 'heading', level: 1, text: 'Solar Power Basics', source: { slides: [1] } },
      { kind: 'text', text: 'A short history of photovoltaics', source: { slides: [1] } },
      { kind: 'text', text: 'Panels convert sunlight into current\nInverters turn it into household AC', source: { slides: [1] } },
      { kind: 'text', text: 'Notes: Mention the twenty-five year warranty.', source: { slides: [1] } },
      { kind: 'heading', level: 1, text: 'Installation costs by region', source: { slides: [3] } },
      {
        kind: 'table',
        rows: [
          ['Region', 'Cost per kW'],
          ['North', '1200 EUR'],
          ['South', '950 EUR'],
        ],
        hasHeader: true,
        source: { slides: [3] },
      },
      { kind: 'text', text: 'Notes: Prices include mounting.', source: { slides: [3] } },
      { kind: 'text', text: 'Left column about hydro', source: { slides: [4] } },
      { kind: 'text', text: 'Right column about wind', source: { slides: [4] } },
      { kind: 'text', text: 'Lower box about storage batteries', source: { slides: [4] } },
      { kind: 'heading', level: 1, text: 'Questions and answers', source: { slides: [6] } },
    ]);
    const all = texts(parsed.sections).join('\n');
    expect(all).not.toMatch(/Old draft|Obsolete|Never shown/);
  });

  it('follows the presentation order of presentation.xml, not the slide file names', async () => {
    const reversed = await editPart(await sampleDeck(), 'ppt/presentation.xml', (xml) =>
      xml.replace(/<p:sldIdLst>(.*?)<\/p:sldIdLst>/s, (_, list: string) => {
        const ids = list.match(/<p:sldId [^>]*\/>/g) ?? [];
        return `<p:sldIdLst>${ids.reverse().join('')}</p:sldIdLst>`;
      }),
    );
    const parsed = await pptxParser.parse(reversed, { fileName: 'reversed.pptx' });
    const headings = parsed.sections.filter((s) => s.kind === 'heading').map((s) => [s.text, s.source?.slides]);
    expect(headings).toEqual([
      ['Questions and answers', [1]],
      ['Installation costs by region', [4]],
      ['Solar Power Basics', [6]],
    ]);
  });

  it('places a placeholder without its own position where its layout puts it', async () => {
    const deck = newDeck();
    const slide = deck.addSlide({ masterName: MASTER });
    slide.addText('Below the body', { x: 0.5, y: 4.2, w: 8, h: 0.5 });
    slide.addText('Body from the layout', { placeholder: 'body' });
    slide.addText('Above the body', { x: 0.5, y: 0.9, w: 8, h: 0.5 });
    // PowerPoint writes no position on a placeholder that was never moved; pptxgenjs always does.
    const bytes = await editPart(await deckBytes(deck), 'ppt/slides/slide1.xml', (xml) => {
      const shapeStart = xml.lastIndexOf('<p:sp>', xml.indexOf('Body from the layout'));
      const transform = /<a:xfrm>.*?<\/a:xfrm>/s;
      return xml.slice(0, shapeStart) + xml.slice(shapeStart).replace(transform, '');
    });
    expect(await (await JSZip.loadAsync(bytes)).file('ppt/slides/slide1.xml')?.async('string')).not.toMatch(
      /<a:xfrm><a:off x="\d+" y="1371600"\/>/,
    );
    const parsed = await pptxParser.parse(bytes, { fileName: 'layout.pptx' });
    expect(texts(parsed.sections)).toEqual(['Above the body', 'Body from the layout', 'Below the body']);
  });

  it('reads PowerPoint markup generators rarely write: centred titles with line breaks, fields', async () => {
    const bytes = await editPart(await sampleDeck(), 'ppt/slides/slide6.xml', (xml) =>
      xml
        .replace(/type="title"/, 'type="ctrTitle"')
        .replace(
          /<a:r>(?:(?!<a:r>).)*?<a:t>Questions and answers<\/a:t><\/a:r>/s,
          '<a:r><a:t>Questions</a:t></a:r><a:br/><a:r><a:t>and answers</a:t></a:r>',
        )
        .replace(
          '</p:spTree>',
          '<p:sp><p:nvSpPr><p:cNvPr id="80" name="Date"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>' +
            '<p:spPr><a:xfrm><a:off x="457200" y="3000000"/><a:ext cx="3000000" cy="400000"/></a:xfrm></p:spPr>' +
            '<p:txBody><a:bodyPr/><a:p><a:r><a:t>Updated on </a:t></a:r><a:fld id="{1}" type="datetime1"><a:t>5/4/2026</a:t></a:fld></a:p></p:txBody></p:sp>' +
            '</p:spTree>',
        ),
    );
    const slideXml = await (await JSZip.loadAsync(bytes)).file('ppt/slides/slide6.xml')?.async('string');
    expect(slideXml).toMatch(/type="ctrTitle"[^]*<a:t>Questions<\/a:t><\/a:r><a:br\/>/);
    const parsed = await pptxParser.parse(bytes, { fileName: 'ctr.pptx' });
    expect(onSlide(parsed.sections, 6)).toEqual([
      { kind: 'heading', level: 1, text: 'Questions and answers', source: { slides: [6] } },
      { kind: 'text', text: 'Updated on 5/4/2026', source: { slides: [6] } },
    ]);
  });

  it('reads a group as one block at its position, its members in their own order', async () => {
    const shape = (id: number, y: number, text: string): string =>
      `<p:sp><p:nvSpPr><p:cNvPr id="${id}" name="Member ${id}"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>` +
      `<p:spPr><a:xfrm><a:off x="0" y="${y}"/><a:ext cx="3000000" cy="400000"/></a:xfrm></p:spPr>` +
      `<p:txBody><a:bodyPr/><a:p><a:r><a:t>${text}</a:t></a:r></a:p></p:txBody></p:sp>`;
    const group =
      '<p:grpSp><p:nvGrpSpPr><p:cNvPr id="90" name="Group"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>' +
      '<p:grpSpPr><a:xfrm><a:off x="457200" y="2743200"/><a:ext cx="3000000" cy="900000"/>' +
      '<a:chOff x="0" y="0"/><a:chExt cx="3000000" cy="900000"/></a:xfrm></p:grpSpPr>' +
      shape(91, 500000, 'Group detail') +
      shape(92, 0, 'Group caption') +
      '</p:grpSp>';
    const bytes = await editPart(await sampleDeck(), 'ppt/slides/slide4.xml', (xml) => xml.replace('</p:spTree>', `${group}</p:spTree>`));
    const parsed = await pptxParser.parse(bytes, { fileName: 'group.pptx' });
    expect(texts(onSlide(parsed.sections, 4))).toEqual([
      'Left column about hydro',
      'Right column about wind',
      'Group caption',
      'Group detail',
      'Lower box about storage batteries',
    ]);
  });

  it('repeats the text of merged table cells and honours a table without a header row', async () => {
    const deck = newDeck();
    const slide = deck.addSlide();
    slide.addTable(
      [
        [{ text: 'Year', options: { rowspan: 2 } }, { text: 'Output', options: { colspan: 2 } }],
        tableRow('Summer', 'Winter'),
        tableRow('2024', '800', '300'),
      ],
      { x: 0.5, y: 1, w: 8 },
    );
    const bytes = await deckBytes(deck);
    const parsed = await pptxParser.parse(bytes, { fileName: 'merged.pptx' });
    expect(parsed.sections).toEqual([
      {
        kind: 'table',
        rows: [
          ['Year', 'Output', 'Output'],
          ['Year', 'Summer', 'Winter'],
          ['2024', '800', '300'],
        ],
        hasHeader: true,
        source: { slides: [1] },
      },
    ]);
    const headerless = await editPart(bytes, 'ppt/slides/slide1.xml', (xml) => xml.replace(/<a:tblPr\/>|<a:tblPr>/, (m) => m.replace('<a:tblPr', '<a:tblPr firstRow="0"')));
    const [table] = (await pptxParser.parse(headerless, { fileName: 'merged.pptx' })).sections;
    expect(table).toMatchObject({ kind: 'table', hasHeader: false });
  });

  it('reports progress slide by slide and stops on abort with an AbortError', async () => {
    const bytes = await sampleDeck();
    const messages: string[] = [];
    await pptxParser.parse(bytes, { fileName: 'p.pptx', onProgress: (_, message) => message && messages.push(message) });
    expect(messages).toEqual(['Slide 1/6', 'Slide 2/6', 'Slide 3/6', 'Slide 4/6', 'Slide 5/6', 'Slide 6/6']);

    const controller = new AbortController();
    const error = await failure(
      pptxParser.parse(bytes, { fileName: 'p.pptx', signal: controller.signal, onProgress: () => controller.abort() }),
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(IngestError);
    expect((error as Error).name).toBe('AbortError');
  });

  it('fails clearly on a damaged archive, a ZIP that is no presentation, and an encrypted file', async () => {
    const deck = await sampleDeck();
    const truncated = deck.slice(0, Math.floor(deck.length / 2));
    const broken = await failure(pptxParser.parse(truncated, { fileName: 'broken.pptx' }));
    expect(broken).toBeInstanceOf(IngestError);
    expect((broken as Error).message).toMatch(/PPTX file is corrupt or truncated/);

    const other = new JSZip();
    other.file('ppt/slides/slide1.xml', '<p:sld/>');
    const noPresentation = await failure(parseFile(await other.generateAsync({ type: 'uint8array' }), 'other.pptx'));
    expect(noPresentation).toBeInstanceOf(IngestError);
    expect((noPresentation as Error).message).toBe('The file is not a PowerPoint presentation: its package has no ppt/presentation.xml.');

    // Office encrypts a package by wrapping it in an OLE compound file.
    const ole = new Uint8Array(1024);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const direct = await failure(pptxParser.parse(ole, { fileName: 'secret.pptx' }));
    expect((direct as Error).message).toBe(PPTX_OLE_MESSAGE);
    const detected = await failure(parseFile(ole, 'secret.pptx'));
    expect(detected).toBeInstanceOf(IngestError);
    expect((detected as Error).message).toBe(PPTX_OLE_MESSAGE);
  });

  it('flows through the naive method with each chunk naming its slides', async () => {
    const parsed = await parseFile(await sampleDeck(), 'solar.pptx');
    const chunks = await chunkNaive(parsed.sections, { chunkTokenNum: 16, delimiter: '\n' });
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) expect(chunk.source?.slides?.length).toBeGreaterThan(0);
    const table = chunks.find((c) => c.content.includes('<table>'));
    expect(table?.source?.slides).toEqual([3]);
    expect(table?.content).toContain('<caption>Installation costs by region</caption>');
    const intro = chunks.find((c) => c.content.includes('Solar Power Basics'));
    expect(intro?.source).toMatchObject({ slides: [1], headingPath: ['Solar Power Basics'] });
  });
});

describe('PPTX parsing: large decks', () => {
  it('unpacks a deck of several megabytes off the event loop and reads every slide', async () => {
    const deck = newDeck();
    for (let i = 1; i <= 150; i++) {
      const slide = deck.addSlide({ masterName: MASTER });
      slide.addText(`Topic ${i}`, { placeholder: 'title' });
      slide.addText(`Body of slide ${i}`, { x: 0.5, y: 1.5, w: 8, h: 1 });
      slide.addNotes(`Speaker note ${i}`);
    }
    // Pictures are never unpacked, but they make the archive large enough for the worker thread.
    deck.addSlide().addImage({ data: `image/png;base64,${randomBytes(3_000_000).toString('base64')}`, x: 1, y: 1, w: 2, h: 2 });
    const bytes = await deckBytes(deck);
    expect(bytes.byteLength).toBeGreaterThan(3_000_000);

    const { result: parsed, worstMs } = await bestOfTwo(() => pptxParser.parse(bytes, { fileName: 'large.pptx' }));
    expect(worstMs).toBeLessThan(100);
    expect(parsed.sections).toHaveLength(450);
    expect(parsed.sections.slice(-3)).toEqual([
      { kind: 'heading', level: 1, text: 'Topic 150', source: { slides: [150] } },
      { kind: 'text', text: 'Body of slide 150', source: { slides: [150] } },
      { kind: 'text', text: 'Notes: Speaker note 150', source: { slides: [150] } },
    ]);
  });

  it('stops unpacking a large deck on abort, and fails clearly when it is truncated', async () => {
    const deck = newDeck();
    deck.addSlide().addImage({ data: `image/png;base64,${randomBytes(3_000_000).toString('base64')}`, x: 1, y: 1, w: 2, h: 2 });
    const bytes = await deckBytes(deck);
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    const run = pptxParser.parse(bytes, { fileName: 'large.pptx', signal: controller.signal });
    controller.abort(reason);
    await expect(run).rejects.toBe(reason);

    const truncated = bytes.slice(0, bytes.length - 1000);
    const broken = await failure(pptxParser.parse(truncated, { fileName: 'large.pptx' }));
    expect(broken).toBeInstanceOf(IngestError);
    expect((broken as Error).message).toMatch(/^The PPTX file is corrupt or truncated \(its ZIP archive cannot be read: /);
  });
});
