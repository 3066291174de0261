import { childElements, ownText, type XmlNode } from '../docx/xml.js';
import { alternateBranch } from './alternate.js';

/** The text a run-level element shows: runs and fields by their a:t, line breaks as "\n". */
function inlineText(node: XmlNode): string {
  switch (node.name) {
    case 'a:r':
    case 'a:fld':
      return childElements(node, 'a:t').map(ownText).join('');
    case 'a:br':
      return '\n';
    case 'mc:AlternateContent':
      return alternateBranch(node, 'fallback').map(inlineText).join('');
    default:
      return '';
  }
}

export function paragraphText(paragraph: XmlNode): string {
  return childElements(paragraph).map(inlineText).join('').replace(/[ \t]+$/gm, '');
}

/**
 * A text body (p:txBody of a shape, a:txBody of a table cell) as lines: one per paragraph, so each
 * bullet stays its own line. Empty paragraphs are spacing on the slide and are dropped.
 */
export function textBodyText(body: XmlNode | undefined): string {
  if (!body) return '';
  return childElements(body, 'a:p')
    .map(paragraphText)
    .filter((line) => line.trim() !== '')
    .join('\n');
}
