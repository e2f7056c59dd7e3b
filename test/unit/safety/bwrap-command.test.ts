// The bubblewrap command line, limits wrapper, errors and sandbox choice, without running bwrap.
import {
  buildBwrapCommand,
  DEFAULT_SANDBOX_LIMITS,
  InvalidSandboxOptionsError,
  SandboxUnavailableError,
  resolveBashSandbox,
  type BwrapOptions,
} from '../../../tools/sandbox';

const options: BwrapOptions = { workspace: '/srv/keel/ws', jobDir: '/srv/keel/jobs/call-1', allowNetwork: false, limits: DEFAULT_SANDBOX_LIMITS };
const inner = ['bash', '-c', 'npm test'];

function pairsAfter(argv: string[], flag: string): string[] {
  return argv.flatMap((item, index) => (item === flag ? [argv[index + 1] ?? ''] : []));
}

describe('buildBwrapCommand', () => {
  it('isolates namespaces, drops capabilities and never ties the sandbox to its parent', () => {
    const argv = buildBwrapCommand(options, inner);
    expect(argv[0]).toBe('bwrap');
    expect(argv).toEqual(expect.arrayContaining(['--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-net', '--cap-drop', 'ALL', '--clearenv']));
    expect(argv).not.toContain('--die-with-parent');
  });

  it('starts a new session only when asked, since that takes the sandbox out of the job process group', () => {
    expect(buildBwrapCommand(options, inner)).not.toContain('--new-session');
    expect(buildBwrapCommand({ ...options, newSession: true }, inner)).toContain('--new-session');
  });

  it('keeps the network only when allowed, with resolv.conf to go with it', () => {
    const argv = buildBwrapCommand({ ...options, allowNetwork: true, bwrapPath: '/usr/bin/bwrap' }, inner);
    expect(argv[0]).toBe('/usr/bin/bwrap');
    expect(argv).not.toContain('--unshare-net');
    expect(pairsAfter(argv, '--ro-bind-try')).toContain('/etc/resolv.conf');
    expect(pairsAfter(buildBwrapCommand(options, inner), '--ro-bind-try')).not.toContain('/etc/resolv.conf');
  });

  it('mounts the system read-only without secrets, and the workspace and job folder read-write after /tmp', () => {
    const argv = buildBwrapCommand(options, inner);
    const readOnly = pairsAfter(argv, '--ro-bind-try');
    expect(readOnly).toEqual(expect.arrayContaining(['/usr', '/bin', '/lib', '/etc/passwd', '/etc/ld.so.cache']));
    expect(readOnly.filter((item) => /shadow|sudoers|npmrc|pip\.conf/u.test(item))).toEqual([]);
    expect(pairsAfter(argv, '--bind')).toEqual([options.workspace, options.jobDir]);
    expect(argv.indexOf('--tmpfs')).toBeLessThan(argv.indexOf('--bind'));
    expect(pairsAfter(argv, '--chdir')).toEqual([options.workspace]);
  });

  it('gives the command a minimal environment with the workspace as HOME', () => {
    const argv = buildBwrapCommand({ ...options, environment: { CI: '1' } }, inner);
    const variables = Object.fromEntries(argv.flatMap((item, index) => (item === '--setenv' ? [[argv[index + 1], argv[index + 2]]] : [])));
    expect(variables).toEqual({ PATH: expect.stringContaining('/usr/bin'), HOME: options.workspace, LANG: expect.any(String), TMPDIR: '/tmp', CI: '1' });
  });

  it('applies the limits with ulimit inside the sandbox and then execs the command', () => {
    const argv = buildBwrapCommand({ ...options, limits: { cpuSeconds: 2, memoryBytes: 256 * 1024 * 1024, processes: 64, fileSizeBytes: 10 * 1024 * 1024 } }, inner);
    const wrapper = argv.slice(argv.indexOf('--') + 1);
    expect(wrapper.slice(0, 2)).toEqual(['bash', '-c']);
    expect(wrapper[2]).toMatch(/ulimit -t "\$1".*exec "\$@"/u);
    expect(wrapper.slice(3)).toEqual(['keel-limits', '2', String(256 * 1024), '64', String(10 * 1024), ...inner]);
  });

  it('refuses relative paths, bad limits and an empty command', () => {
    expect(() => buildBwrapCommand({ ...options, workspace: 'ws' }, inner)).toThrow(InvalidSandboxOptionsError);
    expect(() => buildBwrapCommand({ ...options, limits: { ...DEFAULT_SANDBOX_LIMITS, cpuSeconds: 0 } }, inner)).toThrow(/cpuSeconds/u);
    expect(() => buildBwrapCommand(options, [])).toThrow(InvalidSandboxOptionsError);
  });
});

describe('choosing the sandbox', () => {
  it('explains how to install bubblewrap or opt out when it is missing', () => {
    const error = new SandboxUnavailableError('no bwrap executable on PATH');
    expect(error.message).toMatch(/apt-get install bubblewrap/u);
    expect(error.message).toMatch(/KEEL_UNSAFE_BASH=1/u);
    expect(error.probeFailure).toBe('no bwrap executable on PATH');
  });

  it('runs unsandboxed only when asked, by option before the environment', async () => {
    await expect(resolveBashSandbox({ unsafe: true })).resolves.toEqual({ kind: 'unsafe' });
    await expect(resolveBashSandbox({ environment: { KEEL_UNSAFE_BASH: '1' } })).resolves.toEqual({ kind: 'unsafe' });
  });
});
