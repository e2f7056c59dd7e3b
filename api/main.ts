// Production API process: `npm run start:api` (needs DATABASE_URL and TEMPORAL_ADDRESS).
import { ConfigError } from '../core/config';
import { loadProcessConfig } from '../runtime/load-config';
import { createLogger } from '../runtime/logger';
import { openServices } from '../runtime/services';
import { startTracing } from '../runtime/tracing';
import { startApi } from './start-api';

async function main(): Promise<void> {
  const config = loadProcessConfig();
  if (!config.databaseUrl) {
    throw new ConfigError('databaseUrl', 'DATABASE_URL', 'required when the API runs as its own process (embedded PGlite belongs to `npm run dev`)');
  }
  const logger = createLogger(config.logLevel, { process: 'api' });
  // Before the client and server exist: both look for the process's tracing when they are built.
  const tracing = await startTracing('keel-api');
  if (tracing) logger.info({ traces: tracing.settings.tracesUrl, protocol: tracing.settings.protocol }, 'tracing on');
  const services = await openServices(config, { logger });
  const api = await startApi(config, services, logger, { temporalUiUrl: process.env.KEEL_TEMPORAL_UI_URL });
  logger.info({ url: api.url }, 'api listening');
  const stop = async () => {
    await api.stop();
    await services.close();
    await tracing?.shutdown();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: Error) => {
  console.error(JSON.stringify({ level: 'fatal', msg: error.message, name: error.name }));
  process.exit(1);
});
