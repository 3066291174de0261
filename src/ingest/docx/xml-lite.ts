/** A tiny XML reader for small, well-formed fragments (Office math, style definitions). */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}

export type XmlNode = XmlElement | string;

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, body: string) => {
    if (body.startsWith('#x')) return String.fromCodePoint(Number.parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(Number.parseInt(body.slice(1), 10));
    return ENTITIES[body] ?? whole;
  });
}

function readAttributes(source: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of source.matchAll(/([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
    attrs[m[1] ?? ''] = decodeEntities(m[3] ?? m[4] ?? '');
  }
  return attrs;
}

/** Parses a fragment into its top-level nodes; comments, processing instructions and CDATA markers are skipped. */
export function parseXml(source: string): XmlNode[] {
  const root: XmlElement = { name: '#root', attrs: {}, children: [] };
  const stack: XmlElement[] = [root];
  const tag = /<(\/?)([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>/g;
  let last = 0;
  for (let m = tag.exec(source); m !== null; m = tag.exec(source)) {
    const parent = stack[stack.length - 1] ?? root;
    if (m.index > last) parent.children.push(decodeEntities(source.slice(last, m.index)));
    last = tag.lastIndex;
    if (m[5] !== undefined) {
      parent.children.push(m[5]);
      continue;
    }
    const name = m[2];
    if (!name) continue;
    if (m[1]) {
      if (stack.length > 1) stack.pop();
      continue;
    }
    const element: XmlElement = { name, attrs: readAttributes(m[3] ?? ''), children: [] };
    parent.children.push(element);
    if (!m[4]) stack.push(element);
  }
  if (last < source.length) (stack[stack.length - 1] ?? root).children.push(decodeEntities(source.slice(last)));
  return root.children;
}

export function childElements(element: XmlElement, name?: string): XmlElement[] {
  return element.children.filter((c): c is XmlElement => typeof c !== 'string' && (name === undefined || c.name === name));
}

export function firstChild(element: XmlElement, name: string): XmlElement | undefined {
  return childElements(element, name)[0];
}
