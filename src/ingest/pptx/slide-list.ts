import { IngestError } from '../types.js';
import { childElements, firstChild, rootNode } from '../docx/xml.js';
import type { PptxPackage } from './package.js';

export const PRESENTATION_PART = 'ppt/presentation.xml';

/**
 * The slide parts in presentation order. The order is that of presentation.xml's slide id list, not
 * of the file names: slides moved in PowerPoint keep their part names (slide7.xml may come first).
 */
export async function slidePartsInOrder(pkg: PptxPackage): Promise<string[]> {
  const presentation = await pkg.xml(PRESENTATION_PART);
  if (!presentation) {
    throw new IngestError(`The file is not a PowerPoint presentation: its package has no ${PRESENTATION_PART}.`);
  }
  const targets = new Map((await pkg.relationships(PRESENTATION_PART)).filter((r) => r.kind === 'slide').map((r) => [r.id, r.target]));
  const root = firstChild(rootNode(presentation), 'p:presentation');
  const list = root && firstChild(root, 'p:sldIdLst');
  const parts: string[] = [];
  for (const slideId of list ? childElements(list, 'p:sldId') : []) {
    const target = targets.get(slideId.attribs?.['r:id'] ?? '');
    if (target && pkg.has(target)) parts.push(target);
  }
  return parts;
}
