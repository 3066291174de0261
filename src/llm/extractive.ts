import { analyze, queryTerms } from '../retrieval/analyzer.js';
import { yieldToEventLoop } from '../util/yield.js';
import { chatStream, type ChatStream } from './chat-stream.js';
import { htmlToText, looksLikeHtml } from '../util/html-text.js';
import { splitSentences } from './sentences.js';
import type { ChatModel, ChatRequest, ChatResult, GroundingContext } from './types.js';

export const EXTRACTIVE_MODEL_ID = 'extractive@Builtin';

/** What RAGFlow's default prompt tells a model to say when the knowledge base has no answer. */
export const EXTRACTIVE_NOT_FOUND = 'The answer you are looking for is not found in the knowledge base!';

const MAX_SENTENCES = 3;
/** Sentences scoring below this share of the best one are off topic and would dilute the answer. */
const MIN_SHARE_OF_BEST = 0.5;
const WORDS_PER_DELTA = 4;

/**
 * `extractive@Builtin`: answers with the 1–3 sentences of the retrieved chunks that best match the
 * question, verbatim. It exists so the product works offline and tests are deterministic; it is
 * retrieval only, not a language model: it neither reads the messages nor writes new text.
 */
export class ExtractiveChatModel implements ChatModel {
  readonly id = EXTRACTIVE_MODEL_ID;
  readonly contextTokens = 1_000_000;

  async generate(request: ChatRequest): Promise<ChatResult> {
    request.signal?.throwIfAborted();
    return { text: extractAnswer(request.grounding) };
  }

  stream(request: ChatRequest): ChatStream {
    return chatStream(async function* () {
      request.signal?.throwIfAborted();
      for (const delta of wordGroups(extractAnswer(request.grounding))) {
        yield delta;
        // A turn of the event loop per delta, so an abort between deltas is seen at once.
        await yieldToEventLoop();
        request.signal?.throwIfAborted();
      }
    });
  }
}

interface Candidate {
  text: string;
  terms: Set<string>;
  /** Chunk rank, then position in the chunk: the order the answer keeps. */
  order: number;
}

export function extractAnswer(grounding: GroundingContext | undefined): string {
  if (!grounding) return EXTRACTIVE_NOT_FOUND;
  const question = queryTerms(grounding.question);
  const candidates = sentencesOf(grounding.chunks);
  if (question.length === 0 || candidates.length === 0) return EXTRACTIVE_NOT_FOUND;

  // Rarer terms tell sentences apart better: idf over the sentences at hand.
  const weight = new Map<string, number>();
  for (const term of question) {
    const df = candidates.filter((c) => c.terms.has(term)).length;
    if (df > 0) weight.set(term, Math.log(1 + candidates.length / df));
  }
  const scored = candidates
    .map((candidate) => ({
      candidate,
      score: question.reduce((sum, term) => sum + (candidate.terms.has(term) ? (weight.get(term) ?? 0) : 0), 0),
    }))
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score || a.candidate.order - b.candidate.order);
  const best = scored[0]?.score;
  if (best === undefined) return EXTRACTIVE_NOT_FOUND;

  const chosen: Candidate[] = [];
  for (const { candidate, score } of scored) {
    if (chosen.length === MAX_SENTENCES || score < best * MIN_SHARE_OF_BEST) break;
    if (!chosen.some((c) => c.text === candidate.text)) chosen.push(candidate);
  }
  return chosen
    .sort((a, b) => a.order - b.order)
    .map((c) => c.text)
    .join(' ');
}

function sentencesOf(chunks: GroundingContext['chunks']): Candidate[] {
  const out: Candidate[] = [];
  for (const chunk of chunks) {
    const text = looksLikeHtml(chunk.content) ? htmlToText(chunk.content) : chunk.content;
    for (const sentence of splitSentences(text)) {
      out.push({ text: sentence, terms: new Set(analyze(sentence).map((t) => t.term)), order: out.length });
    }
  }
  return out;
}

/**
 * The answer in groups of a few words, each keeping its trailing space so the deltas add up to the
 * answer exactly; runs without spaces (CJK) are cut every 16 characters.
 */
export function wordGroups(text: string): string[] {
  const words = text.match(/\S{1,16}\s*/gu) ?? [];
  const groups: string[] = [];
  for (let i = 0; i < words.length; i += WORDS_PER_DELTA) groups.push(words.slice(i, i + WORDS_PER_DELTA).join(''));
  return groups;
}
