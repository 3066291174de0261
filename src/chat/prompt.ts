import { dataError } from '../errors.js';
import { countTokens } from '../ingest/tokens.js';
import type { ChatMessage } from '../llm/types.js';
import type { PromptVariable, SessionMessage } from '../types.js';
import { stripCitations } from './citations.js';

/** The system prompt's knowledge block and the conversation handed to the model (RAGFlow §6.4 steps 3, 5, 10, 11). */

export const KNOWLEDGE = 'knowledge';
const SEPARATOR = '\n\n------\n\n';
const SEPARATOR_TOKENS = countTokens(SEPARATOR);

/**
 * Chunk contents in retrieval order, as many as fit `budgetTokens`: the best chunks come first, so
 * dropping the tail loses the least.
 */
export function buildKnowledge(chunks: readonly { content: string }[], budgetTokens: number): { text: string; used: number } {
  const parts: string[] = [];
  let tokens = 0;
  for (const chunk of chunks) {
    const cost = countTokens(chunk.content) + (parts.length > 0 ? SEPARATOR_TOKENS : 0);
    if (tokens + cost > budgetTokens) break;
    parts.push(chunk.content);
    tokens += cost;
  }
  return { text: parts.join(SEPARATOR), used: parts.length };
}

export const declaresKnowledge = (template: string, variables: readonly PromptVariable[]): boolean =>
  variables.some((v) => v.key === KNOWLEDGE) || template.includes(`{${KNOWLEDGE}}`);

/**
 * Fills `{key}` placeholders. Only declared variables are touched: other braces in a prompt (JSON
 * examples, code) are the author's text, not placeholders.
 */
export function formatSystemPrompt(
  template: string,
  variables: readonly PromptVariable[],
  values: Readonly<Record<string, string>>,
  knowledge: string,
): string {
  let prompt = template;
  for (const variable of variables) {
    if (variable.key === KNOWLEDGE) continue;
    const value = Object.hasOwn(values, variable.key) ? values[variable.key] : undefined;
    if (value === undefined && !variable.optional) throw dataError(`Miss parameter: ${variable.key}`);
    prompt = prompt.replaceAll(`{${variable.key}}`, value ?? ' ');
  }
  // Last, so a chunk that happens to contain "{date}" is not filled in itself.
  return prompt.replaceAll(`{${KNOWLEDGE}}`, knowledge);
}

/**
 * The session as model messages: the opener (and anything else before the first question) is the
 * assistant talking to nobody, and old citation markers would teach the model to invent its own.
 */
export function conversation(messages: readonly SessionMessage[]): ChatMessage[] {
  const first = messages.findIndex((m) => m.role === 'user');
  if (first < 0) return [];
  return messages.slice(first).map((m) => ({ role: m.role, content: stripCitations(m.content) }));
}

/** The tail of the conversation holding its last `turns` user messages: older turns rarely matter to the question. */
export function recentTurns(messages: readonly ChatMessage[], turns = 3): ChatMessage[] {
  let seen = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]?.role === 'user' && ++seen === turns) return messages.slice(i);
  }
  return [...messages];
}

export const userTurns = (messages: readonly ChatMessage[]): number => messages.filter((m) => m.role === 'user').length;

export function lastUserMessage(messages: readonly ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role === 'user') return message.content;
  }
  return '';
}
