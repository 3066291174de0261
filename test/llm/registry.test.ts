import { describe, expect, it, vi } from 'vitest';
import { ErrorCode, RagFlowError } from '../../src/errors.js';
import { DEFAULT_CONTEXT_TOKENS, contextWindow } from '../../src/llm/context-windows.js';
import { ExtractiveChatModel } from '../../src/llm/extractive.js';
import { parseChatModelName } from '../../src/llm/model-name.js';
import { OllamaChatModel } from '../../src/llm/ollama.js';
import { OpenAIChatModel } from '../../src/llm/openai.js';
import { ChatModelRegistry, resolveChatModel } from '../../src/llm/registry.js';
import type { ChatModel } from '../../src/llm/types.js';

const thrown = (work: () => unknown): RagFlowError => {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(RagFlowError);
    return error as RagFlowError;
  }
  throw new Error('expected a throw');
};

const custom = (id: string): ChatModel & { closed: number } => ({
  id,
  contextTokens: 4096,
  closed: 0,
  generate: async () => ({ text: 'custom' }),
  stream: async function* () {
    yield 'custom';
  },
  async close() {
    this.closed++;
  },
});

describe('parseChatModelName', () => {
  it('canonicalises the provider and splits at the last @', () => {
    expect(parseChatModelName('qwen2.5:7b@ollama')).toEqual({ model: 'qwen2.5:7b', provider: 'Ollama', id: 'qwen2.5:7b@Ollama' });
    expect(parseChatModelName(' deepseek-chat@openai-api-compatible ').id).toBe('deepseek-chat@OpenAI-API-Compatible');
    expect(parseChatModelName('team@v2@OPENAI')).toMatchObject({ model: 'team@v2', provider: 'OpenAI' });
    expect(parseChatModelName('extractive').id).toBe('extractive@Builtin');
  });

  it('rejects empty, malformed and unknown-provider names with actionable messages', () => {
    expect(thrown(() => parseChatModelName('  ')).code).toBe(ErrorCode.Argument);
    expect(thrown(() => parseChatModelName('  ')).message).toBe('A chat model name is required, e.g. "extractive@Builtin"');
    expect(thrown(() => parseChatModelName('m@')).message).toMatch(/^Malformed chat model name "m@": expected model@provider/);
    const unknown = thrown(() => parseChatModelName('m@x'));
    expect(unknown.code).toBe(ErrorCode.Data);
    expect(unknown.message).toBe('Unsupported chat model provider "x" in "m@x"; use Builtin, Ollama or OpenAI');
  });
});

describe('resolveChatModel', () => {
  it('builds the provider of each name, without any network', () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    try {
      expect(resolveChatModel('extractive@builtin')).toBeInstanceOf(ExtractiveChatModel);
      const ollama = resolveChatModel('llama3.1:8b@Ollama', { ollama: { host: 'http://gpu:1234' } });
      expect(ollama).toBeInstanceOf(OllamaChatModel);
      expect((ollama as OllamaChatModel).host).toBe('http://gpu:1234');
      expect(ollama.contextTokens).toBe(128_000);
      const compatible = resolveChatModel('deepseek-chat@OpenAI-API-Compatible', {
        openai: { baseURL: 'http://127.0.0.1:1/v1', apiKey: 'k' },
      });
      expect(compatible).toBeInstanceOf(OpenAIChatModel);
      expect(compatible.id).toBe('deepseek-chat@OpenAI-API-Compatible');
      expect((compatible as OpenAIChatModel).baseURL).toBe('http://127.0.0.1:1/v1');
      expect(compatible.contextTokens).toBe(64_000);
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      fetchSpy.mockRestore();
    }
  });

  it('knows only extractive among built-in chat models', () => {
    const error = thrown(() => resolveChatModel('gpt-4o@Builtin'));
    expect(error.code).toBe(ErrorCode.Data);
    expect(error.message).toBe('No built-in chat model "gpt-4o": the only one is extractive@Builtin');
    expect(thrown(() => resolveChatModel('gpt-4o')).message).toMatch(/No built-in chat model "gpt-4o"/);
  });

  it('takes context windows from settings before the table', () => {
    const model = resolveChatModel('my-finetune@Ollama', { contextTokens: { 'my-finetune@Ollama': 16_384 } });
    expect(model.contextTokens).toBe(16_384);
    expect(resolveChatModel('my-finetune@Ollama').contextTokens).toBe(DEFAULT_CONTEXT_TOKENS);
  });
});

describe('contextWindow', () => {
  it('matches the longest known prefix, after any org/ path, case-insensitively', () => {
    expect(contextWindow('gpt-4o-mini@OpenAI')).toBe(128_000);
    expect(contextWindow('gpt-4.1-nano@OpenAI')).toBe(1_047_576);
    expect(contextWindow('gpt-4@OpenAI')).toBe(8192);
    expect(contextWindow('llama3.2:3b@Ollama')).toBe(128_000);
    expect(contextWindow('llama3:8b@Ollama')).toBe(8192);
    expect(contextWindow('Qwen/Qwen2.5-7B-Instruct@OpenAI-API-Compatible')).toBe(32_768);
    expect(contextWindow('mistral:latest@Ollama')).toBe(32_768);
    expect(contextWindow('deepseek-chat@OpenAI-API-Compatible')).toBe(64_000);
    expect(contextWindow('something-new@Ollama')).toBe(8192);
  });

  it('prefers an override by exact id and validates it', () => {
    expect(contextWindow('gpt-4o@OpenAI', { 'gpt-4o@OpenAI': 1000 })).toBe(1000);
    expect(thrown(() => contextWindow('x@Ollama', { 'x@Ollama': 0 })).code).toBe(ErrorCode.Argument);
  });
});

describe('ChatModelRegistry', () => {
  it('caches by canonical id', () => {
    const registry = new ChatModelRegistry({ ollama: { host: 'http://gpu:1234' } });
    const a = registry.resolve('llama3.2@ollama');
    expect(registry.resolve(' llama3.2@Ollama ')).toBe(a);
    expect(registry.resolve('extractive')).toBe(registry.resolve('extractive@Builtin'));
    expect(registry.resolve('llama3.1@Ollama')).not.toBe(a);
  });

  it('checks custom models first, by exact id', async () => {
    const registry = new ChatModelRegistry();
    const mine = custom('my-bot@Custom');
    const shadow = custom('extractive@Builtin');
    registry.register(mine);
    registry.register(shadow);
    expect(registry.resolve('my-bot@Custom')).toBe(mine);
    expect(registry.resolve('extractive@Builtin')).toBe(shadow);
    expect(thrown(() => registry.resolve('my-bot@custom')).message).toMatch(/Unsupported chat model provider "custom"/);
    await registry.close();
    expect(mine.closed).toBe(1);
    expect(registry.resolve('extractive@Builtin')).toBeInstanceOf(ExtractiveChatModel);
  });

  it('validates names at resolve time', () => {
    const registry = new ChatModelRegistry();
    expect(thrown(() => registry.resolve('m@Cohere')).message).toBe(
      'Unsupported chat model provider "Cohere" in "m@Cohere"; use Builtin, Ollama or OpenAI',
    );
    expect(thrown(() => registry.resolve('foo@Builtin')).code).toBe(ErrorCode.Data);
  });
});
