import type { ParsedFile, ParseContext, Parser, Section } from '../types.js';
import { IngestError } from '../types.js';
import { isOleCompoundFile, isZip, PPTX_OLE_MESSAGE } from '../detect.js';
import { Yielder } from '../../util/yield.js';
import { PptxPackage } from '../pptx/package.js';
import { PlaceholderPositions } from '../pptx/placeholders.js';
import { slidePartsInOrder } from '../pptx/slide-list.js';
import { readSlide } from '../pptx/slide.js';

/**
 * A .pptx deck as sections, slide by slide in presentation order; hidden slides are left out (see
 * readSlide). Every section names its slide (1-based, counting hidden slides, as PowerPoint numbers
 * them, so "slide 5" is the fifth slide in the editor), and pageCount is the deck's slide count.
 */
async function parsePptx(bytes: Uint8Array, context: ParseContext): Promise<ParsedFile> {
  if (isOleCompoundFile(bytes)) throw new IngestError(PPTX_OLE_MESSAGE);
  if (!isZip(bytes)) throw new IngestError('The PPTX file is corrupt or not a PowerPoint presentation (it is not a ZIP package).');
  const yielder = new Yielder(context.signal);
  const pkg = await PptxPackage.open(bytes, yielder, context.signal);
  const slides = await slidePartsInOrder(pkg);
  const reader = { pkg, placeholders: new PlaceholderPositions(pkg), yielder };
  const sections: Section[] = [];
  for (const [index, path] of slides.entries()) {
    const number = index + 1;
    sections.push(...((await readSlide(reader, path, number)) ?? []));
    context.onProgress?.(number / slides.length, `Slide ${number}/${slides.length}`);
    await yielder.now();
  }
  return { sections, pageCount: slides.length };
}

export const pptxParser: Parser = {
  type: 'pptx',
  parse: parsePptx,
};
