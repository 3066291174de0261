import type { Section } from '../types.js';
import type { Yielder } from '../../util/yield.js';
import type { PptxPackage } from './package.js';
import type { PlaceholderPositions } from './placeholders.js';
import { speakerNotes } from './notes.js';
import { readShapeTree } from './shapes.js';
import { partRoot, shapeTreeOf } from './slide-tree.js';

/** Slide numbers, dates and footers repeat on every slide and say nothing about it. */
const SLIDE_FURNITURE = new Set(['sldNum', 'dt', 'ftr']);

export interface SlideReader {
  pkg: PptxPackage;
  placeholders: PlaceholderPositions;
  yielder: Yielder;
}

/**
 * One slide's sections: its title first (a level-1 heading), then the other shapes' text and tables
 * in reading order, then the speaker notes. Null for a hidden slide (show="0"): it is not part of the
 * presentation as shown, and is often an outdated or backup version of another slide.
 */
export async function readSlide(reader: SlideReader, path: string, number: number): Promise<Section[] | null> {
  const { pkg, yielder } = reader;
  const part = await pkg.xml(path);
  const root = part && partRoot(part);
  if (root?.attribs?.show === '0' || root?.attribs?.show === 'false') return null;
  const tree = shapeTreeOf(root);
  const relationships = await pkg.relationships(path);
  const placeholderOffset = await reader.placeholders.forSlide(relationships);
  const pieces = tree ? await readShapeTree(tree, { skip: SLIDE_FURNITURE, placeholderOffset, yielder }) : [];
  const source = (): { slides: number[] } => ({ slides: [number] });

  const sections: Section[] = [];
  for (const piece of pieces) {
    if (piece.kind === 'title') sections.push({ kind: 'heading', level: 1, text: piece.text.replace(/\s+/g, ' '), source: source() });
  }
  for (const piece of pieces) {
    if (piece.kind === 'text') sections.push({ kind: 'text', text: piece.text, source: source() });
    else if (piece.kind === 'table') sections.push({ kind: 'table', ...piece.table, source: source() });
  }
  const notes = await speakerNotes(pkg, relationships, yielder);
  if (notes) sections.push({ kind: 'text', text: `Notes: ${notes}`, source: source() });
  return sections;
}
