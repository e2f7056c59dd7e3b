// `keel runs ls|show <id>|cancel <id>`.
import { z } from 'zod';
import { runListShape, runShape } from '../api-shapes';
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
