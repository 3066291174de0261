import type { RagFlow } from '../../src/index.js';
import { existingDatabase, prepareDataDir } from './data-dir.js';
import { openForKeys } from './open.js';
import type { KeysCommand } from './options.js';
import { CliError } from './usage.js';

export interface Output {
  out(line: string): void;
}

/** `ragflow keys create|list|revoke`: a short-lived process on the same database as the server. */
export async function runKeys(command: KeysCommand, output: Output): Promise<void> {
  const path = command.action === 'create' ? prepareDataDir(command.dataDir) : existingDatabase(command.dataDir);
  const rag = await openForKeys(path);
  try {
    await perform(rag, command, output);
  } finally {
    await rag.close();
  }
}

async function perform(rag: RagFlow, command: KeysCommand, output: Output): Promise<void> {
  switch (command.action) {
    case 'create': {
      const { key, info } = await rag.apiKeys.create(command.tenant);
      output.out(`Created API key ${info.id} for tenant "${info.tenantId}". It is shown only this once:`);
      output.out(key);
      return;
    }
    case 'list': {
      const keys = await rag.apiKeys.list(command.tenant);
      if (keys.length === 0) {
        output.out(command.tenant === undefined ? 'No API keys.' : `No API keys for tenant "${command.tenant}".`);
        return;
      }
      const rows = keys.map((k) => [k.id, k.tenantId, `${k.hint}...`, new Date(k.createTime).toISOString()]);
      const table = [['ID', 'TENANT', 'KEY', 'CREATED'], ...rows];
      const widths = [0, 1, 2].map((i) => Math.max(...table.map((row) => (row[i] ?? '').length)));
      for (const row of table) {
        output.out(row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i] ?? 0) : cell)).join('  '));
      }
      return;
    }
    case 'revoke': {
      try {
        await rag.apiKeys.revoke(command.id);
      } catch (error) {
        throw new CliError(error instanceof Error ? error.message : String(error));
      }
      output.out(`Revoked API key ${command.id}.`);
      return;
    }
  }
}
