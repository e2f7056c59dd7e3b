// Builds the bubblewrap command line that confines one bash job: the workspace and the job folder
// writable, the system read-only, a private /tmp, /proc and /dev, no network unless allowed, fresh
// PID/IPC/UTS namespaces, no capabilities, a scrubbed environment and resource limits.
import path from 'node:path';
import { DEFAULT_COMMAND_LANG, DEFAULT_COMMAND_PATH } from '../command-environment';
import { InvalidSandboxOptionsError } from './sandbox-errors';
import { limitsWrapperArgv, sandboxLimitsSchema, type SandboxLimits } from './sandbox-limits';

/** System folders mounted read-only when the host has them (merged-/usr hosts have symlinks here). */
export const SYSTEM_READ_ONLY_PATHS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'] as const;

/** The few files of /etc that programs need; credentials (shadow, sudoers, npmrc, pip.conf) stay out. */
export const ETC_READ_ONLY_PATHS = [
  '/etc/passwd', '/etc/group', '/etc/nsswitch.conf', '/etc/hosts', '/etc/hostname', '/etc/localtime', '/etc/os-release',
  '/etc/ld.so.cache', '/etc/ld.so.conf', '/etc/ld.so.conf.d', '/etc/alternatives', '/etc/bash.bashrc', '/etc/inputrc',
  '/etc/mime.types', '/etc/magic', '/etc/gitconfig', '/etc/perl', '/etc/ssl', '/etc/ca-certificates', '/etc/ca-certificates.conf',
] as const;

/** Only useful with a network. */
export const NETWORK_ETC_PATHS = ['/etc/resolv.conf', '/etc/gai.conf', '/etc/services', '/etc/protocols'] as const;

export const SANDBOX_HOSTNAME = 'keel-sandbox';

export type BwrapOptions = {
  /** Absolute, real path of the workspace: bound read-write and the starting directory. */
  workspace: string;
  /**
   * Absolute path of a job folder to bind read-write. Keel's job runner leaves it out: the wrapper
   * outside the sandbox writes the output, pid and exit files, so the command cannot forge them.
   */
  jobDir?: string;
  allowNetwork: boolean;
  limits: SandboxLimits;
  /** The bwrap executable (detectBubblewrap's answer); `bwrap` from PATH by default. */
  bwrapPath?: string;
  /** More host folders to mount read-only, e.g. a toolchain under /opt. */
  readOnlyPaths?: readonly string[];
  /** Adds --new-session; only for callers that kill the sandbox by its init pid (see --info-fd), not by process group. */
  newSession?: boolean;
  /** More host folders bound read-write (after the private /tmp, so a folder under /tmp shows through). */
  writablePaths?: readonly string[];
  /** Variables added to the minimal environment (PATH, HOME, LANG, TMPDIR). */
  environment?: Readonly<Record<string, string>>;
};

export function buildBwrapCommand(options: BwrapOptions, innerArgv: readonly string[]): string[] {
  const folders = [['workspace', options.workspace], ...(options.jobDir === undefined ? [] : [['jobDir', options.jobDir]])] as const;
  const extra = [...(options.readOnlyPaths ?? []).map((item) => ['readOnlyPaths', item] as const), ...(options.writablePaths ?? []).map((item) => ['writablePaths', item] as const)];
  for (const [option, value] of [...folders, ...extra] as const) {
    if (!path.isAbsolute(value)) throw new InvalidSandboxOptionsError(option, `"${value}" is not an absolute path`);
  }
  if (innerArgv.length === 0) throw new InvalidSandboxOptionsError('innerArgv', 'there is no command to run');
  const parsedLimits = sandboxLimitsSchema.safeParse(options.limits);
  if (!parsedLimits.success) throw new InvalidSandboxOptionsError('limits', parsedLimits.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; '));
  const limits = parsedLimits.data;
  const readOnly = [...SYSTEM_READ_ONLY_PATHS, ...ETC_READ_ONLY_PATHS, ...(options.allowNetwork ? NETWORK_ETC_PATHS : [])];
  const environment: Record<string, string> = {
    PATH: DEFAULT_COMMAND_PATH,
    HOME: options.workspace,
    LANG: DEFAULT_COMMAND_LANG,
    TMPDIR: '/tmp',
    ...options.environment,
  };
  return [
    options.bwrapPath ?? 'bwrap',
    // No --die-with-parent: Keel's jobs must outlive a killed worker so a retried activity can adopt
    // the still-running job (see job-runner.ts). The parent-death signal would kill the sandbox with
    // the worker (and fires when the spawning *thread* exits, not just the process). The job stays
    // killable through its process group: bwrap and the namespace's init stay in it, and when that
    // init dies the kernel kills everything in the PID namespace.
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    ...(options.allowNetwork ? [] : ['--unshare-net']),
    '--hostname', SANDBOX_HOSTNAME,
    // --new-session (against TIOCSTI keystroke injection into a controlling terminal) is opt-in: it
    // moves the namespace's init into a session and process group of its own, so killing the job's
    // process group (bash_kill, timeouts) would leave the command running. Keel spawns jobs detached
    // with no terminal, so there is no terminal to inject into.
    ...(options.newSession ? ['--new-session'] : []),
    // Running as root, bwrap would otherwise hand the command every capability.
    '--cap-drop', 'ALL',
    ...readOnly.flatMap((item) => ['--ro-bind-try', item, item]),
    '--proc', '/proc',
    '--dev', '/dev',
    '--tmpfs', '/tmp',
    // After /tmp, so a declared folder, a workspace or a job folder under /tmp is mounted on top of
    // the fresh tmpfs (before, a read-only folder under /tmp was hidden by it: a sandboxed MCP server
    // installed there found no program to run). Read-only ones first, so a writable folder inside
    // one stays writable.
    ...(options.readOnlyPaths ?? []).flatMap((item) => ['--ro-bind-try', item, item]),
    '--bind', options.workspace, options.workspace,
    ...(options.jobDir === undefined ? [] : ['--bind', options.jobDir, options.jobDir]),
    ...(options.writablePaths ?? []).flatMap((item) => ['--bind', item, item]),
    '--chdir', options.workspace,
    '--clearenv',
    ...Object.entries(environment).flatMap(([name, value]) => ['--setenv', name, value]),
    '--',
    ...limitsWrapperArgv(limits, innerArgv),
  ];
}
