// Routes the Temporal SDK's own logs into pino. Below `debug`, only its warnings and errors pass:
// its info lines (bundler output, worker state changes) are noise in production logs.
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../runtime/logger';

export function installTemporalLogging(logger: Logger, level: string): void {
  const verbose = level === 'debug' || level === 'trace';
  Runtime.install({
    logger: new DefaultLogger((verbose ? level.toUpperCase() : 'WARN') as LogLevel, (entry) => {
      const method = entry.level.toLowerCase() as 'trace' | 'debug' | 'info' | 'warn' | 'error';
      logger[method]({ ...entry.meta, source: 'temporal' }, entry.message);
    }),
  });
}
