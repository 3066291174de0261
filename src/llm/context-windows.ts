import { ErrorCode, RagFlowError } from '../errors.js';

/** RAGFlow's assumption for a model its catalogue does not list. */
export const DEFAULT_CONTEXT_TOKENS = 8192;

/**
 * Context windows of common chat models, by name prefix; the longest matching prefix wins, so
 * "gpt-4o" is not taken for "gpt-4". Names are matched lowercased, after any "org/" path (as
 * vLLM and LM Studio spell Hugging Face names), so "Qwen/Qwen2.5-7B-Instruct" is "qwen2.5-...".
 * The numbers are what the model supports; a server may be configured to use less.
 */
const KNOWN: readonly (readonly [prefix: string, tokens: number])[] = [
  ['gpt-5', 400_000],
  ['gpt-4.1', 1_047_576],
  ['gpt-4o', 128_000],
  ['gpt-4-turbo', 128_000],
  ['gpt-4', 8192],
  ['gpt-3.5-turbo', 16_385],
  ['o1', 200_000],
  ['o3', 200_000],
  ['o4-mini', 200_000],
  ['deepseek-chat', 64_000],
  ['deepseek-reasoner', 64_000],
  ['deepseek-r1', 128_000],
  ['deepseek-v3', 128_000],
  ['llama3.1', 128_000],
  ['llama3.2', 128_000],
  ['llama3.3', 128_000],
  ['llama-3.1', 128_000],
  ['llama-3.2', 128_000],
  ['llama-3.3', 128_000],
  ['llama3', 8192],
  ['meta-llama-3-', 8192],
  ['qwen3', 40_960],
  ['qwen2.5', 32_768],
  ['qwen2', 32_768],
  ['mistral-nemo', 128_000],
  ['mistral-small', 32_768],
  ['mistral', 32_768],
  ['mixtral', 32_768],
  ['gemma3', 128_000],
  ['gemma-3', 128_000],
  ['gemma2', 8192],
  ['phi4', 16_384],
  ['phi-4', 16_384],
];

/** The context window of `id` (`model@provider`): settings override, else the table, else 8192. */
export function contextWindow(id: string, overrides: Readonly<Record<string, number>> = {}): number {
  const override = overrides[id];
  if (override !== undefined) {
    if (!Number.isInteger(override) || override < 1) {
      throw new RagFlowError(
        ErrorCode.Argument,
        `settings.contextTokens["${id}"] must be a positive integer, got ${String(override)}`,
      );
    }
    return override;
  }
  const at = id.lastIndexOf('@');
  const model = (at < 0 ? id : id.slice(0, at)).toLowerCase();
  const name = model.slice(model.lastIndexOf('/') + 1);
  let best: readonly [string, number] | undefined;
  for (const entry of KNOWN) {
    if (name.startsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
  }
  return best?.[1] ?? DEFAULT_CONTEXT_TOKENS;
}
