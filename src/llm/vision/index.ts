import type { ChatProviderSettings } from '../types.js';
import type { VisionModel } from './types.js';
import { argumentError } from '../../errors.js';

export type { VisionModel, DescribeImageOptions } from './types.js';

// Placeholder until the vision providers of issue 6 land: only models passed as objects work.
export function resolveVisionModel(spec: string | VisionModel, _settings: ChatProviderSettings): VisionModel {
  if (typeof spec === 'object' && spec !== null && typeof spec.describe === 'function') return spec;
  throw argumentError(`visionModel: unknown model ${JSON.stringify(spec)}`);
}
