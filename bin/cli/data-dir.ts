import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError } from './usage.js';

export const DB_FILE = 'ragflow.db';

const reasonOf = (error: unknown): string => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOTDIR') return 'a part of the path is a file, not a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'read-only file system';
  return error instanceof Error ? error.message : String(error);
};

/**
 * Creates the data dir if missing and proves it writable by writing a probe file (access() alone
 * says yes to root on a read-only mount). Returns the path of the database file in it.
 */
export function prepareDataDir(dir: string): string {
  const absolute = resolve(dir);
  try {
    mkdirSync(absolute, { recursive: true });
  } catch (error) {
    throw new CliError(`Data dir ${absolute} cannot be created: ${reasonOf(error)}`);
  }
  if (!statSync(absolute).isDirectory()) throw new CliError(`Data dir ${absolute} is not a directory`);
  const probe = join(absolute, `.ragflow-write-test-${process.pid}`);
  try {
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (error) {
    throw new CliError(`Data dir ${absolute} is not writable: ${reasonOf(error)}`);
  }
  const db = join(absolute, DB_FILE);
  if (existsSync(db) && statSync(db).isDirectory()) throw new CliError(`${db} is a directory, not a database file`);
  return db;
}

/** The database of an existing data dir, for commands that only read or change keys. */
export function existingDatabase(dir: string): string {
  const db = join(resolve(dir), DB_FILE);
  if (!existsSync(db)) throw new CliError(`No knowledge base at ${db} (run "ragflow serve" or "ragflow keys create" first)`);
  return db;
}
