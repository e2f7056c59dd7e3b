// `npm run bench:scale [-- --quick] [-- --conversations=N]`: many concurrent conversations on one
// worker process. Each has 5 tool steps at 2 s model latency (6 model calls, 12 s of model time);
// per-step overhead = (wall time - 12 s) / 6. Reports p50/p99/max, errors, peak RSS and RSS per run.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ulid } from 'ulid';
import { startBenchEnvironment, stepScenario } from './support/bench-environment';
import { followRun, type FollowedRun } from './support/keel-client';
import { cpuMs, peakRssBytes } from './support/proc-stats';
import { median, percentile, round } from './support/stats';

const quick = process.argv.includes('--quick');
const conversations = Number(process.argv.find((argument) => argument.startsWith('--conversations='))?.split('=')[1] ?? (quick ? 100 : 1000));
const STEPS = 5;
const MODEL_LATENCY_MS = 2000;
const MODEL_CALLS = STEPS + 1;

async function main(): Promise<void> {
  const environment = await startBenchEnvironment();
  const { modelServer, keel, temporal } = environment;
  const results: Record<string, unknown> = { conversations, steps: STEPS, modelLatencyMs: MODEL_LATENCY_MS };
  try {
    const name = `scale-${ulid().toLowerCase()}`;
    modelServer.addScenario(stepScenario(name, STEPS, MODEL_LATENCY_MS));
    const baselineRss = peakRssBytes(keel.pid);
    const cpuBefore = { keel: cpuMs(keel.pid), temporal: temporal.pid ? cpuMs(temporal.pid) : 0 };
    const started = performance.now();
    const settled = await Promise.allSettled(Array.from({ length: conversations }, (_, index) =>
      followRun(keel.apiUrl, keel.apiKey, { message: `scale ${index} ${ulid()}`, model: `local/${name}`, stream: false, limits: { maxSteps: STEPS + 1 } })));
    const wallMs = performance.now() - started;
    const completed = settled.filter((outcome): outcome is PromiseFulfilledResult<FollowedRun> => outcome.status === 'fulfilled' && outcome.value.status === 'completed');
    const overheads = completed.map((outcome) => (outcome.value.ms - MODEL_CALLS * MODEL_LATENCY_MS) / MODEL_CALLS);
    // Steady state: gaps between consecutive model calls, minus the model's own latency.
    const stepGaps = completed.flatMap((outcome) => outcome.value.stepStartedAt.slice(1).map((at, index) => at - outcome.value.stepStartedAt[index]! - MODEL_LATENCY_MS));
    const firstStepDelays = completed.map((outcome) => (outcome.value.stepStartedAt[0] ?? 0) - outcome.value.startedAt);
    const errors = settled.length - completed.length;
    const firstError = settled.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult | undefined;
    const peakRss = peakRssBytes(keel.pid);
    Object.assign(results, {
      completed: completed.length,
      errors,
      firstError: firstError ? String(firstError.reason) : null,
      wallSeconds: round(wallMs / 1000, 1),
      overheadMsP50: round(median(overheads)),
      overheadMsP99: round(percentile(overheads, 0.99)),
      overheadMsMax: round(Math.max(...overheads)),
      stepGapOverheadMsP50: round(median(stepGaps)),
      stepGapOverheadMsP99: round(percentile(stepGaps, 0.99)),
      firstModelCallDelayMsP50: round(median(firstStepDelays)),
      firstModelCallDelayMsP99: round(percentile(firstStepDelays, 0.99)),
      cpuSecondsKeel: round((cpuMs(keel.pid) - cpuBefore.keel) / 1000, 1),
      cpuSecondsTemporal: round(((temporal.pid ? cpuMs(temporal.pid) : 0) - cpuBefore.temporal) / 1000, 1),
      peakRssKeelMiB: round(peakRss / 2 ** 20, 1),
      rssPerRunKiB: round((peakRss - baselineRss) / conversations / 1024, 1),
      peakRssTemporalMiB: temporal.pid ? round(peakRssBytes(temporal.pid) / 2 ** 20, 1) : null,
      measuredAt: new Date().toISOString(),
    });
  } finally {
    await environment.close();
  }
  console.table(results);
  const output = path.join(__dirname, 'results', quick ? 'scale-quick.json' : 'scale.json');
  mkdirSync(path.dirname(output), { recursive: true });
  writeFileSync(output, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), output)}`);
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
