import type { RequestListener, Server } from 'node:http';
import type { RagFlow, RagFlowOptions } from '../../src/index.js';
import { createApp } from './app.js';
import { authenticator, DEFAULT_TENANT } from './auth.js';
import { prepareDataDir } from './data-dir.js';
import { listen, urlOf } from './listen.js';
import { openForServe } from './open.js';
import type { ServeOptions } from './options.js';
import { stopSignals } from './signals.js';

export interface ServeIO {
  /** Lifecycle lines: the listening line, a created key. */
  out(line: string): void;
  /** The request log and shutdown messages. */
  err(line: string): void;
}

/** How long requests in flight may finish after a signal before their connections are cut. */
const GRACE_MS = 3000;

function ragOptions(options: ServeOptions, path: string): RagFlowOptions {
  const providers: NonNullable<RagFlowOptions['providers']> = {};
  if (options.ollamaHost !== undefined) providers.ollama = { host: options.ollamaHost };
  if (options.openaiBaseURL !== undefined || options.openaiApiKey !== undefined) {
    providers.openai = {
      ...(options.openaiBaseURL !== undefined && { baseURL: options.openaiBaseURL }),
      ...(options.openaiApiKey !== undefined && { apiKey: options.openaiApiKey }),
    };
  }
  return {
    path,
    providers,
    maxUploadBytes: options.maxUploadBytes,
    ...(options.embeddingModel !== undefined && { embeddingModel: options.embeddingModel }),
    ...(options.llm !== undefined && { chatModel: options.llm }),
    ...(options.parseConcurrency !== undefined && { parseConcurrency: options.parseConcurrency }),
  };
}

/** No key given and none stored: make one for tenant "default" and show it once. */
async function ensureSomeKey(rag: RagFlow, options: ServeOptions, io: ServeIO): Promise<void> {
  if (options.apiKey !== undefined) return;
  if ((await rag.apiKeys.list()).length > 0) return;
  const { key } = await rag.apiKeys.create(DEFAULT_TENANT);
  const rule = '='.repeat(72);
  io.out(rule);
  io.out(`Created an API key for tenant "${DEFAULT_TENANT}" (the data dir had none). It is shown only once:`);
  io.out('');
  io.out(`    ${key}`);
  io.out('');
  io.out(`Send it as "Authorization: Bearer <key>". More keys: ragflow keys create --data-dir ${options.dataDir}`);
  io.out(rule);
}

/**
 * Runs the server until SIGTERM or SIGINT; resolves with the exit code once everything is closed.
 * The port is taken before the database is opened, so a second server on a busy port never
 * touches the parses of the first one.
 */
export async function runServe(options: ServeOptions, io: ServeIO): Promise<number> {
  const stop = stopSignals((signal) => {
    io.err(`${signal} again: exiting without waiting`);
    process.exit(1);
  });
  let stopping = false;
  void stop.requested.then(() => (stopping = true));
  const path = prepareDataDir(options.dataDir);
  const server = await listen(options.host, options.port);
  // Requests that arrive while the database opens wait for the app instead of hanging.
  let ready!: (app: RequestListener) => void;
  const appReady = new Promise<RequestListener>((resolve) => (ready = resolve));
  server.on('request', (req, res) => void appReady.then((app) => app(req, res)));
  let rag: RagFlow;
  try {
    rag = await openForServe(ragOptions(options, path));
  } catch (error) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    throw error;
  }
  const opened = rag;
  await ensureSomeKey(opened, options, io);
  const app = createApp(opened, {
    maxUploadBytes: options.maxUploadBytes,
    authenticate: authenticator(opened, options.apiKey),
    log: io.err,
    closing: () => stopping,
  });
  ready(app);
  if (!stopping) io.out(`ragflow listening on ${urlOf(server)}`);

  const signal = await stop.requested;
  io.err(`${signal} received: shutting down`);
  await closeServer(server);
  try {
    // Cancels running parses without marking them: the next start re-queues them.
    await opened.close();
  } catch (error) {
    io.err(`Error while closing the knowledge base: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  io.err('ragflow stopped');
  return 0;
}

/** Stops accepting, drops idle keep-alive connections, and cuts the busy ones after a grace period. */
async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const cut = setTimeout(() => server.closeAllConnections(), GRACE_MS);
  await closed;
  clearTimeout(cut);
}
