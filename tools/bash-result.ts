// Turns how a bash job ended, plus its capped output, into the result the model sees.
import { stat } from 'node:fs/promises';
import { readCappedRange } from './capped-output';
import { JOB_FILES, jobFile, type JobRecord } from './job-files';
import type { JobEnd } from './job-runner';
import { toolError, toolSuccess } from './tool-result';
import type { ToolResult } from './types';

/** How this call came by the result: it ran the job, adopted a job a crashed attempt started, or found it finished. */
export type JobProvenance = 'started' | 'adopted' | 'recorded';

export async function bashResult(
  folder: string,
  jobId: string,
  job: JobRecord,
  end: JobEnd,
  provenance: JobProvenance,
  outputCap: number,
): Promise<ToolResult> {
  const outputFile = jobFile(folder, JOB_FILES.output);
  const size = await stat(outputFile).then((stats) => stats.size, () => 0);
  const output = await readCappedRange(outputFile, 0, size, outputCap).catch(() => ({ text: '', truncated: false, omitted: undefined }));
  const shown = output.text === '' ? '(no output)' : output.text.replace(/\n$/, '');
  const metadata: Record<string, unknown> = {
    jobId,
    provenance,
    outputBytes: size,
    outputTruncated: output.truncated,
    durationMilliseconds: Date.now() - job.startedAt,
    sandbox: job.sandbox ?? 'unsafe',
  };
  switch (end.kind) {
    case 'exited': {
      const result = `${shown}\n\nExit code: ${end.exitCode}`;
      const facts = { ...metadata, exitCode: end.exitCode };
      return end.exitCode === 0 ? toolSuccess(result, facts) : toolError(result, facts);
    }
    case 'stopped': {
      const why =
        end.reason === 'timeout'
          ? `Command timed out after ${job.timeoutSeconds} seconds; its whole process group was killed.`
          : end.reason === 'cancelled'
            ? 'Command was cancelled before it finished; its whole process group was killed.'
            : 'Command was stopped with bash_kill before it finished.';
      return toolError(`${why}\n\nOutput before it stopped:\n${shown}`, { ...metadata, stopReason: end.reason, timedOut: end.reason === 'timeout' });
    }
    case 'vanished':
      return toolError(`Command ended without recording an exit code (its process was killed from outside).\n\nOutput:\n${shown}`, {
        ...metadata,
        vanished: true,
      });
  }
}
