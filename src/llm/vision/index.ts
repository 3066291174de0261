import { argumentError } from '../../errors.js';
import { PROVIDERS, splitModelName, type Provider } from '../../util/model-name.js';
import type { ChatProviderSettings } from '../types.js';
import { OllamaVisionModel } from './ollama.js';
import { OpenAIVisionModel } from './openai.js';
import type { VisionModelOptions } from './options.js';
import type { VisionModel } from './types.js';

export type { VisionModel, DescribeImageOptions } from './types.js';
export type { VisionModelOptions } from './options.js';
export { DEFAULT_DESCRIBE_PROMPT } from './prompt.js';
export { OllamaVisionModel } from './ollama.js';
export { OpenAIVisionModel } from './openai.js';

/** Builtin has no model that can see. */
const VISION_PROVIDERS: readonly Provider[] = ['Ollama', 'OpenAI', 'OpenAI-API-Compatible'];

/**
 * `model@provider` (or an object of your own with describe()) into a vision model. Offline like the
 * chat models: a wrong name fails when RagFlow opens, a missing server on the first picture.
 */
export function resolveVisionModel(
  spec: string | VisionModel,
  settings: ChatProviderSettings,
  options: VisionModelOptions = {},
): VisionModel {
  if (typeof spec === 'object' && spec !== null) {
    if (typeof spec.describe === 'function') return spec;
    throw argumentError('visionModel: an object must have a describe(image, { mimeType }) method');
  }
  if (typeof spec !== 'string') {
    throw argumentError(`visionModel must be "model@provider" or an object with describe(), got ${typeof spec}`);
  }
  const { model, provider } = parseVisionModelName(spec);
  if (provider === 'Ollama') return new OllamaVisionModel(model, settings.ollama, options);
  return new OpenAIVisionModel(model, settings.openai, { ...options, providerName: provider });
}

function parseVisionModelName(spec: string): { model: string; provider: Provider } {
  const trimmed = spec.trim();
  const at = trimmed.lastIndexOf('@');
  if (at < 0 && trimmed !== '') {
    throw argumentError(`visionModel "${trimmed}" names no provider: expected model@provider, e.g. "llava@Ollama"`);
  }
  // Checked here rather than left to splitModelName, whose message would offer Builtin.
  const providerName = trimmed.slice(at + 1).trim();
  const known = PROVIDERS.some((p) => p.toLowerCase() === providerName.toLowerCase());
  const seeing = VISION_PROVIDERS.some((p) => p.toLowerCase() === providerName.toLowerCase());
  if (providerName !== '' && !seeing) {
    const why = known ? 'has no vision model' : 'is not a provider this build knows';
    throw argumentError(
      `visionModel "${trimmed}": "${providerName}" ${why}; use Ollama, OpenAI or OpenAI-API-Compatible, e.g. "llava@Ollama"`,
    );
  }
  return splitModelName(trimmed, 'Ollama', {
    kind: 'vision',
    example: 'llava@Ollama',
    malformedExample: 'gpt-4o-mini@OpenAI-API-Compatible',
  });
}
