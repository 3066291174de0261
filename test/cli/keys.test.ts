import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEY_PATTERN, runCli, tempDir } from './helpers.js';

const lastLine = (text: string): string => text.trimEnd().split('\n').at(-1) ?? '';

describe('ragflow keys', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('create prints the key as the last line, creates the data dir, and list shows it by tenant', async () => {
    const dataDir = join(dir, 'nested', 'data');
    const created = await runCli(['keys', 'create', '--data-dir', dataDir, '--tenant', 'acme']);
    expect(created.code).toBe(0);
    const key = lastLine(created.stdout);
    expect(key).toMatch(new RegExp(`^${KEY_PATTERN.source}$`));
    expect(existsSync(join(dataDir, 'ragflow.db'))).toBe(true);

    const other = await runCli(['keys', 'create', '--tenant', 'globex'], { RAGFLOW_DATA_DIR: dataDir });
    expect(other.code).toBe(0);
    expect(lastLine(other.stdout)).not.toBe(key);

    const list = await runCli(['keys', 'list', '--data-dir', dataDir]);
    expect(list.code).toBe(0);
    const lines = list.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+TENANT\s+KEY\s+CREATED$/);
    expect(lines).toHaveLength(3);
    const acme = lines.find((line) => line.includes(' acme '));
    expect(acme).toContain(`${key.slice(0, 14)}...`);
    expect(list.stdout).not.toContain(key);

    const onlyGlobex = await runCli(['keys', 'list', '--data-dir', dataDir, '--tenant', 'globex']);
    expect(onlyGlobex.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(onlyGlobex.stdout).toContain('globex');
    expect(onlyGlobex.stdout).not.toContain('acme');
  });

  it('tenant defaults to "default"', async () => {
    const created = await runCli(['keys', 'create', '--data-dir', dir]);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('tenant "default"');
    const list = await runCli(['keys', 'list', '--data-dir', dir]);
    expect(list.stdout).toMatch(/\sdefault\s/);
  });

  it('revoke removes the key by id (positional or --id); an unknown id fails with exit 1', async () => {
    await runCli(['keys', 'create', '--data-dir', dir, '--tenant', 'a']);
    await runCli(['keys', 'create', '--data-dir', dir, '--tenant', 'b']);
    const ids = (await runCli(['keys', 'list', '--data-dir', dir])).stdout
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((line) => line.split(/\s+/)[0] ?? '');
    expect(ids).toHaveLength(2);
    const [first, second] = ids as [string, string];

    const revoked = await runCli(['keys', 'revoke', first, '--data-dir', dir]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`Revoked API key ${first}`);
    expect((await runCli(['keys', 'list', '--data-dir', dir])).stdout).not.toContain(first);

    expect((await runCli(['keys', 'revoke', '--id', second, '--data-dir', dir])).code).toBe(0);
    expect((await runCli(['keys', 'list', '--data-dir', dir])).stdout.trim()).toBe('No API keys.');

    const again = await runCli(['keys', 'revoke', first, '--data-dir', dir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`API key not found: ${first}`);
  });

  it('list and revoke on a data dir without a database fail clearly and create nothing', async () => {
    const missing = join(dir, 'missing');
    const list = await runCli(['keys', 'list', '--data-dir', missing]);
    expect(list.code).toBe(1);
    expect(list.stderr).toMatch(/No knowledge base at .*ragflow\.db/);
    expect(existsSync(missing)).toBe(false);
  });

  it('create under a file is refused with a clear message', async () => {
    const r = await runCli(['keys', 'create', '--data-dir', join(import.meta.filename, 'data')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Data dir .* cannot be created: a part of the path is a file/);
  });
});
