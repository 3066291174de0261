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
  eval                  Score retrieval on judged queries (nDCG@10, Recall@k, MRR@10); can import BEIR data

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

export const EVAL_USAGE = `Usage:
  ragflow eval --dataset NAME --queries FILE --qrels FILE [--k N] [--data-dir DIR]
  ragflow eval --beir DIR [--split test] [--chunk-token-num 512] [--dataset NAME] [--k N] [--data-dir DIR]

Options:
  --data-dir DIR   Where ragflow.db lives                RAGFLOW_DATA_DIR (./data)
  --dataset NAME   Dataset to search (default with --beir: the folder name)
  --queries FILE   JSON lines: {"_id", "text"} (BEIR) or {"id", "question"}
  --qrels FILE     query-id, corpus-id, score: tab separated (BEIR, header allowed) or TREC's 4 columns;
                   corpus-id is a document id, name, or name without extension; score > 0 is relevant
  --k N            Documents ranked per query, the cutoff of Recall@k (default 100)
  --beir DIR       Import DIR/corpus.jsonl first (one document "<_id>.txt" = title + text per entry)
                   unless the dataset already holds it; queries and qrels default to
                   DIR/queries.jsonl and DIR/qrels/<split>.tsv
  --split NAME     BEIR qrels split (default test)
  --chunk-token-num N
                   Chunk budget of a dataset created by --beir (default 512, RAGFlow's current
                   default: BEIR entries are the judged units, so most stay whole)
  -h, --help       Show this help

Only the queries with judgments are run; the means count those with at least one relevant
document. Metrics follow trec_eval (linear-gain nDCG, ties by doc id descending, a document named
like its query is dropped); a document scores as its best chunk. Progress goes to stderr.
`;
