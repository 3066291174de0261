import { countTokens as countCl100k } from 'gpt-tokenizer/encoding/cl100k_base';

// Document text may contain strings such as "<|endoftext|>": they are ordinary text here, and the
// tokenizer would otherwise throw on them (RAGFlow's counter swallows that error and returns 0).
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/** cl100k_base token count, as RAGFlow's num_tokens_from_string. */
export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  return countCl100k(text, PLAIN_TEXT);
}
