// Decides how bash commands run: inside bubblewrap, or unsandboxed only when explicitly asked for
// (option, then KEEL_UNSAFE_BASH=1). Without either, bash is unavailable: the worker still starts
// (every other tool works) and each bash call is refused with the fix.
import { probeBubblewrap, type BubblewrapProbe } from './bubblewrap-detection';
import { SandboxUnavailableError, UNSAFE_BASH_VARIABLE } from './sandbox-errors';
import type { SandboxLimits } from './sandbox-limits';

export type BashSandbox =
  | {
      kind: 'bubblewrap';
      bwrapPath: string;
      /** Resource limits; DEFAULT_SANDBOX_LIMITS when omitted. */
      limits?: Partial<SandboxLimits>;
      /** More host folders mounted read-only (a toolchain under /opt...). */
      readOnlyPaths?: readonly string[];
    }
  | { kind: 'unsafe' }
  | { kind: 'unavailable'; failure: string };

export type SandboxSelectionOptions = {
  /** Run without a sandbox; overrides the environment variable. */
  unsafe?: boolean;
  environment?: NodeJS.ProcessEnv;
  limits?: Partial<SandboxLimits>;
  readOnlyPaths?: readonly string[];
  /** Replaces the bubblewrap probe (tests inject "missing" here instead of uninstalling bwrap). */
  probe?: () => Promise<BubblewrapProbe>;
};

/** How bash runs here; never throws: a missing sandbox comes back as `unavailable` with the probe's failure. */
export async function resolveBashSandbox(options: SandboxSelectionOptions = {}): Promise<BashSandbox> {
  const unsafe = options.unsafe ?? (options.environment ?? process.env)[UNSAFE_BASH_VARIABLE] === '1';
  if (unsafe) return { kind: 'unsafe' };
  const probe = await (options.probe ?? probeBubblewrap)();
  if (probe.path === undefined) return { kind: 'unavailable', failure: probe.failure };
  return { kind: 'bubblewrap', bwrapPath: probe.path, limits: options.limits, readOnlyPaths: options.readOnlyPaths };
}

/** The start-up log line for a resolved sandbox: what bash runs in, or why it will be refused and how to fix it. */
export function describeBashSandbox(sandbox: BashSandbox): { level: 'info' | 'warn' | 'error'; message: string } {
  switch (sandbox.kind) {
    case 'bubblewrap':
      return { level: 'info', message: `bash commands run in a bubblewrap sandbox (${sandbox.bwrapPath})` };
    case 'unsafe':
      return {
        level: 'warn',
        message: `${UNSAFE_BASH_VARIABLE}=1: bash commands run WITHOUT a sandbox, with the worker's file system and network access; only on a machine you are willing to lose`,
      };
    case 'unavailable':
      return { level: 'error', message: `bash is disabled: ${new SandboxUnavailableError(sandbox.failure).message}` };
  }
}
