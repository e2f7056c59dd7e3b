// Eval scores: written once per (run, scoring, scorer) however often a scoring is retried, read per
// run, and summed per agent (n, mean, pass rate by scorer) for GET /v1/agents/:name/scores.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { ulid } from 'ulid';
import type { RunScoresSource } from '../core/experiments';
import type { Database } from './database';
import { scores } from './schema';

export type ScoreRow = typeof scores.$inferSelect;

export type NewScore = {
  runId: string;
  tenantId: string;
  agent?: { name: string; version: number };
  scoringId: string;
  source: 'live' | 'request';
  scorerName: string;
  scorerKind: string;
  score: number;
  passed: boolean;
  reason: string;
  judge?: { model: string; inputTokens: number; outputTokens: number };
};

export type ScorerAggregate = { scorer: string; n: number; mean: number; passRate: number };
/** Which of an agent's scores to sum: one version's, one source's (live or asked for), or all. */
export type AgentScoreFilter = { version?: number; source?: 'live' | 'request' };

export class ScoresRepository implements RunScoresSource {
  constructor(private readonly db: Database) {}

  /** Inserts the scores a scoring made; those already written (a retry) are kept as they were. Returns the rows of this scoring. */
  async record(entries: readonly NewScore[]): Promise<ScoreRow[]> {
    if (entries.length === 0) return [];
    await this.db.insert(scores).values(entries.map((entry) => ({
      id: `score_${ulid()}`,
      runId: entry.runId,
      tenantId: entry.tenantId,
      agentName: entry.agent?.name ?? null,
      agentVersion: entry.agent?.version ?? null,
      scoringId: entry.scoringId,
      source: entry.source,
      scorerName: entry.scorerName,
      scorerKind: entry.scorerKind,
      score: entry.score,
      passed: entry.passed,
      reason: entry.reason,
      judgeModel: entry.judge?.model ?? null,
      judgeInputTokens: entry.judge?.inputTokens ?? null,
      judgeOutputTokens: entry.judge?.outputTokens ?? null,
    }))).onConflictDoNothing();
    const first = entries[0]!;
    return this.forScoring(first.runId, first.scoringId);
  }

  async forScoring(runId: string, scoringId: string): Promise<ScoreRow[]> {
    return this.db.select().from(scores).where(and(eq(scores.runId, runId), eq(scores.scoringId, scoringId))).orderBy(asc(scores.createdAt), asc(scores.scorerName));
  }

  /** A run's scores, oldest scoring first; scoped to the tenant. */
  async forRun(tenantId: string, runId: string): Promise<ScoreRow[]> {
    return this.db.select().from(scores).where(and(eq(scores.tenantId, tenantId), eq(scores.runId, runId))).orderBy(asc(scores.createdAt), asc(scores.scorerName));
  }

  /** Each run's mean score over all its scores (an experiment arm's eval score); runs without scores are absent. */
  async meanScoresByRun(tenantId: string, runIds: readonly string[]): Promise<ReadonlyMap<string, number>> {
    if (runIds.length === 0) return new Map();
    const rows = await this.db.select({ runId: scores.runId, mean: sql<number>`avg(${scores.score})::double precision` })
      .from(scores)
      .where(and(eq(scores.tenantId, tenantId), inArray(scores.runId, [...runIds])))
      .groupBy(scores.runId);
    return new Map(rows.map((row) => [row.runId, Number(row.mean)]));
  }

  /** Per scorer: how many scores, their mean and the share that passed, over the agent's runs (one version, or all). */
  async aggregateForAgent(tenantId: string, agentName: string, filter: AgentScoreFilter = {}): Promise<ScorerAggregate[]> {
    const rows = await this.db.select({
      scorer: scores.scorerName,
      n: sql<number>`count(*)::int`,
      mean: sql<number>`avg(${scores.score})::double precision`,
      passRate: sql<number>`avg(case when ${scores.passed} then 1.0 else 0.0 end)::double precision`,
    }).from(scores)
      .where(agentScores(tenantId, agentName, filter))
      .groupBy(scores.scorerName)
      .orderBy(scores.scorerName);
    return rows.map((row) => ({ scorer: row.scorer, n: Number(row.n), mean: Number(row.mean), passRate: Number(row.passRate) }));
  }

  /** The same over every score of the agent (each score counts once, whatever its scorer). */
  async overallForAgent(tenantId: string, agentName: string, filter: AgentScoreFilter = {}): Promise<Omit<ScorerAggregate, 'scorer'>> {
    const [row] = await this.db.select({
      n: sql<number>`count(*)::int`,
      mean: sql<number>`coalesce(avg(${scores.score}), 0)::double precision`,
      passRate: sql<number>`coalesce(avg(case when ${scores.passed} then 1.0 else 0.0 end), 0)::double precision`,
    }).from(scores)
      .where(agentScores(tenantId, agentName, filter));
    return { n: Number(row?.n ?? 0), mean: Number(row?.mean ?? 0), passRate: Number(row?.passRate ?? 0) };
  }
}

function agentScores(tenantId: string, agentName: string, filter: AgentScoreFilter) {
  return and(
    eq(scores.tenantId, tenantId),
    eq(scores.agentName, agentName),
    filter.version === undefined ? undefined : eq(scores.agentVersion, filter.version),
    filter.source === undefined ? undefined : eq(scores.source, filter.source),
  );
}
