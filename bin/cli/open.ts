import { RagFlow, SqliteStore, type RagFlowOptions, type Store } from '../../src/index.js';
import { CliError } from './usage.js';

/**
 * Opens the knowledge base only to manage keys. open() would re-queue the parses it finds RUNNING,
 * and those may belong to a server running on the same file at this moment: this store reports
 * none, so a `keys` command never touches documents.
 */
export async function openForKeys(path: string): Promise<RagFlow> {
  let store: SqliteStore;
  try {
    store = SqliteStore.open({ path });
  } catch (error) {
    throw new CliError(`Could not open ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const keysOnly = new Proxy(store as Store, {
    get(target, property) {
      if (property === 'documentsWithRun') return async () => [];
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return RagFlow.open({ store: keysOnly });
}

/** Opens the server's knowledge base; a failure becomes one clear line. */
export async function openForServe(options: RagFlowOptions): Promise<RagFlow> {
  try {
    return await RagFlow.open(options);
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
}
