import { childElements, firstChild, parseXml, type XmlElement, type XmlNode } from './xml-lite.js';

/**
 * Office Math (OMML) to linear text, e.g. "E=mc^2", "(a+b)/2", "∑_(k=0)^n x_k". mammoth skips
 * equations entirely; this keeps their symbols and variables searchable.
 */

function group(text: string): string {
  return /^[\p{L}\p{N}.]*$/u.test(text) && text.length > 0 ? text : `(${text})`;
}

function part(element: XmlElement, name: string): string {
  const child = firstChild(element, name);
  return child ? linear(child) : '';
}

function propertyValue(element: XmlElement, props: string, name: string): string | undefined {
  const pr = firstChild(element, props);
  const prop = pr ? firstChild(pr, name) : undefined;
  return prop?.attrs['m:val'];
}

function script(base: string, sub: string, sup: string): string {
  return base + (sub ? `_${group(sub)}` : '') + (sup ? `^${group(sup)}` : '');
}

function linearNode(node: XmlNode): string {
  return typeof node === 'string' ? '' : linear(node);
}

function linear(element: XmlElement): string {
  switch (element.name) {
    case 'm:t':
    case 'w:t':
      return element.children.filter((c): c is string => typeof c === 'string').join('');
    case 'm:f':
      return `${group(part(element, 'm:num'))}/${group(part(element, 'm:den'))}`;
    case 'm:sSup':
      return script(part(element, 'm:e'), '', part(element, 'm:sup'));
    case 'm:sSub':
      return script(part(element, 'm:e'), part(element, 'm:sub'), '');
    case 'm:sSubSup':
      return script(part(element, 'm:e'), part(element, 'm:sub'), part(element, 'm:sup'));
    case 'm:sPre':
      return `${script('', part(element, 'm:sub'), part(element, 'm:sup'))}${part(element, 'm:e')}`;
    case 'm:nary': {
      const symbol = propertyValue(element, 'm:naryPr', 'm:chr') ?? '∫';
      return `${script(symbol, part(element, 'm:sub'), part(element, 'm:sup'))} ${part(element, 'm:e')}`;
    }
    case 'm:d': {
      const open = propertyValue(element, 'm:dPr', 'm:begChr') ?? '(';
      const close = propertyValue(element, 'm:dPr', 'm:endChr') ?? ')';
      const separator = propertyValue(element, 'm:dPr', 'm:sepChr') ?? '|';
      return open + childElements(element, 'm:e').map(linear).join(separator) + close;
    }
    case 'm:rad': {
      const degree = part(element, 'm:deg');
      return `${degree ? `root${group(degree)}` : '√'}(${part(element, 'm:e')})`;
    }
    case 'm:func': {
      const argument = part(element, 'm:e');
      // Spaced apart so "a_n cos x" does not fuse into one word with what precedes it.
      return ` ${part(element, 'm:fName')}${argument.startsWith('(') ? '' : ' '}${argument} `;
    }
    case 'm:limLow':
      return script(part(element, 'm:e'), part(element, 'm:lim'), '');
    case 'm:limUpp':
      return script(part(element, 'm:e'), '', part(element, 'm:lim'));
    case 'm:eqArr':
      return childElements(element, 'm:e').map(linear).join('; ');
    case 'm:m':
      return `[${childElements(element, 'm:mr')
        .map((row) => childElements(row, 'm:e').map(linear).join(' '))
        .join('; ')}]`;
    default:
      // Property bags hold formatting, not content.
      if (/Pr$/.test(element.name)) return '';
      return element.children.map(linearNode).join('');
  }
}

/** The linear text of one <m:oMath> or <m:oMathPara> fragment. */
export function ommlToText(xml: string): string {
  return parseXml(xml)
    .map((node) => (typeof node === 'string' ? '' : node.name === 'm:oMathPara' ? childElements(node, 'm:oMath').map(linear).join('  ') : linear(node)))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Replaces every equation in a WordprocessingML part with a plain text run holding its linear text. */
export function replaceEquations(documentXml: string): string {
  const asRun = (fragment: string): string =>
    `<w:r><w:t xml:space="preserve"> ${escapeXml(ommlToText(fragment))} </w:t></w:r>`;
  return documentXml
    .replace(/<m:oMathPara\b[^>]*>[\s\S]*?<\/m:oMathPara>/g, asRun)
    .replace(/<m:oMath\b[^>]*>[\s\S]*?<\/m:oMath>/g, asRun);
}
