import type { CheerioAPI } from 'cheerio';
import { childElements, firstChild, rootNode, type XmlNode } from '../docx/xml.js';

/** The root element of a slide or notes part (p:sld, p:notes). */
export function partRoot(part: CheerioAPI): XmlNode | undefined {
  return childElements(rootNode(part))[0];
}

/** The part's p:cSld/p:spTree, where its shapes live. */
export function shapeTreeOf(root: XmlNode | undefined): XmlNode | undefined {
  const common = root && firstChild(root, 'p:cSld');
  return common && firstChild(common, 'p:spTree');
}
