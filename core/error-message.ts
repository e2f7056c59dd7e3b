// The text of anything thrown: an Error's message, anything else as a string. One helper, so every
// log line, event and failure names a thrown value the same way.

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
