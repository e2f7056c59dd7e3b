// Runs bash jobs detached from the worker: each job is a process group whose output, pid and exit
// code live in files in its job folder, so a retried call after a worker crash can adopt the
// still-running job or return its recorded result instead of running the command twice.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { throwIfAbandoned } from './attempt-abandoned';
import { commandEnvironment } from './command-environment';
import {
  JOB_FILES,
  jobFile,
  readExitCode,
  readJobRecord,
  readProcessRecord,
  readStopRecord,
  readWrapperPid,
  writeJson,
  type JobRecord,
  type StopReason,
} from './job-files';
import { isProcessRunning, readBootId, readProcessStartTicks, terminateProcessGroup } from './process-group';

export const JOB_POLL_MILLISECONDS = 100;
export const HEARTBEAT_INTERVAL_MILLISECONDS = 1000;

/**
 * Runs in the job's own process group, on the host: records its pid before the command starts,
 * sends all output to a file (pipes would die with the worker), runs the launch argv (bwrap around
 * `bash -c`, or `bash -c` alone) and publishes the exit code with an atomic rename. bwrap stays in
 * this process group (no --new-session), so killing the group kills the sandbox and, with its
 * PID-namespace init, everything inside it.
 */
const WRAPPER_SCRIPT = [
  'folder="$1"',
  'shift',
  `echo "$$" > "$folder/${JOB_FILES.pid}.tmp" && mv -f "$folder/${JOB_FILES.pid}.tmp" "$folder/${JOB_FILES.pid}"`,
  `"$@" > "$folder/${JOB_FILES.output}" 2>&1 < /dev/null`,
  `echo "$?" > "$folder/${JOB_FILES.exit}.tmp" && mv -f "$folder/${JOB_FILES.exit}.tmp" "$folder/${JOB_FILES.exit}"`,
].join('\n');

export type JobEnd = { kind: 'exited'; exitCode: number } | { kind: 'stopped'; reason: StopReason } | { kind: 'vanished' };
export type JobStatus = JobEnd | { kind: 'running' } | { kind: 'missing' };
export type JobInspection = { status: JobStatus; job?: JobRecord; processGroupId?: number };

export type JobSpecification = {
  command: string;
  workspace: string;
  background: boolean;
  timeoutSeconds?: number;
  /** The program that runs the command (see tools/sandbox/command-launch.ts); `bash -c <command>` when omitted. */
  launch?: { argv: readonly string[]; sandbox: 'bubblewrap' | 'unsafe' };
};

export type JobWaitOptions = {
  heartbeat: () => void;
  signal?: AbortSignal;
  killGraceMilliseconds: number;
};

/** Starts the command in a fresh job folder (replacing any earlier attempt's files). */
/**
 * Thrown when another attempt of the same call claimed the job folder first (two attempts of one
 * call can overlap: a timed-out attempt still running beside its retry). The caller inspects the
 * folder again and adopts that attempt's job: the command never runs twice.
 */
export class JobAlreadyClaimed extends Error {
  constructor(readonly folder: string) {
    super(`another attempt claimed the job folder ${folder}`);
    this.name = 'JobAlreadyClaimed';
  }
}

const errorCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

/**
 * Claims the job folder, atomically: the folder is built aside with its job record and renamed into
 * place, which fails when the folder exists, so of two attempts that both found nothing only one
 * starts the job. `replacing` first moves a vanished job's folder aside (a rename too: of two
 * attempts only one moves it).
 */
async function claimJobFolder(folder: string, job: JobRecord, replacing: boolean): Promise<void> {
  await mkdir(path.dirname(folder), { recursive: true });
  if (replacing) {
    try {
      await rename(folder, `${folder}.vanished-${Date.now()}-${process.pid}`);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') throw new JobAlreadyClaimed(folder);
      throw error;
    }
  }
  const staging = `${folder}.claim-${process.pid}-${Math.random().toString(36).slice(2)}`;
  await mkdir(staging);
  try {
    await writeJson(jobFile(staging, JOB_FILES.job), job);
    await rename(staging, folder);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (errorCode(error) === 'EEXIST' || errorCode(error) === 'ENOTEMPTY') throw new JobAlreadyClaimed(folder);
    throw error;
  }
}

/** Starts the job once its folder is claimed; `replacing` a vanished job's folder (see claimJobFolder). */
export async function startJob(folder: string, specification: JobSpecification, replacing = false): Promise<{ job: JobRecord; processGroupId: number }> {
  const startedAt = Date.now();
  const job: JobRecord = {
    command: specification.command,
    background: specification.background,
    timeoutSeconds: specification.timeoutSeconds,
    startedAt,
    deadline: specification.timeoutSeconds === undefined ? undefined : startedAt + specification.timeoutSeconds * 1000,
    bootId: await readBootId(),
    sandbox: specification.launch?.sandbox ?? 'unsafe',
    claimant: { pid: process.pid, startTicks: await readProcessStartTicks(process.pid) },
  };
  await claimJobFolder(folder, job, replacing);
  const argv = specification.launch?.argv ?? ['bash', '-c', specification.command];
  const child = spawn('bash', ['-c', WRAPPER_SCRIPT, 'keel-job', folder, ...argv], {
    cwd: specification.workspace,
    env: commandEnvironment(specification.workspace),
    detached: true, // its own session and process group: survives the worker and can be killed as a whole
    stdio: 'ignore',
  });
  await once(child, 'spawn');
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error(`bash did not start for job folder ${folder}`);
  await writeJson(jobFile(folder, JOB_FILES.process), { pid, processGroupId: pid, startTicks: await readProcessStartTicks(pid) });
  return { job, processGroupId: pid };
}

/**
 * Whether the worker process that claimed the job still lives, so a job not running yet may be one
 * it is starting (after its claim, before its wrapper wrote a pid). Another boot: it does not.
 */
export async function isClaimantAlive(job: JobRecord): Promise<boolean> {
  if (!job.claimant) return false;
  const bootId = await readBootId();
  if (job.bootId && bootId && job.bootId !== bootId) return false;
  return isProcessRunning(job.claimant.pid, job.claimant.startTicks);
}

/** What the job folder says about the job, checked against the process table. */
export async function inspectJob(folder: string): Promise<JobInspection> {
  const job = await readJobRecord(folder);
  if (!job) return { status: { kind: 'missing' } };
  const processGroupId = (await readProcessRecord(folder))?.processGroupId ?? (await readWrapperPid(folder));
  const exitCode = await readExitCode(folder);
  if (exitCode !== undefined) return { status: { kind: 'exited', exitCode }, job, processGroupId };
  const stop = await readStopRecord(folder);
  if (stop) return { status: { kind: 'stopped', reason: stop.reason }, job, processGroupId };
  const running = await isJobRunning(folder, job);
  return { status: running ? { kind: 'running' } : { kind: 'vanished' }, job, processGroupId };
}

/** Whether the job's wrapper process is alive: same boot, same pid, same start time. */
export async function isJobRunning(folder: string, job: JobRecord): Promise<boolean> {
  const bootId = await readBootId();
  if (job.bootId && bootId && job.bootId !== bootId) return false;
  const processRecord = await readProcessRecord(folder);
  if (processRecord) return isProcessRunning(processRecord.pid, processRecord.startTicks);
  const wrapperPid = await readWrapperPid(folder);
  return wrapperPid !== undefined && isProcessRunning(wrapperPid);
}

/** Waits for the job to end, heartbeating; kills its group at the job's deadline or on abort. */
export async function waitForJob(folder: string, job: JobRecord, processGroupId: number, options: JobWaitOptions): Promise<JobEnd> {
  let lastHeartbeat = 0;
  for (;;) {
    const exitCode = await readExitCode(folder);
    if (exitCode !== undefined) return { kind: 'exited', exitCode };
    const stop = await readStopRecord(folder);
    if (stop) return { kind: 'stopped', reason: stop.reason };
    // An abandoned attempt leaves the job running: the attempt that replaces it adopts it.
    throwIfAbandoned(options.signal);
    if (options.signal?.aborted) return stopJob(folder, processGroupId, 'cancelled', options);
    if (job.deadline !== undefined && Date.now() >= job.deadline) return stopJob(folder, processGroupId, 'timeout', options);
    if (!(await isJobRunning(folder, job))) {
      const lateExitCode = await readExitCode(folder);
      return lateExitCode === undefined ? { kind: 'vanished' } : { kind: 'exited', exitCode: lateExitCode };
    }
    if (Date.now() - lastHeartbeat >= HEARTBEAT_INTERVAL_MILLISECONDS) {
      options.heartbeat();
      lastHeartbeat = Date.now();
    }
    await delay(JOB_POLL_MILLISECONDS);
  }
}

/**
 * Records why the job is being stopped, then kills its whole group. The record comes first so that
 * a crash in between still leaves a retry knowing the job was meant to stop (it finishes the kill).
 */
export async function stopJob(
  folder: string,
  processGroupId: number,
  reason: StopReason,
  options: Pick<JobWaitOptions, 'heartbeat' | 'killGraceMilliseconds'>,
): Promise<JobEnd> {
  await writeJson(jobFile(folder, JOB_FILES.stopped), { reason, at: Date.now() });
  await terminateProcessGroup(processGroupId, options.killGraceMilliseconds, options.heartbeat);
  const exitCode = await readExitCode(folder);
  return exitCode === undefined ? { kind: 'stopped', reason } : { kind: 'exited', exitCode };
}
