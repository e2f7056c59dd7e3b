// Chaos: the Temporal server itself dies. The test's own dev server (on a SQLite file, not the
// shared one) is SIGKILLed under live runs and started again on the same file and port; the API and
// the worker reconnect and every run completes, its side effects applied once.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ulid } from 'ulid';
import { api } from '../support/api-client';
import { startHarness, type Harness } from '../support/keel-harness';
import { recordReliability } from '../support/reliability-report';
import { CHAOS_MODE, sized, sleep } from './support/chaos-mode';
import { auditRun, followRunResuming } from './support/run-audit';
import { TemporalProcess } from './support/temporal-process';

const RUNS = Number(process.env.KEEL_CHAOS_RUNS ?? sized({ bounded: 8, full: 20 }));
const DOWN_MS = 3000;
const TURNS = 6;
const EXPECTED_COUNTER = Array.from({ length: TURNS - 1 }, (_, turn) => `${turn}\n`).join('');

describe(`the Temporal dev server SIGKILLed and restarted on its SQLite file under ${RUNS} live runs (${CHAOS_MODE})`, () => {
  let temporal: TemporalProcess;
  let harness: Harness;
  const scenario = `restart-${ulid().toLowerCase()}`;

  beforeAll(async () => {
    temporal = await TemporalProcess.start();
    harness = await startHarness({ temporalAddress: temporal.address, environment: { KEEL_UNSAFE_BASH: '1' } });
    harness.modelServer.addScenario({
      name: scenario,
      models: `${scenario}*`,
      rules: [
        { turns: { from: 0, to: TURNS - 2 }, reply: { toolCalls: [{ name: 'bash', arguments: { command: 'echo {{turn}} >> counter.txt; sleep 1' } }] } },
        { turn: TURNS - 1, reply: { text: 'Counted across the restart.' } },
      ],
    });
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
    await temporal?.kill();
  });

  it('completes every run', async () => {
    const started = Date.now();
    const runIds = await Promise.all(Array.from({ length: RUNS }, async (_, index) => {
      const created = await api(harness.apiUrl, 'POST', '/v1/runs', {
        key: harness.keys.a,
        body: { message: `Count (restart ${index})`, model: `local/${scenario}`, tools: ['bash'], limits: { heartbeatTimeoutSeconds: 5 } },
      });
      expect(created.status).toBe(202);
      return created.body.id as string;
    }));
    const followers = runIds.map((runId) => followRunResuming(harness.apiUrl, harness.keys.a, runId, 300_000));
    await sleep(3000);
    await temporal.kill();
    await sleep(DOWN_MS);
    const restartedAt = Date.now();
    await temporal.restart();
    const restartSeconds = Math.round((Date.now() - restartedAt) / 100) / 10;
    const followed = await Promise.all(followers);
    const audits = await Promise.all(runIds.map((runId, index) => auditRun(harness.apiUrl, harness.keys.a, runId, followed[index]!.events)));
    const problems = audits.flatMap((audit) => {
      let counter = '(missing)';
      try { counter = readFileSync(path.join(harness.config.workspaceRoot, harness.tenantIds.a, audit.runId, 'counter.txt'), 'utf8'); } catch { /* reported */ }
      return [
        ...(audit.status === 'completed' ? [] : [`${audit.runId}: ${audit.status}`]),
        ...(counter === EXPECTED_COUNTER ? [] : [`${audit.runId}: counter.txt is ${JSON.stringify(counter)}`]),
        ...[...audit.transcriptProblems, ...audit.eventProblems].map((problem) => `${audit.runId}: ${problem}`),
      ];
    });
    const serverRestartRunsCompleted = audits.filter((audit) => audit.status === 'completed').length;
    const figures = {
      runs: RUNS,
      runsCompleted: serverRestartRunsCompleted,
      runsLost: RUNS - serverRestartRunsCompleted,
      serverDownSeconds: DOWN_MS / 1000,
      serverStartSeconds: restartSeconds,
      problems: problems.length,
      durationSeconds: Math.round((Date.now() - started) / 1000),
    };
    console.log(`[chaos.temporal-restart] ${JSON.stringify(figures)}\n${problems.slice(0, 40).join('\n')}`);
    recordReliability('chaos.temporal-restart', CHAOS_MODE, { serverRestartRunsCompleted }, figures);
    expect(problems).toEqual([]);
    expect(serverRestartRunsCompleted).toBe(RUNS);
  }, 600_000);
});
