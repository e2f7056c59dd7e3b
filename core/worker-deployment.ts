// Worker versioning (Temporal Worker Deployments): what names a deployment and a build, and how a
// rollback is chosen from the routing a deployment has. Pure; the calls to Temporal are in
// api/deployment-service.ts, the worker's side in worker/create-worker.ts.
import { z } from 'zod';

/** The deployment a versioned worker joins when KEEL_BUILD_ID is set and KEEL_DEPLOYMENT_NAME is not. */
export const DEFAULT_DEPLOYMENT_NAME = 'keel';

/** Temporal joins them as `name.buildId`: a deployment name has no dot, a build id may (1.4.2). */
export const deploymentNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, 'must be 1 to 100 letters, digits, "_" or "-" (no dots), starting with a letter or digit');
export const buildIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.+-]{0,99}$/, 'must be 1 to 100 letters, digits, ".", "_", "+" or "-", starting with a letter or digit');

/** A versioned worker's place: the deployment it joins and the build it runs. */
export type WorkerDeploymentConfig = { name: string; buildId: string };

/**
 * The version metadata key a promotion writes on the version it makes current: the build that was
 * current before (null: unversioned workers), so a rollback knows where to go back to.
 */
export const PROMOTED_FROM_KEY = 'keel.promotedFrom';
export const promotedFromSchema = z.object({ buildId: buildIdSchema.nullable() });
export type PromotedFrom = z.infer<typeof promotedFromSchema>;

/** Where a deployment's new runs go: its current build (null: unversioned workers) and the one ramping, if any. */
export type DeploymentRouting = {
  current: string | null;
  ramping: { buildId: string; percentage: number } | null;
};

export type RollbackPlan =
  | { kind: 'clear-ramp'; buildId: string }
  | { kind: 'restore-current'; from: string; to: string | null }
  | { kind: 'nothing'; reason: string };

/**
 * A rollback undoes the latest step of a rollout: a ramp in progress is stopped (new runs go to the
 * current build only); with no ramp, the last promotion is undone (the build current before it is
 * current again). Runs already on a build stay on it: they are pinned.
 */
export function planRollback(routing: DeploymentRouting, promotedFrom: PromotedFrom | undefined): RollbackPlan {
  if (routing.ramping) return { kind: 'clear-ramp', buildId: routing.ramping.buildId };
  if (routing.current === null) return { kind: 'nothing', reason: 'no build is current and none is ramping' };
  if (!promotedFrom) return { kind: 'nothing', reason: `build ${routing.current} was not promoted through Keel, so there is no earlier build to go back to` };
  return { kind: 'restore-current', from: routing.current, to: promotedFrom.buildId };
}
