// Test helper: whether a pid names a live (not zombie) process.
import { readdirSync, readFileSync } from 'node:fs';

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMilliseconds = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMilliseconds;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * A `sleep` duration no other process uses, so a test can find the sleep on the host by its command
 * line: inside the sandbox's PID namespace `$!` is not a host pid.
 */
export function uniqueSleepSeconds(): string {
  return String(3_000_000 + Math.floor(Math.random() * 1_000_000));
}

/** Whether a live `sleep <seconds>` runs anywhere on the host (sandboxed or not). */
export function isSleepRunning(seconds: string): boolean {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8') === `sleep\0${seconds}\0` && isAlive(Number(entry))) return true;
    } catch {
      // The process ended while we looked.
    }
  }
  return false;
}
