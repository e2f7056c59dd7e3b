// Routes the Temporal SDK's own logs into pino. Below `debug`, only its warnings and errors pass:
// its info lines (bundler output, worker state changes) are noise in production logs. The runtime is
// installed once per process, so its Prometheus exporter (the SDK's own metrics) is set up here too.
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../runtime/logger';

export function installTemporalLogging(logger: Logger, level: string, options: { metricsPort?: number } = {}): void {
  const verbose = level === 'debug' || level === 'trace';
  Runtime.install({
    ...(options.metricsPort !== undefined && {
      telemetryOptions: {
        // Prometheus naming: counters end in _total, durations in seconds; the worker's /metrics merges them.
        metrics: { prometheus: { bindAddress: `127.0.0.1:${options.metricsPort}`, countersTotalSuffix: true, useSecondsForDurations: true, unitSuffix: true } },
      },
    }),
    logger: new DefaultLogger((verbose ? level.toUpperCase() : 'WARN') as LogLevel, (entry) => {
      const method = entry.level.toLowerCase() as 'trace' | 'debug' | 'info' | 'warn' | 'error';
      logger[method]({ ...entry.meta, source: 'temporal' }, entry.message);
    }),
  });
}
