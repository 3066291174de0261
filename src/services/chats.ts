import type { EngineContext } from '../context.js';
import { argumentError, dataError, notFound } from '../errors.js';
import { newId } from '../ids.js';
import type { ChatAssistant, ChatPromptConfig, Dataset, Language, LlmSetting, Page, PromptVariable } from '../types.js';
import {
  namedQuery,
  optionalBoolean,
  optionalEnum,
  optionalNumber,
  requireString,
  stringList,
  type ListQuery,
} from '../validation.js';
import type { DatasetService } from './datasets.js';

/** The draft's system prompt: `{knowledge}` becomes the retrieved chunks. */
export const DEFAULT_SYSTEM_PROMPT =
  'You are an intelligent assistant. Please summarize the content of the knowledge base to answer the question. ' +
  'Please list the data in the knowledge base and answer in detail. When all knowledge base content is irrelevant ' +
  "to the question, your answer must include the sentence 'The answer you are looking for is not found in the " +
  "knowledge base!' Answers need to consider chat history.\nHere is the knowledge base:\n{knowledge}\nThe above is the knowledge base.";

export const DEFAULT_PROMPT: ChatPromptConfig = {
  prompt: DEFAULT_SYSTEM_PROMPT,
  opener: "Hi! I'm your assistant, what can I do for you?",
  emptyResponse: 'Sorry! No relevant content was found in the knowledge base!',
  variables: [{ key: 'knowledge', optional: false }],
  showQuote: true,
  refineMultiturn: false,
  keyword: false,
  similarityThreshold: 0.2,
  keywordsSimilarityWeight: 0.7,
  topN: 6,
  rerankModel: '',
};

export const DEFAULT_LLM_SETTING: Omit<LlmSetting, 'modelName'> = {
  temperature: 0.1,
  topP: 0.3,
  presencePenalty: 0.4,
  frequencyPenalty: 0.7,
  maxTokens: 512,
};

const NAME_MAX = 255;

export interface CreateChatInput {
  name: string;
  description?: string;
  avatar?: string;
  language?: Language;
  datasetIds?: string[];
  /** Partial: what is missing takes the defaults (`modelName`: the engine's default chat model). */
  llm?: Partial<LlmSetting>;
  prompt?: Partial<ChatPromptConfig>;
  topK?: number;
}

export type UpdateChatInput = Partial<CreateChatInput>;

export type ListChatsQuery = ListQuery;

function asObject<T>(field: string, value: unknown): Partial<T> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw argumentError(`\`${field}\` must be an object`);
  return value as Partial<T>;
}

function variablesOf(value: unknown, fallback: PromptVariable[]): PromptVariable[] {
  if (value === undefined) return fallback;
  if (!Array.isArray(value)) throw argumentError('`prompt.variables` must be a list of {key, optional}');
  return value.map((v: unknown, i) => {
    const item = asObject<PromptVariable>(`prompt.variables[${i}]`, v);
    return {
      key: requireString(`prompt.variables[${i}].key`, item.key),
      optional: optionalBoolean(`prompt.variables[${i}].optional`, item.optional, false),
    };
  });
}

/** Merges a partial prompt config over a base, validating every field. */
function mergePrompt(base: ChatPromptConfig, patch: unknown): ChatPromptConfig {
  const p = asObject<ChatPromptConfig>('prompt', patch);
  const text = (field: keyof ChatPromptConfig, value: unknown, fallback: string): string => {
    if (value === undefined) return fallback;
    if (typeof value !== 'string') throw argumentError(`\`prompt.${field}\` must be a string`);
    return value;
  };
  const prompt: ChatPromptConfig = {
    prompt: p.prompt === undefined || p.prompt === '' ? base.prompt : text('prompt', p.prompt, base.prompt),
    opener: text('opener', p.opener, base.opener),
    emptyResponse: text('emptyResponse', p.emptyResponse, base.emptyResponse),
    variables: variablesOf(p.variables, base.variables),
    showQuote: optionalBoolean('prompt.show_quote', p.showQuote, base.showQuote),
    refineMultiturn: optionalBoolean('prompt.refine_multiturn', p.refineMultiturn, base.refineMultiturn),
    keyword: optionalBoolean('prompt.keyword', p.keyword, base.keyword),
    similarityThreshold: optionalNumber('prompt.similarity_threshold', p.similarityThreshold, base.similarityThreshold, {
      min: 0,
      max: 1,
    }),
    keywordsSimilarityWeight: optionalNumber(
      'prompt.keywords_similarity_weight',
      p.keywordsSimilarityWeight,
      base.keywordsSimilarityWeight,
      { min: 0, max: 1 },
    ),
    topN: optionalNumber('prompt.top_n', p.topN, base.topN, { integer: true, min: 1, max: 1024 }),
    rerankModel: text('rerankModel', p.rerankModel, base.rerankModel),
  };
  for (const variable of prompt.variables) {
    if (!variable.optional && !prompt.prompt.includes(`{${variable.key}}`)) {
      throw dataError(`Parameter '${variable.key}' is not used`);
    }
  }
  if (prompt.rerankModel) throw dataError(`Rerank model "${prompt.rerankModel}" is not supported yet`);
  return prompt;
}

export class ChatService {
  constructor(
    private readonly ctx: EngineContext,
    private readonly datasets: DatasetService,
  ) {}

  async create(tenantId: string, input: CreateChatInput): Promise<ChatAssistant> {
    if (typeof input !== 'object' || input === null) throw argumentError('chat input must be an object');
    const name = requireString('name', input.name, { max: NAME_MAX });
    if ((await this.ctx.store.chatNames(tenantId)).has(name.toLowerCase())) {
      throw dataError('Duplicated chat name in creating chat.');
    }
    const now = this.ctx.now();
    const chat: ChatAssistant = {
      id: newId(),
      tenantId,
      name,
      description: input.description ?? 'A helpful Assistant',
      avatar: input.avatar ?? '',
      language: optionalEnum('language', input.language, ['English', 'Chinese'], 'English'),
      datasetIds: await this.checkDatasets(tenantId, input.datasetIds ?? []),
      llm: this.mergeLlm({ modelName: this.ctx.defaultChatModel, ...DEFAULT_LLM_SETTING }, input.llm),
      prompt: mergePrompt(DEFAULT_PROMPT, input.prompt),
      topK: optionalNumber('top_k', input.topK, 1024, { integer: true, min: 1 }),
      createTime: now,
      updateTime: now,
    };
    await this.ctx.store.insertChat(chat);
    return chat;
  }

  async get(tenantId: string, id: string): Promise<ChatAssistant> {
    const chat = typeof id === 'string' ? await this.ctx.store.getChat(tenantId, id) : undefined;
    if (!chat) throw notFound('Chat', String(id));
    return chat;
  }

  async list(tenantId: string, query: ListChatsQuery = {}): Promise<Page<ChatAssistant>> {
    return this.ctx.store.listChats(tenantId, namedQuery(query));
  }

  /** `llm` and `prompt` are merged into the current settings; the rest replaces them. */
  async update(tenantId: string, id: string, input: UpdateChatInput): Promise<ChatAssistant> {
    const current = await this.get(tenantId, id);
    if (typeof input !== 'object' || input === null) throw argumentError('chat update must be an object');
    let name = current.name;
    if (input.name !== undefined) {
      name = requireString('name', input.name, { max: NAME_MAX });
      const taken = await this.ctx.store.chatNames(tenantId);
      if (name.toLowerCase() !== current.name.toLowerCase() && taken.has(name.toLowerCase())) {
        throw dataError('Duplicated chat name.');
      }
    }
    const updated: ChatAssistant = {
      ...current,
      name,
      description: input.description ?? current.description,
      avatar: input.avatar ?? current.avatar,
      language: optionalEnum('language', input.language, ['English', 'Chinese'], current.language),
      datasetIds: input.datasetIds === undefined ? current.datasetIds : await this.checkDatasets(tenantId, input.datasetIds),
      llm: this.mergeLlm(current.llm, input.llm),
      prompt: mergePrompt(current.prompt, input.prompt),
      topK: optionalNumber('top_k', input.topK, current.topK, { integer: true, min: 1 }),
      updateTime: this.ctx.now(),
    };
    await this.ctx.store.updateChat(updated);
    return updated;
  }

  /** All or nothing; deletes the chats' sessions too. */
  async delete(tenantId: string, ids: readonly string[]): Promise<void> {
    const list = stringList('ids', ids);
    for (const id of list) await this.get(tenantId, id);
    await this.ctx.store.deleteChats(tenantId, list);
  }

  /** Drops deleted datasets from the tenant's chats, so their questions do not fail on a missing dataset. */
  async forgetDatasets(tenantId: string, datasetIds: readonly string[]): Promise<void> {
    const gone = new Set(datasetIds);
    const chats = await this.ctx.store.listChats(tenantId, {
      page: 1,
      pageSize: Number.MAX_SAFE_INTEGER,
      orderBy: 'create_time',
      desc: false,
    });
    for (const chat of chats.items) {
      if (!chat.datasetIds.some((id) => gone.has(id))) continue;
      const datasetIds = chat.datasetIds.filter((id) => !gone.has(id));
      await this.ctx.store.updateChat({ ...chat, datasetIds, updateTime: this.ctx.now() });
    }
  }

  /** The tenant's datasets, which must share one embedding model (retrieval searches them together). */
  private async checkDatasets(tenantId: string, ids: unknown): Promise<string[]> {
    const list = stringList('dataset_ids', ids, { allowEmpty: true });
    const datasets: Dataset[] = [];
    for (const id of list) datasets.push(await this.datasets.get(tenantId, id));
    const models = new Set(datasets.map((d) => d.embeddingModel));
    if (models.size > 1) throw dataError(`Datasets use different embedding models: ${[...models].join(', ')}`);
    return list;
  }

  /** Resolving the model validates `model@provider` now, not at the first question. */
  private mergeLlm(base: LlmSetting, patch: unknown): LlmSetting {
    const p = asObject<LlmSetting>('llm', patch);
    const modelName =
      p.modelName === undefined ? base.modelName : this.ctx.chatModels.resolve(requireString('llm.model_name', p.modelName)).id;
    return {
      modelName,
      temperature: optionalNumber('llm.temperature', p.temperature, base.temperature, { min: 0, max: 2 }),
      topP: optionalNumber('llm.top_p', p.topP, base.topP, { min: 0, max: 1 }),
      presencePenalty: optionalNumber('llm.presence_penalty', p.presencePenalty, base.presencePenalty, { min: -2, max: 2 }),
      frequencyPenalty: optionalNumber('llm.frequency_penalty', p.frequencyPenalty, base.frequencyPenalty, {
        min: -2,
        max: 2,
      }),
      maxTokens: optionalNumber('llm.max_tokens', p.maxTokens, base.maxTokens, { integer: true, min: 1 }),
    };
  }
}
