import { describe, expect, it } from 'vitest';
import { ErrorCode, RagFlowError } from '../../src/errors.js';
import { importOptional } from '../../src/util/optional-import.js';

describe('importOptional', () => {
  it('loads an installed package', async () => {
    const mod = await importOptional<{ Ollama: unknown }>('ollama', 'Ollama embeddings');
    expect(typeof mod.Ollama).toBe('function');
  });

  it('turns a missing package into an error saying what to install', async () => {
    const error = await importOptional('ragflow-ts-no-such-package-xyz', 'Fancy embeddings').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RagFlowError);
    expect((error as RagFlowError).code).toBe(ErrorCode.Data);
    expect((error as RagFlowError).message).toBe(
      'Fancy embeddings needs the optional package "ragflow-ts-no-such-package-xyz": npm install ragflow-ts-no-such-package-xyz',
    );
  });

  it('treats a missing scoped package the same way', async () => {
    await expect(importOptional('@ragflow-ts-none/missing', 'X')).rejects.toThrow(
      'X needs the optional package "@ragflow-ts-none/missing": npm install @ragflow-ts-none/missing',
    );
  });

  it('does not mask other failures inside an installed package', async () => {
    // A subpath the package does not export fails, but not as "package missing".
    const error = await importOptional('ollama/no-such-subpath', 'X').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(RagFlowError);
  });
});
