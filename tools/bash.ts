// The bash tool: runs a command in the workspace as a crash-safe job (see job-runner.ts), inside the
// bubblewrap sandbox (tools/sandbox/), in the foreground with a timeout or in the background for
// bash_output and bash_kill.
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { throwIfAbandoned } from './attempt-abandoned';
import { markBackgroundJob } from './background-jobs';
import { bashResult, type JobProvenance } from './bash-result';
import { DEFAULT_OUTPUT_CAP_CHARACTERS } from './capped-output';
import { assertUsableCallId, jobFolderPath } from './job-id';
import type { JobRecord } from './job-files';
import { inspectJob, isClaimantAlive, isJobRunning, JOB_POLL_MILLISECONDS, JobAlreadyClaimed, startJob, waitForJob } from './job-runner';
import { DEFAULT_KILL_GRACE_MILLISECONDS, terminateProcessGroup } from './process-group';
import { commandLaunch, resolveBashSandbox, SandboxUnavailableError, type BashSandbox } from './sandbox';
import { toolError, toolSuccess } from './tool-result';
import { TOOL_NAMES } from './tool-names';
import type { ToolDefinition, ToolResult } from './types';

export const DEFAULT_BASH_TIMEOUT_SECONDS = 120;
export const MAX_BASH_TIMEOUT_SECONDS = 600;
/**
 * How long a job claimed by a live attempt may go without a process before it counts as vanished:
 * spawning takes milliseconds, seconds on a loaded machine; a claimant whose spawn failed outright
 * has returned its error long before this.
 */
const CLAIM_START_GRACE_MILLISECONDS = 30_000;

export const bashArgumentsSchema = z.strictObject({
  command: z.string().min(1).describe('Shell command, run with `bash -c` in the workspace folder.'),
  timeout_seconds: z
    .number()
    .positive()
    .max(MAX_BASH_TIMEOUT_SECONDS)
    .optional()
    .describe(`Foreground time limit in seconds (default ${DEFAULT_BASH_TIMEOUT_SECONDS}, max ${MAX_BASH_TIMEOUT_SECONDS}).`),
  background: z
    .boolean()
    .optional()
    .describe('Start the command and return at once with a job_id; read its output with bash_output, stop it with bash_kill.'),
});
export type BashArguments = z.infer<typeof bashArgumentsSchema>;

export type BashToolOptions = {
  outputCap?: number;
  killGraceMilliseconds?: number;
  /**
   * Where commands run. The worker resolves it once at start-up (and logs it); without it the tool
   * resolves it from the environment on first use (bubblewrap, or KEEL_UNSAFE_BASH=1), so a tool
   * built without options is never silently unsandboxed.
   */
  sandbox?: BashSandbox;
};

let environmentSandbox: Promise<BashSandbox> | undefined;

function sandboxFromEnvironment(): Promise<BashSandbox> {
  environmentSandbox ??= resolveBashSandbox();
  return environmentSandbox;
}

export function createBashTool(options: BashToolOptions = {}): ToolDefinition<BashArguments> {
  const outputCap = options.outputCap ?? DEFAULT_OUTPUT_CAP_CHARACTERS;
  const killGraceMilliseconds = options.killGraceMilliseconds ?? DEFAULT_KILL_GRACE_MILLISECONDS;
  return {
    name: TOOL_NAMES.bash,
    description:
      'Run a bash command in the workspace folder (stdin is empty; stdout and stderr are combined). ' +
      (options.sandbox?.kind === 'unsafe' ? '' : 'It runs in a sandbox: only the workspace is writable, /tmp is private, and the network is off unless the run allows it. ') +
      'Changes to workspace paths the command does not name may be rolled back, so name the files a command changes. ' +
      `Foreground commands are killed after timeout_seconds (default ${DEFAULT_BASH_TIMEOUT_SECONDS}). ` +
      `Output beyond ${outputCap} characters is cut in the middle. ` +
      'Use background: true for servers and long jobs, then bash_output and bash_kill with the returned job_id.',
    schema: bashArgumentsSchema,
    async run(args, context) {
      assertUsableCallId(context.callId);
      const jobId = context.callId;
      const folder = jobFolderPath(context.jobsDir, jobId);
      const waitOptions = { heartbeat: context.heartbeat, signal: context.signal, killGraceMilliseconds };
      // Two attempts of one call can overlap (a timed-out attempt beside its retry): the job folder
      // is claimed atomically, and the attempt that loses the claim adopts the winner's job.
      for (;;) {
        const earlier = await inspectJob(folder);
        const { status, job: earlierJob, processGroupId: earlierGroup } = earlier;

        // A retry of a call whose job already ended: report it, never run the command twice.
        if (earlierJob && (status.kind === 'exited' || status.kind === 'stopped')) {
          if (status.kind === 'stopped' && earlierGroup !== undefined && (await isJobRunning(folder, earlierJob))) {
            await terminateProcessGroup(earlierGroup, killGraceMilliseconds, context.heartbeat); // finish an interrupted kill
          }
          if (earlierJob.background) return backgroundStarted(jobId, earlierJob, earlierGroup, 'recorded');
          return bashResult(folder, jobId, earlierJob, status, 'recorded', outputCap);
        }
        // A retry after the worker died while the job kept running: adopt it, keeping its deadline.
        if (earlierJob && status.kind === 'running' && earlierGroup !== undefined) {
          if (earlierJob.background) return backgroundStarted(jobId, earlierJob, earlierGroup, 'adopted');
          const end = await waitForJob(folder, earlierJob, earlierGroup, waitOptions);
          return bashResult(folder, jobId, earlierJob, end, 'adopted', outputCap);
        }
        // Claimed by a live attempt that has not started the process yet: wait for it to.
        if (earlierJob && Date.now() - earlierJob.startedAt < CLAIM_START_GRACE_MILLISECONDS && (await isClaimantAlive(earlierJob))) {
          context.heartbeat();
          throwIfAbandoned(context.signal);
          await delay(JOB_POLL_MILLISECONDS);
          continue;
        }
        // Nothing ran yet, or it died without an exit code (e.g. a reboot): run it (again).
        throwIfAbandoned(context.signal);
        if (context.signal?.aborted) return toolError('Command was cancelled before it started.', { jobId });
        const sandbox = options.sandbox ?? (await sandboxFromEnvironment());
        if (sandbox.kind === 'unavailable') {
          return toolError(`bash is disabled on this worker. ${new SandboxUnavailableError(sandbox.failure).message}`, { jobId, sandbox: 'unavailable' });
        }
        const launch = commandLaunch(sandbox, { command: args.command, workspace: context.workspace, allowNetwork: context.allowNetwork ?? false });
        const background = args.background ?? false;
        const timeoutSeconds = background ? undefined : (args.timeout_seconds ?? DEFAULT_BASH_TIMEOUT_SECONDS);
        if (background) await markBackgroundJob(context.jobsDir, jobId);
        let started: Awaited<ReturnType<typeof startJob>>;
        try {
          started = await startJob(folder, { command: args.command, workspace: context.workspace, background, timeoutSeconds, launch }, earlierJob !== undefined);
        } catch (error) {
          if (error instanceof JobAlreadyClaimed) continue; // the other attempt's job: adopt it
          throw error;
        }
        if (background) return backgroundStarted(jobId, started.job, started.processGroupId, 'started');
        const end = await waitForJob(folder, started.job, started.processGroupId, waitOptions);
        return bashResult(folder, jobId, started.job, end, 'started', outputCap);
      }
    },
  };
}

function backgroundStarted(jobId: string, job: JobRecord, processGroupId: number | undefined, provenance: JobProvenance): ToolResult {
  return toolSuccess(
    `Started background job ${jobId}. Read its output with bash_output {"job_id": "${jobId}"}; stop it with bash_kill {"job_id": "${jobId}"}.`,
    { jobId, background: true, processGroupId, provenance, command: job.command },
  );
}

export const bashTool = createBashTool();
