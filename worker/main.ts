// Production worker process: `npm run start:worker` (needs DATABASE_URL and TEMPORAL_ADDRESS).
import { ConfigError } from '../core/config';
import { loadProcessConfig } from '../runtime/load-config';
import { createLogger } from '../runtime/logger';
import { openServices } from '../runtime/services';
import { startTracing } from '../runtime/tracing';
import { startWorker } from './start-worker';
import { installTemporalLogging } from './temporal-logging';

async function main(): Promise<void> {
  const config = loadProcessConfig();
  if (!config.databaseUrl) {
    throw new ConfigError('databaseUrl', 'DATABASE_URL', 'required when the worker runs as its own process (embedded PGlite belongs to `npm run dev`)');
  }
  const logger = createLogger(config.logLevel, { process: 'worker' });
  const tracing = await startTracing('keel-worker');
  if (tracing) logger.info({ traces: tracing.settings.tracesUrl, protocol: tracing.settings.protocol }, 'tracing on');
  installTemporalLogging(logger, config.logLevel, { metricsPort: config.operations.metrics.temporalPort });
  const services = await openServices(config, { logger });
  const worker = await startWorker(config, services, { logger });
  logger.info({ taskQueue: config.taskQueue, temporal: config.temporalAddress, deployment: config.deployment ?? 'unversioned' }, 'worker started');
  // The SDK shuts the worker down on SIGINT/SIGTERM; in-flight activities finish or time out.
  await worker.running;
  await services.close();
  await tracing?.shutdown();
  logger.info('worker stopped');
}

main().catch((error: Error) => {
  console.error(JSON.stringify({ level: 'fatal', msg: error.message, name: error.name }));
  process.exit(1);
});
