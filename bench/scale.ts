// `npm run bench:scale [-- --quick]`: the highest step rate one 2-core box sustains with p99 step
// overhead <= 100 ms. Ramps the number of concurrent conversations (5 tool steps each, new file per
// step, streaming on, at 2 s model latency) level by level until p99 breaks the bound, everything on
// this machine. `-- --conversations=N` runs the older burst instead: N conversations started at once;
// per-step overhead = (wall time - 12 s) / 6, with p50/p99/max, errors, peak RSS and RSS per run.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ulid } from 'ulid';
import { startBenchEnvironment, stepScenario, userStepScenario } from './support/bench-environment';
import { runRampLevel, type RampLevel } from './support/scale-ramp';
import { followRun, type FollowedRun } from './support/keel-client';
import { cpuMs, peakRssBytes } from './support/proc-stats';
import { median, percentile, round } from './support/stats';

const quick = process.argv.includes('--quick');
const burst = process.argv.find((argument) => argument.startsWith('--conversations='))?.split('=')[1];
const conversations = Number(burst ?? (quick ? 100 : 1000));
/** p99 step overhead a level may have and still count as sustained. */
const P99_BOUND_MS = 100;
/** `--levels=1,10,50` picks the concurrencies to try. */
const levelsArgument = process.argv.find((argument) => argument.startsWith('--levels='))?.split('=')[1]?.split(',').map(Number);
const RAMP = {
  levels: levelsArgument ?? (quick ? [25, 50, 100] : [50, 100, 200, 300, 400, 500, 600, 800, 1000]),
  windowMs: quick ? 15_000 : 30_000,
};
const STEPS = 5;
const MODEL_LATENCY_MS = 2000;
const MODEL_CALLS = STEPS + 1;

/** Enough for the largest level's model requests within its window (one per 2 s per conversation). */
const RAMP_REQUEST_LOG_CAPACITY = 200_000;

async function ramp(): Promise<void> {
  const environment = await startBenchEnvironment({ requestLogCapacity: RAMP_REQUEST_LOG_CAPACITY });
  const { modelServer, keel, temporal } = environment;
  const levels: RampLevel[] = [];
  const name = `ramp-${ulid().toLowerCase()}`;
  modelServer.addScenario(userStepScenario(name, STEPS, MODEL_LATENCY_MS));
  const cpuBefore = { keel: cpuMs(keel.pid), temporal: temporal.pid ? cpuMs(temporal.pid) : 0 };
  const usage = { cpuSecondsKeel: 0, cpuSecondsTemporal: 0, peakRssKeelMiB: 0 };
  try {
    for (const concurrency of RAMP.levels) {
      const level = await runRampLevel(concurrency, { apiUrl: keel.apiUrl, apiKey: keel.apiKey, model: `local/${name}`, steps: STEPS, modelLatencyMs: MODEL_LATENCY_MS, windowMs: RAMP.windowMs, modelRequests: () => modelServer.requests({ scenario: name }) });
      levels.push(level);
      console.log(JSON.stringify(level));
      if (level.stepOverheadMsP99 > P99_BOUND_MS || level.errors > 0) break;
    }
    usage.cpuSecondsKeel = round((cpuMs(keel.pid) - cpuBefore.keel) / 1000, 1);
    usage.cpuSecondsTemporal = round(((temporal.pid ? cpuMs(temporal.pid) : 0) - cpuBefore.temporal) / 1000, 1);
    usage.peakRssKeelMiB = round(peakRssBytes(keel.pid) / 2 ** 20, 1);
  } finally {
    await environment.close();
  }
  const sustained = levels.filter((level) => level.stepOverheadMsP99 <= P99_BOUND_MS && level.errors === 0).at(-1);
  const results = {
    mode: quick ? 'quick' : 'full',
    p99BoundMs: P99_BOUND_MS,
    modelLatencyMs: MODEL_LATENCY_MS,
    steps: STEPS,
    windowSeconds: RAMP.windowMs / 1000,
    sustainedStepsPerSecond: sustained?.stepsPerSecond ?? 0,
    sustainedConcurrency: sustained?.concurrency ?? 0,
    /** The first level past the bound, or null when the ramp ran out of levels first. */
    brokeAt: levels.find((level) => level.stepOverheadMsP99 > P99_BOUND_MS || level.errors > 0) ?? null,
    levels,
    ...usage,
    measuredAt: new Date().toISOString(),
  };
  console.log(`sustained: ${results.sustainedStepsPerSecond} steps/s at ${results.sustainedConcurrency} conversations (p99 step overhead <= ${P99_BOUND_MS} ms)`);
  const output = path.join(__dirname, 'results', quick ? 'scale-quick.json' : 'scale.json');
  mkdirSync(path.dirname(output), { recursive: true });
  writeFileSync(output, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), output)}`);
}

async function main(): Promise<void> {
  if (burst === undefined) return ramp();
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
  const output = path.join(__dirname, 'results', `scale-burst-${conversations}.json`);
  mkdirSync(path.dirname(output), { recursive: true });
  writeFileSync(output, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), output)}`);
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
