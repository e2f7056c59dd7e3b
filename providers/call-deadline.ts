// One call's deadline (the spec's timeoutMs, over the whole call including a stream) combined with
// the caller's abort signal, so a failure can be told apart as a timeout or a cancellation
// without relying on how each SDK and fetch realm label aborts.
import type { ModelSpec } from '../core/model-spec';

/** Both SDKs' default request timeout; used when a spec sets none. */
export const DEFAULT_SDK_TIMEOUT_MS = 10 * 60 * 1000;
/** The SDK's own timer runs this much longer than the deadline, so the deadline decides. */
const SDK_TIMEOUT_GRACE_MS = 1_000;

/** Given explicitly: without it the Anthropic SDK refuses large non-streaming max_tokens. */
export function sdkTimeoutMs(spec: ModelSpec): number {
  return spec.timeoutMs === undefined ? DEFAULT_SDK_TIMEOUT_MS : spec.timeoutMs + SDK_TIMEOUT_GRACE_MS;
}

export class CallDeadline {
  readonly signal: AbortSignal | undefined;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout | undefined;
  private timedOut = false;

  constructor(timeoutMs: number | undefined, private readonly callerSignal: AbortSignal | undefined) {
    if (timeoutMs !== undefined) {
      this.timer = setTimeout(() => {
        this.timedOut = true;
        this.controller.abort(new Error(`timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.timer.unref();
    }
    if (callerSignal) {
      if (callerSignal.aborted) this.controller.abort(callerSignal.reason);
      else callerSignal.addEventListener('abort', () => this.controller.abort(callerSignal.reason), { once: true });
    }
    this.signal = timeoutMs !== undefined || callerSignal ? this.controller.signal : undefined;
  }

  get expired(): boolean {
    return this.timedOut;
  }

  get cancelled(): boolean {
    return !this.timedOut && this.callerSignal?.aborted === true;
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}
