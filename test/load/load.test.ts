// Load: many concurrent runs started over HTTP, each followed by its own SSE client, on one worker
// in its own process (so its RSS is its own). Counts errors (a refused start, a stream that broke or
// ended without its terminal event, a run that did not complete) and reports API and worker RSS
// before, at the peak and after. `KEEL_LOAD_SOAK=1` keeps runs going for ten minutes instead and
// reports the RSS slope.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ulid } from 'ulid';
import { TERMINAL_EVENT_TYPES } from '../../core/events';
import { api } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';
import { recordReliability } from '../support/reliability-report';
import { killWorker, spawnWorker, waitForWorkerStarted } from '../support/worker-process';
import { CHAOS_MODE, mapConcurrently, sized, sleep } from '../chaos/support/chaos-mode';
import { followRun } from '../chaos/support/run-audit';

const SOAK = process.env.KEEL_LOAD_SOAK === '1';
const RUNS = Number(process.env.KEEL_LOAD_RUNS ?? sized({ bounded: 150, full: 500 }));
const SOAK_MS = Number(process.env.KEEL_LOAD_SOAK_SECONDS ?? 600) * 1000;
const SOAK_CONCURRENCY = 50;
const REDIS_URL = process.env.KEEL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const MB = 1024 * 1024;
/** The worker's V8 heap cap, as a container of about 1.5 GiB would set it. */
const WORKER_HEAP_MB = 512;
/**
 * The worker's RSS bound: its base (about 400 MB), its workflow cache (250 workflows at about 2 MB,
 * worker/create-worker.ts) and the steps in flight. It holds however many runs come: the cache, not
 * the number of runs, bounds it.
 */
const WORKER_RSS_BOUND_MB = 1280;

function rssOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kilobytes / 1024);
}

/** Least-squares slope of (minute, MB) samples. */
function slopeMbPerMinute(samples: Array<{ minute: number; mb: number }>): number {
  const n = samples.length;
  if (n < 2) return 0;
  const meanX = samples.reduce((sum, sample) => sum + sample.minute, 0) / n;
  const meanY = samples.reduce((sum, sample) => sum + sample.mb, 0) / n;
  const numerator = samples.reduce((sum, sample) => sum + (sample.minute - meanX) * (sample.mb - meanY), 0);
  const denominator = samples.reduce((sum, sample) => sum + (sample.minute - meanX) ** 2, 0);
  return denominator === 0 ? 0 : Number((numerator / denominator).toFixed(2));
}

/**
 * Where a run that did not finish stands in its Temporal history: the tally of event types, the
 * kinds of timeouts (a sticky queue's schedule-to-start timeout sends the task back to the normal
 * queue and replays it), and the last events. It points a stall at the server or at the worker.
 */
async function describeStalledRun(harness: Harness, runId: string): Promise<string> {
  try {
    const history = await harness.api.client.workflow.getHandle(runId).fetchHistory();
    const events = history.events ?? [];
    const tally: Record<string, number> = {};
    for (const event of events) {
      const type = String(event.eventType ?? 'unknown').replace('EVENT_TYPE_', '');
      tally[type] = (tally[type] ?? 0) + 1;
    }
    const timeouts = events
      .map((event) => event.workflowTaskTimedOutEventAttributes?.timeoutType)
      .filter((timeout) => timeout !== undefined && timeout !== null)
      .map(String);
    const last = events.slice(-4).map((event) => String(event.eventType ?? '').replace('EVENT_TYPE_', '')).join(' > ');
    return `${runId}: ${events.length} events ${JSON.stringify(tally)} workflow-task timeouts [${timeouts.join(',')}] last: ${last}`;
  } catch (error) {
    return `${runId}: history unreadable (${error instanceof Error ? error.message : String(error)})`;
  }
}

describe(SOAK ? 'a ten-minute soak on one worker' : `${RUNS} concurrent runs over HTTP, each followed over SSE, on one worker (${CHAOS_MODE})`, () => {
  let harness: Harness;
  let worker: ChildProcess;
  const scenario = `load-${ulid().toLowerCase()}`;

  beforeAll(async () => {
    // It measures runs, not the API's request limits: a 500-run burst polls faster than a person would.
    harness = await startHarness({ worker: false, redisUrl: REDIS_URL, environment: { KEEL_RATE_LIMIT_PER_KEY: '0', KEEL_RATE_LIMIT_PER_TENANT: '0' } });
    harness.modelServer.addScenario({
      name: scenario,
      models: `${scenario}*`,
      rules: [
        { turn: 0, reply: { text: 'Writing it down. ', toolCalls: [{ name: 'write_file', arguments: { path: 'note.md', content: 'load\n' } }] } },
        { reply: { text: 'Done: the note is written.' } },
      ],
    });
    // The worker runs as in a container with a memory limit: V8's heap capped (otherwise it grows
    // lazily toward its default of a quarter of the machine before collecting). KEEL_LOAD_WORKER_NODE_OPTIONS
    // replaces the flags.
    const workerNodeOptions = process.env.KEEL_LOAD_WORKER_NODE_OPTIONS ?? `--max-old-space-size=${WORKER_HEAP_MB}`;
    worker = spawnWorker(harness, { output: 'pipe', environment: { REDIS_URL, KEEL_WORKFLOW_BUNDLE: process.env.KEEL_TEST_WORKFLOW_BUNDLE ?? '', LOG_LEVEL: 'info', ...(workerNodeOptions && { NODE_OPTIONS: workerNodeOptions }) } });
    await waitForWorkerStarted(worker, 120_000);
  }, 180_000);
  afterAll(async () => {
    if (worker) await killWorker(worker);
    await harness?.close();
  });

  /** One run as a client sees it: started over HTTP, followed over SSE to its terminal event; the problem, if any. */
  const oneRun = async (label: string): Promise<string | undefined> => {
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: `Write a note (${label})`, model: `local/${scenario}`, tools: ['write_file'] } });
    if (created.status !== 202) return `start answered ${created.status}: ${JSON.stringify(created.body).slice(0, 200)}`;
    const events = await followRun(harness.apiUrl, harness.keys.a, created.body.id as string, 600_000);
    const terminal = events.find((event) => TERMINAL_EVENT_TYPES.includes(event.event));
    if (!terminal) return `${created.body.id}: the stream ended without a terminal event (${events.at(-1)?.event ?? 'nothing'} last)`;
    if (terminal.event !== 'run.completed') return `${created.body.id}: ${terminal.event}`;
    return undefined;
  };

  const describeStalledRuns = (problems: string[]): Promise<string[]> =>
    Promise.all(problems.map((problem) => /^(run_[0-9A-Z]{26})/.exec(problem)?.[1]).filter((runId): runId is string => runId !== undefined).map((runId) => describeStalledRun(harness, runId)));

  it(SOAK ? 'keeps RSS flat' : 'finishes every run with 0 errors and bounded memory', async () => {
    const before = { api: Math.round(process.memoryUsage().rss / MB), worker: rssOf(worker.pid) };
    const peak = { ...before };
    const samples: Array<{ minute: number; mb: number; api: number }> = [];
    const started = Date.now();
    const sampler = setInterval(() => {
      const now = { api: Math.round(process.memoryUsage().rss / MB), worker: rssOf(worker.pid) };
      peak.api = Math.max(peak.api, now.api);
      peak.worker = Math.max(peak.worker, now.worker);
      samples.push({ minute: (Date.now() - started) / 60_000, mb: now.worker, api: now.api });
    }, 1000);
    let problems: string[];
    let runs: number;
    try {
      if (SOAK) {
        problems = [];
        runs = 0;
        await Promise.all(Array.from({ length: SOAK_CONCURRENCY }, async (_, lane) => {
          while (Date.now() - started < SOAK_MS) {
            runs += 1;
            const problem = await oneRun(`soak ${lane}.${runs}`);
            if (problem) problems.push(problem);
          }
        }));
      } else {
        runs = RUNS;
        problems = (await mapConcurrently(Array.from({ length: RUNS }, (_, index) => index), RUNS, (index) => oneRun(`load ${index}`)))
          .filter((problem): problem is string => problem !== undefined);
      }
    } finally {
      clearInterval(sampler);
    }
    const durationSeconds = Math.round((Date.now() - started) / 1000);
    await sleep(2000);
    const after = { api: Math.round(process.memoryUsage().rss / MB), worker: rssOf(worker.pid) };
    // The first minute is warm-up (caches, JIT); the slope is of the steady state after it.
    const steady = samples.filter((sample) => sample.minute >= 1);
    const figures = {
      runs,
      concurrency: SOAK ? SOAK_CONCURRENCY : RUNS,
      errors: problems.length,
      durationSeconds,
      runsPerSecond: Number((runs / Math.max(1, durationSeconds)).toFixed(1)),
      workerRssBeforeMb: before.worker,
      workerRssPeakMb: peak.worker,
      workerRssAfterMb: after.worker,
      apiRssBeforeMb: before.api,
      apiRssPeakMb: peak.api,
      apiRssAfterMb: after.api,
      ...(SOAK && {
        soakMinutes: Math.round(SOAK_MS / 60_000),
        workerRssSlopeMbPerMinute: slopeMbPerMinute(steady),
        apiRssSlopeMbPerMinute: slopeMbPerMinute(steady.map((sample) => ({ minute: sample.minute, mb: sample.api }))),
      }),
    };
    console.log(`[load] ${JSON.stringify(figures)}${problems.length ? `\n${problems.slice(0, 30).join('\n')}` : ''}`);
    if (problems.length > 0) console.log(`[load] where stalled runs stood:\n${(await describeStalledRuns(problems.slice(0, 5))).join('\n')}`);
    if (SOAK) recordReliability('load.soak', CHAOS_MODE, {}, figures);
    else recordReliability('load', CHAOS_MODE, { loadRuns: runs, loadErrors: problems.length, loadPeakWorkerRssMb: peak.worker, loadPeakApiRssMb: peak.api }, figures);

    expect(problems).toEqual([]);
    // Bounded: one worker by its cache (and one API process holding the model server too).
    expect(peak.worker).toBeLessThan(WORKER_RSS_BOUND_MB);
    expect(peak.api).toBeLessThan(1536);
    if (SOAK) expect(figures.workerRssSlopeMbPerMinute).toBeLessThan(5);
  }, 3_600_000);
});
