// What /v1/deployments does: a Temporal Worker Deployment's routing read and changed through the
// WorkflowService (describe, ramp, promote, rollback), each change audited. Every change carries
// the conflict token of the describe it was decided on, so two operators cannot interleave.
import { isGrpcServiceError } from '@temporalio/client';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { PLATFORM_TENANT_ID } from '../core/access';
import { planRollback, PROMOTED_FROM_KEY, promotedFromSchema, type DeploymentRouting, type PromotedFrom } from '../core/worker-deployment';
import type { Principal } from '../stores/api-keys-repository';
import type { AuditRepository } from '../stores/audit-repository';
import { DEPLOYMENT_VERSION_STATUSES, type DeploymentChange, type DeploymentResource } from './deployment-schemas';
import { HttpError } from './http-error';

type WorkflowService = temporal.api.workflowservice.v1.WorkflowService;
type DeploymentInfo = temporal.api.deployment.v1.WorkerDeploymentInfo.$Properties;
type VersionStatus = (typeof DEPLOYMENT_VERSION_STATUSES)[number];

export type DeploymentServiceDeps = {
  workflowService: WorkflowService;
  namespace: string;
  audit: Pick<AuditRepository, 'record'>;
};

/** gRPC status codes Temporal answers deployment calls with. */
const GRPC = { invalidArgument: 3, notFound: 5, failedPrecondition: 9, aborted: 10, unavailable: 14 } as const;

const STATUS_NAMES: Readonly<Record<number, VersionStatus>> = {
  [temporal.api.enums.v1.WorkerDeploymentVersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_INACTIVE]: 'inactive',
  [temporal.api.enums.v1.WorkerDeploymentVersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_CURRENT]: 'current',
  [temporal.api.enums.v1.WorkerDeploymentVersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_RAMPING]: 'ramping',
  [temporal.api.enums.v1.WorkerDeploymentVersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_DRAINING]: 'draining',
  [temporal.api.enums.v1.WorkerDeploymentVersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_DRAINED]: 'drained',
};

const JSON_ENCODING = new TextEncoder().encode('json/plain');

/** A deployment as described, with the token a change decided on it must carry. */
type Described = { resource: DeploymentResource; routing: DeploymentRouting; conflictToken: Uint8Array };

export class DeploymentService {
  constructor(private readonly deps: DeploymentServiceDeps) {}

  async list(): Promise<Array<Pick<DeploymentResource, 'name' | 'current' | 'ramping'>>> {
    const response = await this.call(() => this.deps.workflowService.listWorkerDeployments({ namespace: this.deps.namespace, pageSize: 1000 }), 'the deployments');
    return (response.workerDeployments ?? []).flatMap((summary) => (summary.name ? [{ name: summary.name, ...routingOf(summary.routingConfig) }] : []));
  }

  async status(name: string): Promise<DeploymentResource> {
    return (await this.describe(name)).resource;
  }

  /** Sends `percentage` of new runs to `buildId` (the rest to the current build). */
  async ramp(principal: Principal, name: string, buildId: string, percentage: number): Promise<{ change: DeploymentChange; deployment: DeploymentResource }> {
    const described = await this.describe(name);
    this.requireVersion(described, name, buildId);
    if (described.routing.current === buildId) throw new HttpError(409, 'already_current', `build ${buildId} is already current in ${name}: ramp another build, or roll back`, { field: 'body.buildId' });
    await this.call(() => this.deps.workflowService.setWorkerDeploymentRampingVersion({
      namespace: this.deps.namespace, deploymentName: name, buildId, percentage, conflictToken: described.conflictToken, identity: identityOf(principal),
    }), `deployment ${name}`);
    return this.changed(principal, name, { action: 'ramped', buildId, previousCurrent: described.routing.current }, { percentage });
  }

  /** Makes `buildId` (or the ramping build) current; the build it replaces is kept for a rollback. */
  async promote(principal: Principal, name: string, requested: string | undefined): Promise<{ change: DeploymentChange; deployment: DeploymentResource }> {
    const described = await this.describe(name);
    const buildId = requested ?? described.routing.ramping?.buildId;
    if (!buildId) throw new HttpError(409, 'nothing_ramping', `no build is ramping in ${name}: name the build to promote`, { field: 'body.buildId' });
    this.requireVersion(described, name, buildId);
    // Promoting the current build again would record it as its own predecessor and lose the way back.
    if (described.routing.current === buildId) throw new HttpError(409, 'already_current', `build ${buildId} is already current in ${name}`, { field: 'body.buildId' });
    const promotedFrom: PromotedFrom = { buildId: described.routing.current };
    await this.call(() => this.deps.workflowService.updateWorkerDeploymentVersionMetadata({
      namespace: this.deps.namespace, deploymentVersion: { deploymentName: name, buildId },
      upsertEntries: { [PROMOTED_FROM_KEY]: { metadata: { encoding: JSON_ENCODING }, data: new TextEncoder().encode(JSON.stringify(promotedFrom)) } },
      identity: identityOf(principal),
    }), `build ${buildId} of ${name}`);
    await this.call(() => this.deps.workflowService.setWorkerDeploymentCurrentVersion({
      namespace: this.deps.namespace, deploymentName: name, buildId, conflictToken: described.conflictToken, identity: identityOf(principal),
    }), `deployment ${name}`);
    return this.changed(principal, name, { action: 'promoted', buildId, previousCurrent: described.routing.current });
  }

  /** Stops a ramp in progress; with none, makes the build current before the last promotion current again. */
  async rollback(principal: Principal, name: string): Promise<{ change: DeploymentChange; deployment: DeploymentResource }> {
    const described = await this.describe(name);
    const { routing, conflictToken } = described;
    const promotedFrom = routing.ramping || routing.current === null ? undefined : await this.promotedFrom(name, routing.current);
    const plan = planRollback(routing, promotedFrom);
    if (plan.kind === 'nothing') throw new HttpError(409, 'nothing_to_roll_back', `nothing to roll back in ${name}: ${plan.reason}`);
    if (plan.kind === 'clear-ramp') {
      await this.call(() => this.deps.workflowService.setWorkerDeploymentRampingVersion({
        namespace: this.deps.namespace, deploymentName: name, buildId: '', percentage: 0, conflictToken, identity: identityOf(principal),
      }), `deployment ${name}`);
      return this.changed(principal, name, { action: 'ramp_stopped', buildId: plan.buildId, previousCurrent: routing.current });
    }
    await this.call(() => this.deps.workflowService.setWorkerDeploymentCurrentVersion({
      namespace: this.deps.namespace, deploymentName: name, buildId: plan.to ?? '', conflictToken, identity: identityOf(principal),
    }), `deployment ${name}`);
    return this.changed(principal, name, { action: 'rolled_back', buildId: plan.to, previousCurrent: plan.from });
  }

  private async describe(name: string): Promise<Described> {
    const response = await this.call(() => this.deps.workflowService.describeWorkerDeployment({ namespace: this.deps.namespace, deploymentName: name }), `deployment ${name}`);
    const info = response.workerDeploymentInfo;
    if (!info) throw new HttpError(404, 'not_found', `deployment ${name} not found`);
    const routing = routingOf(info.routingConfig);
    return { resource: { name, ...routing, versions: versionsOf(info) }, routing, conflictToken: response.conflictToken };
  }

  /** What the promotion that made `buildId` current recorded; undefined when it was not promoted through Keel. */
  private async promotedFrom(name: string, buildId: string): Promise<PromotedFrom | undefined> {
    const response = await this.call(() => this.deps.workflowService.describeWorkerDeploymentVersion({
      namespace: this.deps.namespace, deploymentVersion: { deploymentName: name, buildId },
    }), `build ${buildId} of ${name}`);
    const entry = response.workerDeploymentVersionInfo?.metadata?.entries?.[PROMOTED_FROM_KEY];
    if (!entry?.data) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(entry.data));
    } catch {
      return undefined;
    }
    // Metadata anyone with Temporal access may edit: a value of another shape is no rollback target.
    const parsed = promotedFromSchema.safeParse(json);
    return parsed.success ? parsed.data : undefined;
  }

  private requireVersion(described: Described, name: string, buildId: string): void {
    if (!described.resource.versions.some((version) => version.buildId === buildId)) {
      throw new HttpError(404, 'version_not_found', `build ${buildId} is not in deployment ${name}: its workers have not polled yet (start them with KEEL_DEPLOYMENT_NAME=${name} KEEL_BUILD_ID=${buildId})`, { field: 'body.buildId' });
    }
  }

  private async changed(principal: Principal, name: string, change: DeploymentChange, details: Record<string, unknown> = {}): Promise<{ change: DeploymentChange; deployment: DeploymentResource }> {
    await this.deps.audit.record({
      tenantId: PLATFORM_TENANT_ID, actor: principal, action: `deployment.${change.action}`, target: { type: 'deployment', id: name },
      details: { ...change, ...details },
    });
    return { change, deployment: await this.status(name) };
  }

  /** Temporal's refusals as 4xx naming the problem; an unreachable Temporal as 503. */
  private async call<T>(work: () => Promise<T>, subject: string): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!isGrpcServiceError(error)) throw error;
      const message = error.details || error.message;
      switch (error.code) {
        case GRPC.notFound: throw new HttpError(404, 'not_found', `${subject} not found: ${message}`);
        case GRPC.invalidArgument: throw new HttpError(400, 'invalid_deployment_change', `Temporal refused the change to ${subject}: ${message}`);
        case GRPC.failedPrecondition:
        case GRPC.aborted: throw new HttpError(409, 'deployment_conflict', `Temporal refused the change to ${subject}: ${message} (describe it again and retry)`);
        case GRPC.unavailable: throw new HttpError(503, 'temporal_unavailable', `Temporal is unreachable: ${message}`);
        default: throw error;
      }
    }
  }
}

function routingOf(config: temporal.api.deployment.v1.RoutingConfig.$Properties | null | undefined): DeploymentRouting {
  const current = config?.currentDeploymentVersion?.buildId || null;
  const rampingBuild = config?.rampingDeploymentVersion?.buildId;
  return { current, ramping: rampingBuild ? { buildId: rampingBuild, percentage: config?.rampingVersionPercentage ?? 0 } : null };
}

function versionsOf(info: DeploymentInfo): DeploymentResource['versions'] {
  return (info.versionSummaries ?? []).flatMap((summary) => {
    const buildId = summary.deploymentVersion?.buildId;
    if (!buildId) return [];
    return [{
      buildId,
      status: STATUS_NAMES[summary.status ?? 0] ?? 'unknown',
      createdAt: isoTime(summary.createTime),
      currentSince: isoTime(summary.currentSinceTime),
      rampingSince: isoTime(summary.rampingSinceTime),
    }];
  });
}

function isoTime(timestamp: Parameters<typeof optionalTsToMs>[0]): string | null {
  const ms = optionalTsToMs(timestamp);
  return ms === undefined ? null : new Date(ms).toISOString();
}

/** Who Temporal records as the change's author (its Web UI shows it). */
function identityOf(principal: Principal): string {
  return `keel:${principal.tenantId}/${principal.userId}`;
}
