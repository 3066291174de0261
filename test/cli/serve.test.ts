import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KEY_PATTERN, runCli, startServer, tempDir, waitUntil, type RunningServer } from './helpers.js';

describe('ragflow serve', () => {
  let dir: string;
  let cleanup: () => void;
  const servers: RunningServer[] = [];
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop('SIGKILL')));
    cleanup();
  });
  const start = async (args: readonly string[], env: Record<string, string> = {}) => {
    const server = await startServer(args, env);
    servers.push(server);
    return server;
  };

  it('prints exactly one listening line, answers unknown routes with a JSON 404 and logs each request', async () => {
    const server = await start(['--port', '0', '--data-dir', dir, '--api-key', 'secret-key']);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.stdout().match(/ragflow listening on/g)).toHaveLength(1);

    const response = await fetch(`${server.url}/nowhere/at/all?token=abc`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await response.json()) as { code: number; message: string };
    expect(body.code).toBe(404);
    expect(body.message).toContain('/nowhere/at/all');

    const post = await fetch(`${server.url}/other`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(404);

    await waitUntil(() => /^POST \/other 404 \d+ms$/m.test(server.stderr()), 'the POST log line');
    expect(server.stderr()).toMatch(/^GET \/nowhere\/at\/all 404 \d+ms$/m);
    expect(server.stderr()).not.toContain('token=abc');
  });

  it('creates and prints a key on first start without one, and not again on the next start', async () => {
    const first = await start(['--port', '0', '--data-dir', dir]);
    const key = KEY_PATTERN.exec(first.stdout())?.[0];
    expect(key).toBeDefined();
    expect(first.stdout()).toContain('tenant "default"');
    expect((await first.stop()).code).toBe(0);

    const list = await runCli(['keys', 'list', '--data-dir', dir]);
    const rows = list.stdout.trimEnd().split('\n').slice(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/\sdefault\s/);
    expect(rows[0]).toContain(`${key?.slice(0, 14)}...`);

    const second = await start(['--port', '0', '--data-dir', dir]);
    expect(second.stdout()).not.toMatch(KEY_PATTERN);
    expect((await second.stop()).code).toBe(0);
  });

  it('with --api-key stores no key of its own', async () => {
    const server = await start(['--port', '0', '--data-dir', dir, '--api-key', 'my-own-key']);
    expect(server.stdout()).not.toMatch(KEY_PATTERN);
    expect((await server.stop()).code).toBe(0);
    expect((await runCli(['keys', 'list', '--data-dir', dir])).stdout.trim()).toBe('No API keys.');
  });

  it('takes its settings from the environment, and a flag wins over its variable', async () => {
    const dataDir = join(dir, 'from-env');
    const server = await start(['--port', '0'], {
      RAGFLOW_PORT: 'not-a-port',
      RAGFLOW_DATA_DIR: dataDir,
      RAGFLOW_API_KEY: 'env-key',
      RAGFLOW_HOST: '127.0.0.1',
    });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(existsSync(join(dataDir, 'ragflow.db'))).toBe(true);
    expect(server.stdout()).not.toMatch(KEY_PATTERN);
  });

  it('refuses an unknown default model with a clear message', async () => {
    const r = await runCli(['serve', '--port', '0', '--data-dir', dir, '--embedding-model', 'nope@Nowhere']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ragflow: .*nope@Nowhere/m);
    expect(r.stdout).not.toContain('listening');
  });

  describe('when the port is taken', () => {
    let blocker: Server;
    beforeEach(async () => {
      blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    });
    afterEach(async () => new Promise<void>((resolve) => blocker.close(() => resolve())));

    it('says so and exits 1 without opening the database', async () => {
      const { port } = blocker.address() as AddressInfo;
      const r = await runCli(['serve', '--port', String(port), '--host', '127.0.0.1', '--data-dir', dir]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe(`ragflow: Port ${port} is already in use on 127.0.0.1`);
      expect(r.stdout).toBe('');
      expect(existsSync(join(dir, 'ragflow.db'))).toBe(false);
    });
  });

  it('refuses a data dir that cannot be written', async () => {
    const r = await runCli(['serve', '--port', '0', '--data-dir', join(import.meta.filename, 'data')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ragflow: Data dir .*serve\.test\.ts\/data cannot be created: a part of the path is a file, not a directory$/m);
    expect(r.stdout).toBe('');
  });

  it.skipIf(process.getuid?.() === 0)('refuses a read-only data dir (not as root: root writes anyway)', async () => {
    const readOnly = join(dir, 'ro');
    mkdirSync(readOnly, { mode: 0o500 });
    const r = await runCli(['serve', '--port', '0', '--data-dir', readOnly]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ragflow: Data dir .*ro is not writable: permission denied$/m);
  });

  it('refuses a data dir that is a file', async () => {
    const r = await runCli(['serve', '--port', '0', '--data-dir', import.meta.filename]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Data dir .* (is not a directory|cannot be created)/);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('%s stops accepting, closes keep-alive connections and exits 0', async (signal) => {
    const server = await start(['--port', '0', '--data-dir', dir, '--api-key', 'k']);
    // A keep-alive connection left open by fetch must not hold the shutdown back.
    await (await fetch(`${server.url}/keep-alive`)).text();
    const started = Date.now();
    const finished = await server.stop(signal);
    expect(finished.code).toBe(0);
    expect(finished.signal).toBeNull();
    expect(Date.now() - started).toBeLessThan(2500);
    expect(finished.stderr).toContain(`${signal} received: shutting down`);
    expect(finished.stderr).toContain('ragflow stopped');
    await expect(fetch(`${server.url}/after`)).rejects.toThrow();
    // The database was closed: SQLite checkpoints and removes the WAL when its last connection closes.
    expect(existsSync(join(dir, 'ragflow.db'))).toBe(true);
    expect(existsSync(join(dir, 'ragflow.db-wal'))).toBe(false);
  });
});
