// `npm run bench:context [-- --quick]`: what context management costs. Token counting throughput of
// Keel's counter against tiktoken's raw encode, and the time to build a step's context from a
// ~200k-token transcript, cold (nothing counted yet) and incrementally (one turn more, counts cached),
// through the worker's ContextManager with in-memory stores. Writes bench/results/context.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ContextManager } from '../activities/model-turn/context-manager';
import { ContextSummaries } from '../activities/model-turn/context-summaries';
import type { SummaryWriter } from '../activities/model-turn/summary-writer';
import { WorkerCalibration } from '../activities/model-turn/token-calibrations';
import type { CachedTranscript } from '../activities/records/transcript-cache';
import { countTextTokens, encoderFor } from '../core/context/text-tokens';
import { createTokenCounter, type TokenCounter } from '../core/context';
import type { Message } from '../core/messages';
import type { ModelSpec } from '../core/model-spec';
import type { ContextSummaryRecord } from '../stores/context-summaries-repository';
import { median, percentile, round } from './support/stats';

const quick = process.argv.includes('--quick');
const outputFile = path.resolve(process.argv.find((argument) => argument.startsWith('--output='))?.slice('--output='.length) ?? path.join(__dirname, 'results', 'context.json'));
const PLAN = quick ? { corpusMessages: 300, countRounds: 2, incrementalSteps: 30, targetTokens: 200_000 } : { corpusMessages: 2_000, countRounds: 5, incrementalSteps: 200, targetTokens: 200_000 };

function toolTurn(turn: number): Message[] {
  const lines = Array.from({ length: 40 }, (_, line) => `src/module-${turn}/file-${line}.ts:${line * 7}: export function handler${line}(input: Input${turn}) { return input.value * ${line}; }`);
  return [
    { type: 'user', text: `Step ${turn}: look at module ${turn} and tell me which handlers multiply by more than ${turn % 13}.` },
    { type: 'assistant', parts: [{ type: 'text', text: `Searching module ${turn}.` }, { type: 'tool-call', callId: `call-${turn}`, toolName: 'grep', arguments: { pattern: 'export function', path: `src/module-${turn}` } }] },
    { type: 'tool-result', callId: `call-${turn}`, toolName: 'grep', output: lines.join('\n'), isError: false },
    { type: 'assistant', parts: [{ type: 'text', text: `Module ${turn} has ${40 - (turn % 13)} such handlers.` }] },
  ];
}

function timed<T>(action: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = action();
  return { value, ms: performance.now() - started };
}

async function timedAsync<T>(action: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await action();
  return { value, ms: performance.now() - started };
}

/** Tokens per second of tiktoken's raw encode and of Keel's counter (text, then messages cold and cached). */
function countingThroughput(model: string, provider: 'openai' | 'anthropic') {
  const messages = Array.from({ length: PLAN.corpusMessages / 4 }, (_, turn) => toolTurn(turn + 100_000)).flat();
  const texts = messages.map((message) => JSON.stringify(message));
  const counter = createTokenCounter(model, provider);
  const encoder = encoderFor(counter.encodingName);
  // One untimed round of each, so neither side pays for loading and JIT warm-up.
  for (const text of texts.slice(0, 50)) {
    encoder.encode_ordinary(text);
    countTextTokens(counter.encodingName, text);
  }
  let tokens = 0;
  const raw = timed(() => {
    for (let round = 0; round < PLAN.countRounds; round += 1) for (const text of texts) tokens += encoder.encode_ordinary(text).length;
  });
  const keel = timed(() => {
    for (let round = 0; round < PLAN.countRounds; round += 1) for (const text of texts) countTextTokens(counter.encodingName, text);
  });
  const cold = timed(() => messages.reduce((total, message) => total + counter.countMessage(message), 0));
  const cached = timed(() => {
    let total = 0;
    for (let round = 0; round < PLAN.countRounds; round += 1) for (const message of messages) total += counter.countMessage(message);
    return total;
  });
  const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000);
  const rawTokensPerRound = tokens / PLAN.countRounds;
  return {
    model,
    texts: texts.length,
    tokensPerRound: rawTokensPerRound,
    tiktokenEncodeTokensPerSecond: perSecond(tokens, raw.ms),
    keelCountTextTokensPerSecond: perSecond(tokens, keel.ms),
    keelCountMessageColdTokensPerSecond: perSecond(cold.value, cold.ms),
    keelCountMessageCachedTokensPerSecond: perSecond(cached.value, cached.ms),
  };
}

/** A ContextManager over in-memory stores and a summariser that answers at once (the model's time is not Keel's). */
function memoryManager(): ContextManager {
  const stored = new Map<string, ContextSummaryRecord>();
  const writer = {
    write: async () => ({ text: 'The agent inspected modules and counted handlers; details are in the dropped turns.', model: 'bench-small' }),
  } as unknown as SummaryWriter;
  return new ContextManager({
    calibration: new WorkerCalibration({ load: async () => ({ models: {} }), save: async () => undefined }),
    summaries: new ContextSummaries({ latest: async (_tenant, runId) => stored.get(runId), save: async (_tenant, runId, summary) => void stored.set(runId, summary) }),
    writer,
  });
}

async function contextBuild(model: string, provider: 'openai' | 'anthropic') {
  const spec: ModelSpec = { id: model, provider, model, contextWindow: 128_000, maxOutputTokens: 8_192 };
  const manager = memoryManager();
  const sizer: TokenCounter = createTokenCounter('gpt-4', 'openai');
  const transcript: CachedTranscript = { entries: [], lastSeq: 0 };
  const append = (messages: Message[]) => {
    for (const message of messages) {
      transcript.lastSeq += 1;
      transcript.entries.push({ seq: transcript.lastSeq, step: transcript.lastSeq, sourceKey: `m:${transcript.lastSeq}`, message });
    }
  };
  append([{ type: 'system', text: 'You are Keel, a durable agent. Use tools to inspect and change the repository.' }]);
  let turn = 0;
  // Sized with another encoding's counter, so the measured counter starts cold.
  while (sizer.countRequest(undefined, transcript.entries.map((entry) => entry.message), []) < PLAN.targetTokens) append(toolTurn(turn++));
  const input = { runId: `run_bench_${model}`, tenantId: 'bench', step: 1, spec, transcript, tools: [] };
  const cold = await timedAsync(() => manager.build(input));
  const transcriptTokens = createTokenCounter(model, provider).countRequest(undefined, transcript.entries.map((entry) => entry.message), []);
  const transcriptMessages = transcript.entries.length;
  const incremental: number[] = [];
  const kinds: Record<string, number> = {};
  let last = cold.value;
  for (let step = 0; step < PLAN.incrementalSteps; step += 1) {
    append(toolTurn(turn++));
    const built = await timedAsync(() => manager.build({ ...input, step: step + 2 }));
    incremental.push(built.ms);
    const kind = String(built.value.event?.data.summary ?? 'whole');
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    last = built.value;
  }
  return {
    model,
    transcriptMessages,
    transcriptTokens,
    finalMessages: transcript.entries.length,
    contextWindow: 128_000,
    reservedOutputTokens: 8_192,
    keptMessages: last.messages.length,
    keptTokens: last.totalTokens,
    coldMs: round(cold.ms),
    incrementalMsP50: round(median(incremental)),
    incrementalMsP99: round(percentile(incremental, 0.99)),
    incrementalMsMax: round(Math.max(...incremental)),
    incrementalSteps: incremental.length,
    summaryUse: kinds,
  };
}

/** What the wiring adds to an ordinary step: a short conversation that fits its window, one turn more per step. */
async function shortConversationStep() {
  const spec: ModelSpec = { id: 'gpt-4o', provider: 'openai', model: 'gpt-4o' };
  const manager = memoryManager();
  const transcript: CachedTranscript = { entries: [], lastSeq: 0 };
  const append = (messages: Message[]) => {
    for (const message of messages) {
      transcript.lastSeq += 1;
      transcript.entries.push({ seq: transcript.lastSeq, step: transcript.lastSeq, sourceKey: `m:${transcript.lastSeq}`, message });
    }
  };
  append([{ type: 'system', text: 'You are Keel.' }, { type: 'user', text: 'Write bench.txt twenty times.' }]);
  const samples: number[] = [];
  for (let step = 0; step < 20 * PLAN.countRounds; step += 1) {
    append([
      { type: 'assistant', parts: [{ type: 'tool-call', callId: `call_${step}`, toolName: 'write_file', arguments: { path: 'bench.txt', content: `step ${step}` } }] },
      { type: 'tool-result', callId: `call_${step}`, toolName: 'write_file', output: `Wrote 7 bytes to bench.txt (step ${step}).`, isError: false },
    ]);
    samples.push((await timedAsync(() => manager.build({ runId: 'run_short', tenantId: 'bench', step, spec, transcript, tools: [] }))).ms);
  }
  return { steps: samples.length, buildMsP50: round(median(samples), 3), buildMsP99: round(percentile(samples, 0.99), 3) };
}

async function main(): Promise<void> {
  const counting = [countingThroughput('gpt-4o', 'openai'), countingThroughput('claude-sonnet-4-5', 'anthropic')];
  const building = [await contextBuild('gpt-4o', 'openai'), await contextBuild('claude-sonnet-4-5', 'anthropic')];
  const shortSteps = await shortConversationStep();
  const results = {
    mode: quick ? 'quick' : 'full',
    measuredAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version },
    counting,
    building,
    shortSteps,
  };
  console.table(counting);
  console.table(building.map(({ summaryUse, ...row }) => ({ ...row, summaryUse: JSON.stringify(summaryUse) })));
  console.log('short conversation, per step:', shortSteps);
  mkdirSync(path.dirname(outputFile), { recursive: true });
  writeFileSync(outputFile, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote ${outputFile}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
