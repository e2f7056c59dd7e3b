// Facts about and signals to the detached process groups that run bash jobs. Identity checks use
// Linux's /proc (start time, zombie state, boot id); elsewhere they fall back to "the pid exists".
import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';

/** Time a process group gets between SIGTERM and SIGKILL. */
export const DEFAULT_KILL_GRACE_MILLISECONDS = 2000;
/** How long to wait for a group to disappear after SIGKILL before giving up on it. */
export const KILL_SETTLE_MILLISECONDS = 1000;
const GROUP_POLL_MILLISECONDS = 50;

/** The kernel's boot id: a pid recorded under another boot id names a different process. */
export async function readBootId(): Promise<string | undefined> {
  const text = await readFile('/proc/sys/kernel/random/boot_id', 'utf8').catch(() => undefined);
  return text?.trim() || undefined;
}

type ProcessStat = { state: string; processGroupId: number; startTicks: number };

async function readProcessStat(pid: number): Promise<ProcessStat | undefined> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  // The command name is in parentheses and may itself contain spaces or parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const processGroupId = Number(fields[2]);
  const startTicks = Number(fields[19]);
  if (state === undefined || !Number.isFinite(startTicks)) return undefined;
  return { state, processGroupId, startTicks };
}

/** Start time of a process in clock ticks since boot (Linux), to tell it from a later process with the same pid. */
export async function readProcessStartTicks(pid: number): Promise<number | undefined> {
  return (await readProcessStat(pid))?.startTicks;
}

/** Whether `pid` is a live (not zombie) process, and the same one that was recorded when `startTicks` is given. */
export async function isProcessRunning(pid: number, startTicks?: number): Promise<boolean> {
  if (!signalExists(pid)) return false;
  const stat = await readProcessStat(pid);
  if (stat === undefined) return process.platform !== 'linux';
  if (isDead(stat.state)) return false;
  return startTicks === undefined || stat.startTicks === startTicks;
}

const isDead = (state: string): boolean => state === 'Z' || state === 'X';

/**
 * Whether a live process is left in the group. Zombies do not count: an orphan's zombie lingers until
 * pid 1 reaps it, which a container's pid 1 may do late or never.
 */
export async function isProcessGroupAlive(processGroupId: number): Promise<boolean> {
  if (!signalExists(-processGroupId)) return false;
  const entries = await readdir('/proc').catch(() => undefined);
  if (entries === undefined) return true;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readProcessStat(Number(entry));
    if (stat && stat.processGroupId === processGroupId && !isDead(stat.state)) return true;
  }
  return false;
}

function signalExists(target: number): boolean {
  try {
    process.kill(target, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Sends `signal` to every process in the group; false when the group is already gone. */
export function signalProcessGroup(processGroupId: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-processGroupId, signal);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to the whole group, then SIGKILL to whatever is left after the grace period. */
export async function terminateProcessGroup(
  processGroupId: number,
  graceMilliseconds: number = DEFAULT_KILL_GRACE_MILLISECONDS,
  heartbeat: () => void = () => undefined,
): Promise<void> {
  if (!signalProcessGroup(processGroupId, 'SIGTERM')) return;
  if (await waitForGroupToGo(processGroupId, graceMilliseconds, heartbeat)) return;
  signalProcessGroup(processGroupId, 'SIGKILL');
  await waitForGroupToGo(processGroupId, KILL_SETTLE_MILLISECONDS, heartbeat);
}

async function waitForGroupToGo(processGroupId: number, milliseconds: number, heartbeat: () => void): Promise<boolean> {
  const deadline = Date.now() + milliseconds;
  let lastHeartbeat = Date.now();
  while (Date.now() < deadline) {
    if (!(await isProcessGroupAlive(processGroupId))) return true;
    if (Date.now() - lastHeartbeat >= 1000) {
      heartbeat();
      lastHeartbeat = Date.now();
    }
    await delay(GROUP_POLL_MILLISECONDS);
  }
  return !(await isProcessGroupAlive(processGroupId));
}
