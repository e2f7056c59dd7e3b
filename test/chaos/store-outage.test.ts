// Chaos: Keel's stores go away under live runs. PostgreSQL becomes unreachable (a TCP proxy the
// test owns, in front of the test database, closes its port and resets every connection) and comes
// back; Redis (a redis-server the test started on its own port) is SIGKILLed and restarted. Runs
// pause and continue, nothing is lost or applied twice, SSE clients that reconnect see every
// event, and the API, polled throughout, never answers a 5xx without a JSON error body.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ulid } from 'ulid';
import { api } from '../support/api-client';
import { startHarness, testDatabaseUrl, type Harness } from '../support/keel-harness';
import { recordReliability } from '../support/reliability-report';
import { pollApi, type PollTally } from './support/api-poller';
import { CHAOS_MODE, sized, sleep } from './support/chaos-mode';
import { RedisProcess } from './support/redis-process';
import { auditRun, followRunResuming, type RunAudit } from './support/run-audit';
import { TcpProxy } from './support/tcp-proxy';

const RUNS = Number(process.env.KEEL_CHAOS_RUNS ?? sized({ bounded: 6, full: 20 }));
const DATABASE_OUTAGE_MS = sized({ bounded: 10_000, full: 10_000 });
const REDIS_OUTAGE_MS = sized({ bounded: 3000, full: 5000 });
const TURNS = 6;

/** Turn after turn a one-second bash append, so the runs are mid-flight whenever the outage starts. */
function slowScenario(name: string) {
  return {
    name,
    models: `${name}*`,
    rules: [
      { turns: { from: 0, to: TURNS - 2 }, reply: { toolCalls: [{ name: 'bash', arguments: { command: 'echo {{turn}} >> counter.txt; sleep 1' } }] } },
      { turn: TURNS - 1, reply: { text: 'Counted through the outage.' } },
    ],
  };
}
const EXPECTED_COUNTER = Array.from({ length: TURNS - 1 }, (_, turn) => `${turn}\n`).join('');

type Trial = { audits: RunAudit[]; counters: string[]; tally: PollTally; reconnects: number; durationSeconds: number };

describe(`PostgreSQL unreachable and Redis restarted under ${RUNS} live runs (${CHAOS_MODE})`, () => {
  let harness: Harness;
  let proxy: TcpProxy;
  let redis: RedisProcess;
  const scenario = `outage-${ulid().toLowerCase()}`;

  beforeAll(async () => {
    const database = new URL(testDatabaseUrl());
    proxy = await TcpProxy.start({ host: database.hostname, port: Number(database.port || 5432) });
    const throughProxy = new URL(database);
    throughProxy.host = `127.0.0.1:${proxy.port}`;
    redis = await RedisProcess.start();
    harness = await startHarness({ databaseUrl: throughProxy.toString(), redisUrl: redis.url, environment: { KEEL_UNSAFE_BASH: '1' } });
    harness.modelServer.addScenario(slowScenario(scenario));
  });
  afterAll(async () => {
    await proxy?.restore();
    await harness?.close();
    await proxy?.close();
    await redis?.kill();
  });

  const startRun = async (label: string) => {
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', {
      key: harness.keys.a,
      body: { message: `Count (${label})`, model: `local/${scenario}`, tools: ['bash'], limits: { heartbeatTimeoutSeconds: 5 } },
    });
    expect(created.status).toBe(202);
    return created.body.id as string;
  };

  /** Starts the runs, lets them get going, runs the outage while polling the API, then audits everything. */
  async function trial(name: string, outage: () => Promise<void>): Promise<Trial> {
    const started = Date.now();
    const runIds = await Promise.all(Array.from({ length: RUNS }, (_, index) => startRun(`${name} ${index}`)));
    const followers = runIds.map((runId) => followRunResuming(harness.apiUrl, harness.keys.a, runId, 300_000));
    await sleep(2500);
    const poller = pollApi(harness.apiUrl, harness.keys.a, runIds, (index) => ({ message: `Count (${name} poll ${index})`, model: `local/${scenario}`, tools: ['bash'] }));
    await outage();
    await sleep(1000);
    const tally = await poller.stop();
    // Runs the API accepted during the outage are runs too: they must complete like the others.
    const allRunIds = [...runIds, ...tally.created];
    const followed = await Promise.all([...followers, ...tally.created.map((runId) => followRunResuming(harness.apiUrl, harness.keys.a, runId, 300_000))]);
    const audits = await Promise.all(allRunIds.map((runId, index) => auditRun(harness.apiUrl, harness.keys.a, runId, followed[index]!.events)));
    const counters = allRunIds.map((runId) => {
      try {
        return readFileSync(path.join(harness.config.workspaceRoot, harness.tenantIds.a, runId, 'counter.txt'), 'utf8');
      } catch {
        return '(missing)';
      }
    });
    return { audits, counters, tally, reconnects: followed.reduce((sum, follower) => sum + follower.reconnects, 0), durationSeconds: Math.round((Date.now() - started) / 1000) };
  }

  function figuresOf(trial: Trial) {
    const problems = trial.audits.flatMap((audit, index) => [
      ...(audit.status === 'completed' ? [] : [`${audit.runId}: ${audit.status}`]),
      ...(trial.counters[index] === EXPECTED_COUNTER ? [] : [`${audit.runId}: counter.txt is ${JSON.stringify(trial.counters[index])}`]),
      ...[...audit.transcriptProblems, ...audit.eventProblems].map((problem) => `${audit.runId}: ${problem}`),
    ]);
    const figures = {
      runs: trial.audits.length,
      runsCreatedDuringOutage: trial.tally.created.length,
      runsLost: trial.audits.filter((audit) => audit.status !== 'completed').length,
      duplicateSideEffects: trial.counters.filter((counter) => counter.length > EXPECTED_COUNTER.length).length,
      gaps: trial.audits.reduce((sum, audit) => sum + audit.transcriptProblems.length + audit.eventProblems.length, 0),
      apiRequestsDuringOutage: trial.tally.requests,
      api5xx: Object.entries(trial.tally.byStatus).filter(([status]) => Number(status) >= 500).reduce((sum, [, count]) => sum + count, 0),
      api5xxWithoutJson: trial.tally.bare5xx,
      apiNetworkErrors: trial.tally.networkErrors,
      sseReconnects: trial.reconnects,
      durationSeconds: trial.durationSeconds,
    };
    return { figures, problems };
  }

  it('pauses runs while PostgreSQL is unreachable and continues them when it is back', async () => {
    const result = await trial('database', async () => {
      await proxy.cut();
      await sleep(DATABASE_OUTAGE_MS);
      await proxy.restore();
    });
    const { figures, problems } = figuresOf(result);
    const detail = { ...figures, outageSeconds: DATABASE_OUTAGE_MS / 1000, statuses: JSON.stringify(result.tally.byStatus) };
    console.log(`[chaos.database-outage] ${JSON.stringify(detail)}\n${[...problems, ...result.tally.samples].slice(0, 40).join('\n')}`);
    recordReliability('chaos.database-outage', CHAOS_MODE, {}, detail);
    expect(problems).toEqual([]);
    expect(figures.runsLost).toBe(0);
    expect(figures.duplicateSideEffects).toBe(0);
    expect(figures.api5xxWithoutJson).toBe(0);
    expect(figures.apiNetworkErrors).toBe(0);
    // The outage was real: the API saw it, and said so (503 database_unavailable, not a bare 500).
    expect(figures.api5xx).toBeGreaterThan(0);
    expect(result.tally.byStatus['500'] ?? 0).toBe(0);
  }, 600_000);

  it('pauses runs while Redis restarts and continues them when it is back', async () => {
    const result = await trial('redis', async () => {
      await redis.kill();
      await sleep(REDIS_OUTAGE_MS);
      await redis.restart();
    });
    const { figures, problems } = figuresOf(result);
    const detail = { ...figures, outageSeconds: REDIS_OUTAGE_MS / 1000, statuses: JSON.stringify(result.tally.byStatus) };
    console.log(`[chaos.redis-restart] ${JSON.stringify(detail)}\n${[...problems, ...result.tally.samples].slice(0, 40).join('\n')}`);
    recordReliability('chaos.redis-restart', CHAOS_MODE, {}, detail);
    expect(problems).toEqual([]);
    expect(figures.runsLost).toBe(0);
    expect(figures.duplicateSideEffects).toBe(0);
    expect(figures.api5xxWithoutJson).toBe(0);
    expect(figures.apiNetworkErrors).toBe(0);
  }, 600_000);
});
