// Structured JSON logs (pino). Secrets are redacted by path; keys never reach a log line. Each line
// carries the request id of the work it belongs to and, while a span is active, its trace and span ids.
import pino, { type Logger } from 'pino';
import { currentLogContext } from './log-context';
import { activeTraceFields } from './tracing/spans';

export const REDACTED_PATHS = [
  'authorization', 'headers.authorization', 'req.headers.authorization', 'apiKey', '*.apiKey', 'key', '*.key',
  'request.headers.authorization', 'headers["x-api-key"]',
];

/** The fields of the surrounding work (log-context.ts) and span; a line's own fields win over them. */
function correlationFields(): Record<string, string> {
  const requestId = currentLogContext()?.requestId;
  const trace = activeTraceFields();
  if (!requestId && !trace) return {};
  return { ...(requestId && { requestId }), ...trace };
}

/** `destination`: where lines go (standard output when absent; tests capture them). */
export function createLogger(level: string, bindings: Record<string, unknown> = {}, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'keel', ...bindings },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    mixin: correlationFields,
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
