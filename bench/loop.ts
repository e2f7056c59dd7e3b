// `npm run bench:loop [-- --quick] [-- --smoke] [-- --pglite]`: what durability costs per agent step. Starts the
// local model server, a tuned Temporal dev server on free ports, Keel (API + worker) in its own
// process and the textbook Temporal loop's worker in another; runs the same conversations through a
// bare in-process loop, the textbook loop (regular and local activities) and Keel's public HTTP path
// in one invocation; prints a table and writes bench/results/loop.json with Keel's figures as
// ratios to the references measured in the same run.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ulid } from 'ulid';
import { startBenchEnvironment, stepScenario, userStepScenario } from './support/bench-environment';
import { runBareLoop } from './support/bare-loop';
import { historyBytes } from './support/history-size';
import { followRun } from './support/keel-client';
import { cpuMs, cpuMsByThread, peakRssBytes } from './support/proc-stats';
import { median, percentile, round } from './support/stats';
import { startTextbookReference } from './support/textbook/textbook-reference';
import { formatSplit, splitProfile } from './support/step-split';

const quick = process.argv.includes('--quick');
/** `--smoke` (the test suite's check that every part runs): one or two repetitions and a shorter huge run that still continues-as-new; its numbers mean nothing. */
const smoke = process.argv.includes('--smoke');
const usePglite = process.argv.includes('--pglite');
/** `--only long,huge` runs a subset (for profiling); results then lack the skipped fields. */
const only = process.argv.find((argument) => argument.startsWith('--only='))?.slice('--only='.length).split(',');
const runs = (scenario: string) => !only || only.includes(scenario);
/** `--output=<file>` writes the results elsewhere (the CI smoke test does, leaving the committed numbers alone). */
const outputFile = path.resolve(process.argv.find((argument) => argument.startsWith('--output='))?.slice('--output='.length) ?? path.join(__dirname, 'results', 'loop.json'));

const PLAN = smoke
  ? { warmup: 1, reps0: 2, repsUser: 2, reps100: 1, oneStepReps: 3, long: 300, huge: 1200, hugeHistoryEvents: 600 }
  : quick
    ? { warmup: 2, reps0: 8, repsUser: 6, reps100: 2, oneStepReps: 10, long: 300, huge: 5000, hugeHistoryEvents: undefined }
    : { warmup: 3, reps0: 20, repsUser: 20, reps100: 5, oneStepReps: 20, long: 300, huge: 5000, hugeHistoryEvents: undefined };

async function main(): Promise<void> {
  const started = Date.now();
  const environment = await startBenchEnvironment({ pglite: usePglite });
  const { scratch, modelServer, temporal, temporalClient, keel } = environment;
  const textbook = await startTextbookReference({ temporalClient, temporalAddress: temporal.address, modelServerUrl: `${modelServer.url}/v1`, scratch });
  const results: Record<string, unknown> = {};
  const rows: string[][] = [];

  /** Keel as users start it: streaming on (the API default) unless a scenario says otherwise. */
  const keelRun = async (name: string, steps: number, extra: Record<string, unknown> = {}, limits: Record<string, number> = {}) =>
    followRun(keel.apiUrl, keel.apiKey, { message: `bench ${name} ${ulid()}`, model: `local/${name}`, limits: { maxSteps: steps + 1, ...limits }, ...extra });
  const bareRun = async (name: string, steps: number) => {
    const begin = performance.now();
    await runBareLoop({ baseURL: `${modelServer.url}/v1`, model: name, message: `bench ${name} ${ulid()}`, workspace: path.join(scratch, 'bare', ulid()), maxSteps: steps + 1 });
    return performance.now() - begin;
  };
  const textbookRun = async (name: string, steps: number, local: boolean) =>
    (await textbook.run({ model: name, message: `bench ${name} ${ulid()}`, maxSteps: steps + 1, local })).ms;

  try {
    // N=20 at 0 ms model latency, the same file rewritten, streaming off: the scenario kept from
    // earlier rounds so their numbers stay comparable.
    if (runs('zero')) {
    const zero = `bench-zero-${ulid().toLowerCase()}`;
    modelServer.addScenario(stepScenario(zero, 20, 0));
    for (let index = 0; index < PLAN.warmup; index += 1) { await bareRun(zero, 20); await keelRun(zero, 20, { stream: false }); }
    const overheads: number[] = [];
    const bareTimes: number[] = [];
    const keelTimes: number[] = [];
    for (let index = 0; index < PLAN.reps0; index += 1) {
      const bare = await bareRun(zero, 20);
      const run = await keelRun(zero, 20, { stream: false });
      bareTimes.push(bare);
      keelTimes.push(run.ms);
      overheads.push((run.ms - bare) / 20);
    }
    results.overheadMsP50 = round(median(overheads));
    results.overheadMsP99 = round(percentile(overheads, 0.99));
    rows.push(['N=20, 0 ms, same file, stream off', `${round(median(bareTimes))} ms`, `${round(median(keelTimes))} ms`, `${results.overheadMsP50} / ${results.overheadMsP99} ms`, `${round(median(keelTimes) / median(bareTimes))}x`]);
    }

    // N=20 at 0 ms as users run it: streaming on, a new file each step (the workspace grows), beside
    // the textbook loop on regular and on local activities, interleaved so drift hits all alike.
    if (runs('user')) {
    const user = `bench-user-${ulid().toLowerCase()}`;
    modelServer.addScenario(userStepScenario(user, 20, 0));
    for (let index = 0; index < PLAN.warmup; index += 1) {
      await bareRun(user, 20); await keelRun(user, 20); await textbookRun(user, 20, false); await textbookRun(user, 20, true);
    }
    const samples = { bare: [] as number[], keel: [] as number[], textbook: [] as number[], textbookLocal: [] as number[] };
    for (let index = 0; index < PLAN.repsUser; index += 1) {
      const bare = await bareRun(user, 20);
      samples.bare.push(bare);
      samples.keel.push(((await keelRun(user, 20)).ms - bare) / 20);
      samples.textbook.push(((await textbookRun(user, 20, false)) - bare) / 20);
      samples.textbookLocal.push(((await textbookRun(user, 20, true)) - bare) / 20);
    }
    results.userOverheadMsP50 = round(median(samples.keel));
    results.userOverheadMsP99 = round(percentile(samples.keel, 0.99));
    results.textbookOverheadMsP50 = round(median(samples.textbook));
    results.textbookLocalOverheadMsP50 = round(median(samples.textbookLocal));
    results.overheadRatioToTextbook = round(median(samples.keel) / median(samples.textbook), 3);
    results.overheadRatioToTextbookLocal = round(median(samples.keel) / median(samples.textbookLocal), 3);
    rows.push(['N=20, 0 ms, new file, stream on', `${round(median(samples.bare))} ms`, `overhead ${results.userOverheadMsP50} / ${results.userOverheadMsP99} ms`, `textbook ${results.textbookOverheadMsP50} ms, local ${results.textbookLocalOverheadMsP50} ms`, `Keel/textbook ${results.overheadRatioToTextbook}x, Keel/local ${results.overheadRatioToTextbookLocal}x`]);
    }

    // N=20 at 100 ms model latency, as users run it.
    if (runs('slow')) {
    const slow = `bench-slow-${ulid().toLowerCase()}`;
    modelServer.addScenario(userStepScenario(slow, 20, 100));
    const slowBare: number[] = [];
    const slowKeel: number[] = [];
    const slowTextbook: number[] = [];
    const slowTextbookLocal: number[] = [];
    for (let index = 0; index < PLAN.reps100; index += 1) {
      slowBare.push(await bareRun(slow, 20));
      slowKeel.push((await keelRun(slow, 20)).ms);
      slowTextbook.push(await textbookRun(slow, 20, false));
      slowTextbookLocal.push(await textbookRun(slow, 20, true));
    }
    results.ratioAt100ms = round(median(slowKeel) / median(slowBare), 3);
    results.textbookRatioAt100ms = round(median(slowTextbook) / median(slowBare), 3);
    results.textbookLocalRatioAt100ms = round(median(slowTextbookLocal) / median(slowBare), 3);
    rows.push(['N=20, 100 ms model', `${round(median(slowBare))} ms`, `${round(median(slowKeel))} ms`, `textbook ${results.textbookRatioAt100ms}x, local ${results.textbookLocalRatioAt100ms}x`, `Keel ${results.ratioAt100ms}x bare`]);
    }

    // One tool step, then the answer: the latency a user feels for a short run (Keel: HTTP in, SSE
    // out; the textbook loop: start the workflow and await its result).
    if (runs('one')) {
    const one = `bench-one-${ulid().toLowerCase()}`;
    modelServer.addScenario(userStepScenario(one, 1, 0));
    const oneKeel: number[] = [];
    const oneBare: number[] = [];
    const oneTextbook: number[] = [];
    for (let index = 0; index < PLAN.oneStepReps; index += 1) {
      oneBare.push(await bareRun(one, 1));
      oneKeel.push((await keelRun(one, 1)).ms);
      oneTextbook.push(await textbookRun(one, 1, false));
    }
    results.oneStepMsP50 = round(median(oneKeel));
    results.textbookOneStepMsP50 = round(median(oneTextbook));
    results.oneStepRatioToTextbook = round(median(oneKeel) / median(oneTextbook), 3);
    rows.push(['1-step conversation', `${round(median(oneBare))} ms`, `${results.oneStepMsP50} ms (p99 ${round(percentile(oneKeel, 0.99))})`, `textbook ${results.textbookOneStepMsP50} ms`, `Keel/textbook ${results.oneStepRatioToTextbook}x`]);
    }

    // 300 steps as users run them: CPU per step of Keel and of the textbook local loop (each worker
    // process plus the Temporal server), and history size.
    const temporalPid = temporal.pid;
    const serverCpu = () => (temporalPid ? cpuMs(temporalPid) : 0);
    if (runs('long')) {
    const long = `bench-long-${ulid().toLowerCase()}`;
    modelServer.addScenario(userStepScenario(long, PLAN.long, 0));
    const cpuBefore = { keel: cpuMs(keel.pid), temporal: serverCpu() };
    const threadsBefore = cpuMsByThread(keel.pid);
    const longRun = await keelRun(long, PLAN.long);
    const cpuAfter = { keel: cpuMs(keel.pid), temporal: serverCpu() };
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
    const textbookBefore = { worker: cpuMs(textbook.pid), temporal: serverCpu() };
    const textbookLong = await textbook.run({ model: long, message: `bench ${long} ${ulid()}`, maxSteps: PLAN.long + 1, local: true });
    const textbookCpu = { worker: (cpuMs(textbook.pid) - textbookBefore.worker) / PLAN.long, temporal: (serverCpu() - textbookBefore.temporal) / PLAN.long };
    const textbookHistory = await historyBytes(temporalClient, textbookLong.workflowId);
    results.textbookLocalCpuMsPerStep = round(textbookCpu.worker + textbookCpu.temporal);
    results.textbookLocalHistoryBytes300 = textbookHistory.bytes;
    results.cpuRatioToTextbookLocal = round((keelCpu + temporalCpu) / (textbookCpu.worker + textbookCpu.temporal), 3);
    const longBare = await bareRun(long, PLAN.long);
    rows.push([`${PLAN.long}-step conversation`, `${round(longBare)} ms`, `${round(longRun.ms)} ms`, `${round((longRun.ms - longBare) / PLAN.long)} ms`, `history ${history.bytes} B (textbook local ${textbookHistory.bytes} B), ${results.eventsPerStep300} events/step; CPU ${results.cpuMsPerStep} ms/step (worker ${results.cpuMsPerStepWorker} + server ${results.cpuMsPerStepServer}), textbook local ${results.textbookLocalCpuMsPerStep} ms: ${results.cpuRatioToTextbookLocal}x`]);
    }

    // The very long conversation: completes, with flat per-step cost (first tenth vs last tenth).
    if (runs('huge')) {
    const huge = `bench-huge-${ulid().toLowerCase()}`;
    modelServer.addScenario(stepScenario(huge, PLAN.huge, 0));
    const hugeRun = await keelRun(huge, PLAN.huge, { stream: false }, PLAN.hugeHistoryEvents ? { historyEventsBeforeContinueAsNew: PLAN.hugeHistoryEvents } : {});
    const stepTimes = hugeRun.stepStartedAt;
    const tenth = Math.max(1, Math.floor(stepTimes.length / 10));
    const firstTenth = (stepTimes[tenth]! - stepTimes[0]!) / tenth;
    const lastTenth = (stepTimes[stepTimes.length - 1]! - stepTimes[stepTimes.length - 1 - tenth]!) / tenth;
    const hugeHistory = await historyBytes(temporalClient, hugeRun.runId);
    results.completedHuge = hugeRun.status === 'completed' && hugeRun.steps === PLAN.huge + 1;
    if (PLAN.huge === 5000) results.completed5000 = results.completedHuge;
    results.hugeSteps = PLAN.huge;
    results.hugeStepMsFirstTenth = round(firstTenth);
    results.hugeStepMsLastTenth = round(lastTenth);
    results.hugeHistoryBytes = hugeHistory.bytes;
    results.hugeContinuedRuns = hugeHistory.runs;
    rows.push([`${PLAN.huge}-step conversation`, '-', `${round(hugeRun.ms)} ms, ${hugeRun.status}`, `${round(firstTenth)} → ${round(lastTenth)} ms/step`, `history ${hugeHistory.bytes} B over ${hugeHistory.runs} runs`]);
    }

    results.peakRssKeelBytes = peakRssBytes(keel.pid);
    results.peakRssTemporalBytes = temporalPid ? peakRssBytes(temporalPid) : null;
    results.peakRssTextbookBytes = peakRssBytes(textbook.pid);
    results.mode = smoke ? 'smoke' : quick ? 'quick' : 'full';
    results.database = usePglite ? 'pglite' : 'postgres';
    results.machine = `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, node ${process.version}`;
    results.measuredAt = new Date().toISOString();
  } finally {
    await textbook.close();
    await environment.close();
  }
  // Profiled (KEEL_BENCH_CPU_PROF=1): where the Keel process's main thread spent each step.
  const profile = process.env.KEEL_BENCH_CPU_PROF ? mainThreadProfile(keel.pid) : undefined;
  if (profile) {
    const split = splitProfile(profile);
    const steps = only?.length === 1 && only[0] === 'long' ? PLAN.long + 1 : undefined;
    console.log(`\nmain thread of the Keel process by part of a step (${path.basename(profile)}):\n${formatSplit(split, steps)}`);
    if (steps) results.mainThreadMsPerStepByPart = Object.fromEntries(Object.entries(split).filter(([part]) => part !== 'start-up').map(([part, ms]) => [part, round(ms / steps)]));
  }

  printTable(rows);
  console.log(`\npeak RSS: keel ${round(Number(results.peakRssKeelBytes) / 2 ** 20, 1)} MiB, textbook worker ${round(Number(results.peakRssTextbookBytes) / 2 ** 20, 1)} MiB, temporal ${round(Number(results.peakRssTemporalBytes) / 2 ** 20, 1)} MiB; total ${round((Date.now() - started) / 1000, 1)} s`);
  mkdirSync(path.dirname(outputFile), { recursive: true });
  writeFileSync(outputFile, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), outputFile)}`);
}

/** The newest V8 profile of the process's main thread (`--cpu-prof` names it CPU.<date>.<time>.<pid>.0.<n>). */
function mainThreadProfile(pid: number): string | undefined {
  const folder = path.join(__dirname, 'results');
  const files = readdirSync(folder).filter((name) => name.endsWith('.cpuprofile') && name.includes(`.${pid}.0.`)).sort();
  const newest = files.at(-1);
  return newest === undefined ? undefined : path.join(folder, newest);
}

function printTable(rows: string[][]): void {
  const header = ['scenario', 'bare loop', 'Keel', 'references', 'notes'];
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
