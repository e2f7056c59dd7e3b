// Which experiment arm a new run of an agent gets: the agent's running experiment assigns one by a
// hash of (experiment, user), sticky per user; a stopped one sends everyone to its winner.
import { assignArm } from '../core/experiments';
import type { ExperimentRow, ExperimentsRepository } from '../stores/experiments-repository';
import { parseStoredRow } from '../stores/stored-row';
import { bodyOverridesArms } from './experiment-overrides';
import { experimentArms, type ArmOverrides, type ExperimentArm } from './experiment-schemas';
import type { CreateRunBody } from './schemas';

export type ExperimentEnrollment = { experimentId: string; arm: string; overrides: ArmOverrides };

export function storedArms(row: ExperimentRow): ExperimentArm[] {
  return parseStoredRow(experimentArms, row.arms, { table: 'experiments', id: row.id });
}

export class ExperimentEnrollments {
  constructor(private readonly experiments: Pick<ExperimentsRepository, 'currentForAgent'>) {}

  /** The arm of the agent's current experiment for this user and body; undefined when the run is not enrolled. */
  async enrol(tenantId: string, agentName: string, userId: string, body: CreateRunBody): Promise<ExperimentEnrollment | undefined> {
    const experiment = await this.experiments.currentForAgent(tenantId, agentName);
    if (!experiment) return undefined;
    const arms = storedArms(experiment);
    if (bodyOverridesArms(body, arms)) return undefined;
    const arm = experiment.status === 'running' ? assignArm(experiment.id, userId, arms) : arms.find((candidate) => candidate.name === experiment.winner);
    // A stopped experiment always names one of its arms; a row that does not enrols nobody.
    if (!arm) return undefined;
    return { experimentId: experiment.id, arm: arm.name, overrides: arm.overrides };
  }
}
