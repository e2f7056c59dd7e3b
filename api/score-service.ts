// What the eval routes do, apart from HTTP: a run's scores, a scoring asked for (run on a worker by
// the runScoring workflow, which has the run's workspace and the judge models, and waited for), and
// an agent's aggregates per scorer.
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { ulid } from 'ulid';
import { z } from 'zod';
import { mayReach } from '../core/access';
import { SCORER_KINDS, scorersSchema, type Scorer } from '../core/evals';
import { parseStoredRunSpec, parseStoredRunStatus } from '../core/run-input-schema';
import { TERMINAL_STATUSES } from '../core/run-status';
import type { KeelConfig } from '../core/config';
import type { AgentsRepository } from '../stores/agents-repository';
import type { AgentScoreFilter, ScoreRow, ScoresRepository } from '../stores/scores-repository';
import { parseStoredRow } from '../stores/stored-row';
import type { Principal } from '../stores/tenants-repository';
import { runScoring } from '../workflows/run-scoring';
import { errorMessage } from '../core/error-message';
import { HttpError, notFound } from './http-error';
import type { RunService } from './run-service';
import type { ScoreResource, ScoreRunBody } from './score-schemas';

export type ScoreServiceDeps = {
  client: Client;
  config: Pick<KeelConfig, 'taskQueue'>;
  runs: Pick<RunService, 'get' | 'assertScorerModelsKnown'>;
  agents: Pick<AgentsRepository, 'get' | 'latest'>;
  scores: ScoresRepository;
};

const storedAgentScorers = z.looseObject({ scorers: scorersSchema.optional() });
const storedKind = z.enum(SCORER_KINDS);
const storedSource = z.enum(['live', 'request']);

export class ScoreService {
  constructor(private readonly deps: ScoreServiceDeps) {}

  async forRun(principal: Principal, runId: string): Promise<ScoreResource[]> {
    await this.deps.runs.get(principal, runId);
    return (await this.deps.scores.forRun(principal.tenantId, runId)).map(toScoreResource);
  }

  /** Scores a finished run with the given scorers or its agent's; waits for the worker's verdicts. */
  async score(principal: Principal, runId: string, body: ScoreRunBody): Promise<{ scoringId: string; scores: ScoreResource[] }> {
    const row = await this.deps.runs.get(principal, runId);
    if (!mayReach(principal, row.userId, 'runs:control:all')) throw notFound('run', runId);
    const status = parseStoredRunStatus(row.id, row.status);
    if (!TERMINAL_STATUSES.includes(status)) throw new HttpError(409, 'run_not_finished', `run ${runId} is ${status}: only a finished run can be scored`, { status });
    const { agent } = parseStoredRunSpec(row.id, row.spec);
    const scorers = body.scorers ?? (await this.agentScorers(principal, agent));
    if (scorers.length === 0) {
      const why = agent ? `its agent ${agent.name}@${agent.version} has no scorers` : 'it started from no agent';
      throw new HttpError(400, 'no_scorers', `give "scorers" to score run ${runId}: ${why}`, { field: 'scorers' });
    }
    this.deps.runs.assertScorerModelsKnown(scorers);
    const scoringId = `scoring_${ulid()}`;
    try {
      await this.deps.client.workflow.execute(runScoring, {
        taskQueue: this.deps.config.taskQueue,
        workflowId: `score:${runId}:${scoringId}`,
        args: [{ runId, tenantId: principal.tenantId, scoringId, source: 'request', scorers, ...(body.expected && { expected: body.expected }) }],
      });
    } catch (error) {
      if (error instanceof WorkflowFailedError) throw new HttpError(502, 'scoring_failed', `run ${runId} could not be scored: ${errorMessage(error.cause ?? error)}`, { scoringId });
      throw new HttpError(503, 'temporal_unavailable', `could not start the scoring workflow: ${errorMessage(error)}`);
    }
    return { scoringId, scores: (await this.deps.scores.forScoring(runId, scoringId)).map(toScoreResource) };
  }

  /** Per scorer and overall, over the agent's scored runs (one version, or every version). */
  async forAgent(principal: Principal, name: string, filter: AgentScoreFilter = {}) {
    const { version } = filter;
    const agent = version === undefined ? await this.deps.agents.latest(principal.tenantId, name) : await this.deps.agents.get(principal.tenantId, name, version);
    if (!agent) throw notFound('agent', version === undefined ? name : `${name}@${version}`);
    const [scorers, overall] = await Promise.all([
      this.deps.scores.aggregateForAgent(principal.tenantId, name, filter),
      this.deps.scores.overallForAgent(principal.tenantId, name, filter),
    ]);
    return { agent: name, version: version ?? null, source: filter.source ?? null, scorers, overall };
  }

  private async agentScorers(principal: Principal, agent: { name: string; version: number } | undefined): Promise<Scorer[]> {
    if (!agent) return [];
    const row = await this.deps.agents.get(principal.tenantId, agent.name, agent.version);
    if (!row) return [];
    return parseStoredRow(storedAgentScorers, row.settings, { table: 'agents', id: `${agent.name}@${agent.version}` }).scorers ?? [];
  }
}

export function toScoreResource(row: ScoreRow): ScoreResource {
  const where = { table: 'scores', id: row.id };
  return {
    id: row.id,
    runId: row.runId,
    scoringId: row.scoringId,
    source: parseStoredRow(storedSource, row.source, where),
    scorer: row.scorerName,
    kind: parseStoredRow(storedKind, row.scorerKind, where),
    score: row.score,
    passed: row.passed,
    reason: row.reason,
    judgeModel: row.judgeModel,
    agent: row.agentName !== null && row.agentVersion !== null ? { name: row.agentName, version: row.agentVersion } : null,
    createdAt: row.createdAt.toISOString(),
  };
}
