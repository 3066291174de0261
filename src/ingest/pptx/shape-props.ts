import { firstChild, type XmlNode } from '../docx/xml.js';
import type { Offset } from './reading-order.js';

/** A placeholder's identity: its type (the spec's default is "obj") and index, which layouts match on. */
export interface PlaceholderRef {
  type: string;
  idx?: string;
}

const NON_VISUAL: Readonly<Record<string, string>> = {
  'p:sp': 'p:nvSpPr',
  'p:graphicFrame': 'p:nvGraphicFramePr',
  'p:grpSp': 'p:nvGrpSpPr',
  'p:pic': 'p:nvPicPr',
};

export function placeholderOf(shape: XmlNode): PlaceholderRef | undefined {
  const nonVisual = NON_VISUAL[shape.name ?? ''];
  const nvPr = nonVisual ? firstChild(firstChild(shape, nonVisual) ?? { type: 'tag' }, 'p:nvPr') : undefined;
  const ph = nvPr && firstChild(nvPr, 'p:ph');
  if (!ph) return undefined;
  const { type, idx } = ph.attribs ?? {};
  return { type: type ?? 'obj', ...(idx !== undefined && { idx }) };
}

/** The position written on the shape itself; placeholders often leave it to their layout. */
export function ownOffset(shape: XmlNode): Offset | undefined {
  const transform =
    shape.name === 'p:graphicFrame'
      ? firstChild(shape, 'p:xfrm')
      : firstChild(firstChild(shape, shape.name === 'p:grpSp' ? 'p:grpSpPr' : 'p:spPr') ?? { type: 'tag' }, 'a:xfrm');
  const off = transform && firstChild(transform, 'a:off');
  const x = Number(off?.attribs?.x);
  const y = Number(off?.attribs?.y);
  return off && Number.isFinite(x) && Number.isFinite(y) ? { x, y } : undefined;
}
