// `keel deploy status|ramp <build> <percent>|promote [<build>]|rollback`: which worker build takes
// new runs (/v1/deployments, platform operator). Runs already started stay on their build.
import { z } from 'zod';
import { deploymentChangeShape, deploymentShape } from '../api-shapes';
import { table, type CliIo } from '../cli-io';
import type { KeelClient } from '../keel-client';

/** The deployment a worker with KEEL_BUILD_ID joins unless KEEL_DEPLOYMENT_NAME names another. */
export const DEFAULT_DEPLOYMENT = 'keel';

export type DeployOptions = { deployment?: string };

/** Thrown for a percentage that is not a number from 0 to 100. */
export class DeployArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeployArgumentError';
  }
}

const percentText = z.string().trim().regex(/^\d+(\.\d+)?%?$/).transform((text) => Number(text.replace(/%$/, ''))).pipe(z.number().min(0).max(100));

export function deploymentName(options: DeployOptions, environment: NodeJS.ProcessEnv = process.env): string {
  return options.deployment || environment.KEEL_DEPLOYMENT_NAME || DEFAULT_DEPLOYMENT;
}

export async function deployStatus(client: KeelClient, io: CliIo, options: DeployOptions): Promise<number> {
  const deployment = await client.request('GET', deploymentPath(options), deploymentShape);
  io.out(describe(deployment));
  return 0;
}

export async function deployRamp(client: KeelClient, io: CliIo, buildId: string, percent: string, options: DeployOptions): Promise<number> {
  const parsed = percentText.safeParse(percent);
  if (!parsed.success) throw new DeployArgumentError(`"${percent}" is not a percentage from 0 to 100 (e.g. 20 or 20%)`);
  const answer = await client.request('POST', `${deploymentPath(options)}/ramp`, deploymentChangeShape, { buildId, percentage: parsed.data });
  io.out(`ramping ${buildId} at ${parsed.data}% of new runs (current ${answer.deployment.current ?? 'unversioned'})\n`);
  return 0;
}

export async function deployPromote(client: KeelClient, io: CliIo, buildId: string | undefined, options: DeployOptions): Promise<number> {
  const answer = await client.request('POST', `${deploymentPath(options)}/promote`, deploymentChangeShape, buildId ? { buildId } : {});
  io.out(`promoted ${answer.change.buildId ?? 'unversioned'} (was ${answer.change.previousCurrent ?? 'unversioned'}): every new run goes to it\n`);
  return 0;
}

export async function deployRollback(client: KeelClient, io: CliIo, options: DeployOptions): Promise<number> {
  const answer = await client.request('POST', `${deploymentPath(options)}/rollback`, deploymentChangeShape, {});
  const { change } = answer;
  io.out(change.action === 'ramp_stopped'
    ? `stopped the ramp of ${change.buildId ?? 'unversioned'}: new runs go to ${answer.deployment.current ?? 'unversioned'} only\n`
    : `rolled back to ${change.buildId ?? 'unversioned'} (was ${change.previousCurrent ?? 'unversioned'})\n`);
  return 0;
}

function deploymentPath(options: DeployOptions): string {
  return `/v1/deployments/${encodeURIComponent(deploymentName(options))}`;
}

function describe(deployment: z.infer<typeof deploymentShape>): string {
  const header = [
    `deployment ${deployment.name}`,
    `current    ${deployment.current ?? 'unversioned'}`,
    `ramping    ${deployment.ramping ? `${deployment.ramping.buildId} at ${deployment.ramping.percentage}%` : '-'}`,
  ].join('\n');
  const versions = deployment.versions.length === 0
    ? 'no builds have polled yet\n'
    : table([['BUILD', 'STATUS', 'CREATED'], ...deployment.versions.map((version) => [version.buildId, version.status, version.createdAt ?? '-'])]);
  return `${header}\n\n${versions}`;
}
