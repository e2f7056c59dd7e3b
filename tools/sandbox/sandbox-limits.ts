// Resource limits for sandboxed commands, applied with bash's `ulimit` inside the sandbox just
// before the command is exec'd, so they bind the command and everything it starts.
import { z } from 'zod';

export const DEFAULT_SANDBOX_LIMITS = {
  /** CPU time, not wall time: servers idle for hours without reaching it. */
  cpuSeconds: 3600,
  /** Address space (RLIMIT_AS), so set generously: runtimes reserve far more than they use. */
  memoryBytes: 4 * 1024 ** 3,
  /**
   * RLIMIT_NPROC counts every process and thread of the user on the whole host, not just this
   * command's, and the kernel does not enforce it for root.
   */
  processes: 1024,
  fileSizeBytes: 1024 ** 3,
} as const;

export const sandboxLimitsSchema = z.object({
  cpuSeconds: z.number().int().positive().default(DEFAULT_SANDBOX_LIMITS.cpuSeconds),
  memoryBytes: z.number().int().min(1024 * 1024).default(DEFAULT_SANDBOX_LIMITS.memoryBytes),
  processes: z.number().int().positive().default(DEFAULT_SANDBOX_LIMITS.processes),
  fileSizeBytes: z.number().int().min(1024).default(DEFAULT_SANDBOX_LIMITS.fileSizeBytes),
});
export type SandboxLimits = z.output<typeof sandboxLimitsSchema>;

/**
 * Sets each limit as both soft and hard (so the command cannot raise it again), turns off core
 * dumps, then execs the command. Values arrive as arguments, never spliced into the script.
 * Bash counts -v and -f in KiB (outside POSIX mode); -t in seconds; -u in processes.
 */
const LIMITS_SCRIPT = 'ulimit -t "$1" && ulimit -v "$2" && ulimit -u "$3" && ulimit -f "$4" && ulimit -c 0 || exit 126; shift 4; exec "$@"';

export function limitsWrapperArgv(limits: SandboxLimits, innerArgv: readonly string[]): string[] {
  return [
    'bash',
    '-c',
    LIMITS_SCRIPT,
    'keel-limits',
    String(limits.cpuSeconds),
    String(Math.floor(limits.memoryBytes / 1024)),
    String(limits.processes),
    String(Math.floor(limits.fileSizeBytes / 1024)),
    ...innerArgv,
  ];
}
