// Keel (API + worker in one process) as the benchmark runs it: its own process so its CPU and
// memory can be read from /proc. Prints one `KEEL_READY <json>` line when it accepts runs.
import { mkdirSync } from 'node:fs';
import { startApi } from '../../api/start-api';
import { loadProcessConfig } from '../../runtime/load-config';
import { createLogger } from '../../runtime/logger';
import { openServices } from '../../runtime/services';
import { ensureDevApiKey } from '../../scripts/dev-api-key';
import { startWorker } from '../../worker/start-worker';
import { installTemporalLogging } from '../../worker/temporal-logging';

async function main(): Promise<void> {
  const config = loadProcessConfig({ apiPort: 0 });
  const logger = createLogger(config.logLevel, { process: 'bench-keel' });
  installTemporalLogging(logger, config.logLevel);
  mkdirSync(config.home, { recursive: true });
  const services = await openServices(config, { migrate: true });
  const apiKey = await ensureDevApiKey(services.database.db, config.home, process.env.KEEL_API_KEY);
  const worker = await startWorker(config, services, { logger });
  const api = await startApi(config, services, logger, { workerConnection: worker.connection });
  console.log(`KEEL_READY ${JSON.stringify({ apiUrl: api.url, apiKey, pid: process.pid })}`);
  const stop = async () => {
    await api.stop().catch(() => undefined);
    await worker.stop().catch(() => undefined);
    await services.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((error: Error) => {
  console.error(`bench keel process failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
