/** A mistake in the command line: the caller prints the usage and exits with code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure the user can fix (port taken, data dir not writable): one clear line, exit code 1. */
export class CliError extends Error {
  override name = 'CliError';
}

export const MAIN_USAGE = `Usage: ragflow <command> [options]

Commands:
  serve                 Run the HTTP API (RAGFlow-compatible, under /api/v1)
  keys create           Create an API key for a tenant (the key is the last line printed)
  keys list             List API keys (id, tenant, first characters, creation time)
  keys revoke <id>      Revoke an API key

Run "ragflow <command> --help" for the options of a command.
`;

export const SERVE_USAGE = `Usage: ragflow serve [options]

Options (each also from the environment variable shown; a flag wins over its variable):
  --port N                 Port to listen on, 0 for any free one   RAGFLOW_PORT (9380)
  --host HOST              Address to bind                         RAGFLOW_HOST (127.0.0.1)
  --data-dir DIR           Where ragflow.db lives (created)        RAGFLOW_DATA_DIR (./data)
  --api-key KEY            Accept KEY for tenant "default"         RAGFLOW_API_KEY
  --embedding-model M      Default model@provider of new datasets  RAGFLOW_EMBEDDING_MODEL (hash@Builtin)
  --llm M                  Default model@provider of new chats     RAGFLOW_LLM (extractive@Builtin)
  --max-upload-mb N        Largest accepted file, in MiB           RAGFLOW_MAX_UPLOAD_MB (128)
  --parse-concurrency N    Documents parsed at the same time       RAGFLOW_PARSE_CONCURRENCY (2)
  --ollama-host URL        Ollama server                           OLLAMA_HOST (http://127.0.0.1:11434)
  --openai-base-url URL    OpenAI-compatible API base URL          OPENAI_BASE_URL
  --openai-api-key KEY     OpenAI-compatible API key               OPENAI_API_KEY
  -h, --help               Show this help

Without --api-key and with no key in the data dir, a key for tenant "default" is created and
printed once. Keys made with "ragflow keys create" work at once, also while the server runs.
`;

export const KEYS_USAGE = `Usage:
  ragflow keys create [--tenant NAME] [--data-dir DIR]   Prints the new key as its last line
  ragflow keys list [--tenant NAME] [--data-dir DIR]
  ragflow keys revoke <id> [--data-dir DIR]

Options:
  --data-dir DIR   Where ragflow.db lives        RAGFLOW_DATA_DIR (./data)
  --tenant NAME    Tenant of the key (create: default "default"; list: only this tenant)
  -h, --help       Show this help
`;
