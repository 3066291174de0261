import { describe, expect, it } from 'vitest';
import { ErrorCode, RagFlowError } from '../../src/errors.js';
import { HashEmbeddingModel } from '../../src/embed/hash.js';
import { parseModelName } from '../../src/embed/model-name.js';
import { OllamaEmbeddingModel } from '../../src/embed/ollama.js';
import { OpenAIEmbeddingModel } from '../../src/embed/openai.js';
import { EmbeddingRegistry, resolveEmbeddingModel } from '../../src/embed/registry.js';
import { TransformersEmbeddingModel } from '../../src/embed/transformers.js';
import type { EmbeddingModel } from '../../src/embed/types.js';

const thrown = (fn: () => unknown): RagFlowError => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(RagFlowError);
    return error as RagFlowError;
  }
  throw new Error('expected a throw');
};

describe('parseModelName', () => {
  it('splits model@provider at the last @ and canonicalises the provider', () => {
    expect(parseModelName('BAAI/bge-small-en-v1.5@builtin')).toEqual({
      model: 'BAAI/bge-small-en-v1.5',
      provider: 'Builtin',
      id: 'BAAI/bge-small-en-v1.5@Builtin',
    });
    expect(parseModelName('nomic-embed-text:latest@OLLAMA').id).toBe('nomic-embed-text:latest@Ollama');
    expect(parseModelName('team@v2@openai')).toMatchObject({ model: 'team@v2', provider: 'OpenAI' });
    expect(parseModelName(' bge-m3@openai-api-compatible ').id).toBe('bge-m3@OpenAI-API-Compatible');
  });

  it('gives a bare name the default provider', () => {
    expect(parseModelName('hash').id).toBe('hash@Builtin');
    expect(parseModelName('nomic-embed-text', 'ollama').id).toBe('nomic-embed-text@Ollama');
  });

  it('rejects empty and malformed names as argument errors', () => {
    for (const name of ['', '   ', '@Builtin', 'model@', ' @ ']) {
      const error = thrown(() => parseModelName(name));
      expect(error.code).toBe(ErrorCode.Argument);
    }
    expect(thrown(() => parseModelName('model@')).message).toMatch(/Malformed embedding model name "model@"/);
  });

  it('rejects an unknown provider as a data error naming it', () => {
    const error = thrown(() => parseModelName('m@Cohere'));
    expect(error.code).toBe(ErrorCode.Data);
    expect(error.message).toBe('Unsupported embedding model provider "Cohere" in "m@Cohere"; use Builtin, Ollama or OpenAI');
  });
});

describe('resolveEmbeddingModel', () => {
  it('maps each provider to its implementation', () => {
    expect(resolveEmbeddingModel('hash@Builtin')).toBeInstanceOf(HashEmbeddingModel);
    expect(resolveEmbeddingModel('hash')).toBeInstanceOf(HashEmbeddingModel);
    expect(resolveEmbeddingModel('HASH@BUILTIN')).toBeInstanceOf(HashEmbeddingModel);
    expect(resolveEmbeddingModel('BAAI/bge-small-en-v1.5@Builtin')).toBeInstanceOf(TransformersEmbeddingModel);
    expect(resolveEmbeddingModel('nomic-embed-text@ollama')).toBeInstanceOf(OllamaEmbeddingModel);
    expect(resolveEmbeddingModel('text-embedding-3-small@OpenAI')).toBeInstanceOf(OpenAIEmbeddingModel);
    expect(resolveEmbeddingModel('bge-m3@OpenAI-API-Compatible')).toBeInstanceOf(OpenAIEmbeddingModel);
  });

  it('uses the configured default provider for bare names', () => {
    const model = resolveEmbeddingModel('nomic-embed-text', {}, { defaultProvider: 'Ollama' });
    expect(model).toBeInstanceOf(OllamaEmbeddingModel);
    expect(model.id).toBe('nomic-embed-text@Ollama');
  });

  it('passes provider settings through', () => {
    const ollama = resolveEmbeddingModel('m@Ollama', { ollama: { host: 'http://10.0.0.2:1234' } }) as OllamaEmbeddingModel;
    expect(ollama.host).toBe('http://10.0.0.2:1234');
    const openai = resolveEmbeddingModel('m@OpenAI', { openai: { baseURL: 'http://127.0.0.1:1/v1', apiKey: 'k' } });
    expect((openai as OpenAIEmbeddingModel).baseURL).toBe('http://127.0.0.1:1/v1');
    expect(openai.id).toBe('m@OpenAI');
  });

  it('is synchronous and loads nothing: an absent model resolves, and fails only when used', async () => {
    const model = resolveEmbeddingModel('nobody/absent-model@Builtin', {
      transformers: { allowRemoteModels: false, localModelPath: '/nonexistent' },
    });
    expect(model.dimensions).toBeUndefined();
    await expect(model.embed(['x'])).rejects.toThrow(/could not be loaded/);
  });

  it('rejects unknown providers at resolve time', () => {
    expect(thrown(() => resolveEmbeddingModel('text-embedding-004@Gemini')).code).toBe(ErrorCode.Data);
  });
});

describe('EmbeddingRegistry', () => {
  it('returns one instance per canonical name', () => {
    const registry = new EmbeddingRegistry({ ollama: { host: 'http://127.0.0.1:1' } });
    expect(registry.resolve('hash@Builtin')).toBe(registry.resolve('hash'));
    expect(registry.resolve('nomic-embed-text@Ollama')).toBe(registry.resolve('nomic-embed-text@ollama'));
    expect(registry.resolve('a@Ollama')).not.toBe(registry.resolve('b@Ollama'));
    expect(new EmbeddingRegistry().resolve('hash')).not.toBe(registry.resolve('hash'));
  });

  it('honours its default provider', () => {
    const registry = new EmbeddingRegistry({}, { defaultProvider: 'OpenAI' });
    expect(registry.resolve('text-embedding-3-small').id).toBe('text-embedding-3-small@OpenAI');
  });

  it('closes every model it handed out, then starts afresh', async () => {
    const registry = new EmbeddingRegistry();
    const closed: string[] = [];
    const first = registry.resolve('hash');
    const tracked = registry.resolve('x@Ollama') as EmbeddingModel & { close(): Promise<void> };
    tracked.close = async () => {
      closed.push(tracked.id);
    };
    await registry.close();
    expect(closed).toEqual(['x@Ollama']);
    expect(registry.resolve('hash')).not.toBe(first);
  });
});
