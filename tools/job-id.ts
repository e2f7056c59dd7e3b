// Job ids (the tool-call id that started a job) and the folders and files they name under a run's
// jobsDir; the id format is checked so an id can never climb out of jobsDir.
import path from 'node:path';
import { ToolInputError } from './tool-result';

/** Letters, digits, `_`, `-` and `.`, not starting with `.`: safe as one path segment. */
export const JOB_ID_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,199}$/;

/** Thrown when a job id (or the call id that becomes one) is not a safe single path segment. */
export class InvalidJobIdError extends ToolInputError {
  constructor(readonly jobId: string) {
    super(`"${jobId}" is not a valid job id; use the job_id the bash tool returned (letters, digits, "_", "-" and ".").`);
    this.name = 'InvalidJobIdError';
  }
}

/** Thrown when the activity hands a tool a call id that cannot name a job folder (an infrastructure fault). */
export class InvalidCallIdError extends Error {
  constructor(readonly callId: string) {
    super(`call id "${callId}" cannot name a job folder; call ids must match ${JOB_ID_PATTERN}`);
    this.name = 'InvalidCallIdError';
  }
}

export function assertValidJobId(jobId: string): void {
  if (!JOB_ID_PATTERN.test(jobId)) throw new InvalidJobIdError(jobId);
}

/** Checks the context's call id before it names a folder; failing is the activity's fault, not the model's. */
export function assertUsableCallId(callId: string): void {
  if (!JOB_ID_PATTERN.test(callId)) throw new InvalidCallIdError(callId);
}

/** The folder of job `jobId` inside `jobsDir`. */
export function jobFolderPath(jobsDir: string, jobId: string): string {
  assertValidJobId(jobId);
  return path.join(jobsDir, jobId);
}

/** The file recording an edit_file call's intent, beside the job folders. */
export function editIntentPath(jobsDir: string, callId: string): string {
  assertUsableCallId(callId);
  return path.join(jobsDir, `${callId}.edit.json`);
}
