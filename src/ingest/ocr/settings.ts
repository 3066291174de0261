import { existsSync } from 'node:fs';
import path from 'node:path';
import type { OcrSettings } from '../types.js';

/** What RagFlow.open() accepts for OCR; `false` turns it off. */
export type OcrOptions = { langPath?: string; languages?: string[] } | false;

const DEFAULT_LANGUAGES = ['eng'];

/** Where Debian/Ubuntu (tesseract 5 and 4) and Fedora/Arch/Alpine put the language data. */
export const SYSTEM_TESSDATA_DIRS = [
  '/usr/share/tesseract-ocr/5/tessdata',
  '/usr/share/tesseract-ocr/4.00/tessdata',
  '/usr/share/tessdata',
];

function holdsLanguages(dir: string, languages: readonly string[]): boolean {
  return languages.every((lang) => existsSync(path.join(dir, `${lang}.traineddata`)));
}

/**
 * OCR settings from the caller's options: an explicit langPath is taken as given (a wrong one fails
 * with a clear message when an image is read); otherwise the first of TESSDATA_PREFIX and the system
 * folders that holds every requested language. Undefined when OCR is off or no data is found.
 */
export function resolveOcrSettings(options: OcrOptions | undefined): OcrSettings | undefined {
  if (options === false) return undefined;
  const languages = options?.languages?.length ? [...options.languages] : DEFAULT_LANGUAGES;
  if (options?.langPath !== undefined) return { langPath: options.langPath, languages };
  const fromEnv = process.env['TESSDATA_PREFIX'];
  // Tesseract itself accepts TESSDATA_PREFIX either as the tessdata folder or as its parent.
  const candidates = fromEnv ? [fromEnv, path.join(fromEnv, 'tessdata'), ...SYSTEM_TESSDATA_DIRS] : SYSTEM_TESSDATA_DIRS;
  const langPath = candidates.find((dir) => holdsLanguages(dir, languages));
  return langPath === undefined ? undefined : { langPath, languages };
}

/**
 * Why a parse saw no OCR settings, for error messages: defaults that would have worked mean OCR was
 * turned off by configuration.
 */
export function ocrUnavailableReason(): string {
  if (resolveOcrSettings(undefined)) return 'OCR is turned off (ocr: false)';
  const looked = [...(process.env['TESSDATA_PREFIX'] ? ['TESSDATA_PREFIX'] : []), ...SYSTEM_TESSDATA_DIRS].join(', ');
  return (
    `no Tesseract language data was found (looked in ${looked}); ` +
    "install Debian's tesseract-ocr-eng or pass ocr: { langPath }"
  );
}
