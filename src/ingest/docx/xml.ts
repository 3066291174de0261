import { load, type CheerioAPI } from 'cheerio';
import { loadMarkupInSlices } from '../markup-stream.js';
import type { Yielder } from '../../util/yield.js';

/**
 * Package parts read with cheerio's XML mode. Names keep their prefix ("w:p", "m:oMath"), as Office
 * packages always spell them, and every node knows where it starts and ends in the source, so a part
 * can be rewritten by splicing its text rather than by serializing a changed tree.
 */
const OPTIONS = { xml: { withStartIndices: true, withEndIndices: true } };

/** The node shape the docx readers walk (cheerio's nodes satisfy it). */
export interface XmlNode {
  /** "tag" for elements; "text", "cdata", "comment", ... otherwise. */
  type: string;
  name?: string;
  data?: string;
  attribs?: Record<string, string>;
  children?: XmlNode[];
  /** Offsets of the node's first and last character in the source. */
  startIndex?: number | null;
  endIndex?: number | null;
}

export function loadXml(xml: string): CheerioAPI {
  return load(xml, OPTIONS);
}

/** Parses a part in slices, so a large part does not hold the event loop for the whole parse. */
export function loadXmlInSlices(xml: string, yielder: Yielder): Promise<CheerioAPI> {
  return loadMarkupInSlices(xml, OPTIONS, yielder);
}

export function rootNode($: CheerioAPI): XmlNode {
  const root: XmlNode | undefined = $.root()[0];
  return root ?? { type: 'root', children: [] };
}

export function isElement(node: XmlNode): boolean {
  return node.type === 'tag';
}

export function childElements(node: XmlNode, name?: string): XmlNode[] {
  return (node.children ?? []).filter((c) => isElement(c) && (name === undefined || c.name === name));
}

export function firstChild(node: XmlNode, name: string): XmlNode | undefined {
  return (node.children ?? []).find((c) => isElement(c) && c.name === name);
}

/** The element's own text (CDATA included), without that of child elements. */
export function ownText(node: XmlNode): string {
  let text = '';
  for (const child of node.children ?? []) {
    if (child.type === 'text') text += child.data ?? '';
    else if (child.type === 'cdata') text += (child.children ?? []).map((c) => c.data ?? '').join('');
  }
  return text;
}
