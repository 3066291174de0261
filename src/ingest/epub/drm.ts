import type { BookPackage } from './package.js';
import { readEntry } from './package.js';
import { IngestError } from '../types.js';
import { attribute, elementsNamed, parseXml } from './xml.js';
import { resolveHref } from './paths.js';

/**
 * Encrypted chapters mean DRM (Adobe ADEPT, Readium LCP, ...): their text cannot be read. Fonts
 * alone may be listed in encryption.xml too (IDPF/Adobe font obfuscation), which is harmless, so
 * only entries naming a spine document count.
 */
export async function assertNotDrmProtected(book: BookPackage): Promise<void> {
  const text = await readEntry(book.zip, 'META-INF/encryption.xml');
  if (text === undefined) return;
  const encrypted = new Set<string>();
  for (const reference of elementsNamed(await parseXml(text, book.yielder), 'cipherreference')) {
    const uri = attribute(reference, 'URI') ?? attribute(reference, 'uri');
    if (uri) encrypted.add(resolveHref('', uri));
  }
  if (book.spine.some(({ item }) => encrypted.has(item.path))) {
    throw new IngestError('The EPUB is DRM-protected (its chapters are encrypted); remove the DRM or upload an unprotected copy.');
  }
}
