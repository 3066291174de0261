import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
const ENTRY = 'bin/ragflow.ts';

/** The environment of a child: none of the caller's RAGFLOW_* settings leak in. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('RAGFLOW_') && !name.startsWith('OPENAI_') && name !== 'OLLAMA_HOST') env[name] = value;
  }
  return { ...env, ...extra };
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ragflow-cli-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function spawnCli(args: readonly string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function collect(child: ChildProcess): { stdout: () => string; stderr: () => string; exited: Promise<Finished> } {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<Finished>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { stdout: () => stdout, stderr: () => stderr, exited };
}

/** Runs `ragflow ...args` to the end. */
export async function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<Finished> {
  return collect(spawnCli(args, env)).exited;
}

export interface RunningServer {
  url: string;
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<Finished>;
  /** Sends the signal and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<Finished>;
}

const LISTENING = /^ragflow listening on (http:\/\/\S+)$/m;

/** Starts `ragflow serve ...args` and resolves once it prints its listening line. */
export async function startServer(args: readonly string[], env: Record<string, string> = {}): Promise<RunningServer> {
  const child = spawnCli(['serve', ...args], env);
  const io = collect(child);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line within 20s:\n${io.stdout()}\n${io.stderr()}`)), 20_000);
    const check = () => {
      const match = LISTENING.exec(io.stdout());
      if (match?.[1]) {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    void io.exited.then((f) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${f.code}) before listening:\n${f.stdout}\n${f.stderr}`));
    });
  });
  return {
    url,
    child,
    ...io,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return io.exited;
    },
  };
}

/** Waits until `predicate` holds, polling; throws with `what` after the timeout. */
export async function waitUntil(predicate: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const KEY_PATTERN = /ragflow-[A-Za-z0-9_-]{43}/;
