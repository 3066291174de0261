import { splitModelName, type ModelNameParts } from '../util/model-name.js';

/** Chat providers this build knows, in the spelling used in canonical ids. */
export type ChatProvider = 'Builtin' | 'Ollama' | 'OpenAI' | 'OpenAI-API-Compatible';

export type ParsedChatModelName = ModelNameParts<ChatProvider>;

const RULES = {
  providers: ['Builtin', 'Ollama', 'OpenAI', 'OpenAI-API-Compatible'] as const,
  kind: 'chat',
  example: 'extractive@Builtin',
  malformedExample: 'qwen2.5:7b@Ollama',
};

/** `model@provider` for chat models; a bare name is taken as Builtin, the only provider that needs nothing. */
export function parseChatModelName(name: string, defaultProvider = 'Builtin'): ParsedChatModelName {
  return splitModelName<ChatProvider>(name, defaultProvider, RULES);
}
