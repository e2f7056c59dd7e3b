// What `bench:models` runs against: the shared bench environment (model server, tuned Temporal dev
// server, fresh PostgreSQL, Keel in its own process) with the benchmark's model pool file.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ModelServer } from '../../model-server';
import { startBenchEnvironment } from './bench-environment';
import { BENCH_SCENARIO, benchPoolYaml } from './models-pool';

export type ModelsStack = { modelServer: ModelServer; apiUrl: string; apiKey: string; stop(): Promise<void> };

export async function startModelsStack(): Promise<ModelsStack> {
  const environment = await startBenchEnvironment({
    scenarios: [BENCH_SCENARIO],
    keelEnvironment: ({ modelServer, scratch }) => {
      const poolFile = path.join(scratch, 'model-pool.yaml');
      writeFileSync(poolFile, benchPoolYaml(modelServer.openaiBaseURL));
      return { KEEL_MODEL_POOL_FILE: poolFile, REDIS_URL: '' };
    },
  });
  return {
    modelServer: environment.modelServer,
    apiUrl: environment.keel.apiUrl,
    apiKey: environment.keel.apiKey,
    stop: () => environment.close(),
  };
}
