import { splitModelName, type ModelNameParts, type Provider } from '../util/model-name.js';

export type EmbeddingProvider = Provider;
export type ParsedModelName = ModelNameParts;

/** `model@provider` for embedding models; see splitModelName. */
export function parseModelName(name: string, defaultProvider = 'Builtin'): ParsedModelName {
  return splitModelName(name, defaultProvider, {
    kind: 'embedding',
    example: 'hash@Builtin',
    malformedExample: 'BAAI/bge-small-en-v1.5@Builtin',
  });
}
