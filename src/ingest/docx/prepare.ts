import JSZip from 'jszip';
import { Yielder } from '../../util/yield.js';
import { replaceEquationsInPart } from './omml.js';
import { styleNumberingOf, type StyleNumbering } from './numbering.js';
import { loadXmlInSlices } from './xml.js';

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
 * What mammoth cannot see on its own, read from the package directly. Anything unusual (not a ZIP,
 * a damaged archive or part) leaves the file untouched for mammoth to read or to report as corrupt.
 * Only an abort is thrown. Parts are parsed in slices, with yields to the event loop between steps.
 */
export async function prepareDocx(bytes: Uint8Array, signal?: AbortSignal): Promise<PreparedDocx> {
  const yielder = new Yielder(signal);
  try {
    const zip = await JSZip.loadAsync(bytes);
    const part = async (name: string): Promise<string> => {
      const text = (await zip.file(name)?.async('string')) ?? '';
      await yielder.tick();
      return text;
    };
    const styles = await loadXmlInSlices(await part(STYLES_PART), yielder);
    const numbering = await loadXmlInSlices(await part(NUMBERING_PART), yielder);
    const styleNumbers = styleNumberingOf(styles, numbering);
    await yielder.tick();
    const xml = await part(MAIN_PART);
    if (!xml.includes('<m:oMath')) return { bytes, styleNumbers };
    zip.file(MAIN_PART, await replaceEquationsInPart(xml, yielder), { createFolders: false });
    await yielder.tick();
    return { bytes: await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }), styleNumbers };
  } catch (error) {
    if (signal?.aborted) throw error;
    return { bytes, styleNumbers: new Map() };
  }
}
