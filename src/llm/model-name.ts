import { splitModelName, type ModelNameParts, type Provider } from '../util/model-name.js';

export type ChatProvider = Provider;
export type ParsedChatModelName = ModelNameParts;

/** `model@provider` for chat models; a bare name is taken as Builtin, the only provider that needs nothing. */
export function parseChatModelName(name: string, defaultProvider = 'Builtin'): ParsedChatModelName {
  return splitModelName(name, defaultProvider, {
    kind: 'chat',
    example: 'extractive@Builtin',
    malformedExample: 'qwen2.5:7b@Ollama',
  });
}
