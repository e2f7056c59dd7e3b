// `npm run model-server`: starts the local model server from the command line and stops it on
// SIGINT/SIGTERM. Options: --port (4010), --host, --scenarios <dir>, --latency-ms.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { BUILT_IN_SCENARIO_DIR } from './scenario-files';
import { DEFAULT_MODEL_SERVER_HOST, startModelServer } from './model-server';

export const DEFAULT_MODEL_SERVER_PORT = 4010;

const cliOptions = z.object({
  port: z.coerce.number().int().min(0).max(65_535).default(DEFAULT_MODEL_SERVER_PORT),
  host: z.string().min(1).default(DEFAULT_MODEL_SERVER_HOST),
  scenarios: z.string().min(1).default(BUILT_IN_SCENARIO_DIR),
  'latency-ms': z.coerce.number().int().nonnegative().default(0),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      scenarios: { type: 'string' },
      'latency-ms': { type: 'string' },
    },
  });
  const parsed = cliOptions.safeParse(values);
  if (!parsed.success) {
    throw new Error(`invalid options: ${parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  const options = parsed.data;
  const server = await startModelServer({
    port: options.port,
    host: options.host,
    scenarioDir: options.scenarios,
    latencyMs: options['latency-ms'],
  });
  const scripted = server.scenarios().map((scenario) => scenario.name).join(', ') || '(none)';
  console.log(`model server listening on ${server.url} (OpenAI base URL ${server.openaiBaseURL}); scenarios: ${scripted}`);
  const stop = (signal: string) => {
    console.log(`model server stopping (${signal})`);
    server.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
