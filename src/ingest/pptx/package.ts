import JSZip from 'jszip';
import { posix } from 'node:path';
import type { CheerioAPI } from 'cheerio';
import { IngestError } from '../types.js';
import type { Yielder } from '../../util/yield.js';
import { childElements, firstChild, loadXmlInSlices, rootNode } from '../docx/xml.js';

/** A relationship of a package part: its id, its type's last word ("slide", "notesSlide") and the part it points at. */
export interface Relationship {
  id: string;
  kind: string;
  /** Path of the target part inside the package, without a leading slash. */
  target: string;
}

/** The parts of an Office (OPC) package, read on demand and parsed in slices. */
export class PptxPackage {
  private constructor(
    private readonly zip: JSZip,
    private readonly yielder: Yielder,
  ) {}

  static async open(bytes: Uint8Array, yielder: Yielder): Promise<PptxPackage> {
    let zip: JSZip;
    try {
      zip = await JSZip.loadAsync(bytes);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new IngestError(`The PPTX file is corrupt or truncated (its ZIP archive cannot be read: ${detail}).`, { cause: error });
    }
    return new PptxPackage(zip, yielder);
  }

  has(path: string): boolean {
    return this.zip.file(path) !== null;
  }

  /** The part parsed as XML, or undefined when the package does not hold it. */
  async xml(path: string): Promise<CheerioAPI | undefined> {
    const file = this.zip.file(path);
    if (!file) return undefined;
    let text: string;
    try {
      text = await file.async('string');
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new IngestError(`The PPTX file is corrupt: its part ${path} cannot be unpacked (${detail}).`, { cause: error });
    }
    await this.yielder.tick();
    return loadXmlInSlices(text, this.yielder);
  }

  /** The relationships of a part (from its _rels/<name>.rels), internal targets only. */
  async relationships(partPath: string): Promise<Relationship[]> {
    const folder = posix.dirname(partPath);
    const rels = await this.xml(posix.join(folder, '_rels', `${posix.basename(partPath)}.rels`));
    if (!rels) return [];
    const list = firstChild(rootNode(rels), 'Relationships');
    const out: Relationship[] = [];
    for (const rel of list ? childElements(list, 'Relationship') : []) {
      const { Id: id, Type: type, Target: target, TargetMode: mode } = rel.attribs ?? {};
      if (!id || !type || !target || mode === 'External') continue;
      out.push({ id, kind: type.slice(type.lastIndexOf('/') + 1), target: resolveTarget(folder, target) });
    }
    return out;
  }
}

/** Targets are relative to the source part's folder, or absolute from the package root when they start with "/". */
function resolveTarget(folder: string, target: string): string {
  const path = target.startsWith('/') ? posix.normalize(target) : posix.join(folder, target);
  return path.replace(/^\/+/, '');
}
