// Errors from setting up the bash sandbox.

export const UNSAFE_BASH_VARIABLE = 'KEEL_UNSAFE_BASH';

/** Thrown when bash commands must be sandboxed but bubblewrap is missing or cannot create namespaces here. */
export class SandboxUnavailableError extends Error {
  constructor(readonly probeFailure: string) {
    super(
      `Bash commands run inside a bubblewrap sandbox, but bubblewrap is not usable here (${probeFailure}). ` +
        'Install it (Debian/Ubuntu: `apt-get install bubblewrap`; Fedora: `dnf install bubblewrap`) and make sure user namespaces are allowed, ' +
        `or set ${UNSAFE_BASH_VARIABLE}=1 to run commands without a sandbox (only on a machine you are willing to lose).`,
    );
    this.name = 'SandboxUnavailableError';
  }
}

/** Thrown when sandbox options cannot describe a safe sandbox (relative paths, bad limits). */
export class InvalidSandboxOptionsError extends Error {
  constructor(
    readonly option: string,
    readonly reason: string,
  ) {
    super(`Sandbox option ${option} is invalid: ${reason}.`);
    this.name = 'InvalidSandboxOptionsError';
  }
}
