import type { Yielder } from '../../util/yield.js';
import { childElements, firstChild, isElement, loadXml, loadXmlInSlices, ownText, rootNode, type XmlNode } from './xml.js';

/**
 * Office Math (OMML) to linear text, e.g. "E=mc^2", "(a+b)/2", "∑_(k=0)^n x_k". mammoth skips
 * equations entirely; this keeps their symbols and variables searchable.
 */

function group(text: string): string {
  return /^[\p{L}\p{N}.]*$/u.test(text) && text.length > 0 ? text : `(${text})`;
}

function part(element: XmlNode, name: string): string {
  const child = firstChild(element, name);
  return child ? linear(child) : '';
}

function propertyValue(element: XmlNode, props: string, name: string): string | undefined {
  const pr = firstChild(element, props);
  const prop = pr ? firstChild(pr, name) : undefined;
  return prop?.attribs?.['m:val'];
}

function script(base: string, sub: string, sup: string): string {
  return base + (sub ? `_${group(sub)}` : '') + (sup ? `^${group(sup)}` : '');
}

function linearNode(node: XmlNode): string {
  return isElement(node) ? linear(node) : '';
}

function linear(element: XmlNode): string {
  switch (element.name) {
    case 'm:t':
    case 'w:t':
      return ownText(element);
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
      if (/Pr$/.test(element.name ?? '')) return '';
      return (element.children ?? []).map(linearNode).join('');
  }
}

function equationText(nodes: readonly XmlNode[]): string {
  return nodes
    .map((node) => (!isElement(node) ? '' : node.name === 'm:oMathPara' ? childElements(node, 'm:oMath').map(linear).join('  ') : linear(node)))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The linear text of one <m:oMath> or <m:oMathPara> fragment. */
export function ommlToText(xml: string): string {
  return equationText(rootNode(loadXml(xml)).children ?? []);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const EQUATION = new Set(['m:oMathPara', 'm:oMath']);

/** Nodes walked between chances to yield to the event loop. */
const STEP = 1024;

/**
 * The part with each outermost equation's source replaced by a plain text run holding its linear
 * text; the rest of the source is kept byte for byte. Pauses (yields) every STEP nodes.
 */
function* splice(xml: string, root: XmlNode): Generator<void, string> {
  const pieces: string[] = [];
  let at = 0;
  let walked = 0;
  const stack: XmlNode[] = [root];
  while (stack.length > 0) {
    if (++walked % STEP === 0) yield;
    const node = stack.pop()!;
    if (isElement(node) && EQUATION.has(node.name ?? '')) {
      const { startIndex: start, endIndex: end } = node;
      // An element left open in a damaged part ends nowhere in particular: it is left as it is.
      const close = `</${node.name}>`;
      if (start != null && end != null && (xml.startsWith(close, end + 1 - close.length) || xml.startsWith('/>', end - 1))) {
        pieces.push(xml.slice(at, start), `<w:r><w:t xml:space="preserve"> ${escapeXml(equationText([node]))} </w:t></w:r>`);
        at = end + 1;
      }
      continue;
    }
    const children = node.children ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  pieces.push(xml.slice(at));
  return pieces.join('');
}

/** Replaces every equation in a WordprocessingML part with a plain text run holding its linear text. */
export function replaceEquations(documentXml: string): string {
  const steps = splice(documentXml, rootNode(loadXml(documentXml)));
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** replaceEquations for a whole package part: parsed and rewritten with yields to the event loop. */
export async function replaceEquationsInPart(documentXml: string, yielder: Yielder): Promise<string> {
  const steps = splice(documentXml, rootNode(await loadXmlInSlices(documentXml, yielder)));
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await yielder.tick();
  }
}
