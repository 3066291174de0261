import type { CheerioAPI } from 'cheerio';
import { childElements, firstChild, rootNode } from '../docx/xml.js';
import type { PptxPackage, Relationship } from './package.js';
import type { Offset } from './reading-order.js';
import { ownOffset, placeholderOf, type PlaceholderRef } from './shape-props.js';

interface Entry extends PlaceholderRef {
  offset?: Offset;
}

/** Slide layouts and masters name their placeholders' types more coarsely than slides do. */
function family(type: string): string {
  if (type === 'ctrTitle') return 'title';
  if (type === 'obj' || type === 'subTitle') return 'body';
  return type;
}

function placeholderEntries(part: CheerioAPI | undefined): Entry[] {
  const root = part ? childElements(rootNode(part))[0] : undefined;
  const tree = root && firstChild(firstChild(root, 'p:cSld') ?? { type: 'tag' }, 'p:spTree');
  const entries: Entry[] = [];
  for (const shape of tree ? childElements(tree) : []) {
    const ref = placeholderOf(shape);
    const offset = ownOffset(shape);
    if (ref) entries.push({ ...ref, ...(offset && { offset }) });
  }
  return entries;
}

interface Layout {
  placeholders: Entry[];
  master: Entry[];
}

/**
 * Where a slide's placeholders sit when the slide does not say: PowerPoint writes a placeholder's
 * position on the slide only once it is moved, otherwise it inherits the layout's, which may inherit
 * the master's. Layouts and masters are shared by many slides and read once.
 */
export class PlaceholderPositions {
  private readonly layouts = new Map<string, Promise<Layout>>();
  private readonly masters = new Map<string, Promise<Entry[]>>();

  constructor(private readonly pkg: PptxPackage) {}

  async forSlide(slideRelationships: readonly Relationship[]): Promise<(ref: PlaceholderRef) => Offset | undefined> {
    const layoutPath = slideRelationships.find((r) => r.kind === 'slideLayout')?.target;
    const layout = layoutPath ? await this.layout(layoutPath) : { placeholders: [], master: [] };
    return (ref) => {
      const inLayout =
        (ref.idx === undefined ? undefined : layout.placeholders.find((p) => p.idx === ref.idx)) ??
        layout.placeholders.find((p) => family(p.type) === family(ref.type));
      if (inLayout?.offset) return inLayout.offset;
      const type = family(inLayout?.type ?? ref.type);
      return layout.master.find((p) => family(p.type) === type && p.offset)?.offset;
    };
  }

  private layout(path: string): Promise<Layout> {
    let layout = this.layouts.get(path);
    if (!layout) {
      layout = this.readLayout(path);
      this.layouts.set(path, layout);
    }
    return layout;
  }

  private async readLayout(path: string): Promise<Layout> {
    const placeholders = placeholderEntries(await this.pkg.xml(path));
    const masterPath = (await this.pkg.relationships(path)).find((r) => r.kind === 'slideMaster')?.target;
    return { placeholders, master: masterPath ? await this.master(masterPath) : [] };
  }

  private master(path: string): Promise<Entry[]> {
    let master = this.masters.get(path);
    if (!master) {
      master = this.pkg.xml(path).then(placeholderEntries);
      this.masters.set(path, master);
    }
    return master;
  }
}
