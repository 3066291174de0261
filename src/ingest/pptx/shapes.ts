import { childElements, firstChild, type XmlNode } from '../docx/xml.js';
import type { Yielder } from '../../util/yield.js';
import { alternateBranch } from './alternate.js';
import { inReadingOrder, type Offset } from './reading-order.js';
import { ownOffset, placeholderOf, type PlaceholderRef } from './shape-props.js';
import { readTable, type SlideTable } from './table.js';
import { textBodyText } from './text.js';

export type SlidePiece =
  | { kind: 'title'; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'table'; table: SlideTable };

export interface ShapeTreeOptions {
  /** Placeholder types whose text is furniture here (slide numbers, dates, footers). */
  skip: ReadonlySet<string>;
  /** The inherited position of a placeholder that does not state its own. */
  placeholderOffset: (ref: PlaceholderRef) => Offset | undefined;
  yielder: Yielder;
}

interface Block {
  offset?: Offset | undefined;
  pieces: SlidePiece[];
}

const TITLE_TYPES = new Set(['title', 'ctrTitle']);

/**
 * The text, titles and tables of a shape tree (a slide's p:spTree or a group) in reading order. A
 * group reads as one block at its own position, its members ordered among themselves (their
 * offsets are in the group's coordinate space, not comparable with the slide's). Pictures and
 * connectors have no text; charts and SmartArt diagrams keep theirs in parts of their own, which
 * are not read.
 */
export async function readShapeTree(tree: XmlNode, options: ShapeTreeOptions): Promise<SlidePiece[]> {
  const blocks: Block[] = [];
  for (const shape of childElements(tree)) {
    await options.yielder.tick();
    blocks.push(...(await readShape(shape, options)));
  }
  return inReadingOrder(blocks).flatMap((block) => block.pieces);
}

async function readShape(shape: XmlNode, options: ShapeTreeOptions): Promise<Block[]> {
  switch (shape.name) {
    case 'p:sp':
      return textShape(shape, options);
    case 'p:graphicFrame':
      return tableFrame(shape);
    case 'p:grpSp': {
      const pieces = await readShapeTree(shape, options);
      return pieces.length > 0 ? [{ offset: ownOffset(shape), pieces }] : [];
    }
    case 'mc:AlternateContent': {
      const blocks: Block[] = [];
      for (const inner of alternateBranch(shape, 'choice')) blocks.push(...(await readShape(inner, options)));
      return blocks;
    }
    default:
      return [];
  }
}

function textShape(shape: XmlNode, options: ShapeTreeOptions): Block[] {
  const placeholder = placeholderOf(shape);
  if (placeholder && options.skip.has(placeholder.type)) return [];
  const text = textBodyText(firstChild(shape, 'p:txBody')).trim();
  if (!text) return [];
  const offset = ownOffset(shape) ?? (placeholder && options.placeholderOffset(placeholder));
  const kind = placeholder && TITLE_TYPES.has(placeholder.type) ? 'title' : 'text';
  return [{ offset, pieces: [{ kind, text }] }];
}

function tableFrame(frame: XmlNode): Block[] {
  const data = firstChild(firstChild(frame, 'a:graphic') ?? { type: 'tag' }, 'a:graphicData');
  const table = data && firstChild(data, 'a:tbl');
  if (!table) return [];
  const read = readTable(table);
  if (read.rows.every((row) => row.every((cell) => !cell.trim()))) return [];
  return [{ offset: ownOffset(frame), pieces: [{ kind: 'table', table: read }] }];
}
