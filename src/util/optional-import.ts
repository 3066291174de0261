import { ErrorCode, RagFlowError } from '../errors.js';

/**
 * Loads an optional peer dependency on first use, so users who never pick that provider do not
 * have to install it. A missing package becomes an error that says what to install.
 */
export async function importOptional<T>(pkg: string, feature: string): Promise<T> {
  try {
    // A variable specifier keeps bundlers from inlining the package; tsup's CJS output turns
    // this into a require(), which also works because both optional packages ship a CJS entry.
    const specifier: string = pkg;
    return (await import(specifier)) as T;
  } catch (error) {
    if (isMissingPackage(error, pkg)) {
      throw new RagFlowError(ErrorCode.Data, `${feature} needs the optional package "${pkg}": npm install ${pkg}`, {
        cause: error,
      });
    }
    throw error;
  }
}

/** Only the package itself counts: a broken install that lacks one of *its* dependencies must surface as is. */
function isMissingPackage(error: unknown, pkg: string): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  return (
    error.message.includes(`'${pkg}'`) || error.message.includes(`"${pkg}"`) || error.message.includes(`'${pkg}/`)
  );
}
