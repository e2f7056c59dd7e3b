// Decides how bash commands run: inside bubblewrap, or unsandboxed only when explicitly asked for
// (option, then KEEL_UNSAFE_BASH=1); otherwise a missing sandbox is an error at start-up.
import { probeBubblewrap } from './bubblewrap-detection';
import { SandboxUnavailableError, UNSAFE_BASH_VARIABLE } from './sandbox-errors';

export type BashSandbox = { kind: 'bubblewrap'; bwrapPath: string } | { kind: 'unsafe' };

export type SandboxSelectionOptions = {
  /** Run without a sandbox; overrides the environment variable. */
  unsafe?: boolean;
  environment?: NodeJS.ProcessEnv;
};

export async function selectBashSandbox(options: SandboxSelectionOptions = {}): Promise<BashSandbox> {
  const unsafe = options.unsafe ?? (options.environment ?? process.env)[UNSAFE_BASH_VARIABLE] === '1';
  if (unsafe) return { kind: 'unsafe' };
  const probe = await probeBubblewrap();
  if (probe.path === undefined) throw new SandboxUnavailableError(probe.failure);
  return { kind: 'bubblewrap', bwrapPath: probe.path };
}
