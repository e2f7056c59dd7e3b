// What the experiment routes do, apart from HTTP: create an experiment on an agent after checking
// each arm's settings the way a run would be checked, list and read them, stop one with a winner.
import { ulid } from 'ulid';
import type { AgentsRepository } from '../stores/agents-repository';
import { ExperimentAlreadyRunning, type ExperimentRow, type ExperimentsRepository } from '../stores/experiments-repository';
import { parseStoredRow } from '../stores/stored-row';
import type { Principal } from '../stores/tenants-repository';
import { storedArms } from './experiment-enrollment';
import { applyArmOverrides } from './experiment-overrides';
import type { CreateExperimentBody } from './experiment-schemas';
import { HttpError, notFound } from './http-error';
import type { RunService } from './run-service';
import { agentSettings } from './schemas';

export type ExperimentServiceDeps = {
  experiments: ExperimentsRepository;
  agents: Pick<AgentsRepository, 'latest'>;
  /** Checks an arm's settings as a run started from them would be checked. */
  runs: Pick<RunService, 'checkSettings'>;
};

/** A field an arm's check blamed (`model`), as a field of the request (`arms.1.overrides.model`). */
function armField(index: number, details: unknown): string {
  const field = typeof details === 'object' && details !== null && 'field' in details && typeof details.field === 'string' ? details.field : undefined;
  return `arms.${index}.overrides${field === undefined ? '' : `.${field}`}`;
}

export class ExperimentService {
  constructor(private readonly deps: ExperimentServiceDeps) {}

  async create(principal: Principal, body: CreateExperimentBody): Promise<ExperimentRow> {
    const agent = await this.deps.agents.latest(principal.tenantId, body.agent);
    if (!agent) throw new HttpError(404, 'not_found', `agent ${body.agent} not found`, { field: 'agent' });
    const settings = parseStoredRow(agentSettings, agent.settings, { table: 'agents', id: `${agent.name}@${agent.version}` });
    for (const [index, arm] of body.arms.entries()) {
      try {
        await this.deps.runs.checkSettings(principal, applyArmOverrides(settings, arm.overrides));
      } catch (error) {
        if (!(error instanceof HttpError) || error.statusCode !== 400) throw error;
        throw new HttpError(400, error.code, `arm "${arm.name}": ${error.message}`, { field: armField(index, error.details), arm: arm.name });
      }
    }
    try {
      return await this.deps.experiments.create({
        id: `exp_${ulid()}`, tenantId: principal.tenantId, name: body.name, agentName: body.agent, arms: body.arms, createdBy: principal.userId,
      });
    } catch (error) {
      if (error instanceof ExperimentAlreadyRunning) {
        const running = await this.deps.experiments.currentForAgent(principal.tenantId, body.agent);
        throw new HttpError(409, 'experiment_running', `${error.message}; stop it first (POST /v1/experiments/:id/stop)`, { field: 'agent', experimentId: running?.id });
      }
      throw error;
    }
  }

  async list(principal: Principal, limit: number, agentName?: string): Promise<ExperimentRow[]> {
    return this.deps.experiments.list(principal.tenantId, limit, agentName);
  }

  async get(principal: Principal, id: string): Promise<ExperimentRow> {
    const row = await this.deps.experiments.get(principal.tenantId, id);
    if (!row) throw notFound('experiment', id);
    return row;
  }

  /** Stops a running experiment: from now on every run of its agent gets the winner's overrides. */
  async stop(principal: Principal, id: string, winner: string): Promise<ExperimentRow> {
    const row = await this.get(principal, id);
    const arms = storedArms(row);
    if (!arms.some((arm) => arm.name === winner)) {
      throw new HttpError(400, 'unknown_arm', `experiment ${id} has no arm "${winner}"`, { field: 'body.winner', arms: arms.map((arm) => arm.name) });
    }
    const stopped = row.status === 'running' ? await this.deps.experiments.stop(principal.tenantId, id, winner, principal.userId) : undefined;
    if (!stopped) {
      const current = await this.get(principal, id);
      throw new HttpError(409, 'experiment_stopped', `experiment ${id} is already stopped (winner "${current.winner ?? ''}")`, { winner: current.winner });
    }
    return stopped;
  }
}
