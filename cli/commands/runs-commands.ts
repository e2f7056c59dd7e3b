// `keel runs ls|show <id>|cancel <id>|fork <id> --from-step k`.
import { z } from 'zod';
import { forkShape, runListShape, runShape } from '../api-shapes';
import { table, type CliIo } from '../cli-io';
import type { KeelClient } from '../keel-client';

const cancelledShape = z.object({ id: z.string(), cancelling: z.literal(true) });

export async function listRuns(client: KeelClient, io: CliIo, options: { limit?: string }): Promise<number> {
  const limit = options.limit ?? '20';
  const { runs } = await client.request('GET', `/v1/runs?limit=${encodeURIComponent(limit)}`, runListShape);
  if (runs.length === 0) {
    io.err('no runs\n');
    return 0;
  }
  io.out(table([
    ['ID', 'STATUS', 'STEP', 'MODEL', 'AGENT', 'CREATED'],
    ...runs.map((run) => [run.id, run.status, String(run.step), run.model ?? '(pool)', run.agent ? `${run.agent.name}@${run.agent.version}` : '-', run.createdAt]),
  ]));
  return 0;
}

export async function showRun(client: KeelClient, io: CliIo, runId: string): Promise<number> {
  const run = await client.request('GET', `/v1/runs/${encodeURIComponent(runId)}`, runShape);
  io.out(`${JSON.stringify(run, null, 2)}\n`);
  return 0;
}

export async function cancelRun(client: KeelClient, io: CliIo, runId: string, options: { reason?: string }): Promise<number> {
  await client.request('POST', `/v1/runs/${encodeURIComponent(runId)}/cancel`, cancelledShape, options.reason ? { reason: options.reason } : {});
  io.out(`cancelling ${runId}\n`);
  return 0;
}

export type ForkOptions = { fromStep: number; message?: string; model?: string; instructions?: string };

/** Prints the fork's id alone on stdout (for `keel runs show $(keel runs fork ...)`), what it continues on stderr. */
export async function forkRun(client: KeelClient, io: CliIo, runId: string, options: ForkOptions): Promise<number> {
  const overrides = {
    ...(options.model !== undefined && { model: options.model }),
    ...(options.instructions !== undefined && { instructions: options.instructions }),
  };
  const fork = await client.request('POST', `/v1/runs/${encodeURIComponent(runId)}/fork`, forkShape, {
    fromStep: options.fromStep,
    ...(options.message !== undefined && { message: options.message }),
    ...(Object.keys(overrides).length > 0 && { overrides }),
  });
  io.err(`forked ${fork.parentRunId} from step ${fork.forkedFromStep}: ${fork.id} (${fork.status})\n`);
  io.out(`${fork.id}\n`);
  return 0;
}
