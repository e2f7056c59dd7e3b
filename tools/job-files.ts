// The files in a bash job's folder and their formats. The folder outlives the worker process, so a
// retried call (or bash_output / bash_kill) learns everything about the job from these files.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomically } from './atomic-write';

export const JOB_FILES = {
  /** What was started and when: written before the process starts. */
  job: 'job.json',
  /** The wrapper's own pid, written by the wrapper before the command runs. */
  pid: 'pid',
  /** Pid, process group and start time, written by the tool right after spawning. */
  process: 'process.json',
  /** stdout and stderr of the command, interleaved. */
  output: 'output',
  /** Exit code, written (via rename) by the wrapper when the command ends. */
  exit: 'exit',
  /** Why the tool stopped the job (timeout, cancel, bash_kill); written before signalling the group. */
  stopped: 'stopped.json',
  /** Byte offset of output bash_output has already returned. */
  readOffset: 'read-offset',
  /** One file per bash_output call: the byte range it returned, so its retry returns the same. */
  polls: 'polls',
} as const;

export const jobRecordSchema = z.object({
  command: z.string(),
  background: z.boolean(),
  timeoutSeconds: z.number().optional(),
  /** Epoch milliseconds. */
  startedAt: z.number(),
  /** Epoch milliseconds after which a foreground job is killed; none for background jobs. */
  deadline: z.number().optional(),
  bootId: z.string().optional(),
  /** Whether the command ran inside bubblewrap or unsandboxed (KEEL_UNSAFE_BASH). */
  sandbox: z.enum(['bubblewrap', 'unsafe']).optional(),
  /**
   * The worker process that claimed the folder: while it lives, a job not running yet is one it is
   * still starting, not one that vanished (absent on records older than the claim).
   */
  claimant: z.object({ pid: z.number().int(), startTicks: z.number().optional() }).optional(),
});
export type JobRecord = z.infer<typeof jobRecordSchema>;

export const processRecordSchema = z.object({
  pid: z.number().int(),
  processGroupId: z.number().int(),
  startTicks: z.number().optional(),
});
export type ProcessRecord = z.infer<typeof processRecordSchema>;

export const STOP_REASONS = { timeout: 'timeout', cancelled: 'cancelled', killed: 'killed' } as const;
export type StopReason = (typeof STOP_REASONS)[keyof typeof STOP_REASONS];

export const stopRecordSchema = z.object({
  reason: z.enum([STOP_REASONS.timeout, STOP_REASONS.cancelled, STOP_REASONS.killed]),
  at: z.number(),
});
export type StopRecord = z.infer<typeof stopRecordSchema>;

const pollRecordSchema = z.object({ from: z.number().int(), to: z.number().int() });
export type PollRecord = z.infer<typeof pollRecordSchema>;

export function jobFile(folder: string, name: (typeof JOB_FILES)[keyof typeof JOB_FILES]): string {
  return path.join(folder, name);
}

async function readText(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
}

/** Parses a JSON file against `schema`; missing or malformed files read as undefined. */
async function readJson<T>(file: string, schema: z.ZodType<T>): Promise<T | undefined> {
  const text = await readText(file);
  if (text === undefined) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFileAtomically(file, JSON.stringify(value));
}

export const readJobRecord = (folder: string) => readJson(jobFile(folder, JOB_FILES.job), jobRecordSchema);
export const readProcessRecord = (folder: string) => readJson(jobFile(folder, JOB_FILES.process), processRecordSchema);
export const readStopRecord = (folder: string) => readJson(jobFile(folder, JOB_FILES.stopped), stopRecordSchema);

function pollFile(folder: string, callId: string): string {
  return path.join(folder, JOB_FILES.polls, `${callId}.json`);
}

export const readPollRecord = (folder: string, callId: string) => readJson(pollFile(folder, callId), pollRecordSchema);

export async function writePollRecord(folder: string, callId: string, record: PollRecord): Promise<void> {
  await mkdir(path.join(folder, JOB_FILES.polls), { recursive: true });
  await writeJson(pollFile(folder, callId), record);
}

async function readInteger(file: string): Promise<number | undefined> {
  const text = await readText(file);
  if (text === undefined || !/^\s*-?\d+\s*$/.test(text)) return undefined;
  return Number(text.trim());
}

export const readExitCode = (folder: string) => readInteger(jobFile(folder, JOB_FILES.exit));
export const readWrapperPid = (folder: string) => readInteger(jobFile(folder, JOB_FILES.pid));
export const readReadOffset = async (folder: string) => (await readInteger(jobFile(folder, JOB_FILES.readOffset))) ?? 0;
