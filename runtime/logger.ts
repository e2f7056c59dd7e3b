// Structured JSON logs (pino). Secrets are redacted by path; keys never reach a log line.
import pino, { type Logger } from 'pino';

export const REDACTED_PATHS = [
  'authorization', 'headers.authorization', 'req.headers.authorization', 'apiKey', '*.apiKey', 'key', '*.key',
  'request.headers.authorization', 'headers["x-api-key"]',
];

export function createLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { service: 'keel', ...bindings }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}

export type { Logger };
