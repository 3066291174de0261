import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** node:util parseArgs in strict mode; any mistake becomes a UsageError carrying `usage`. */
export function parseCommandLine(args: readonly string[], options: Options, usage: string, maxPositionals = 0): ParsedArgs {
  let parsed: ParsedArgs;
  try {
    const result = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
    parsed = { values: result.values as ParsedArgs['values'], positionals: result.positionals };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), usage);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(`Unexpected argument: ${parsed.positionals[maxPositionals]}`, usage);
  }
  return parsed;
}

/** The flag if given, else the environment variable if set and not empty. */
export function flagOrEnv(
  values: ParsedArgs['values'],
  flag: string,
  env: NodeJS.ProcessEnv,
  variable: string,
): string | undefined {
  const value = values[flag];
  if (typeof value === 'string') return value;
  const fromEnv = env[variable];
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}
