import { decode, encode } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens } from '../ingest/tokens.js';
import type { ChatMessage } from '../llm/types.js';

/**
 * RAGFlow's message_fit_in: the prompt must leave the model room to answer. Token counts are
 * cl100k estimates of the message texts, as RAGFlow counts them, whatever the model's own tokenizer.
 */

/** Share of the context window a prompt may fill (SEED: 97%). */
export const PROMPT_SHARE = 0.97;
// Above this share of the two, the system prompt (mostly knowledge) is what gets cut.
const SYSTEM_DOMINANT = 0.8;
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

export const promptLimit = (contextTokens: number): number => Math.floor(contextTokens * PROMPT_SHARE);

/** The longest prefix of `text` within `maxTokens`. */
export function truncateTokens(text: string, maxTokens: number): string {
  if (maxTokens <= 0) return '';
  const tokens = encode(text, PLAIN_TEXT);
  if (tokens.length <= maxTokens) return text;
  // A cut inside a multi-byte character decodes to U+FFFD, which may count as more tokens: back off.
  for (let n = maxTokens; n > 0; n--) {
    const cut = decode(tokens.slice(0, n)).replace(/\uFFFD+$/, '');
    if (countTokens(cut) <= maxTokens) return cut;
  }
  return '';
}

const total = (messages: readonly ChatMessage[]): number => messages.reduce((sum, m) => sum + countTokens(m.content), 0);

export interface FittedMessages {
  messages: ChatMessage[];
  /** Prompt tokens after fitting (≤ limit). */
  used: number;
}

/**
 * Keeps the whole history when it fits; otherwise only the system prompt and the question, and if
 * even those overflow, cuts the larger of the two so the pair fits.
 */
export function fitMessages(messages: readonly ChatMessage[], limit: number): FittedMessages {
  const all = messages.map((m) => ({ ...m }));
  const whole = total(all);
  if (whole <= limit) return { messages: all, used: whole };

  const last = all[all.length - 1];
  const kept = all.filter((m, i) => m.role === 'system' && i !== all.length - 1);
  if (last) kept.push(last);
  const pair = total(kept);
  if (pair <= limit || kept.length === 0) return { messages: kept, used: pair };

  const system = kept.length > 1 ? kept[0] : undefined;
  const question = kept[kept.length - 1] as ChatMessage;
  const systemTokens = system ? countTokens(system.content) : 0;
  const questionTokens = countTokens(question.content);
  if (system && systemTokens / (systemTokens + questionTokens) > SYSTEM_DOMINANT) {
    system.content = truncateTokens(system.content, limit - questionTokens);
  }
  // Also the fallback when the question alone is larger than the whole window.
  const systemNow = system ? countTokens(system.content) : 0;
  if (systemNow + countTokens(question.content) > limit) {
    question.content = truncateTokens(question.content, limit - systemNow);
  }
  // A system prompt that fills the window alone, beside a long question: it yields too.
  if (system && total(kept) > limit) system.content = truncateTokens(system.content, limit - countTokens(question.content));
  return { messages: kept, used: total(kept) };
}

/** Answer budget: the chat's max_tokens, but never more than the window leaves after the prompt. */
export const generationMaxTokens = (maxTokens: number, contextTokens: number, used: number): number =>
  Math.max(1, Math.min(maxTokens, contextTokens - used));
