import { ErrorCode, RagFlowError, isAbortError } from '../errors.js';
import { isConnectionError } from '../util/net-errors.js';
import { StatusFailure } from '../util/retry.js';
import { formatSeconds, type RequestWatch } from './request-watch.js';

/** How one model names its server, its request and their fixes in failure messages. */
export interface RequestWording {
  /** Names the server, e.g. "Ollama at http://127.0.0.1:11434". */
  source: string;
  /** The request as messages name it, e.g. 'the chat request for "qwen2.5:7b"'. */
  request: string;
  /** The server sent nothing for `idle` (already formatted). */
  timedOut(idle: string): string;
  unreachable: string;
  /** The connection dropped after a 2xx began; without it that reads as `unreachable`. */
  cutOff?: string;
  /** 401/403; `suffix` is ": <server's detail>" or empty. */
  unauthorized(status: number, suffix: string): string;
  /** 404. */
  missingModel(suffix: string): string;
  /** Anything else; `detail` is the error's message. */
  failed(detail: string, error: unknown): string;
}

/**
 * Any failure of a chat or vision request as the caller should see it: their own abort unwrapped,
 * errors already explained passed on, and everything else a RagFlowError saying which server failed
 * and, where the server said why, why. The order matters: an abort or idle timeout also surfaces
 * as a connection or abort error, so those are told apart first.
 */
export function requestFailure(error: unknown, watch: RequestWatch, wording: RequestWording): unknown {
  const aborted = watch.callerAbort();
  if (aborted) return aborted.reason;
  const options = { cause: error };
  if (watch.timedOut) return new RagFlowError(ErrorCode.Exception, wording.timedOut(formatSeconds(watch.idleMs)), options);
  if (error instanceof RagFlowError || isAbortError(error)) return error;
  if (isConnectionError(error)) {
    const message = watch.answered && wording.cutOff !== undefined ? wording.cutOff : wording.unreachable;
    return new RagFlowError(ErrorCode.Exception, message, options);
  }
  if (error instanceof StatusFailure) return statusError(error, wording);
  const detail = error instanceof Error ? error.message : String(error);
  return new RagFlowError(ErrorCode.Exception, wording.failed(detail, error), options);
}

function statusError(failure: StatusFailure, wording: RequestWording): RagFlowError {
  const { status, detail, attempts } = failure;
  const suffix = detail ? `: ${detail}` : '';
  const options = { cause: failure };
  if (status === 401 || status === 403) return new RagFlowError(ErrorCode.Data, wording.unauthorized(status, suffix), options);
  if (status === 404) return new RagFlowError(ErrorCode.Data, wording.missingModel(suffix), options);
  if (failure.retryable) {
    const what = status === 429 ? 'kept rate-limiting' : 'kept failing';
    return new RagFlowError(
      ErrorCode.Exception,
      `${wording.source} ${what} ${wording.request} (HTTP ${status}, ${attempts} attempts)${suffix}`,
      options,
    );
  }
  return new RagFlowError(ErrorCode.Data, `${wording.source} rejected ${wording.request} (HTTP ${status})${suffix}`, options);
}
