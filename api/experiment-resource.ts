// An experiment row as the API shows it (the arms parsed from jsonb).
import { z } from 'zod';
import type { ExperimentRow } from '../stores/experiments-repository';
import { parseStoredRow } from '../stores/stored-row';
import { storedArms } from './experiment-enrollment';
import { EXPERIMENT_STATUSES, type experimentResource } from './experiment-schemas';

export function toExperimentResource(row: ExperimentRow): z.infer<typeof experimentResource> {
  return {
    id: row.id,
    name: row.name,
    agent: row.agentName,
    status: parseStoredRow(z.enum(EXPERIMENT_STATUSES), row.status, { table: 'experiments', id: row.id }),
    winner: row.winner,
    arms: storedArms(row).map((arm) => ({ name: arm.name, weight: arm.weight, overrides: { ...arm.overrides } })),
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    stoppedBy: row.stoppedBy,
    stoppedAt: row.stoppedAt?.toISOString() ?? null,
    links: { self: `/v1/experiments/${row.id}`, report: `/v1/experiments/${row.id}/report`, console: `/console/experiments/${row.id}` },
  };
}
