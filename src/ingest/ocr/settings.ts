import type { OcrSettings } from '../types.js';

/** What RagFlow.open() accepts for OCR; `false` turns it off. */
export type OcrOptions = { langPath?: string; languages?: string[] } | false;

// Placeholder until the OCR work of issue 6 lands: resolves the configured path as given.
export function resolveOcrSettings(options: OcrOptions | undefined): OcrSettings | undefined {
  if (options === false || options?.langPath === undefined) return undefined;
  return { langPath: options.langPath, languages: options.languages ?? ['eng'] };
}
