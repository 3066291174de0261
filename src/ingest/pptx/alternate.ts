import { childElements, firstChild, type XmlNode } from '../docx/xml.js';

/**
 * The branch of an mc:AlternateContent to read. Shapes prefer mc:Choice (the real shape; the
 * fallback is often a picture of it), runs prefer mc:Fallback (plain runs a reader of any version
 * understands, where the choice holds e.g. an a14:m equation).
 */
export function alternateBranch(node: XmlNode, prefer: 'choice' | 'fallback'): XmlNode[] {
  const choice = firstChild(node, 'mc:Choice');
  const fallback = firstChild(node, 'mc:Fallback');
  const branch = prefer === 'choice' ? (choice ?? fallback) : (fallback ?? choice);
  return branch ? childElements(branch) : [];
}
