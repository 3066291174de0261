import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

describe('ragflow usage', () => {
  it('--help prints the commands and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: ragflow <command>/);
    expect(r.stdout).toContain('serve');
    expect(r.stdout).toContain('keys create');
  });

  it('serve --help lists every flag with its environment variable', async () => {
    const r = await runCli(['serve', '--help']);
    expect(r.code).toBe(0);
    for (const text of [
      '--port', 'RAGFLOW_PORT', '--host', 'RAGFLOW_HOST', '--data-dir', 'RAGFLOW_DATA_DIR', '--api-key', 'RAGFLOW_API_KEY',
      '--embedding-model', 'RAGFLOW_EMBEDDING_MODEL', '--llm', 'RAGFLOW_LLM', '--max-upload-mb', 'RAGFLOW_MAX_UPLOAD_MB',
      '--ollama-host', 'OLLAMA_HOST', '--openai-base-url', 'OPENAI_BASE_URL', '--openai-api-key', 'OPENAI_API_KEY',
    ]) {
      expect(r.stdout).toContain(text);
    }
  });

  it('keys --help exits 0', async () => {
    const r = await runCli(['keys', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ragflow keys create');
  });

  it.each([
    [[], /Missing command/],
    [['frobnicate'], /Unknown command: frobnicate/],
    [['serve', '--bogus'], /Unknown option '--bogus'/],
    [['serve', '--port', 'abc'], /--port \(or RAGFLOW_PORT\) must be a port number/],
    [['serve', '--port', '70000'], /must be a port number/],
    [['serve', '--max-upload-mb', '0'], /--max-upload-mb .* must be a positive number/],
    [['serve', 'extra'], /Unexpected argument: extra/],
    [['keys'], /Missing keys action/],
    [['keys', 'rotate'], /Unknown keys action: rotate/],
    [['keys', 'revoke'], /Missing the id/],
    [['keys', 'create', '--tenant'], /argument missing/],
  ])('%j is a usage error: message, usage, exit code 2', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('Usage:');
    expect(r.stdout).toBe('');
  });

  it('a bad value from the environment is reported with its variable', async () => {
    const r = await runCli(['serve'], { RAGFLOW_MAX_UPLOAD_MB: 'lots' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('RAGFLOW_MAX_UPLOAD_MB');
    expect(r.stderr).toContain('"lots"');
  });
});
