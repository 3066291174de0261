import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { RagFlow, type RagFlowOptions } from '../../src/ragflow.js';
import { RagFlowError } from '../../src/errors.js';

export const SHARED_DATA = new URL('../../../shared/data/', import.meta.url).pathname;

export async function openMemory(options: RagFlowOptions = {}): Promise<RagFlow> {
  return RagFlow.open({ path: ':memory:', ...options });
}

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ragflow-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Asserts a RagFlowError with this code, and a message matching `message` when given. */
export async function expectRagFlowError(promise: Promise<unknown>, code: number, message?: RegExp): Promise<RagFlowError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected the call to throw').toBeInstanceOf(RagFlowError);
  const ragError = error as RagFlowError;
  expect(ragError.code).toBe(code);
  if (message) expect(ragError.message).toMatch(message);
  return ragError;
}

export const text = (s: string): Uint8Array => new TextEncoder().encode(s);
