import { stringStream } from 'cheerio';
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

/** Characters handed to the HTML parser between yields to the event loop. */
const SLICE = 64 * 1024;

/**
 * Parses HTML into a DOM in slices, so a large page does not hold the event loop for the whole parse
 * (the HTML5 parser works incrementally on each written piece).
 */
export async function parseHtml(html: string, yielder: Yielder): Promise<DomNode> {
  return new Promise<DomNode>((resolve, reject) => {
    const stream = stringStream({}, (error, $) => {
      if (error) reject(error);
      else resolve($.root()[0] as unknown as DomNode);
    });
    stream.on('error', reject);
    const feed = async (): Promise<void> => {
      for (let start = 0; start < html.length; ) {
        let end = Math.min(start + SLICE, html.length);
        // Never split a surrogate pair between two writes.
        const code = html.charCodeAt(end - 1);
        if (end < html.length && code >= 0xd800 && code <= 0xdbff) end--;
        stream.write(html.slice(start, end));
        start = end;
        await yielder.tick();
      }
      stream.end();
    };
    feed().catch((error: unknown) => {
      stream.destroy();
      reject(error);
    });
  });
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
