// Counts the deltas a streaming call reported (error messages say how far a broken stream got)
// and keeps the caller's own callback failures apart from provider failures.
import type { ModelDelta } from './types';

/** Thrown when the caller's `onDelta` throws; the provider rethrows the original error unchanged. */
export class DeltaCallbackError extends Error {
  constructor(override readonly cause: unknown) {
    super('onDelta callback failed');
    this.name = 'DeltaCallbackError';
  }
}

export class StreamProgress {
  deltas = 0;
  /** True once the response headers arrived and events are being read. */
  started = false;

  constructor(private readonly onDelta?: (delta: ModelDelta) => void) {}

  get streaming(): boolean {
    return this.onDelta !== undefined;
  }

  report(delta: ModelDelta): void {
    if (!this.onDelta) return;
    this.deltas += 1;
    try {
      this.onDelta(delta);
    } catch (error) {
      throw new DeltaCallbackError(error);
    }
  }
}
