import type { ChunkPosition, ChunkSource } from '../../types.js';
import type { ChunkDraft } from '../types.js';

/** One question with its answer, before labels are added; where it came from travels with it. */
export interface QaPair {
  question: string;
  answer: string;
  positions?: ChunkPosition[];
  source?: ChunkSource;
}

// A marker needs its colon: "A cat sleeps" must not lose its first word as RAGFlow's rmPrefix would.
// An optional number covers "Q1:" and "Question 3:".
const QUESTION_MARKER = /^\s*(?:questions?|q|user|问题|提问|问)\s*\d*\s*[:：]\s*/iu;
const ANSWER_MARKER = /^\s*(?:answers?|a|assistant|答案|回答|答)\s*\d*\s*[:：]\s*/iu;
/** An answer marker inside a question line ("Q: Why? A: Because."), after a space or the question's end. */
const INLINE_ANSWER_MARKER = /(?<=[\s?？。.!！])\s*(?:answers?|a|答案|回答|答)\s*[:：]\s*/iu;

const HAN = /\p{Script=Han}/u;

export const startsWithQuestionMarker = (line: string): boolean => QUESTION_MARKER.test(line);
export const startsWithAnswerMarker = (line: string): boolean => ANSWER_MARKER.test(line);
export const stripQuestionMarker = (text: string): string => text.replace(QUESTION_MARKER, '');
export const stripAnswerMarker = (text: string): string => text.replace(ANSWER_MARKER, '');

/** A "Q: … A: …" line cut at its answer marker; `answer` is undefined when the line holds none. */
export function splitInlineAnswer(question: string): { question: string; answer?: string } {
  const match = INLINE_ANSWER_MARKER.exec(question);
  if (!match || match.index === 0) return { question };
  return { question: question.slice(0, match.index), answer: question.slice(match.index + match[0].length) };
}

// Column titles of a Q&A sheet; the header row carrying them is not a pair.
const QUESTION_LABEL = /^(?:questions?|q|query|queries|user|问题|问|提问|题目)$/u;
const ANSWER_LABEL = /^(?:answers?|a|responses?|reply|replies|assistant|答案|回答|答|解答)$/u;

const asLabel = (cell: string): string => cell.trim().replace(/[:：]$/u, '').trim().toLowerCase();
export const isQuestionLabel = (cell: string): boolean => QUESTION_LABEL.test(asLabel(cell));
export const isAnswerLabel = (cell: string): boolean => ANSWER_LABEL.test(asLabel(cell));

/**
 * The stored chunk of a pair, or null when the question or the answer is empty. As RAGFlow does, the
 * content is "Question: q\tAnswer: a" (Chinese labels for a Chinese question) and only the question
 * is indexed and embedded, so a user's question is matched against questions, not long answers.
 */
export function pairDraft(pair: QaPair): ChunkDraft | null {
  const question = stripQuestionMarker(pair.question).replace(/\s+/g, ' ').trim();
  const answer = stripAnswerMarker(pair.answer).trim();
  if (!question || !answer) return null;
  const [questionLabel, answerLabel] = HAN.test(question) ? ['问题：', '回答：'] : ['Question: ', 'Answer: '];
  return {
    content: `${questionLabel}${question}\t${answerLabel}${answer}`,
    positions: pair.positions ?? [],
    ...(pair.source && { source: pair.source }),
    searchText: question,
  };
}

const STORED_PAIR = /^(?:Question: |问题：)([\s\S]*?)\t(?:Answer: |回答：)/u;

/**
 * The question of a chunk stored as a Q&A pair ("Question: q\tAnswer: a"), or undefined. Chunks added
 * or edited by hand in a `qa` document are indexed by their question too, like parsed ones.
 */
export function storedQuestion(content: string): string | undefined {
  const question = STORED_PAIR.exec(content)?.[1]?.trim();
  return question ? question : undefined;
}
