// The zod schemas of /v1/deployments (platform operator): a Worker Deployment's routing and builds,
// and the bodies of ramp, promote and rollback. They form the routes' part of the OpenAPI document.
import { z } from 'zod';
import { buildIdSchema, deploymentNameSchema } from '../core/worker-deployment';

export const DEPLOYMENT_VERSION_STATUSES = ['inactive', 'current', 'ramping', 'draining', 'drained', 'unknown'] as const;
export const DEPLOYMENT_CHANGES = ['ramped', 'promoted', 'ramp_stopped', 'rolled_back'] as const;

export const deploymentParams = z.object({ name: deploymentNameSchema });

export const deploymentVersionResource = z.object({
  buildId: z.string(),
  /** Temporal's status: draining = no new runs, pinned runs still open; drained = none left. */
  status: z.enum(DEPLOYMENT_VERSION_STATUSES),
  createdAt: z.string().nullable(),
  currentSince: z.string().nullable(),
  rampingSince: z.string().nullable(),
});

export const deploymentResource = z.object({
  name: z.string(),
  /** The build new runs go to; null: unversioned workers. */
  current: z.string().nullable(),
  /** The build a share of new runs goes to, chosen by a hash of the run id. */
  ramping: z.object({ buildId: z.string(), percentage: z.number() }).nullable(),
  versions: z.array(deploymentVersionResource),
});
export type DeploymentResource = z.infer<typeof deploymentResource>;

export const deploymentListResource = z.object({
  deployments: z.array(z.object({ name: z.string(), current: z.string().nullable(), ramping: deploymentResource.shape.ramping })),
});

export const deploymentChangeResource = z.object({
  change: z.object({
    action: z.enum(DEPLOYMENT_CHANGES),
    /** The build the change is about (the one ramped, promoted, stopped, or current again; null: unversioned). */
    buildId: z.string().nullable(),
    /** The build current before the change (null: unversioned workers). */
    previousCurrent: z.string().nullable(),
  }),
  deployment: deploymentResource,
});
export type DeploymentChange = z.infer<typeof deploymentChangeResource>['change'];

export const rampBody = z.object({
  buildId: buildIdSchema,
  /** 0 keeps the build ramping with no runs (warm); 100 sends every new run to it. */
  percentage: z.number().min(0).max(100),
}).strict();

export const promoteBody = z.object({
  /** Absent: the build that is ramping. */
  buildId: buildIdSchema.optional(),
}).strict().optional();

export const rollbackBody = z.object({}).strict().optional();
