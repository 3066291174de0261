import { readFileSync } from 'node:fs';
import { cpus, release, totalmem, type as osType } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/index.js';
import { REPO_ROOT } from './data.js';

export interface MachineInfo {
  cpu: string;
  cores: number;
  ramGiB: number;
  os: string;
  node: string;
  sqlite: string;
  sqliteVec: string;
  packages: Record<string, string>;
}

function packageVersion(name: string): string {
  try {
    const json = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {
      version?: string;
    };
    return json.version ?? '?';
  } catch {
    return 'not installed';
  }
}

export function machineInfo(): MachineInfo {
  const store = SqliteStore.open({ path: ':memory:' });
  let sqlite = '?';
  let sqliteVec = '?';
  try {
    const row = store.db.prepare('select sqlite_version() as s, vec_version() as v').get() as { s: string; v: string };
    sqlite = row.s;
    sqliteVec = row.v;
  } finally {
    store.db.close();
  }
  const cpuList = cpus();
  return {
    cpu: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    ramGiB: totalmem() / 1024 ** 3,
    os: `${osType()} ${release()}`,
    node: process.version,
    sqlite,
    sqliteVec,
    packages: Object.fromEntries(
      ['better-sqlite3', 'sqlite-vec', 'pdfjs-dist', 'gpt-tokenizer', 'stemmer'].map((name) => [name, packageVersion(name)]),
    ),
  };
}

/** How this run was started, as a user would type it. */
export function commandLine(): string {
  const args = process.argv.slice(2).join(' ');
  if (process.env['npm_lifecycle_event'] === 'bench') return `npm run bench${args ? ` -- ${args}` : ''}`;
  return `tsx bench/run.ts${args ? ` ${args}` : ''}`;
}
