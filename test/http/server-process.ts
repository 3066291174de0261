import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The real `ragflow` CLI as a child process: `serve` (read the URL from its one "listening" line)
 * and the one-shot `keys` commands, run exactly as a user would run them from the repo.
 */

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = ['--import', 'tsx', 'bin/ragflow.ts'] as const;
export const SHARED_DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));

const LISTENING = /^ragflow listening on (http:\/\/\S+?)\/?$/;

export interface RunningServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** `http://127.0.0.1:PORT/api/v1` */
  api: string;
  child: ChildProcess;
  /** Everything the process wrote so far. */
  output(): { stdout: string; stderr: string };
  /** SIGTERM, then wait for the exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ServeOptions {
  dataDir: string;
  apiKey?: string;
  extraArgs?: readonly string[];
  timeoutMs?: number;
}

export function serveArgs(options: ServeOptions): string[] {
  const args = ['serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', options.dataDir];
  if (options.apiKey !== undefined) args.push('--api-key', options.apiKey);
  args.push(...(options.extraArgs ?? []));
  return args;
}

export function startServer(options: ServeOptions): Promise<RunningServer> {
  const child = spawn(process.execPath, [...CLI, ...serveArgs(options)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (s: string) => {
    stderr += s;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

  const stop = async (graceMs = 10_000) => {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };

  return new Promise<RunningServer>((resolve, reject) => {
    let done = false;
    const fail = (why: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`ragflow serve ${why}\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    };
    const timer = setTimeout(() => fail('did not print its URL in time'), options.timeoutMs ?? 25_000);
    child.once('error', (error) => fail(`could not start: ${error.message}`));
    void exited.then(({ code, signal }) => fail(`exited early (code ${code}, signal ${signal})`));
    child.stdout?.on('data', (s: string) => {
      stdout += s;
      if (done) return;
      for (const line of stdout.split(/\r?\n/)) {
        const match = LISTENING.exec(line.trim());
        if (!match?.[1]) continue;
        done = true;
        clearTimeout(timer);
        const origin = match[1];
        resolve({ origin, api: `${origin}/api/v1`, child, output: () => ({ stdout, stderr }), stop });
        return;
      }
    });
  });
}

/** Runs a one-shot CLI command to the end; rejects on a non-zero exit. */
export function runCli(args: readonly string[], timeoutMs = 25_000): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`ragflow ${args.join(' ')} exited with ${code ?? signal}\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    });
  });
}

/** `ragflow keys list --tenant T`: the ids in the first column of its table. */
export async function listKeyIds(dataDir: string, tenant: string): Promise<string[]> {
  const { stdout } = await runCli(['keys', 'list', '--data-dir', dataDir, '--tenant', tenant]);
  return stdout
    .split(/\r?\n/)
    .map((line) => line.trim().split(/\s+/))
    .filter((cells) => cells[1] === tenant && /^[0-9a-f]{32}$/.test(cells[0] ?? ''))
    .map((cells) => cells[0] as string);
}

/** `ragflow keys create`: the key is the last line it prints. */
export async function createKey(dataDir: string, tenant: string): Promise<string> {
  const { stdout } = await runCli(['keys', 'create', '--data-dir', dataDir, '--tenant', tenant]);
  const lines = stdout.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const key = lines.at(-1);
  if (!key) throw new Error('ragflow keys create printed nothing');
  return key;
}

export async function tempDataDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ragflow-http-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
