/**
 * The signal one chat request runs under. It aborts when the caller's signal does, when the server
 * shows no sign of life for `idleMs` (a stuck connection must not hang a chat forever), and on
 * dispose(), which is how a consumer that stops iterating early closes the HTTP request.
 */
export class RequestWatch {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private expired = false;
  private answering = false;
  private readonly onCallerAbort = (): void => this.controller.abort(this.caller?.reason);

  constructor(
    private readonly caller: AbortSignal | undefined,
    readonly idleMs: number,
  ) {
    caller?.throwIfAborted();
    caller?.addEventListener('abort', this.onCallerAbort, { once: true });
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The idle timeout is reported as a provider error, not as the caller's abort. */
  get timedOut(): boolean {
    return this.expired && !this.caller?.aborted;
  }

  /** The caller's abort reason when the caller aborted: it must reach them unwrapped. */
  callerAbort(): { reason: unknown } | undefined {
    return this.caller?.aborted ? { reason: this.caller.reason } : undefined;
  }

  /** True once a 2xx answer has begun: a lost connection after that is not an unreachable server. */
  get answered(): boolean {
    return this.answering;
  }

  markAnswered(): void {
    this.answering = true;
  }

  /** Called on every sign of life (headers, a line, a delta). */
  touch(): void {
    clearTimeout(this.timer);
    if (this.controller.signal.aborted || !Number.isFinite(this.idleMs)) return;
    this.timer = setTimeout(() => {
      this.expired = true;
      this.controller.abort(new DOMException(`No answer for ${this.idleMs} ms`, 'TimeoutError'));
    }, this.idleMs);
    this.timer.unref();
  }

  /** While the consumer holds a delta, slowness is theirs, not the server's. */
  pause(): void {
    clearTimeout(this.timer);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.caller?.removeEventListener('abort', this.onCallerAbort);
    if (!this.controller.signal.aborted) this.controller.abort();
  }
}

export function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
