// A request body nobody read (refused before parsing: an unknown key, a body over the limit) is read
// to its end and dropped before the error answer goes out: a client still sending when the server
// answers and closes sees a connection reset, not the answer (the 10,000-request fuzz found one).
// Bodies declared past DRAIN_LIMIT_BYTES, or without a length, are not read: the answer goes out at once.
import type { IncomingMessage } from 'node:http';

export const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;
const DRAIN_TIMEOUT_MS = 10_000;

export function answerAfterDraining(raw: IncomingMessage, answer: () => void): void {
  const declared = Number(raw.headers['content-length']);
  if (raw.readableEnded || raw.destroyed || !Number.isFinite(declared) || declared > DRAIN_LIMIT_BYTES) {
    answer();
    return;
  }
  let answered = false;
  const finish = () => {
    if (answered) return;
    answered = true;
    clearTimeout(timer);
    answer();
  };
  const timer = setTimeout(finish, DRAIN_TIMEOUT_MS);
  raw.once('end', finish);
  raw.once('close', finish);
  raw.once('error', finish);
  raw.resume();
}
