// The argv that runs one bash command under the chosen sandbox. The job runner's wrapper (outside
// the sandbox) execs it with output redirected to the job folder, so the wrapper's pid, exit-code
// file and process group stay on the host, where a retried call and bash_kill find them.
import { buildBwrapCommand } from './bwrap-command';
import { SandboxUnavailableError } from './sandbox-errors';
import { DEFAULT_SANDBOX_LIMITS } from './sandbox-limits';
import type { BashSandbox } from './sandbox-selection';

export type CommandLaunch = { argv: string[]; sandbox: 'bubblewrap' | 'unsafe' };

export type CommandLaunchRequest = {
  command: string;
  /** Absolute, real path of the run's workspace. */
  workspace: string;
  /** The run's policy (`safety.allowNetwork`); without it the sandbox gets no network at all. */
  allowNetwork: boolean;
};

export function commandLaunch(sandbox: BashSandbox, request: CommandLaunchRequest): CommandLaunch {
  const inner = ['bash', '-c', request.command];
  switch (sandbox.kind) {
    case 'unsafe':
      return { argv: inner, sandbox: 'unsafe' };
    case 'unavailable':
      throw new SandboxUnavailableError(sandbox.failure);
    case 'bubblewrap':
      return {
        argv: buildBwrapCommand(
          {
            workspace: request.workspace,
            allowNetwork: request.allowNetwork,
            limits: { ...DEFAULT_SANDBOX_LIMITS, ...sandbox.limits },
            bwrapPath: sandbox.bwrapPath,
            readOnlyPaths: sandbox.readOnlyPaths,
          },
          inner,
        ),
        sandbox: 'bubblewrap',
      };
  }
}
