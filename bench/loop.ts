// `npm run bench:loop [-- --quick] [-- --pglite]`: what durability costs per agent step. Starts the
// local model server, a tuned Temporal dev server on free ports, and Keel (API + worker) in its own
// process; runs the same conversations through a bare in-process loop and through Keel's public
// HTTP path; prints a table and writes bench/results/loop.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ulid } from 'ulid';
import { startBenchEnvironment, stepScenario } from './support/bench-environment';
import { runBareLoop } from './support/bare-loop';
import { historyBytes } from './support/history-size';
import { followRun } from './support/keel-client';
import { cpuMs, cpuMsByThread, peakRssBytes } from './support/proc-stats';
import { median, percentile, round } from './support/stats';

const quick = process.argv.includes('--quick');
const usePglite = process.argv.includes('--pglite');
/** `--only long,huge` runs a subset (for profiling); results then lack the skipped fields. */
const only = process.argv.find((argument) => argument.startsWith('--only='))?.slice('--only='.length).split(',');
const runs = (scenario: string) => !only || only.includes(scenario);
/** `--output=<file>` writes the results elsewhere (the CI smoke test does, leaving the committed numbers alone). */
const outputFile = path.resolve(process.argv.find((argument) => argument.startsWith('--output='))?.slice('--output='.length) ?? path.join(__dirname, 'results', 'loop.json'));

const PLAN = quick
  ? { warmup: 2, reps0: 8, reps100: 2, oneStepReps: 10, long: 300, huge: 5000 }
  : { warmup: 3, reps0: 20, reps100: 5, oneStepReps: 20, long: 300, huge: 5000 };

async function main(): Promise<void> {
  const started = Date.now();
  const environment = await startBenchEnvironment({ pglite: usePglite });
  const { scratch, modelServer, temporal, temporalClient, keel } = environment;
  const results: Record<string, unknown> = {};
  const rows: string[][] = [];

  const keelRun = async (name: string, steps: number, extra: Record<string, unknown> = {}) =>
    followRun(keel.apiUrl, keel.apiKey, { message: `bench ${name} ${ulid()}`, model: `local/${name}`, stream: false, limits: { maxSteps: steps + 1 }, ...extra });
  const bareRun = async (name: string, steps: number) => {
    const begin = performance.now();
    await runBareLoop({ baseURL: `${modelServer.url}/v1`, model: name, message: `bench ${name} ${ulid()}`, workspace: path.join(scratch, 'bare', ulid()), maxSteps: steps + 1 });
    return performance.now() - begin;
  };

  try {
    // N=20 at 0 ms model latency.
    if (runs('zero')) {
    const zero = `bench-zero-${ulid().toLowerCase()}`;
    modelServer.addScenario(stepScenario(zero, 20, 0));
    for (let index = 0; index < PLAN.warmup; index += 1) { await bareRun(zero, 20); await keelRun(zero, 20); }
    const overheads: number[] = [];
    const bareTimes: number[] = [];
    const keelTimes: number[] = [];
    for (let index = 0; index < PLAN.reps0; index += 1) {
      const bare = await bareRun(zero, 20);
      const run = await keelRun(zero, 20);
      bareTimes.push(bare);
      keelTimes.push(run.ms);
      overheads.push((run.ms - bare) / 20);
    }
    results.overheadMsP50 = round(median(overheads));
    results.overheadMsP99 = round(percentile(overheads, 0.99));
    rows.push(['N=20, 0 ms model', `${round(median(bareTimes))} ms`, `${round(median(keelTimes))} ms`, `${results.overheadMsP50} / ${results.overheadMsP99} ms`, `${round(median(keelTimes) / median(bareTimes))}x`]);

    }
    // N=20 at 100 ms model latency.
    if (runs('slow')) {
    const slow = `bench-slow-${ulid().toLowerCase()}`;
    modelServer.addScenario(stepScenario(slow, 20, 100));
    const slowBare: number[] = [];
    const slowKeel: number[] = [];
    const slowOverheads: number[] = [];
    for (let index = 0; index < PLAN.reps100; index += 1) {
      const bare = await bareRun(slow, 20);
      const run = await keelRun(slow, 20);
      slowBare.push(bare);
      slowKeel.push(run.ms);
      slowOverheads.push((run.ms - bare) / 20);
    }
    results.ratioAt100ms = round(median(slowKeel) / median(slowBare), 3);
    rows.push(['N=20, 100 ms model', `${round(median(slowBare))} ms`, `${round(median(slowKeel))} ms`, `${round(median(slowOverheads))} / ${round(percentile(slowOverheads, 0.99))} ms`, `${results.ratioAt100ms}x`]);

    }
    // One tool step, then the answer: the latency a user feels for a short run.
    if (runs('one')) {
    const one = `bench-one-${ulid().toLowerCase()}`;
    modelServer.addScenario(stepScenario(one, 1, 0));
    const oneKeel: number[] = [];
    const oneBare: number[] = [];
    for (let index = 0; index < PLAN.oneStepReps; index += 1) {
      oneBare.push(await bareRun(one, 1));
      oneKeel.push((await keelRun(one, 1)).ms);
    }
    results.oneStepMsP50 = round(median(oneKeel));
    rows.push(['1-step conversation', `${round(median(oneBare))} ms`, `${results.oneStepMsP50} ms (p99 ${round(percentile(oneKeel, 0.99))})`, `${round((median(oneKeel) - median(oneBare)) / 1)} ms`, `${round(median(oneKeel) / median(oneBare))}x`]);

    }
    // 300 steps: CPU per step of Keel and of the Temporal server, history size.
    const temporalPid = temporal.pid;
    if (runs('long')) {
    const long = `bench-long-${ulid().toLowerCase()}`;
    modelServer.addScenario(stepScenario(long, PLAN.long, 0));
    const cpuBefore = { keel: cpuMs(keel.pid), temporal: temporalPid ? cpuMs(temporalPid) : 0 };
    const threadsBefore = cpuMsByThread(keel.pid);
    const longRun = await keelRun(long, PLAN.long);
    const cpuAfter = { keel: cpuMs(keel.pid), temporal: temporalPid ? cpuMs(temporalPid) : 0 };
    const threadsAfter = cpuMsByThread(keel.pid);
    results.cpuMsPerStepByThread = Object.fromEntries([...threadsAfter]
      .map(([name, after]) => [name, round((after - (threadsBefore.get(name) ?? 0)) / PLAN.long)] as const)
      .filter(([, perStep]) => perStep > 0.05)
      .sort((a, b) => b[1] - a[1]));
    const history = await historyBytes(temporalClient, longRun.runId);
    const keelCpu = (cpuAfter.keel - cpuBefore.keel) / PLAN.long;
    const temporalCpu = (cpuAfter.temporal - cpuBefore.temporal) / PLAN.long;
    results.cpuMsPerStep = round(keelCpu + temporalCpu);
    results.cpuMsPerStepWorker = round(keelCpu);
    results.cpuMsPerStepServer = round(temporalCpu);
    results.historyBytes300 = history.bytes;
    results.eventsPerStep300 = round(history.events / PLAN.long);
    const longBare = await bareRun(long, PLAN.long);
    rows.push([`${PLAN.long}-step conversation`, `${round(longBare)} ms`, `${round(longRun.ms)} ms`, `${round((longRun.ms - longBare) / PLAN.long)} ms`, `history ${history.bytes} B, ${results.eventsPerStep300} events/step, CPU ${results.cpuMsPerStep} ms/step (worker ${results.cpuMsPerStepWorker} + server ${results.cpuMsPerStepServer})`]);

    }
    // The very long conversation: completes, with flat per-step cost (first tenth vs last tenth).
    if (runs('huge')) {
    const huge = `bench-huge-${ulid().toLowerCase()}`;
    modelServer.addScenario(stepScenario(huge, PLAN.huge, 0));
    const hugeRun = await keelRun(huge, PLAN.huge, { stream: false });
    const stepTimes = hugeRun.stepStartedAt;
    const tenth = Math.max(1, Math.floor(stepTimes.length / 10));
    const firstTenth = (stepTimes[tenth]! - stepTimes[0]!) / tenth;
    const lastTenth = (stepTimes[stepTimes.length - 1]! - stepTimes[stepTimes.length - 1 - tenth]!) / tenth;
    const hugeHistory = await historyBytes(temporalClient, hugeRun.runId);
    results.completed5000 = hugeRun.status === 'completed' && hugeRun.steps === PLAN.huge + 1;
    results.hugeSteps = PLAN.huge;
    results.hugeStepMsFirstTenth = round(firstTenth);
    results.hugeStepMsLastTenth = round(lastTenth);
    results.hugeHistoryBytes = hugeHistory.bytes;
    results.hugeContinuedRuns = hugeHistory.runs;
    rows.push([`${PLAN.huge}-step conversation`, '-', `${round(hugeRun.ms)} ms, ${hugeRun.status}`, `${round(firstTenth)} → ${round(lastTenth)} ms/step`, `history ${hugeHistory.bytes} B over ${hugeHistory.runs} runs`]);
    }

    results.peakRssKeelBytes = peakRssBytes(keel.pid);
    results.peakRssTemporalBytes = temporalPid ? peakRssBytes(temporalPid) : null;
    results.mode = quick ? 'quick' : 'full';
    results.database = usePglite ? 'pglite' : 'postgres';
    results.machine = `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, node ${process.version}`;
    results.measuredAt = new Date().toISOString();
  } finally {
    await environment.close();
  }

  printTable(rows);
  console.log(`\npeak RSS: keel ${round(Number(results.peakRssKeelBytes) / 2 ** 20, 1)} MiB, temporal ${round(Number(results.peakRssTemporalBytes) / 2 ** 20, 1)} MiB; total ${round((Date.now() - started) / 1000, 1)} s`);
  mkdirSync(path.dirname(outputFile), { recursive: true });
  writeFileSync(outputFile, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), outputFile)}`);
}

function printTable(rows: string[][]): void {
  const header = ['scenario', 'bare loop', 'Keel', 'overhead/step p50 / p99', 'notes'];
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  for (const [index, row] of all.entries()) {
    console.log(`| ${row.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`);
    if (index === 0) console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  }
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
