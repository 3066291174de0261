import { loadMarkupInSlices } from '../markup-stream.js';
import type { Yielder } from '../../util/yield.js';

/** The node shape the package readers walk (cheerio's nodes satisfy it). */
export interface XmlNode {
  type: string;
  name?: string;
  data?: string;
  attribs?: Record<string, string>;
  children?: XmlNode[];
}

/**
 * Package files (container, OPF, NCX, nav) parsed as XML, in slices (a large book's NCX runs to
 * megabytes); prefixes vary ("dc:title", "opf:item").
 */
export async function parseXml(xml: string, yielder: Yielder): Promise<XmlNode> {
  const $ = await loadMarkupInSlices(xml, { xml: true }, yielder);
  return ($.root()[0] as unknown as XmlNode | undefined) ?? { type: 'root', children: [] };
}

export function localName(node: XmlNode): string {
  const name = (node.name ?? '').toLowerCase();
  return name.slice(name.indexOf(':') + 1);
}

/** Elements under `root` in document order whose name without prefix is `name`. */
export function elementsNamed(root: XmlNode, name: string): XmlNode[] {
  const found: XmlNode[] = [];
  const stack = [...(root.children ?? [])].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type !== 'tag') continue;
    if (localName(node) === name) found.push(node);
    for (let i = (node.children?.length ?? 0) - 1; i >= 0; i--) stack.push(node.children![i]!);
  }
  return found;
}

export function firstNamed(root: XmlNode, name: string): XmlNode | undefined {
  return elementsNamed(root, name)[0];
}

export function attribute(node: XmlNode, name: string): string | undefined {
  const attrs = node.attribs ?? {};
  if (attrs[name] !== undefined) return attrs[name];
  // Attributes may carry a prefix too (opf:role, epub:type).
  const key = Object.keys(attrs).find((k) => k.toLowerCase().endsWith(`:${name}`));
  return key === undefined ? undefined : attrs[key];
}

/** The text of a subtree with whitespace collapsed. */
export function textContent(node: XmlNode): string {
  let text = '';
  const stack = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.type === 'text' || current.type === 'cdata') text += current.data ?? '';
    for (let i = (current.children?.length ?? 0) - 1; i >= 0; i--) stack.push(current.children![i]!);
  }
  return text.replace(/\s+/g, ' ').trim();
}
