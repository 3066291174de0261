import { isAbortError } from '../errors.js';
import type { ChatMessage, ChatModel } from '../llm/types.js';
import { lastUserMessage } from './prompt.js';

/**
 * Helper calls to the chat model that sharpen the retrieval question (RAGFlow §6.4 steps 6–7).
 * Both are optional aids: a failure costs retrieval quality, never the answer, so they fall back
 * instead of throwing. A cancelled request is the exception: the caller wants to stop.
 */

const TEMPERATURE = 0.2;

function rethrowIfAborted(error: unknown, signal: AbortSignal | undefined): void {
  if (signal?.aborted || isAbortError(error)) throw error;
}

const transcript = (messages: readonly ChatMessage[]): string =>
  messages
    .filter((m) => m.role !== 'system')
    .map((m) => `${m.role === 'user' ? 'USER' : 'ASSISTANT'}: ${m.content}`)
    .join('\n');

export function refinementPrompt(messages: readonly ChatMessage[]): string {
  return [
    'Below is a conversation between a user and an assistant. The user\'s last message may lean on',
    'earlier turns (pronouns, omitted subjects, "what about ..."). Write the one complete, standalone',
    'question the user would ask next if they had to ask it without the conversation.',
    'Keep the language the user writes in. Reply with the question only: no preface, no quotes, no explanation.',
    '',
    '### Conversation',
    transcript(messages),
    '',
    '### Standalone question',
  ].join('\n');
}

/** One standalone question for a multi-turn conversation; the last user message when the model fails. */
export async function refineQuestion(
  model: ChatModel,
  messages: readonly ChatMessage[],
  signal?: AbortSignal,
): Promise<string> {
  const fallback = lastUserMessage(messages);
  try {
    const { text } = await model.generate({
      messages: [{ role: 'user', content: refinementPrompt(messages) }],
      settings: { temperature: TEMPERATURE },
      ...(signal && { signal }),
    });
    const question = text.trim();
    return question === '' ? fallback : question;
  } catch (error) {
    rethrowIfAborted(error, signal);
    return fallback;
  }
}

export function keywordPrompt(question: string): string {
  return [
    'Pick the 3 most important keywords or short phrases of the question below, the ones a search',
    'engine would need to find the answer. Use the language of the question.',
    'Reply with the keywords only, separated by commas, nothing else.',
    '',
    '### Question',
    question,
    '',
    '### Keywords',
  ].join('\n');
}

/** Up to a few comma-separated keywords for `question`; '' when the model fails. */
export async function extractKeywords(model: ChatModel, question: string, signal?: AbortSignal): Promise<string> {
  try {
    const { text } = await model.generate({
      messages: [{ role: 'user', content: keywordPrompt(question) }],
      settings: { temperature: TEMPERATURE },
      ...(signal && { signal }),
    });
    return text.trim();
  } catch (error) {
    rethrowIfAborted(error, signal);
    return '';
  }
}

/** RAGFlow HEAD's separator: the keywords must not glue onto the question's last word. */
export const withKeywords = (question: string, keywords: string): string =>
  keywords === '' ? question : `${question},${keywords}`;
