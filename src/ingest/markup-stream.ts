import { stringStream, type CheerioAPI, type CheerioOptions } from 'cheerio';
import type { Yielder } from '../util/yield.js';

/** Characters handed to the parser between yields to the event loop. */
const SLICE = 64 * 1024;

/**
 * Parses HTML or XML with cheerio in slices (its parsers work incrementally on each written piece),
 * so a large page or package part does not hold the event loop for the whole parse.
 */
export function loadMarkupInSlices(text: string, options: CheerioOptions, yielder: Yielder): Promise<CheerioAPI> {
  return new Promise<CheerioAPI>((resolve, reject) => {
    const stream = stringStream(options, (error, $) => {
      if (error) reject(error);
      else resolve($);
    });
    stream.on('error', reject);
    const feed = async (): Promise<void> => {
      for (let start = 0; start < text.length; ) {
        let end = Math.min(start + SLICE, text.length);
        // Never split a surrogate pair between two writes.
        const code = text.charCodeAt(end - 1);
        if (end < text.length && code >= 0xd800 && code <= 0xdbff) end--;
        stream.write(text.slice(start, end));
        start = end;
        await yielder.tick();
      }
      stream.end();
    };
    feed().catch((error: unknown) => {
      stream.destroy();
      reject(error);
    });
  });
}
