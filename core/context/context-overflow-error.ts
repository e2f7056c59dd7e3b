// The one way fitting a context can fail: what must be kept does not fit the model's window.

/** Thrown when the system prompt, the latest user message and the pinned messages alone exceed the input budget. */
export class ContextOverflowError extends Error {
  constructor(
    /** Tokens the messages that must survive need, with the request's fixed overhead (and a summary, when one is due). */
    readonly requiredTokens: number,
    /** `contextWindow - reservedOutputTokens`. */
    readonly availableTokens: number,
    readonly contextWindow: number,
    readonly reservedOutputTokens: number,
  ) {
    super(
      `the context does not fit: the system prompt, latest user message and pinned messages need ${requiredTokens} tokens, ` +
        `but only ${availableTokens} are available (context window ${contextWindow} minus ${reservedOutputTokens} reserved for output)`,
    );
    this.name = 'ContextOverflowError';
  }
}
