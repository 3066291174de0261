import { ErrorCode, RagFlowError } from '../errors.js';
import { importOptional } from '../util/optional-import.js';
import type { EmbeddingProviderSettings } from './types.js';

/**
 * Loads transformers.js feature-extraction pipelines, once per model per process, shared by every
 * EmbeddingModel instance that names the same model: a loaded model can take hundreds of MB.
 *
 * The package is described by local structural types rather than its own declarations, so the
 * published .d.ts files do not depend on an optional package and v3 and v4 both fit.
 */

export interface Tensor {
  readonly dims: readonly number[];
  readonly data: ArrayLike<number | bigint>;
}

export interface FeatureExtractor {
  (texts: string[], options: { pooling: 'mean'; normalize: boolean }): Promise<Tensor>;
  tokenizer?: (texts: string[], options: { padding: boolean; truncation: boolean }) => { attention_mask?: Tensor };
  dispose?(): Promise<void>;
}

interface TransformersEnv {
  localModelPath: string;
  cacheDir: string | null;
  allowRemoteModels: boolean;
}

interface TransformersModule {
  env: TransformersEnv;
  pipeline(task: 'feature-extraction', model: string, options: { dtype: string }): Promise<FeatureExtractor>;
}

export type TransformersSettings = NonNullable<EmbeddingProviderSettings['transformers']>;

export const PACKAGE = '@huggingface/transformers';
const DEFAULT_DTYPE = 'fp32';

export interface ExtractorLease {
  readonly extractor: Promise<FeatureExtractor>;
  /** Drops this holder's claim; the pipeline is disposed when the last holder lets go. Idempotent. */
  release(): Promise<void>;
}

interface Entry {
  extractor: Promise<FeatureExtractor>;
  holders: number;
}

const entries = new Map<string, Entry>();
// `env` is one global object, read while a pipeline loads; loads run one at a time so that two
// models configured differently cannot see each other's settings.
let loadQueue: Promise<unknown> = Promise.resolve();

export function acquireExtractor(modelId: string, settings: TransformersSettings = {}): ExtractorLease {
  const dtype = settings.dtype ?? DEFAULT_DTYPE;
  // The same id under another folder or precision is a different set of weights.
  const key = JSON.stringify([modelId, dtype, settings.localModelPath ?? null]);
  let entry = entries.get(key);
  if (!entry) {
    const created: Entry = { extractor: loadExclusively(modelId, dtype, settings), holders: 0 };
    // A failed load must not stick: the user may fix the setup and retry in the same process.
    created.extractor.catch(() => {
      if (entries.get(key) === created) entries.delete(key);
    });
    entries.set(key, created);
    entry = created;
  }
  const held = entry;
  held.holders += 1;
  let released = false;
  return {
    extractor: held.extractor,
    release: async () => {
      if (released) return;
      released = true;
      held.holders -= 1;
      if (held.holders > 0) return;
      if (entries.get(key) === held) entries.delete(key);
      const extractor = await held.extractor.catch(() => undefined);
      await extractor?.dispose?.();
    },
  };
}

function loadExclusively(modelId: string, dtype: string, settings: TransformersSettings): Promise<FeatureExtractor> {
  const run = loadQueue.then(() => load(modelId, dtype, settings));
  loadQueue = run.catch(() => undefined);
  return run;
}

async function load(modelId: string, dtype: string, settings: TransformersSettings): Promise<FeatureExtractor> {
  const lib = await importOptional<TransformersModule & { default?: TransformersModule }>(
    PACKAGE,
    `Embedding model "${modelId}@Builtin"`,
  );
  // CJS interop can leave the exports on `.default` only.
  const { env, pipeline } = typeof lib.pipeline === 'function' ? lib : (lib.default ?? lib);
  const saved: TransformersEnv = {
    localModelPath: env.localModelPath,
    cacheDir: env.cacheDir,
    allowRemoteModels: env.allowRemoteModels,
  };
  if (settings.localModelPath !== undefined) env.localModelPath = settings.localModelPath;
  if (settings.cacheDir !== undefined) env.cacheDir = settings.cacheDir;
  if (settings.allowRemoteModels !== undefined) env.allowRemoteModels = settings.allowRemoteModels;
  try {
    return await pipeline('feature-extraction', modelId, { dtype });
  } catch (error) {
    throw loadError(modelId, settings, error);
  } finally {
    // Leave the host application's own transformers.js configuration as we found it.
    Object.assign(env, saved);
  }
}

function loadError(modelId: string, settings: TransformersSettings, error: unknown): RagFlowError {
  const reason = error instanceof Error ? error.message : String(error);
  const where = settings.localModelPath ? `${settings.localModelPath.replace(/[\\/]+$/, '')}/${modelId}/` : `<localModelPath>/${modelId}/`;
  return new RagFlowError(
    ErrorCode.Data,
    `Embedding model "${modelId}" could not be loaded: ${reason}. It is downloaded from the Hugging Face Hub on first use; ` +
      `offline, put a copy under localModelPath (${where}: config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx) ` +
      'and set allowRemoteModels: false.',
    { cause: error },
  );
}
