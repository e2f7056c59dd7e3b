// Chaos: runs with side-effecting tools (write_file, bash appending to a counter file, edit_file)
// while the worker process is SIGKILLed at random moments and restarted each time. Nothing may be
// lost or applied twice: every run completes, each counter line and each edit appears once, the
// transcript and the event stream have no gaps, and a kill repeats at most one model call per run.
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { ulid } from 'ulid';
import { api } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';
import { recordReliability } from '../support/reliability-report';
import { killWorker, spawnWorker, waitForWorkerStarted } from '../support/worker-process';
import { CHAOS_MODE, mapConcurrently, randomBetween, sized, sleep } from './support/chaos-mode';
import { auditRun, followRun, type RunAudit } from './support/run-audit';

/** KEEL_CHAOS_RUNS overrides the count (a quick look while changing the suite). */
const RUNS = Number(process.env.KEEL_CHAOS_RUNS ?? sized({ bounded: 12, full: 100 }));
const CONCURRENCY = sized({ bounded: 12, full: 20 });
/** A started worker lives this long (ms, uniform) before each kill: long enough to make progress, short enough to land mid-step. */
const LIFETIME_MS = { low: 1500, high: 6000 };
const REDIS_URL = process.env.KEEL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Long enough that kills land mid-command and a run outlives several workers, however quiet the machine. */
const BASH_SLEEP_SECONDS = 3;

/** Turn by turn: three bash appends (each sleeps, so kills land mid-command), a file written once and edited twice. */
function killScenario(name: string) {
  const append = (line: number) => ({ toolCalls: [{ name: 'bash', arguments: { command: `echo ${line} >> counter.txt; sleep ${BASH_SLEEP_SECONDS}; echo appended ${line}` } }] });
  const edit = (line: number) => ({ toolCalls: [{ name: 'edit_file', arguments: { path: 'notes.md', old_text: 'END', new_text: `step-${line}\nEND` } }] });
  return {
    name,
    models: `${name}-*`,
    rules: [
      { turn: 0, reply: { toolCalls: [{ name: 'write_file', arguments: { path: 'notes.md', content: '# log\nEND\n' } }] } },
      { turn: 1, reply: append(1) },
      { turn: 2, reply: edit(2) },
      { turn: 3, reply: append(3) },
      { turn: 4, reply: edit(4) },
      { turn: 5, reply: append(5) },
      { turn: 6, reply: { text: 'Counter appended three times, notes edited twice.' } },
    ],
  };
}
const EXPECTED_COUNTER = '1\n3\n5\n';
const EXPECTED_NOTES = '# log\nstep-2\nstep-4\nEND\n';
const MODEL_TURNS = 7;

type TrialRun = { runId: string; model: string; startedAt: number; endedAt: number; audit: RunAudit };

describe(`worker SIGKILLed at random points under ${RUNS} side-effecting runs (${CHAOS_MODE})`, () => {
  let harness: Harness;
  let worker: ChildProcess | undefined;
  const spawnChaosWorker = () => spawnWorker(harness, {
    output: 'pipe',
    environment: {
      KEEL_UNSAFE_BASH: '1',
      REDIS_URL,
      KEEL_WORKFLOW_BUNDLE: process.env.KEEL_TEST_WORKFLOW_BUNDLE ?? '',
      LOG_LEVEL: 'info',
    },
  });

  beforeAll(async () => {
    harness = await startHarness({ worker: false, redisUrl: REDIS_URL });
  });
  afterAll(async () => {
    if (worker) await killWorker(worker);
    await harness?.close();
  });

  it('loses no run, applies no side effect twice, leaves no gap and repeats at most one model call per kill', async () => {
    const scenario = `kill-${ulid().toLowerCase()}`;
    harness.modelServer.addScenario(killScenario(scenario));
    const kills: number[] = [];
    const started = Date.now();
    let finished = 0;
    let running = true;
    let startupMs = 0;
    // The killer: a worker starts, lives a random while, dies by SIGKILL, and a new one takes its place.
    const killer = (async () => {
      while (running) {
        const spawnedAt = Date.now();
        worker = spawnChaosWorker();
        // KEEL_CHAOS_WORKER_LOG=<file> keeps every worker's log, to see what a lost run went through.
        if (process.env.KEEL_CHAOS_WORKER_LOG) worker.stdout?.pipe(createWriteStream(process.env.KEEL_CHAOS_WORKER_LOG, { flags: 'a' }));
        await waitForWorkerStarted(worker);
        startupMs = Math.max(startupMs, Date.now() - spawnedAt);
        await sleep(randomBetween(LIFETIME_MS.low, LIFETIME_MS.high));
        if (!running) break;
        await killWorker(worker);
        kills.push(Date.now());
      }
    })();
    const progress = setInterval(() => console.log(`[chaos.kill] ${Math.round((Date.now() - started) / 1000)} s: ${kills.length} kills, ${finished} of ${RUNS} runs finished`), 20_000);
    const runs = await mapConcurrently(Array.from({ length: RUNS }, (_, index) => index), CONCURRENCY, async (index): Promise<TrialRun> => {
      const model = `${scenario}-${index}`;
      const created = await api(harness.apiUrl, 'POST', '/v1/runs', {
        key: harness.keys.a,
        body: { message: `Keep a counter (${model})`, model: `local/${model}`, tools: ['write_file', 'edit_file', 'bash'], limits: { heartbeatTimeoutSeconds: 2 } },
      });
      expect(created.status).toBe(202);
      const runId = created.body.id as string;
      const startedAt = Date.now();
      const live = await followRun(harness.apiUrl, harness.keys.a, runId, sized({ bounded: 400_000, full: 1_800_000 }));
      const endedAt = Date.now();
      finished += 1;
      return { runId, model, startedAt, endedAt, audit: await auditRun(harness.apiUrl, harness.keys.a, runId, live) };
    }).finally(() => {
      running = false;
      clearInterval(progress);
    });
    await killer;
    const durationSeconds = Math.round((Date.now() - started) / 1000);

    const workspace = (runId: string) => path.join(harness.config.workspaceRoot, harness.tenantIds.a, runId);
    const read = (file: string) => { try { return readFileSync(file, 'utf8'); } catch { return '(missing)'; } };
    let duplicateSideEffects = 0;
    let missingSideEffects = 0;
    let repeatedModelCalls = 0;
    let repeatsOverKills = 0;
    const killsPerRun: number[] = [];
    const problems: string[] = [];
    for (const run of runs) {
      const counter = read(path.join(workspace(run.runId), 'counter.txt'));
      const notes = read(path.join(workspace(run.runId), 'notes.md'));
      const counterLines = counter.split('\n').filter(Boolean);
      if (counter !== EXPECTED_COUNTER) {
        problems.push(`${run.runId}: counter.txt is ${JSON.stringify(counter)}; bash results: ${run.audit.toolResults.filter((line) => line.includes(' bash')).join(' | ')}`);
        duplicateSideEffects += Math.max(0, counterLines.length - new Set(counterLines).size);
        missingSideEffects += 3 - new Set(counterLines).size;
      }
      if (notes !== EXPECTED_NOTES) {
        problems.push(`${run.runId}: notes.md is ${JSON.stringify(notes)}`);
        duplicateSideEffects += Math.max(0, (notes.match(/step-/g) ?? []).length - 2);
      }
      const requests = harness.modelServer.requests({ model: run.model });
      const turns = new Set(requests.map((request) => request.turn));
      const repeats = requests.length - turns.size;
      const killsDuring = kills.filter((at) => at >= run.startedAt && at <= run.endedAt).length;
      killsPerRun.push(killsDuring);
      repeatedModelCalls += repeats;
      if (repeats > killsDuring) {
        repeatsOverKills += 1;
        problems.push(`${run.runId}: ${repeats} repeated model calls across ${killsDuring} kills`);
      }
      if (run.audit.status !== 'completed') problems.push(`${run.runId}: ended ${run.audit.status}: ${run.audit.error ?? '(no error)'}`);
      if (turns.size !== MODEL_TURNS) problems.push(`${run.runId}: the model saw turns ${[...turns].join(',')}`);
      for (const problem of [...run.audit.transcriptProblems, ...run.audit.eventProblems]) problems.push(`${run.runId}: ${problem}`);
    }
    const runsLost = runs.filter((run) => run.audit.status !== 'completed').length;
    const transcriptGaps = runs.reduce((sum, run) => sum + run.audit.transcriptProblems.length, 0);
    const eventGaps = runs.reduce((sum, run) => sum + run.audit.eventProblems.length, 0);
    const runsKilledMidway = killsPerRun.filter((count) => count > 0).length;
    const figures = {
      runs: RUNS,
      kills: kills.length,
      runsKilledMidway,
      killsPerRunMax: Math.max(...killsPerRun),
      killsPerRunMean: Number((killsPerRun.reduce((sum, count) => sum + count, 0) / RUNS).toFixed(2)),
      runsLost,
      duplicateSideEffects,
      missingSideEffects,
      transcriptGaps,
      eventGaps,
      repeatedModelCalls,
      runsWithMoreRepeatsThanKills: repeatsOverKills,
      slowestWorkerStartMs: startupMs,
      durationSeconds,
    };
    console.log(`[chaos.kill] ${JSON.stringify(figures)}${problems.length ? `\n${problems.slice(0, 40).join('\n')}` : ''}`);
    recordReliability('chaos.worker-kill', CHAOS_MODE, { killTrials: RUNS, runsLost, duplicateSideEffects }, figures);

    expect(problems).toEqual([]);
    expect(runsLost).toBe(0);
    expect(duplicateSideEffects).toBe(0);
    expect(missingSideEffects).toBe(0);
    expect(transcriptGaps).toBe(0);
    expect(eventGaps).toBe(0);
    expect(repeatsOverKills).toBe(0);
    // The trial only proves something if the kills hit live runs, several times.
    expect(kills.length).toBeGreaterThanOrEqual(sized({ bounded: 2, full: 15 }));
    expect(runsKilledMidway).toBeGreaterThanOrEqual(Math.ceil(RUNS * 0.8));
  }, sized({ bounded: 600_000, full: 3_600_000 }));
});
