import JSZip from 'jszip';
import { IngestError } from '../types.js';
import { decodeText } from '../text-decode.js';
import { Yielder } from '../../util/yield.js';
import { attribute, elementsNamed, firstNamed, parseXml, textContent } from './xml.js';
import { folderOf, resolveHref } from './paths.js';

export interface ManifestItem {
  id: string;
  /** ZIP entry path. */
  path: string;
  mediaType: string;
  properties: string[];
}

export interface BookPackage {
  zip: JSZip;
  /** Shared by every step that reads the package, so its slices and abort checks add up. */
  yielder: Yielder;
  /** The OPF's dc:title, '' when it has none. */
  title: string;
  manifest: Map<string, ManifestItem>;
  /** Reading order: manifest items and whether they are part of the linear flow. */
  spine: Array<{ item: ManifestItem; linear: boolean }>;
  /** The NCX table of contents named by the spine (EPUB 2), if any. */
  ncx?: ManifestItem;
}

const CONTAINER = 'META-INF/container.xml';

/** A ZIP entry's text, or undefined when the entry is missing. */
export async function readEntry(zip: JSZip, path: string): Promise<string | undefined> {
  const file = zip.file(path);
  return file ? decodeText(await file.async('uint8array')) : undefined;
}

async function openZip(bytes: Uint8Array, fileName: string): Promise<JSZip> {
  try {
    return await JSZip.loadAsync(bytes);
  } catch (error) {
    throw new IngestError(`The EPUB "${fileName}" is not a readable ZIP package; it may be corrupt.`, { cause: error });
  }
}

/** The OPF package file's path, from META-INF/container.xml. */
async function rootFilePath(zip: JSZip, yielder: Yielder): Promise<string> {
  const container = await readEntry(zip, CONTAINER);
  if (container === undefined) throw new IngestError(`The EPUB has no ${CONTAINER}; it is damaged or not an EPUB.`);
  const rootFile = elementsNamed(await parseXml(container, yielder), 'rootfile').find(
    (el) => (attribute(el, 'media-type') ?? 'application/oebps-package+xml') === 'application/oebps-package+xml',
  );
  const path = rootFile && attribute(rootFile, 'full-path');
  if (!path) throw new IngestError(`The EPUB's ${CONTAINER} names no OPF package file (rootfile full-path).`);
  return resolveHref('', path);
}

/** Container, package file, manifest and spine of an EPUB. */
export async function openPackage(bytes: Uint8Array, fileName: string, signal?: AbortSignal): Promise<BookPackage> {
  const yielder = new Yielder(signal);
  const zip = await openZip(bytes, fileName);
  const opfPath = await rootFilePath(zip, yielder);
  const opfText = await readEntry(zip, opfPath);
  if (opfText === undefined) {
    throw new IngestError(`The EPUB's OPF package file "${opfPath}" named in ${CONTAINER} is missing.`);
  }
  const opf = await parseXml(opfText, yielder);
  const opfFolder = folderOf(opfPath);

  const manifest = new Map<string, ManifestItem>();
  for (const el of elementsNamed(opf, 'item')) {
    const id = attribute(el, 'id');
    const href = attribute(el, 'href');
    if (!id || !href) continue;
    manifest.set(id, {
      id,
      path: resolveHref(opfFolder, href),
      mediaType: (attribute(el, 'media-type') ?? '').toLowerCase(),
      properties: (attribute(el, 'properties') ?? '').split(/\s+/).filter(Boolean),
    });
  }

  const spineElement = firstNamed(opf, 'spine');
  const spine: BookPackage['spine'] = [];
  for (const ref of spineElement ? elementsNamed(spineElement, 'itemref') : []) {
    const item = manifest.get(attribute(ref, 'idref') ?? '');
    if (item) spine.push({ item, linear: attribute(ref, 'linear') !== 'no' });
  }

  const titleElement = firstNamed(opf, 'title');
  const ncxId = spineElement && attribute(spineElement, 'toc');
  const ncx =
    (ncxId ? manifest.get(ncxId) : undefined) ??
    [...manifest.values()].find((item) => item.mediaType === 'application/x-dtbncx+xml');
  return {
    zip,
    yielder,
    title: titleElement ? textContent(titleElement) : '',
    manifest,
    spine,
    ...(ncx && { ncx }),
  };
}
