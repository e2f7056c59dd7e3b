// `npm run dev`: the embedded mode. Finds or installs the Temporal CLI, starts the tuned dev server
// (SQLite under .keel/), PGlite, the local model server when no model key is configured, and the
// API and worker in this one process. Ctrl-C stops everything.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DEMO_MODEL_ID } from '../core/config';
import { startApi } from '../api/start-api';
import { startModelServer } from '../model-server';
import { loadProcessConfig } from '../runtime/load-config';
import { describeDegradations } from '../runtime/degradations';
import { createLogger } from '../runtime/logger';
import { startTracing } from '../runtime/tracing';
import { openServices } from '../runtime/services';
import { startWorker } from '../worker/start-worker';
import { installTemporalLogging } from '../worker/temporal-logging';
import { ensureDevApiKey } from './dev-api-key';
import { startDevServer } from './dev-server';
import { ensureTemporalCli } from './install-temporal';

const TEMPORAL_PORT = Number(process.env.KEEL_TEMPORAL_PORT ?? 7233);
const TEMPORAL_UI_PORT = Number(process.env.KEEL_TEMPORAL_UI_PORT ?? 8233);
const MODEL_SERVER_PORT = Number(process.env.KEEL_MODEL_SERVER_PORT ?? 4010);
// The demo model's catalog entry points at the model server this script starts: a port chosen with
// KEEL_MODEL_SERVER_PORT alone must move the URL too, or runs would call 4010.
if (process.env.KEEL_MODEL_SERVER_PORT && !process.env.KEEL_MODEL_SERVER_URL) {
  process.env.KEEL_MODEL_SERVER_URL = `http://127.0.0.1:${MODEL_SERVER_PORT}/v1`;
}

async function main(): Promise<void> {
  const cli = await ensureTemporalCli();
  const base = loadProcessConfig();
  mkdirSync(base.home, { recursive: true });
  // With encryption on, the Web UI gets this API's codec endpoint so it shows payloads decoded
  // (a reused dev server keeps whatever endpoint it was started with).
  const uiToken = base.codec.keys ? base.codec.uiToken ?? randomBytes(24).toString('hex') : undefined;
  const uiCodecEndpoint = uiToken ? `http://${base.apiHost}:${base.apiPort}/codec/ui/${uiToken}` : undefined;
  const temporal = await startDevServer({ cli, home: base.home, port: TEMPORAL_PORT, uiPort: TEMPORAL_UI_PORT, uiCodecEndpoint });
  const config = { ...base, temporalAddress: temporal.address, codec: { ...base.codec, uiToken } };
  const logger = createLogger(config.logLevel, { process: 'dev' });
  installTemporalLogging(logger, config.logLevel);
  // API and worker share one process, so one service name covers both.
  const tracing = await startTracing('keel');

  const modelServer = config.usingDemoModel
    ? await startModelServer({ port: MODEL_SERVER_PORT, scenarioDir: path.join(__dirname, '..', 'model-server', 'scenarios') })
    : undefined;
  if (modelServer) console.log(`[keel] no model key configured (OPENAI_API_KEY, ANTHROPIC_API_KEY, MINIMAX_API_KEY, DEEPSEEK_API_KEY or KEEL_MODELS_FILE): runs use the local model server's "${DEMO_MODEL_ID}" demo scenario`);

  const services = await openServices(config, { logger, workerInProcess: true });
  const apiKey = await ensureDevApiKey(services.database.db, config.home, process.env.KEEL_API_KEY);
  const worker = await startWorker(config, services, { logger });
  // One process: the API shares the worker's connection, so runs start eagerly on this worker. Not
  // with a build id: an eager start would hand the run to this worker whatever the ramp says.
  const api = await startApi(config, services, logger, { temporalUiUrl: temporal.uiUrl, workerConnection: config.deployment ? undefined : worker.connection });
  const degraded = describeDegradations({ bashSandbox: worker.bashSandbox, notesStore: services.memory.store.kind, redisUrl: config.redisUrl });
  const degradedLines = degraded.length === 0 ? '' : `\n  Degraded (works, with less):\n${degraded.map((line) => `  - ${line}`).join('\n')}\n`;

  console.log(`
[keel] ready
  Console       ${api.url}/console#key=${encodeURIComponent(apiKey)}   (one click logs in)
  API           ${api.url}
  API docs      ${api.url}/docs
  Temporal UI   ${temporal.uiUrl}${temporal.reused ? ' (a dev server that was already running)' : ''}
  Model server  ${modelServer ? modelServer.url : '(not started: a provider key is configured)'}
  Tracing       ${tracing ? `${tracing.settings.tracesUrl} (${tracing.settings.protocol})` : 'off (set OTEL_EXPORTER_OTLP_ENDPOINT to turn it on)'}
  Default model ${config.defaultModel}
  Notes         ${services.memory.store.kind} store, ${services.memory.embedder.semantic ? `${services.memory.embedder.model} embeddings` : 'local embedder (lexical, not semantic)'}
  API key       ${apiKey}   (kept in ${path.join(config.home, 'dev-api-key')})
${degradedLines}
  curl -s -X POST ${api.url}/v1/runs -H "authorization: Bearer ${apiKey}" -H 'content-type: application/json' -d '{"message":"Create hello.txt, read it back and list the folder."}'
`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('[keel] shutting down...');
    await api.stop().catch(() => undefined);
    await worker.stop().catch(() => undefined);
    await services.close().catch(() => undefined);
    await tracing?.shutdown().catch(() => undefined);
    await modelServer?.close().catch(() => undefined);
    await temporal.stop();
    console.log('[keel] stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: Error) => {
  console.error(`[keel] ${error.message}`);
  process.exit(1);
});
