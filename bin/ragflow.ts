#!/usr/bin/env node
import { runEval } from './cli/eval.js';
import { parseEvalOptions } from './cli/eval-options.js';
import { runKeys } from './cli/keys.js';
import { parseKeysCommand, parseServeOptions } from './cli/options.js';
import { runServe } from './cli/serve.js';
import { CliError, EVAL_USAGE, KEYS_USAGE, MAIN_USAGE, SERVE_USAGE, UsageError } from './cli/usage.js';

const out = (line: string): void => void process.stdout.write(`${line}\n`);
const err = (line: string): void => void process.stderr.write(`${line}\n`);

/** Dispatches `ragflow <command>`; resolves with the exit code (0 ok, 1 failure, 2 usage). */
async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
      throw new UsageError('Missing command', MAIN_USAGE);
    case '-h':
    case '--help':
    case 'help':
      out(MAIN_USAGE.trimEnd());
      return 0;
    case 'serve': {
      const options = parseServeOptions(rest, process.env);
      if (!options) {
        out(SERVE_USAGE.trimEnd());
        return 0;
      }
      return runServe(options, { out, err });
    }
    case 'keys': {
      const keys = parseKeysCommand(rest, process.env);
      if (!keys) {
        out(KEYS_USAGE.trimEnd());
        return 0;
      }
      await runKeys(keys, { out });
      return 0;
    }
    case 'eval': {
      const options = parseEvalOptions(rest, process.env);
      if (!options) {
        out(EVAL_USAGE.trimEnd());
        return 0;
      }
      return runEval(options, { out, err });
    }
    default:
      throw new UsageError(`Unknown command: ${command}`, MAIN_USAGE);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      err(`ragflow: ${error.message}\n`);
      err(error.usage.trimEnd());
      process.exit(2);
    }
    if (error instanceof CliError) {
      err(`ragflow: ${error.message}`);
      process.exit(1);
    }
    err(`ragflow: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
