// Chaos: a provider fault storm. 30% of model calls fail — 429 with retry-after, 500, a timeout, a
// stream cut after a few chunks, malformed JSON, 6% each — on both of a run's two models (one on
// the OpenAI wire, one on the Anthropic wire). Every run must complete, with its side effects
// applied once; the retries and fallbacks it took are counted.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ulid } from 'ulid';
import { api } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';
import { recordReliability } from '../support/reliability-report';
import { CHAOS_MODE, mapConcurrently, sized } from './support/chaos-mode';
import { auditRun, followRun, type RunAudit } from './support/run-audit';

const RUNS = sized({ bounded: 20, full: 100 });
const CONCURRENCY = sized({ bounded: 10, full: 20 });
const FAULT_SHARE = 0.3;
/** The provider timeout of both models; the timeout fault answers later than this. */
const MODEL_TIMEOUT_MS = 1500;

const FAULTS = [
  { kind: 'rate-limited', fault: { status: 429, retryAfterSeconds: 1 } },
  { kind: 'server-error', fault: { status: 500 } },
  { kind: 'timeout', fault: { delayMs: MODEL_TIMEOUT_MS * 3 } },
  { kind: 'stream-cut', fault: { cutAfterChunks: 2 } },
  { kind: 'malformed', fault: { malformed: true } },
] as const;

/**
 * Rules are tried in order, so the k-th of n fault rules fires with share / (1 - (k-1)·share/n) of
 * the calls that reach it: each fault then takes share/n of all calls.
 */
function stormRules(turn: number, reply: Record<string, unknown>) {
  const each = FAULT_SHARE / FAULTS.length;
  return [
    ...FAULTS.map(({ fault }, index) => ({ turn, probability: Number((each / (1 - index * each)).toFixed(6)), fault, reply })),
    { turn, reply },
  ];
}

function stormScenario(name: string) {
  const turns: Array<Record<string, unknown>> = [
    { toolCalls: [{ name: 'write_file', arguments: { path: 'report.md', content: 'storm\n' } }] },
    { text: 'Appending. ', toolCalls: [{ name: 'bash', arguments: { command: 'echo once >> counter.txt' } }] },
    { toolCalls: [{ name: 'read_file', arguments: { path: 'counter.txt' } }] },
    { text: 'The storm passed: the report is written and the counter appended once.' },
  ];
  return { name, models: `${name}-*`, rules: turns.flatMap((reply, turn) => stormRules(turn, reply)) };
}

describe(`a provider fault storm (${FAULT_SHARE * 100}% of model calls fail) over ${RUNS} runs with two models (${CHAOS_MODE})`, () => {
  let harness: Harness;
  const scenario = `storm-${ulid().toLowerCase()}`;
  const primary = `${scenario}-primary`;
  const backup = `${scenario}-backup`;

  beforeAll(async () => {
    harness = await startHarness({
      environment: { KEEL_UNSAFE_BASH: '1' },
      models: (server) => [
        { id: primary, provider: 'openai', model: primary, baseURL: server.openaiBaseURL, timeoutMs: MODEL_TIMEOUT_MS },
        { id: backup, provider: 'anthropic', model: backup, baseURL: server.url, timeoutMs: MODEL_TIMEOUT_MS },
      ],
    });
    harness.modelServer.addScenario(stormScenario(scenario));
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('completes every run, applies every side effect once and counts the fallbacks', async () => {
    const started = Date.now();
    const runs = await mapConcurrently(Array.from({ length: RUNS }, (_, index) => index), CONCURRENCY, async (index): Promise<RunAudit & { backupTurns: number }> => {
      const created = await api(harness.apiUrl, 'POST', '/v1/runs', {
        key: harness.keys.a,
        body: { message: `Weather the storm (run ${index})`, models: [primary, backup], tools: ['write_file', 'read_file', 'bash'] },
      });
      expect(created.status).toBe(202);
      const runId = created.body.id as string;
      const live = await followRun(harness.apiUrl, harness.keys.a, runId, 300_000);
      const audit = await auditRun(harness.apiUrl, harness.keys.a, runId, live);
      const messages = await api(harness.apiUrl, 'GET', `/v1/runs/${runId}/messages?limit=500`, { key: harness.keys.a });
      const backupTurns = (messages.body.messages as Array<{ message: { type: string; model?: string } }>)
        .filter((entry) => entry.message.type === 'assistant' && entry.message.model === backup).length;
      return { ...audit, backupTurns };
    });
    const durationSeconds = Math.round((Date.now() - started) / 1000);

    const requests = harness.modelServer.requests({ model: `${scenario}-*` });
    const faultRuleCount = FAULTS.length;
    const injected = Object.fromEntries(FAULTS.map(({ kind }) => [kind, 0])) as Record<string, number>;
    for (const request of requests) {
      // Rule indexes repeat per turn: fault rules first, the reply rule last.
      const { ruleIndex } = request;
      if (ruleIndex === undefined) continue;
      const position = ruleIndex % (faultRuleCount + 1);
      if (position < faultRuleCount) injected[FAULTS[position]!.kind]! += 1;
    }
    const faults = Object.values(injected).reduce((sum, count) => sum + count, 0);
    const problems: string[] = [];
    const counters: string[] = [];
    for (const run of runs) {
      const workspace = path.join(harness.config.workspaceRoot, harness.tenantIds.a, run.runId);
      let counter = '(missing)';
      try { counter = readFileSync(path.join(workspace, 'counter.txt'), 'utf8'); } catch { /* reported below */ }
      counters.push(counter);
      if (counter !== 'once\n') problems.push(`${run.runId}: counter.txt is ${JSON.stringify(counter)}`);
      if (run.status !== 'completed') problems.push(`${run.runId}: ${run.status}: ${run.error ?? '(no error)'}`);
      for (const problem of [...run.transcriptProblems, ...run.eventProblems]) problems.push(`${run.runId}: ${problem}`);
    }
    const completed = runs.filter((run) => run.status === 'completed').length;
    const faultStormCompletedPct = Math.round((completed / RUNS) * 1000) / 10;
    const figures = {
      runs: RUNS,
      modelCalls: requests.length,
      faultsInjected: faults,
      faultPct: Math.round((faults / Math.max(1, requests.length)) * 1000) / 10,
      ...Object.fromEntries(Object.entries(injected).map(([kind, count]) => [`faults.${kind}`, count])),
      completedPct: faultStormCompletedPct,
      runsLost: RUNS - completed,
      fallbackSteps: runs.reduce((sum, run) => sum + run.backupTurns, 0),
      runsThatFellBack: runs.filter((run) => run.backupTurns > 0).length,
      duplicateSideEffects: counters.filter((counter) => counter.startsWith('once\nonce')).length,
      transcriptOrEventGaps: runs.reduce((sum, run) => sum + run.transcriptProblems.length + run.eventProblems.length, 0),
      durationSeconds,
    };
    console.log(`[chaos.fault-storm] ${JSON.stringify(figures)}${problems.length ? `\n${problems.slice(0, 40).join('\n')}` : ''}`);
    recordReliability('chaos.fault-storm', CHAOS_MODE, { faultStormCompletedPct }, figures);

    expect(problems).toEqual([]);
    expect(faultStormCompletedPct).toBe(100);
    // The storm was real: near the intended share, and every kind of fault was injected.
    expect(figures.faultPct).toBeGreaterThan(FAULT_SHARE * 100 - 10);
    expect(figures.faultPct).toBeLessThan(FAULT_SHARE * 100 + 10);
    for (const { kind } of FAULTS) expect(injected[kind]).toBeGreaterThan(0);
  }, sized({ bounded: 600_000, full: 1_800_000 }));
});
