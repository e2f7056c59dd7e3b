// The bash_kill tool: stops a background job by killing its whole process group.
import { z } from 'zod';
import { isJobRunning, stopJob } from './job-runner';
import { describeJobStatus, findJob } from './job-lookup';
import { DEFAULT_KILL_GRACE_MILLISECONDS } from './process-group';
import { catchToolInputErrors, toolSuccess } from './tool-result';
import { TOOL_NAMES } from './tool-names';
import type { ToolDefinition } from './types';

export const bashKillArgumentsSchema = z.strictObject({
  job_id: z.string().min(1).describe('The job_id the bash tool returned for a background command.'),
});
export type BashKillArguments = z.infer<typeof bashKillArgumentsSchema>;

export function createBashKillTool(options: { killGraceMilliseconds?: number } = {}): ToolDefinition<BashKillArguments> {
  const killGraceMilliseconds = options.killGraceMilliseconds ?? DEFAULT_KILL_GRACE_MILLISECONDS;
  return {
    name: TOOL_NAMES.bashKill,
    description: 'Stop a background bash job (SIGTERM to its whole process group, then SIGKILL). Its output stays readable with bash_output.',
    schema: bashKillArgumentsSchema,
    run: (args, context) =>
      catchToolInputErrors(async () => {
        const found = await findJob(context.jobsDir, args.job_id);
        const metadata = { jobId: args.job_id, processGroupId: found.processGroupId };
        const running = found.processGroupId !== undefined && (await isJobRunning(found.folder, found.job));
        if (found.status.kind !== 'running' || found.processGroupId === undefined || !running) {
          if (found.status.kind === 'stopped' && running && found.processGroupId !== undefined) {
            await stopJob(found.folder, found.processGroupId, found.status.reason, { heartbeat: context.heartbeat, killGraceMilliseconds });
          }
          return toolSuccess(`Job ${args.job_id} is not running (${describeJobStatus(found.status)}).`, { ...metadata, status: found.status.kind });
        }
        const end = await stopJob(found.folder, found.processGroupId, 'killed', { heartbeat: context.heartbeat, killGraceMilliseconds });
        const outcome = end.kind === 'exited' ? `it had already exited with code ${end.exitCode}` : 'its process group was killed';
        return toolSuccess(`Stopped job ${args.job_id}: ${outcome}. Read any remaining output with bash_output.`, {
          ...metadata,
          status: end.kind,
        });
      }),
  };
}

export const bashKillTool = createBashKillTool();
