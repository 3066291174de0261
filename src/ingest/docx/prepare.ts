import { entryData, readZip, storedEntry, writeZip } from './zip.js';
import { replaceEquations } from './omml.js';
import { styleNumbering, type StyleNumbering } from './numbering.js';

export interface PreparedDocx {
  /** The package to hand to mammoth: equations turned into text when there were any. */
  bytes: Uint8Array;
  /** styleId -> numbering level and format, for numbered paragraph styles. */
  styleNumbers: Map<string, StyleNumbering>;
}

const MAIN_PART = 'word/document.xml';
const STYLES_PART = 'word/styles.xml';
const NUMBERING_PART = 'word/numbering.xml';

/**
 * What mammoth cannot see on its own, read from the package directly. Anything unusual (ZIP64, a
 * damaged archive) leaves the file untouched for mammoth to read or to report as corrupt.
 */
export function prepareDocx(bytes: Uint8Array): PreparedDocx {
  const untouched: PreparedDocx = { bytes, styleNumbers: new Map() };
  let entries;
  try {
    entries = readZip(bytes);
  } catch {
    return untouched;
  }
  const decoder = new TextDecoder();
  const part = (name: string): string => {
    const entry = entries.find((e) => e.name === name);
    return entry ? decoder.decode(entryData(entry)) : '';
  };
  let styleNumbers = new Map<string, StyleNumbering>();
  let rewritten: Uint8Array | undefined;
  try {
    styleNumbers = styleNumbering(part(STYLES_PART), part(NUMBERING_PART));
    const xml = part(MAIN_PART);
    if (xml.includes('<m:oMath')) {
      const replaced = replaceEquations(xml);
      rewritten = writeZip(entries.map((e) => (e.name === MAIN_PART ? storedEntry(MAIN_PART, new TextEncoder().encode(replaced)) : e)));
    }
  } catch {
    return untouched;
  }
  return { bytes: rewritten ?? bytes, styleNumbers };
}
