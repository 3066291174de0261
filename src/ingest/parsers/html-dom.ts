import { loadMarkupInSlices } from '../markup-stream.js';
import type { Yielder } from '../../util/yield.js';

/** The shape of parse5/domhandler nodes that the section walk needs (cheerio's nodes satisfy it). */
export interface DomNode {
  type: string;
  name?: string;
  data?: string;
  attribs?: Record<string, string>;
  children?: DomNode[];
  parent?: DomNode | null;
}

/** Parses HTML into a DOM in slices, so a large page does not hold the event loop for the whole parse. */
export async function parseHtml(html: string, yielder: Yielder): Promise<DomNode> {
  const $ = await loadMarkupInSlices(html, {}, yielder);
  return $.root()[0] as unknown as DomNode;
}

export function tagName(node: DomNode): string | null {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style' ? (node.name ?? '').toLowerCase() : null;
}

/** Elements in document order (depth first), without recursion limits. */
export function* elements(root: DomNode): Generator<DomNode> {
  const stack: DomNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (tagName(node) !== null) yield node;
    const children = node.children ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}

export function hasAncestor(node: DomNode, test: (n: DomNode) => boolean): boolean {
  for (let p = node.parent; p; p = p.parent) if (test(p)) return true;
  return false;
}

/** Length of the visible text under a node (whitespace collapsed), for size comparisons. */
export function textLength(node: DomNode): number {
  let n = 0;
  const stack: DomNode[] = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.type === 'text') n += (current.data ?? '').replace(/\s+/g, ' ').trim().length;
    const name = tagName(current);
    if (name === 'script' || name === 'style') continue;
    for (const child of current.children ?? []) stack.push(child);
  }
  return n;
}
