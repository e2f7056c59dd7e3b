// `npm run bench:models [-- --runs=200]`: what Keel and its model pool add to time to first token.
// For each of N interleaved rounds: the `openai` SDK streaming straight from the local model server;
// a new Keel run whose model the pool chooses (POST to first delta over SSE: workflow start, plan,
// step); the same naming its model; a run whose first candidate refuses at once (one failover);
// and a run's second step (previous step's tool result to the first token). Prints a table and
// writes bench/results/models.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { ulid } from 'ulid';
import { BENCH_MODEL_DELAY_MS, TWO_STEP_MARKER } from './support/models-pool';
import { startModelsStack } from './support/models-stack';
import { keelTtft, sdkTtft } from './support/models-ttft';
import { median, percentile, round } from './support/stats';

const RUNS = Number(process.argv.find((argument) => argument.startsWith('--runs='))?.slice('--runs='.length) ?? 200);
const WARMUP = 10;

type Series = { direct: number[]; pooled: number[]; named: number[]; failover: number[]; nextStep: number[] };

async function main(): Promise<void> {
  const started = Date.now();
  const stack = await startModelsStack();
  const sdk = new OpenAI({ baseURL: stack.modelServer.openaiBaseURL, apiKey: 'not-needed', maxRetries: 0 });
  const series: Series = { direct: [], pooled: [], named: [], failover: [], nextStep: [] };
  const round1 = async (record: boolean) => {
    const tag = ulid();
    const direct = await sdkTtft(sdk, 'bench-fast', `direct ${tag}`);
    const pooled = await keelTtft(stack.apiUrl, stack.apiKey, { message: `pooled ${tag}`, complexity: 'complex', tools: [] });
    const named = await keelTtft(stack.apiUrl, stack.apiKey, { message: `named ${tag}`, model: 'fast', tools: [] });
    const failover = await keelTtft(stack.apiUrl, stack.apiKey, { message: `failover ${tag}`, complexity: 'medium', tools: [] });
    const twoStep = await keelTtft(stack.apiUrl, stack.apiKey, { message: `${TWO_STEP_MARKER} ${tag}`, complexity: 'complex', tools: ['read_file'] });
    if (pooled.firstModel !== 'fast' || named.firstModel !== 'fast' || failover.firstModel !== 'fast-backup' || twoStep.nextStepMs === undefined) {
      throw new Error(`unexpected runs: pooled ${pooled.firstModel}, named ${named.firstModel}, failover ${failover.firstModel}, second step ${twoStep.nextStepMs}`);
    }
    if (!record) return;
    series.direct.push(direct);
    series.pooled.push(pooled.ms);
    series.named.push(named.ms);
    series.failover.push(failover.ms);
    series.nextStep.push(twoStep.nextStepMs);
  };
  try {
    for (let index = 0; index < WARMUP; index += 1) await round1(false);
    for (let index = 0; index < RUNS; index += 1) await round1(true);
  } finally {
    await stack.stop();
  }

  const paired = (keel: number[]) => keel.map((ms, index) => ms - series.direct[index]!);
  const failoverCost = series.failover.map((ms, index) => ms - series.pooled[index]!);
  const summary = (samples: number[]) => ({ p50: round(median(samples)), p99: round(percentile(samples, 0.99)) });
  const results = {
    runs: RUNS,
    modelDelayMs: BENCH_MODEL_DELAY_MS,
    sdkTtftMs: summary(series.direct),
    keelPoolTtftMs: summary(series.pooled),
    keelNamedTtftMs: summary(series.named),
    keelFailoverTtftMs: summary(series.failover),
    keelNextStepTtftMs: summary(series.nextStep),
    addedTtftPoolMs: summary(paired(series.pooled)),
    addedTtftNamedMs: summary(paired(series.named)),
    addedTtftNextStepMs: summary(paired(series.nextStep)),
    addedFailoverMs: summary(failoverCost),
    targetAddedTtftP50Ms: 10,
    machine: `${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, node ${process.version}`,
    measuredAt: new Date().toISOString(),
  };
  printTable([
    ['SDK streaming directly from the model server', results.sdkTtftMs],
    ['Keel SSE, pool chooses the model (plan + step)', results.keelPoolTtftMs],
    ['Keel SSE, run names the model', results.keelNamedTtftMs],
    ['Keel SSE, first candidate refuses (one failover)', results.keelFailoverTtftMs],
    ['Keel SSE, a later step (tool result → first token)', results.keelNextStepTtftMs],
    ['added TTFT, new run, pool-chosen model', results.addedTtftPoolMs],
    ['added TTFT, new run, named model', results.addedTtftNamedMs],
    ['added TTFT, later step of a run', results.addedTtftNextStepMs],
    ['added cost of one failover', results.addedFailoverMs],
  ]);
  console.log(`\n${RUNS} runs each, model delay ${BENCH_MODEL_DELAY_MS} ms before the first token; ${results.machine}; total ${round((Date.now() - started) / 1000, 1)} s`);
  mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  writeFileSync(path.join(__dirname, 'results', 'models.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log('wrote bench/results/models.json');
}

function printTable(rows: Array<[string, { p50: number; p99: number }]>): void {
  const cells = [['time to first token', 'p50 ms', 'p99 ms'], ...rows.map(([name, value]) => [name, String(value.p50), String(value.p99)])];
  const widths = [0, 1, 2].map((column) => Math.max(...cells.map((row) => row[column]!.length)));
  for (const [index, row] of cells.entries()) {
    console.log(`| ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(' | ')} |`);
    if (index === 0) console.log(`|${widths.map((width, column) => (column === 0 ? '-'.repeat(width + 2) : `${'-'.repeat(width + 1)}:`)).join('|')}|`);
  }
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
