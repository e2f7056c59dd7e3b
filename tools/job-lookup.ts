// Finds the job a model names by job_id, for bash_output and bash_kill; ids are confined to the run's jobsDir.
import type { JobRecord } from './job-files';
import { jobFolderPath } from './job-id';
import { inspectJob, type JobStatus } from './job-runner';
import { ToolInputError } from './tool-result';

/** Thrown when no job with the given id was started in this run. */
export class JobNotFoundError extends ToolInputError {
  constructor(readonly jobId: string) {
    super(`No job with id "${jobId}" in this run; use the job_id the bash tool returned.`);
    this.name = 'JobNotFoundError';
  }
}

export type FoundJob = { folder: string; job: JobRecord; status: JobStatus; processGroupId?: number };

export async function findJob(jobsDir: string, jobId: string): Promise<FoundJob> {
  const folder = jobFolderPath(jobsDir, jobId);
  const inspection = await inspectJob(folder);
  if (!inspection.job) throw new JobNotFoundError(jobId);
  return { folder, job: inspection.job, status: inspection.status, processGroupId: inspection.processGroupId };
}

export function describeJobStatus(status: JobStatus): string {
  switch (status.kind) {
    case 'running':
      return 'still running';
    case 'exited':
      return `exited with code ${status.exitCode}`;
    case 'stopped':
      return status.reason === 'timeout' ? 'killed after its timeout' : status.reason === 'cancelled' ? 'cancelled' : 'killed with bash_kill';
    case 'vanished':
      return 'ended without recording an exit code';
    case 'missing':
      return 'not found';
  }
}
