// What an experiment report reads about its runs: each enrolled run's status, steps, usage, cost and
// times, its reviews' outcomes, and its last reflection's confidence (jsonb parsed, not cast).
import { and, count, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { usageSchema } from '../core/events/event-fields';
import { RUN_EVENT_TYPES } from '../core/events/event-types';
import type { Database } from './database';
import { reviews, runEvents, runs } from './schema';
import { parseStoredRow } from './stored-row';

export type ExperimentRunRow = {
  id: string;
  userId: string;
  arm: string;
  status: string;
  steps: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  createdAt: Date;
  finishedAt: Date | null;
};

export type RunReviewCount = { runId: string; status: string; reviews: number };

const reflectionConfidence = z.looseObject({ confidence: z.number() });

export class ExperimentRunsRepository {
  constructor(private readonly db: Database) {}

  /** The experiment's runs with their arms, oldest first. */
  async runs(tenantId: string, experimentId: string): Promise<ExperimentRunRow[]> {
    const rows = await this.db.select({
      id: runs.id, userId: runs.userId, arm: runs.experimentArm, status: runs.status, steps: runs.step, usage: runs.usage,
      costUsd: runs.costUsd, createdAt: runs.createdAt, finishedAt: runs.finishedAt,
    }).from(runs).where(and(eq(runs.tenantId, tenantId), eq(runs.experimentId, experimentId))).orderBy(runs.createdAt, runs.id);
    return rows.flatMap(({ usage, arm, ...row }) => {
      if (arm === null) return [];
      const tokens = parseStoredRow(usageSchema, usage, { table: 'runs', id: row.id });
      return [{ ...row, arm, inputTokens: tokens.inputTokens, outputTokens: tokens.outputTokens }];
    });
  }

  /** How many of each run's reviews are in each status. */
  async reviewCounts(tenantId: string, experimentId: string): Promise<RunReviewCount[]> {
    return this.db.select({ runId: reviews.runId, status: reviews.status, reviews: count() }).from(reviews)
      .innerJoin(runs, eq(runs.id, reviews.runId))
      .where(and(eq(runs.tenantId, tenantId), eq(reviews.tenantId, tenantId), eq(runs.experimentId, experimentId)))
      .groupBy(reviews.runId, reviews.status);
  }

  /** Each run's last reflection confidence (0–100), for the runs that reflected. */
  async reflectionConfidences(tenantId: string, experimentId: string): Promise<Map<string, number>> {
    const rows = await this.db.selectDistinctOn([runEvents.runId], { runId: runEvents.runId, id: runEvents.id, data: runEvents.data }).from(runEvents)
      .innerJoin(runs, eq(runs.id, runEvents.runId))
      .where(and(eq(runs.tenantId, tenantId), eq(runEvents.tenantId, tenantId), eq(runs.experimentId, experimentId), eq(runEvents.type, RUN_EVENT_TYPES.answerReflected)))
      .orderBy(runEvents.runId, desc(runEvents.id));
    return new Map(rows.map((row) => [row.runId, parseStoredRow(reflectionConfidence, row.data, { table: 'run_events', id: row.id }).confidence]));
  }
}
