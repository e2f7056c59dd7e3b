// Start-up failures of the notes store, named so the message reaches the operator intact.

/** Thrown at start-up when the chosen notes store lacks a setting; names the variable to set. */
export class NotesStoreConfigError extends Error {
  constructor(readonly environmentVariable: string, message: string) {
    super(message);
    this.name = 'NotesStoreConfigError';
  }
}
