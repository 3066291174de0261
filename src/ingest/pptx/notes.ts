import type { Yielder } from '../../util/yield.js';
import type { PptxPackage, Relationship } from './package.js';
import { readShapeTree } from './shapes.js';
import { tableAsLines } from './table-text.js';
import { partRoot, shapeTreeOf } from './slide-tree.js';

/** The notes page's picture of the slide, its number and its header/footer lines: not what the speaker wrote. */
const NOTES_FURNITURE = new Set(['sldImg', 'sldNum', 'dt', 'hdr', 'ftr']);

/** The speaker notes of a slide as text, or '' when it has none. */
export async function speakerNotes(pkg: PptxPackage, slideRelationships: readonly Relationship[], yielder: Yielder): Promise<string> {
  const path = slideRelationships.find((r) => r.kind === 'notesSlide')?.target;
  const part = path ? await pkg.xml(path) : undefined;
  const tree = part && shapeTreeOf(partRoot(part));
  if (!tree) return '';
  const pieces = await readShapeTree(tree, { skip: NOTES_FURNITURE, placeholderOffset: () => undefined, yielder });
  return pieces
    .map((piece) => (piece.kind === 'table' ? tableAsLines(piece.table) : piece.text))
    .join('\n')
    .trim();
}
