import { posix } from 'node:path';
import type { CheerioAPI } from 'cheerio';
import { IngestError } from '../types.js';
import type { Yielder } from '../../util/yield.js';
import { childElements, firstChild, loadXmlInSlices, rootNode } from '../docx/xml.js';
import { unzipTextParts } from './unzip.js';
import { UnzipError } from './unzip-types.js';

/** A relationship of a package part: its id, its type's last word ("slide", "notesSlide") and the part it points at. */
export interface Relationship {
  id: string;
  kind: string;
  /** Path of the target part inside the package, without a leading slash. */
  target: string;
}

/**
 * The parts a deck's text lives in: the presentation, slides, notes, layouts and masters, with
 * their relationships. Media, charts and embedded files are never unpacked.
 */
const TEXT_PARTS = /^ppt\/(presentation\.xml|_rels\/presentation\.xml\.rels|(slides|notesSlides|slideLayouts|slideMasters)\/(_rels\/)?[^/]+\.(xml|rels))$/;

/** The text parts of an Office (OPC) package, parsed on demand in slices. */
export class PptxPackage {
  private constructor(
    private readonly parts: ReadonlyMap<string, string>,
    private readonly yielder: Yielder,
  ) {}

  static async open(bytes: Uint8Array, yielder: Yielder, signal?: AbortSignal): Promise<PptxPackage> {
    try {
      return new PptxPackage(await unzipTextParts(bytes, TEXT_PARTS, yielder, signal), yielder);
    } catch (error) {
      if (!(error instanceof UnzipError)) throw error;
      const message = error.part
        ? `The PPTX file is corrupt: its part ${error.part} cannot be unpacked (${error.message}).`
        : `The PPTX file is corrupt or truncated (its ZIP archive cannot be read: ${error.message}).`;
      throw new IngestError(message, { cause: error });
    }
  }

  has(path: string): boolean {
    return this.parts.has(path);
  }

  /** The part parsed as XML, or undefined when the package does not hold it. */
  async xml(path: string): Promise<CheerioAPI | undefined> {
    const text = this.parts.get(path);
    if (text === undefined) return undefined;
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
