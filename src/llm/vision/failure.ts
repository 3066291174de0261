import { ErrorCode, RagFlowError, isAbortError } from '../../errors.js';
import { isConnectionError } from '../../util/net-errors.js';
import { StatusFailure } from '../../util/retry.js';
import { RequestWatch, formatSeconds } from '../request-watch.js';

/** How one vision provider names itself and its fixes in messages. */
export interface VisionEndpoint {
  /** e.g. "Ollama at http://127.0.0.1:11434 (llava@Ollama)". */
  source: string;
  /** What to say on 404. */
  missingModel: string;
  /** What to check on 401/403. */
  credentials: string;
}

/**
 * Any failure of a describe() call as the caller should see it: their own abort unwrapped, and
 * everything else a RagFlowError saying which server failed and, where the server said why, why.
 */
export function visionFailure(error: unknown, watch: RequestWatch, endpoint: VisionEndpoint): unknown {
  const aborted = watch.callerAbort();
  if (aborted) return aborted.reason;
  const { source } = endpoint;
  if (watch.timedOut) {
    return new RagFlowError(
      ErrorCode.Exception,
      `${source} sent nothing for ${formatSeconds(watch.idleMs)} while describing an image; raise timeoutMs if the model is just slow`,
      { cause: error },
    );
  }
  if (error instanceof RagFlowError || isAbortError(error)) return error;
  if (isConnectionError(error)) {
    return new RagFlowError(ErrorCode.Exception, `${source} is not reachable — is it running?`, { cause: error });
  }
  if (error instanceof StatusFailure) return statusError(error, endpoint);
  const detail = error instanceof Error ? error.message : String(error);
  return new RagFlowError(ErrorCode.Exception, `${source} failed to describe the image: ${detail}`, { cause: error });
}

function statusError(failure: StatusFailure, endpoint: VisionEndpoint): RagFlowError {
  const { status, detail, attempts } = failure;
  const suffix = detail ? `: ${detail}` : '';
  const options = { cause: failure };
  if (status === 404) return new RagFlowError(ErrorCode.Data, `${endpoint.missingModel} (HTTP 404)${suffix}`, options);
  if (status === 401 || status === 403) {
    return new RagFlowError(
      ErrorCode.Data,
      `${endpoint.source} rejected the credentials (HTTP ${status}); check ${endpoint.credentials}${suffix}`,
      options,
    );
  }
  if (failure.retryable) {
    const what = status === 429 ? 'kept rate-limiting' : 'kept failing';
    return new RagFlowError(
      ErrorCode.Exception,
      `${endpoint.source} ${what} the image description request (HTTP ${status}, ${attempts} attempts)${suffix}`,
      options,
    );
  }
  return new RagFlowError(
    ErrorCode.Data,
    `${endpoint.source} rejected the image description request (HTTP ${status})${suffix}`,
    options,
  );
}
