// Which of a run's background jobs are still running, without scanning every job folder: the bash
// tool leaves a marker per background job, and markers of finished jobs are dropped when seen.
import { mkdir, readdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { jobFolderPath } from './job-id';
import { inspectJob } from './job-runner';

const MARKERS_FOLDER = 'background';

/** Written before the job starts, so a crash right after still leaves the job known. */
export async function markBackgroundJob(jobsDir: string, jobId: string): Promise<void> {
  await mkdir(path.join(jobsDir, MARKERS_FOLDER), { recursive: true });
  await writeFile(path.join(jobsDir, MARKERS_FOLDER, jobId), '');
}

export async function runningBackgroundJobs(jobsDir: string): Promise<string[]> {
  const ids = await readdir(path.join(jobsDir, MARKERS_FOLDER)).catch(() => [] as string[]);
  const running: string[] = [];
  for (const jobId of ids.sort()) {
    const inspection = await inspectJob(jobFolderPath(jobsDir, jobId)).catch(() => undefined);
    if (inspection?.status.kind === 'running') running.push(jobId);
    else await unlink(path.join(jobsDir, MARKERS_FOLDER, jobId)).catch(() => undefined);
  }
  return running;
}
