import { flagOrEnv, parseCommandLine } from './args.js';
import { KEYS_USAGE, SERVE_USAGE, UsageError } from './usage.js';

export interface ServeOptions {
  port: number;
  host: string;
  dataDir: string;
  apiKey?: string;
  embeddingModel?: string;
  llm?: string;
  maxUploadBytes: number;
  parseConcurrency?: number;
  ollamaHost?: string;
  openaiBaseURL?: string;
  openaiApiKey?: string;
}

export const DEFAULT_DATA_DIR = './data';
const MIB = 1024 * 1024;

const SERVE_FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'data-dir': { type: 'string' },
  'api-key': { type: 'string' },
  'embedding-model': { type: 'string' },
  llm: { type: 'string' },
  'max-upload-mb': { type: 'string' },
  'parse-concurrency': { type: 'string' },
  'ollama-host': { type: 'string' },
  'openai-base-url': { type: 'string' },
  'openai-api-key': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** undefined when --help was asked for. */
export function parseServeOptions(args: readonly string[], env: NodeJS.ProcessEnv): ServeOptions | undefined {
  const { values } = parseCommandLine(args, SERVE_FLAGS, SERVE_USAGE);
  if (values['help'] === true) return undefined;
  const get = (flag: string, variable: string) => flagOrEnv(values, flag, env, variable);
  const number = (flag: string, variable: string, check: (n: number) => boolean, what: string): number | undefined => {
    const text = get(flag, variable);
    if (text === undefined) return undefined;
    const n = Number(text.trim());
    if (text.trim() === '' || !Number.isFinite(n) || !check(n)) {
      throw new UsageError(`--${flag} (or ${variable}) must be ${what}, got "${text}"`, SERVE_USAGE);
    }
    return n;
  };
  const port = number('port', 'RAGFLOW_PORT', (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'a port number 0-65535');
  const uploadMb = number('max-upload-mb', 'RAGFLOW_MAX_UPLOAD_MB', (n) => n > 0, 'a positive number of MiB');
  const concurrency = number(
    'parse-concurrency',
    'RAGFLOW_PARSE_CONCURRENCY',
    (n) => Number.isInteger(n) && n >= 1 && n <= 64,
    'an integer 1-64',
  );
  const apiKey = get('api-key', 'RAGFLOW_API_KEY');
  const optional = {
    apiKey,
    embeddingModel: get('embedding-model', 'RAGFLOW_EMBEDDING_MODEL'),
    llm: get('llm', 'RAGFLOW_LLM'),
    parseConcurrency: concurrency,
    ollamaHost: get('ollama-host', 'OLLAMA_HOST'),
    openaiBaseURL: get('openai-base-url', 'OPENAI_BASE_URL'),
    openaiApiKey: get('openai-api-key', 'OPENAI_API_KEY'),
  };
  if (apiKey !== undefined && apiKey.trim() === '') throw new UsageError('--api-key must not be blank', SERVE_USAGE);
  const options: ServeOptions = {
    port: port ?? 9380,
    host: get('host', 'RAGFLOW_HOST') ?? '127.0.0.1',
    dataDir: get('data-dir', 'RAGFLOW_DATA_DIR') ?? DEFAULT_DATA_DIR,
    maxUploadBytes: Math.max(1, Math.floor((uploadMb ?? 128) * MIB)),
  };
  for (const [name, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(options, { [name]: value });
  }
  return options;
}

export type KeysCommand =
  | { action: 'create'; dataDir: string; tenant: string }
  | { action: 'list'; dataDir: string; tenant?: string }
  | { action: 'revoke'; dataDir: string; id: string };

const KEYS_FLAGS = {
  'data-dir': { type: 'string' },
  tenant: { type: 'string' },
  id: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** undefined when --help was asked for. */
export function parseKeysCommand(args: readonly string[], env: NodeJS.ProcessEnv): KeysCommand | undefined {
  const [action, ...rest] = args;
  if (action === undefined || action === '--help' || action === '-h') {
    if (action === undefined) throw new UsageError('Missing keys action: create, list or revoke', KEYS_USAGE);
    return undefined;
  }
  const { values, positionals } = parseCommandLine(rest, KEYS_FLAGS, KEYS_USAGE, action === 'revoke' ? 1 : 0);
  if (values['help'] === true) return undefined;
  const dataDir = flagOrEnv(values, 'data-dir', env, 'RAGFLOW_DATA_DIR') ?? DEFAULT_DATA_DIR;
  const tenant = typeof values['tenant'] === 'string' ? values['tenant'] : undefined;
  if (tenant !== undefined && tenant.trim() === '') throw new UsageError('--tenant must not be blank', KEYS_USAGE);
  if (action !== 'revoke' && typeof values['id'] === 'string') {
    throw new UsageError(`--id is only for "keys revoke"`, KEYS_USAGE);
  }
  switch (action) {
    case 'create':
      return { action, dataDir, tenant: tenant ?? 'default' };
    case 'list':
      return tenant === undefined ? { action, dataDir } : { action, dataDir, tenant };
    case 'revoke': {
      if (tenant !== undefined) throw new UsageError('--tenant is not used by "keys revoke"', KEYS_USAGE);
      const id = positionals[0] ?? (typeof values['id'] === 'string' ? values['id'] : undefined);
      if (id === undefined || id.trim() === '') throw new UsageError('Missing the id of the key to revoke', KEYS_USAGE);
      return { action, dataDir, id };
    }
    default:
      throw new UsageError(`Unknown keys action: ${action}`, KEYS_USAGE);
  }
}
