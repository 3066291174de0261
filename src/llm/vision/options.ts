import { argumentError } from '../../errors.js';
import type { RetryOptions } from '../../util/retry.js';
import { DEFAULT_DESCRIBE_PROMPT } from './prompt.js';
import type { DescribeImageOptions } from './types.js';

export interface VisionModelOptions extends RetryOptions {
  /** Give up when the server shows no sign of life for this long; default 10 min (vision models load slowly). */
  timeoutMs?: number;
}

export const DEFAULT_VISION_TIMEOUT_MS = 600_000;

/** Checks what describe() was given, before anything is sent; answers the prompt to use. */
export function describeRequest(image: Uint8Array, options: DescribeImageOptions): { base64: string; prompt: string } {
  if (!(image instanceof Uint8Array) || image.byteLength === 0) {
    throw argumentError('describe() needs the image as non-empty bytes (a Uint8Array)');
  }
  if (typeof options?.mimeType !== 'string' || !/^image\/[\w.+-]+$/.test(options.mimeType)) {
    throw argumentError(`describe() needs an image MIME type such as "image/png", got ${JSON.stringify(options?.mimeType)}`);
  }
  const prompt = options.prompt?.trim() || DEFAULT_DESCRIBE_PROMPT;
  return { base64: Buffer.from(image.buffer, image.byteOffset, image.byteLength).toString('base64'), prompt };
}
