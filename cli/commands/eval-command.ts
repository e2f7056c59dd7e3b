// `keel eval run dataset.jsonl --agent name`: one run of the agent per dataset line (at most
// --concurrency at a time), each waited for and then scored by Keel (POST /v1/runs/:id/scores: the
// line's scorers, else the agent's), then a table per scorer (n, mean, pass rate) or --json. Exit 1
// when the overall pass rate (or --metric mean) is below --threshold, or when a line could not be
// run or scored: CI fails on a regression and on a broken eval alike.
import { runShape, scoringShape, type ScoreShape } from '../api-shapes';
import type { CliIo } from '../cli-io';
import { readDataset, type EvalCase } from '../eval-dataset';
import { metricValue, summarise, summaryTable, type EvalMetric } from '../eval-summary';
import { KeelApiError, type KeelClient } from '../keel-client';

export type EvalOptions = { agent: string; threshold?: string; metric?: string; json?: boolean; concurrency?: string; timeout?: string };

const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'step_limit_reached', 'budget_exceeded']);
const POLL_INTERVAL_MS = 300;
const RATE_LIMIT_ATTEMPTS = 10;
const RATE_LIMIT_WAIT_MS = 1000;

/** Thrown for options that are not what they should be (exit 2, like other usage errors). */
export class EvalOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvalOptionsError';
  }
}

type CaseResult = { line: number; input: string; runId?: string; status?: string; scores: ScoreShape[]; error?: { code: string; message: string } };

export async function evalRun(client: KeelClient, io: CliIo, file: string, options: EvalOptions): Promise<number> {
  const threshold = numberOption('--threshold', options.threshold, 0, 1);
  const concurrency = numberOption('--concurrency', options.concurrency ?? '4', 1, 64, true) ?? 4;
  const timeoutMs = (numberOption('--timeout', options.timeout ?? '600', 1, 86_400, true) ?? 600) * 1000;
  const metric = metricOption(options.metric);
  const cases = readDataset(file);

  const results: CaseResult[] = new Array<CaseResult>(cases.length);
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const index = next;
      next += 1;
      const result = await runCase(client, options.agent, cases[index]!, timeoutMs);
      results[index] = result;
      io.err(`${describeCase(result)}\n`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, cases.length) }, worker));

  const summary = summarise(results.flatMap((result) => result.scores));
  const errors = results.filter((result) => result.error !== undefined).length;
  const value = metricValue(summary, metric);
  const belowThreshold = threshold !== undefined && (summary.overall.n === 0 || value < threshold);
  const passed = !belowThreshold && errors === 0;
  if (options.json) {
    io.out(`${JSON.stringify({ agent: options.agent, cases: cases.length, errors, metric, value, threshold: threshold ?? null, passed, summary, results }, null, 2)}\n`);
  } else {
    io.out(summaryTable(summary));
    const shown = metric === 'mean' ? value.toFixed(2) : `${(value * 100).toFixed(1)}%`;
    const against = threshold === undefined ? '' : metric === 'mean' ? ` (threshold ${threshold.toFixed(2)})` : ` (threshold ${(threshold * 100).toFixed(1)}%)`;
    io.out(`${metric} ${shown}${against} over ${cases.length} case${cases.length === 1 ? '' : 's'}${errors > 0 ? `, ${errors} not scored` : ''}: ${passed ? 'PASS' : 'FAIL'}\n`);
  }
  return passed ? 0 : 1;
}

/** Starts the case's run, waits for it, has Keel score it; an API error is the case's result, not the eval's end. */
async function runCase(client: KeelClient, agent: string, evalCase: EvalCase, timeoutMs: number): Promise<CaseResult> {
  const result: CaseResult = { line: evalCase.line, input: evalCase.input, scores: [] };
  try {
    const started = await patiently(() => client.request('POST', '/v1/runs', runShape, { message: evalCase.input, agent, stream: false }));
    result.runId = started.id;
    result.status = await waitForRun(client, started.id, timeoutMs);
    const scoring = await patiently(() => client.request('POST', `/v1/runs/${started.id}/scores`, scoringShape, {
      ...(evalCase.scorers && { scorers: evalCase.scorers }),
      ...(evalCase.expected && { expected: evalCase.expected }),
    }));
    result.scores = scoring.scores;
  } catch (error) {
    if (error instanceof KeelApiError) result.error = { code: error.code, message: error.message };
    else if (error instanceof RunTimedOut) result.error = { code: 'run_timed_out', message: error.message };
    else throw error;
  }
  return result;
}

class RunTimedOut extends Error {
  constructor(runId: string, status: string, timeoutMs: number) {
    super(`run ${runId} still ${status} after ${Math.round(timeoutMs / 1000)} s`);
    this.name = 'RunTimedOut';
  }
}

async function waitForRun(client: KeelClient, runId: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await patiently(() => client.request('GET', `/v1/runs/${runId}`, runShape));
    if (TERMINAL.has(run.status)) return run.status;
    if (Date.now() > deadline) throw new RunTimedOut(runId, run.status, timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

/** A request the rate limit turned away is asked again (a large --concurrency polls a lot); any other error stands. */
async function patiently<T>(request: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await request();
    } catch (error) {
      if (!(error instanceof KeelApiError && error.code === 'rate_limited') || attempt >= RATE_LIMIT_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, RATE_LIMIT_WAIT_MS * attempt));
    }
  }
}

function describeCase(result: CaseResult): string {
  const where = `line ${result.line}${result.runId ? ` ${result.runId}` : ''}${result.status ? ` ${result.status}` : ''}`;
  if (result.error) return `${where}: error ${result.error.code}: ${result.error.message}`;
  const failed = result.scores.filter((entry) => !entry.passed);
  const passed = result.scores.length - failed.length;
  return `${where}: ${passed}/${result.scores.length} passed${failed.map((entry) => `\n  ${entry.scorer}: ${entry.reason}`).join('')}`;
}

function numberOption(name: string, text: string | undefined, min: number, max: number, integer = false): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new EvalOptionsError(`${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, not "${text}"`);
  }
  return value;
}

function metricOption(text: string | undefined): EvalMetric {
  if (text === undefined || text === 'pass-rate') return 'pass-rate';
  if (text === 'mean') return 'mean';
  throw new EvalOptionsError(`--metric must be pass-rate or mean, not "${text}"`);
}
