import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { describeStoreContract, makeDataset, type OpenedStore } from './contract.js';

/** Bump when a migration is appended to src/store/sqlite/migrations.ts. */
const SCHEMA_VERSION = 5;

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ragflow-store-'));
}

describeStoreContract('SqliteStore :memory:', async (): Promise<OpenedStore> => {
  const store = SqliteStore.open({ path: ':memory:' });
  return { store, cleanup: () => store.close() };
});

describeStoreContract('SqliteStore file', async (): Promise<OpenedStore> => {
  const dir = tempDir();
  const path = join(dir, 'store.db');
  const opened: SqliteStore[] = [SqliteStore.open({ path })];
  return {
    store: opened[0] as SqliteStore,
    reopen: async () => {
      const store = SqliteStore.open({ path });
      opened.push(store);
      return store;
    },
    cleanup: async () => {
      for (const store of opened) await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteStore specifics', () => {
  const dirs: string[] = [];
  const stores: SqliteStore[] = [];
  const newPath = (): string => {
    const dir = tempDir();
    dirs.push(dir);
    return join(dir, 'sub.db');
  };
  const open = (path: string): SqliteStore => {
    const store = SqliteStore.open({ path });
    stores.push(store);
    return store;
  };

  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('creates the database file when opening', () => {
    const path = newPath();
    expect(existsSync(path)).toBe(false);
    open(path);
    expect(existsSync(path)).toBe(true);
  });

  it('uses WAL on files and enforces foreign keys', () => {
    const file = open(newPath());
    expect(file.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(file.db.pragma('foreign_keys', { simple: true })).toBe(1);
    const memory = open(':memory:');
    expect(memory.db.pragma('journal_mode', { simple: true })).toBe('memory');
    expect(memory.db.pragma('foreign_keys', { simple: true })).toBe(1);
    // a document of an unknown dataset is refused by the foreign key
    expect(() =>
      memory.db
        .prepare(
          `insert into documents (id, tenant_id, dataset_id, name, type, size, chunk_method, parser_config, create_time, update_time)
           values ('d', 't', 'no-such-dataset', 'n', 'txt', 0, 'naive', '{}', 0, 0)`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
  });

  it('records the number of migrations in user_version', () => {
    const path = newPath();
    const store = open(path);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    // the store's own idea of how many migrations it has agrees (read from its refusal message)
    store.db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    void store.close();
    expect(() => SqliteStore.open({ path })).toThrow(new RegExp(`knows ${SCHEMA_VERSION}\\b`));
  });

  it('does not re-run migrations when reopening an existing file', async () => {
    const path = newPath();
    const first = open(path);
    const dataset = makeDataset();
    await first.insertDataset(dataset);
    const schema = first.db.prepare(`select type, name, sql from sqlite_master order by name`).all();
    await first.close();

    const second = open(path);
    expect(second.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(second.db.prepare(`select type, name, sql from sqlite_master order by name`).all()).toEqual(schema);
    expect(await second.getDataset(dataset.tenantId, dataset.id)).toEqual(dataset);
    await second.close();

    // a file claiming the current version is trusted as is: nothing is created in it
    const bare = newPath();
    const raw = new BetterSqlite3(bare);
    raw.pragma(`user_version = ${SCHEMA_VERSION}`);
    raw.close();
    const trusted = open(bare);
    expect(trusted.db.prepare(`select count(*) as n from sqlite_master where name = 'datasets'`).get()).toEqual({ n: 0 });
  });

  it('refuses a database written by a newer version, with a clear error, leaving it untouched', () => {
    const path = newPath();
    const raw = new BetterSqlite3(path);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => SqliteStore.open({ path })).toThrow(/newer ragflow-ts \(schema 99, this version knows \d+\)/);
    const check = new BetterSqlite3(path);
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(99);
      expect(check.prepare(`select count(*) as n from sqlite_master where type = 'table'`).get()).toEqual({ n: 0 });
    } finally {
      check.close();
    }
  });

  it('upgrades an empty file from version 0', () => {
    const path = newPath();
    new BetterSqlite3(path).close();
    const store = open(path);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const tables = (store.db.prepare(`select name from sqlite_master where type = 'table'`).all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['datasets', 'documents', 'files', 'chunks', 'chunk_fts', 'chunk_terms']));
  });
});
