import type { EngineContext } from '../context.js';
import { argumentError, isAbortError } from '../errors.js';
import { newId } from '../ids.js';
import { EXTRACTIVE_MODEL_ID } from '../llm/extractive.js';
import type { ChatMessage, ChatModel, ChatRequest } from '../llm/types.js';
import type { Retriever } from '../retrieval/retriever.js';
import type { ChatService } from '../services/chats.js';
import type { DatasetService } from '../services/datasets.js';
import type { SessionService } from '../services/sessions.js';
import type { ChatAssistant, ChatReference, RetrievalResult, SessionMessage } from '../types.js';
import { citeAnswer } from './cite.js';
import { fitMessages, generationMaxTokens, promptLimit } from './fit.js';
import {
  buildKnowledge,
  conversation,
  declaresKnowledge,
  formatSystemPrompt,
  lastUserMessage,
  recentTurns,
  userTurns,
} from './prompt.js';
import { buildReference } from './reference.js';
import { extractKeywords, refineQuestion, withKeywords } from './refine.js';
import { cumulative } from './stream.js';

/**
 * One question to a chat assistant, answered from its datasets (RAGFlow SEED's chat(), §6.4):
 * history → standalone question → retrieval → knowledge in the system prompt → model → citations.
 */

export interface AskOptions {
  signal?: AbortSignal;
  /** Values for the prompt's variables other than `knowledge`. */
  variables?: Readonly<Record<string, string>>;
}

export interface AskResult {
  /** With ` ##i$$` citation markers when the chat shows quotes. */
  answer: string;
  reference: ChatReference;
  /** Shared by the question and its answer in the session, as in RAGFlow. */
  id: string;
  sessionId: string;
}

export type AskEvent =
  | { type: 'answer'; answer: string; reference: Record<string, never>; id: string; sessionId: string }
  | { type: 'final'; answer: string; reference: ChatReference; id: string; sessionId: string }
  | { type: 'error'; message: string; id: string; sessionId: string };

export interface ChatModelSource {
  resolve(name: string): ChatModel;
}

export interface CompletionServices {
  chats: Pick<ChatService, 'get'>;
  sessions: Pick<SessionService, 'get' | 'appendMessages'>;
  datasets: Pick<DatasetService, 'get'>;
  retriever: Pick<Retriever, 'retrieve'>;
  models: ChatModelSource;
}

/** The request, checked, with the question stored in the session. */
interface Stored {
  tenantId: string;
  chat: ChatAssistant;
  sessionId: string;
  id: string;
  history: ChatMessage[];
  values: Readonly<Record<string, string>>;
}

/** Everything known once the question is stored and before the model answers. */
interface Turn {
  tenantId: string;
  chat: ChatAssistant;
  sessionId: string;
  id: string;
  model: ChatModel;
  retrieval: RetrievalResult;
  /** Set when retrieval found nothing and the chat has a canned reply: the model is not called. */
  cannedAnswer?: string;
  request: ChatRequest;
}

const NOTHING_RETRIEVED: RetrievalResult = { chunks: [], docAggs: [], total: 0 };

/** A controller of our own that follows `signal`; `unlink` stops following it once the work is done. */
function linkedController(signal: AbortSignal | undefined): { controller: AbortController; unlink: () => void } {
  const controller = new AbortController();
  const forward = (): void => controller.abort(signal?.reason);
  if (signal?.aborted) forward();
  else signal?.addEventListener('abort', forward, { once: true });
  return { controller, unlink: () => signal?.removeEventListener('abort', forward) };
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export class ChatCompletion {
  constructor(
    private readonly ctx: EngineContext,
    private readonly services: CompletionServices,
  ) {}

  ask(
    tenantId: string,
    chatId: string,
    sessionId: string,
    question: string,
    options: AskOptions & { stream: true },
  ): AsyncIterable<AskEvent>;
  ask(
    tenantId: string,
    chatId: string,
    sessionId: string,
    question: string,
    options?: AskOptions & { stream?: false },
  ): Promise<AskResult>;
  ask(
    tenantId: string,
    chatId: string,
    sessionId: string,
    question: string,
    options: AskOptions & { stream?: boolean } = {},
  ): AsyncIterable<AskEvent> | Promise<AskResult> {
    return options.stream === true
      ? this.askStreaming(tenantId, chatId, sessionId, question, options)
      : this.askOnce(tenantId, chatId, sessionId, question, options);
  }

  private async askOnce(
    tenantId: string,
    chatId: string,
    sessionId: string,
    question: string,
    options: AskOptions,
  ): Promise<AskResult> {
    const signal = options.signal;
    const stored = await this.storeQuestion(tenantId, chatId, sessionId, question, options);
    const turn = await this.plan(stored, signal);
    const answer = turn.cannedAnswer ?? (await turn.model.generate(turn.request)).text;
    signal?.throwIfAborted();
    return this.finish(turn, answer, signal);
  }

  private async *askStreaming(
    tenantId: string,
    chatId: string,
    sessionId: string,
    question: string,
    options: AskOptions,
  ): AsyncGenerator<AskEvent> {
    // Also aborted when the consumer stops iterating, so the model call does not run on unread.
    const { controller, unlink } = linkedController(options.signal);
    const signal = controller.signal;
    try {
      const stored = await this.storeQuestion(tenantId, chatId, sessionId, question, options);
      const { id, sessionId: storedSessionId } = stored;
      try {
        const turn = await this.plan(stored, signal);
        let answer = '';
        if (turn.cannedAnswer !== undefined) {
          answer = turn.cannedAnswer;
          yield { type: 'answer', answer, reference: {}, id, sessionId: storedSessionId };
        } else {
          for await (const snapshot of cumulative(turn.model.stream(turn.request))) {
            // A model that ignores the signal is still cut off here.
            signal.throwIfAborted();
            answer = snapshot;
            yield { type: 'answer', answer, reference: {}, id, sessionId: storedSessionId };
          }
        }
        signal.throwIfAborted();
        const result = await this.finish(turn, answer, signal);
        yield { type: 'final', answer: result.answer, reference: result.reference, id, sessionId: storedSessionId };
      } catch (error) {
        if (signal.aborted || isAbortError(error)) throw error;
        // The question is stored already; the half answer is not: the session shows a failed turn.
        yield { type: 'error', message: messageOf(error), id, sessionId: storedSessionId };
      }
    } finally {
      unlink();
      controller.abort();
    }
  }

  /**
   * Checks the request and stores the question before anything can fail on the model's side, so a
   * failed answer still leaves the question in the session.
   */
  private async storeQuestion(
    tenantId: string,
    chatId: string,
    sessionId: string,
    question: string,
    options: AskOptions,
  ): Promise<Stored> {
    if (typeof question !== 'string' || question.trim() === '') throw argumentError('Please input your question.');
    const chat = await this.services.chats.get(tenantId, chatId);
    const session = await this.services.sessions.get(tenantId, chatId, sessionId);
    const values = options.variables ?? {};
    // Missing variables are the caller's mistake: refuse before the question is recorded.
    formatSystemPrompt(chat.prompt.prompt, chat.prompt.variables, values, '');
    const message: SessionMessage = { id: newId(), role: 'user', content: question, createTime: this.ctx.now() };
    await this.services.sessions.appendMessages(tenantId, chatId, session.id, [message]);
    return {
      tenantId,
      chat,
      sessionId: session.id,
      id: message.id,
      history: conversation([...session.messages, message]),
      values,
    };
  }

  private async plan(stored: Stored, signal: AbortSignal | undefined): Promise<Turn> {
    const { chat, history } = stored;
    const model = this.services.models.resolve(chat.llm.modelName);
    // The extractive model only quotes chunks: asked to rewrite a question it would answer
    // "not found", so the helper calls are skipped rather than fed its reply.
    const writes = model.id !== EXTRACTIVE_MODEL_ID;
    const question =
      writes && chat.prompt.refineMultiturn && userTurns(history) > 1
        ? await refineQuestion(model, recentTurns(history), signal)
        : lastUserMessage(history);
    const base = { tenantId: stored.tenantId, chat, sessionId: stored.sessionId, id: stored.id, model };

    const searches = declaresKnowledge(chat.prompt.prompt, chat.prompt.variables) && chat.datasetIds.length > 0;
    let retrieval = NOTHING_RETRIEVED;
    if (searches) {
      const keywords = writes && chat.prompt.keyword ? await extractKeywords(model, question, signal) : '';
      retrieval = await this.services.retriever.retrieve(stored.tenantId, {
        datasetIds: chat.datasetIds,
        question: withKeywords(question, keywords),
        pageSize: chat.prompt.topN,
        similarityThreshold: chat.prompt.similarityThreshold,
        vectorSimilarityWeight: 1 - chat.prompt.keywordsSimilarityWeight,
        topK: chat.topK,
        ...(chat.prompt.rerankModel && { rerankId: chat.prompt.rerankModel }),
        ...(signal && { signal }),
      });
      // RAGFlow answers "nothing found" itself rather than let the model improvise without sources.
      if (retrieval.chunks.length === 0 && chat.prompt.emptyResponse !== '') {
        return { ...base, retrieval, cannedAnswer: chat.prompt.emptyResponse, request: { messages: [] } };
      }
    }

    const limit = promptLimit(model.contextTokens);
    const knowledge = buildKnowledge(retrieval.chunks, limit);
    const system = formatSystemPrompt(chat.prompt.prompt, chat.prompt.variables, stored.values, knowledge.text);
    const fitted = fitMessages([{ role: 'system', content: system }, ...history], limit);
    const request: ChatRequest = {
      messages: fitted.messages,
      settings: {
        temperature: chat.llm.temperature,
        topP: chat.llm.topP,
        presencePenalty: chat.llm.presencePenalty,
        frequencyPenalty: chat.llm.frequencyPenalty,
        maxTokens: generationMaxTokens(chat.llm.maxTokens, model.contextTokens, fitted.used),
      },
      grounding: { question, chunks: retrieval.chunks.slice(0, knowledge.used) },
      ...(signal && { signal }),
    };
    return { ...base, retrieval, request };
  }

  /** Citations and reference, then the answer is stored: only a complete answer ever reaches the session. */
  private async finish(turn: Turn, text: string, signal: AbortSignal | undefined): Promise<AskResult> {
    const { chat, retrieval } = turn;
    let answer = text;
    let cited: ReadonlySet<number> = new Set();
    if (turn.cannedAnswer === undefined && chat.prompt.showQuote && retrieval.chunks.length > 0) {
      try {
        const first = await this.services.datasets.get(turn.tenantId, chat.datasetIds[0] as string);
        ({ answer, cited } = await citeAnswer(
          this.ctx,
          first,
          chat.datasetIds,
          retrieval.chunks,
          text,
          1 - chat.prompt.keywordsSimilarityWeight,
          signal,
        ));
      } catch (error) {
        // Markers decorate a finished answer; losing them must not lose the answer.
        if (signal?.aborted || isAbortError(error)) throw error;
      }
    }
    const reference = buildReference(retrieval, cited);
    signal?.throwIfAborted();
    const message: SessionMessage = {
      id: turn.id,
      role: 'assistant',
      content: answer,
      reference,
      createTime: this.ctx.now(),
    };
    await this.services.sessions.appendMessages(turn.tenantId, chat.id, turn.sessionId, [message]);
    return { answer, reference, id: turn.id, sessionId: turn.sessionId };
  }
}

/** ChatCompletion.ask for one tenant, as the facade exposes it. */
export interface TenantAsk {
  (chatId: string, sessionId: string, question: string, options: AskOptions & { stream: true }): AsyncIterable<AskEvent>;
  (chatId: string, sessionId: string, question: string, options?: AskOptions & { stream?: false }): Promise<AskResult>;
}

/** `check` runs before any work (the facade's closed-instance guard); for a stream, at its first step. */
export function tenantAsk(completion: ChatCompletion, tenantId: string, check: () => void): TenantAsk {
  function ask(chatId: string, sessionId: string, question: string, options: AskOptions & { stream: true }): AsyncIterable<AskEvent>;
  function ask(chatId: string, sessionId: string, question: string, options?: AskOptions & { stream?: false }): Promise<AskResult>;
  function ask(
    chatId: string,
    sessionId: string,
    question: string,
    options: AskOptions & { stream?: boolean } = {},
  ): AsyncIterable<AskEvent> | Promise<AskResult> {
    if (options.stream === true) {
      const streamOptions = { ...options, stream: true as const };
      return (async function* () {
        check();
        yield* completion.ask(tenantId, chatId, sessionId, question, streamOptions);
      })();
    }
    return (async () => {
      check();
      return completion.ask(tenantId, chatId, sessionId, question, { ...options, stream: false });
    })();
  }
  return ask;
}
