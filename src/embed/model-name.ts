import { splitModelName, type ModelNameParts } from '../util/model-name.js';

/** The providers this build knows, in the spelling used in canonical ids. */
export type EmbeddingProvider = 'Builtin' | 'Ollama' | 'OpenAI' | 'OpenAI-API-Compatible';

export type ParsedModelName = ModelNameParts<EmbeddingProvider>;

const RULES = {
  providers: ['Builtin', 'Ollama', 'OpenAI', 'OpenAI-API-Compatible'] as const,
  kind: 'embedding',
  example: 'hash@Builtin',
  malformedExample: 'BAAI/bge-small-en-v1.5@Builtin',
};

/** `model@provider` for embedding models; see splitModelName. */
export function parseModelName(name: string, defaultProvider = 'Builtin'): ParsedModelName {
  return splitModelName<EmbeddingProvider>(name, defaultProvider, RULES);
}
