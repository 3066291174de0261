import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startServer, tempDir, waitUntil, type RunningServer } from './helpers.js';

interface DocRow {
  run: string;
  progress: number;
  progress_msg: string;
}

/** Reads a document's parse state straight from the database file, as a second process would. */
function documentRow(dir: string, id: string): DocRow | undefined {
  const db = new Database(join(dir, 'ragflow.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('select run, progress, progress_msg from documents where id = ?').get(id) as DocRow | undefined;
  } finally {
    db.close();
  }
}

/** About 12 MB of distinct paragraphs: seconds of parsing, so a signal lands in the middle of it. */
function longText(): string {
  const words = ['river', 'engine', 'ledger', 'harbor', 'signal', 'quartz', 'meadow', 'lantern', 'copper', 'orbit'];
  const parts: string[] = [];
  for (let i = 0; i < 8000; i++) {
    const sentence = Array.from({ length: 50 }, (_, j) => `${words[(i + j) % words.length]}${(i * 31 + j) % 1009}`).join(' ');
    parts.push(`Page ${i + 1}\n\n${sentence}. ${sentence}.\n\f`);
  }
  return parts.join('');
}

describe('ragflow serve: a parse interrupted by SIGTERM', () => {
  let dir: string;
  let cleanup: () => void;
  const servers: RunningServer[] = [];
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop('SIGKILL')));
    cleanup();
  });

  it('is left running at exit 0 and finished by the next start', { timeout: 90_000 }, async () => {
    const args = ['--port', '0', '--data-dir', dir, '--api-key', 'k'];
    const first = await startServer(args);
    servers.push(first);
    const auth = { Authorization: 'Bearer k' };
    const post = async (path: string, body: unknown) =>
      (await fetch(`${first.url}/api/v1${path}`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json())) as { code: number; data: { id: string } };

    const dataset = await post('/dataset', { name: 'long' });
    expect(dataset.code).toBe(0);
    const form = new FormData();
    form.append('file', new Blob([longText()], { type: 'text/plain' }), 'long.txt');
    const uploaded = (await fetch(`${first.url}/api/v1/dataset/${dataset.data.id}/document`, {
      method: 'POST',
      headers: auth,
      body: form,
    }).then((r) => r.json())) as { code: number; data: Array<{ id: string }> };
    expect(uploaded.code).toBe(0);
    const docId = uploaded.data[0]?.id ?? '';
    expect((await post(`/dataset/${dataset.data.id}/chunk`, { documents: [docId] })).code).toBe(0);
    await waitUntil(() => documentRow(dir, docId)?.run === 'RUNNING', 'the parse to start');
    // A keys command on the same data dir meanwhile must not re-queue the server's running parse.
    expect((await runCli(['keys', 'list', '--data-dir', dir])).code).toBe(0);
    expect(documentRow(dir, docId)?.progress_msg).not.toContain('Re-queued');

    const stopped = await first.stop('SIGTERM');
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toContain('ragflow stopped');
    const interrupted = documentRow(dir, docId);
    // Still RUNNING (not CANCEL, not DONE): the next start re-queues it.
    expect(interrupted?.run).toBe('RUNNING');

    const second = await startServer(args);
    servers.push(second);
    await waitUntil(() => documentRow(dir, docId)?.run === 'DONE', 'the resumed parse to finish', 60_000);
    const finished = documentRow(dir, docId);
    expect(finished?.progress).toBe(1);
    expect(finished?.progress_msg).toContain('Re-queued after an interrupted run.');
    const chunks = (await fetch(`${second.url}/api/v1/dataset/${dataset.data.id}/document/${docId}/chunk?page_size=1`, {
      headers: auth,
    }).then((r) => r.json())) as { code: number; data: { total: number } };
    expect(chunks.code).toBe(0);
    expect(chunks.data.total).toBeGreaterThan(100);
    expect((await second.stop('SIGTERM')).code).toBe(0);
  });
});
