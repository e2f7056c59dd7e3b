// Why a tool's abort signal fired: the run was cancelled (stop what the call started), or only this
// attempt of the step was given up (the server timed it out or lost it, the worker is shutting
// down, a promotion was not adopted) while another attempt carries on. An abandoned attempt stops
// waiting but leaves its jobs running for the next attempt to adopt, and reports nothing.

/** Thrown (and used as an abort reason) when this attempt of a step is no longer the live one. */
export class AttemptAbandoned extends Error {
  constructor(readonly why: string) {
    super(`this attempt of the step was abandoned (${why}); the next attempt takes over its work`);
    this.name = 'AttemptAbandoned';
  }
}

/** Whether a signal was aborted because the attempt was abandoned, not because the run was cancelled. */
export function isAbandoned(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true && signal.reason instanceof AttemptAbandoned;
}

/** Ends an abandoned attempt where it stands: nothing it would report now is true of the call. */
export function throwIfAbandoned(signal: AbortSignal | undefined): void {
  if (isAbandoned(signal)) throw signal?.reason;
}
