import pptxgenjs from 'pptxgenjs';
import JSZip from 'jszip';

// Under NodeNext the package's CommonJS-shaped types put the class on .default, while the ESM build
// that runs exports the class itself as default.
type PptxGenJS = pptxgenjs.default;
const PptxGenJS = pptxgenjs as unknown as typeof pptxgenjs.default;

/** A layout with a title placeholder at the top and a body placeholder below it (1.5 in down). */
export const MASTER = 'TitleAndBody';

export const tableRow = (...texts: string[]): { text: string }[] => texts.map((text) => ({ text }));

export function newDeck(): PptxGenJS {
  const deck = new PptxGenJS();
  deck.defineSlideMaster({
    title: MASTER,
    objects: [
      { placeholder: { options: { name: 'title', type: 'title', x: 0.5, y: 0.2, w: 9, h: 0.8 }, text: '' } },
      { placeholder: { options: { name: 'body', type: 'body', x: 0.5, y: 1.5, w: 9, h: 3 }, text: '' } },
    ],
  });
  return deck;
}

export async function deckBytes(deck: PptxGenJS): Promise<Uint8Array> {
  const written = (await deck.write({ outputType: 'nodebuffer' })) as Buffer;
  return new Uint8Array(written);
}

/**
 * A deck of six slides:
 * 1. title, a text box and bullets, a slide number, speaker notes;
 * 2. hidden;
 * 3. title, a table, notes;
 * 4. no title, three boxes added out of reading order;
 * 5. empty;
 * 6. title only.
 */
export async function sampleDeck(): Promise<Uint8Array> {
  const deck = newDeck();
  const intro = deck.addSlide({ masterName: MASTER });
  intro.addText('Solar Power Basics', { placeholder: 'title' });
  intro.addText(
    [
      { text: 'Panels convert sunlight into current', options: { bullet: true } },
      { text: 'Inverters turn it into household AC', options: { bullet: true } },
    ],
    { x: 0.5, y: 2.6, w: 8, h: 1.2 },
  );
  intro.addText('A short history of photovoltaics', { x: 0.5, y: 1.4, w: 8, h: 0.8 });
  intro.slideNumber = { x: 9, y: 5 };
  intro.addNotes('Mention the twenty-five year warranty.');

  const hidden = deck.addSlide({ masterName: MASTER });
  hidden.addText('Old draft', { placeholder: 'title' });
  hidden.addText('Obsolete tariff numbers', { x: 0.5, y: 1.5, w: 8, h: 1 });
  hidden.addNotes('Never shown');
  hidden.hidden = true;

  const costs = deck.addSlide({ masterName: MASTER });
  costs.addText('Installation costs by region', { placeholder: 'title' });
  costs.addTable(
    [
      tableRow('Region', 'Cost per kW'),
      tableRow('North', '1200 EUR'),
      tableRow('South', '950 EUR'),
    ],
    { x: 0.5, y: 1.5, w: 8 },
  );
  costs.addNotes('Prices include mounting.');

  const layout = deck.addSlide();
  layout.addText('Lower box about storage batteries', { x: 0.5, y: 4, w: 8, h: 0.8 });
  layout.addText('Right column about wind', { x: 5, y: 1, w: 4, h: 2 });
  layout.addText('Left column about hydro', { x: 0.5, y: 1.05, w: 4, h: 2 });

  deck.addSlide();

  const end = deck.addSlide({ masterName: MASTER });
  end.addText('Questions and answers', { placeholder: 'title' });

  return deckBytes(deck);
}

/** Rewrites one part of a package (tests use it to shape XML that generators do not write). */
export async function editPart(bytes: Uint8Array, path: string, edit: (xml: string) => string): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(bytes);
  const part = zip.file(path);
  if (!part) throw new Error(`no part ${path}`);
  zip.file(path, edit(await part.async('string')));
  return zip.generateAsync({ type: 'uint8array' });
}
