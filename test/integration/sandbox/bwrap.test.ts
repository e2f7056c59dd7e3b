// Runs real commands inside the bubblewrap sandbox: no network, no writes outside the workspace, no
// view of host processes, and limits that kill runaways. Skipped (with a message) without bwrap.
import { spawn, spawnSync } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { terminateProcessGroup } from '../../../tools/process-group';
import { buildBwrapCommand, DEFAULT_SANDBOX_LIMITS, detectBubblewrap, type BwrapOptions, type SandboxLimits } from '../../../tools/sandbox';
import { describeWith } from '../../support/prerequisites';

// Skipped without a working bubblewrap; the global setup names it at the start and end of the run.
const describeWithBubblewrap = describeWith('bubblewrap');

type Outcome = { status: number | null; signal: NodeJS.Signals | null; output: string };

function runArgv(argv: string[], timeoutMilliseconds = 30_000): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0] ?? 'false', argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMilliseconds });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, output }));
  });
}

describeWithBubblewrap('the bubblewrap sandbox', () => {
  let root: string;
  let options: BwrapOptions;
  const run = (command: string, overrides: Partial<BwrapOptions> = {}, limits: Partial<SandboxLimits> = {}): Promise<Outcome> =>
    runArgv(buildBwrapCommand({ ...options, ...overrides, limits: { ...options.limits, ...limits } }, ['bash', '-c', command]));

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'keel-sandbox-'));
    await mkdir(path.join(root, 'workspace'));
    await mkdir(path.join(root, 'job'));
    await mkdir(path.join(root, 'outside'));
    options = { workspace: path.join(root, 'workspace'), jobDir: path.join(root, 'job'), allowNetwork: false, limits: DEFAULT_SANDBOX_LIMITS, bwrapPath: await detectBubblewrap() };
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  it('shows a declared read-only folder under /tmp (not hidden by the sandbox\'s own /tmp), read-only, with a writable folder inside it', async () => {
    // os.tmpdir() is /tmp here: a server installed in a clone under /tmp was invisible to its sandbox.
    const shared = await mkdtemp(path.join(os.tmpdir(), 'keel-ro-'));
    await mkdir(path.join(shared, 'inner'));
    await writeFile(path.join(shared, 'tool.txt'), 'installed');
    const outcome = await run(`cat ${shared}/tool.txt; (echo x > ${shared}/new.txt) 2>/dev/null && echo wrote || echo refused; echo y > ${shared}/inner/ok.txt && echo inner-ok`, {
      readOnlyPaths: [shared], writablePaths: [path.join(shared, 'inner')],
    });
    expect(outcome.output.split('\n')).toEqual(['installedrefused', 'inner-ok', '']);
    expect(await readFile(path.join(shared, 'inner', 'ok.txt'), 'utf8')).toBe('y\n');
    await rm(shared, { recursive: true, force: true });
  });

  it('finds a working bwrap', async () => {
    expect(options.bwrapPath).toMatch(/\/bwrap$/u);
  });

  it('writes in the workspace and the job folder, starting in the workspace', async () => {
    const outcome = await run(`pwd && echo made > inside.txt && echo logged > ${options.jobDir}/output`);
    expect(outcome.status).toBe(0);
    expect(outcome.output.trim()).toBe(options.workspace);
    expect(await readFile(path.join(options.workspace, 'inside.txt'), 'utf8')).toBe('made\n');
    expect(await readFile(path.join(root, 'job', 'output'), 'utf8')).toBe('logged\n');
  });

  it('cannot write outside the workspace: host folders are absent, system folders read-only, /tmp private', async () => {
    const outside = path.join(root, 'outside', 'escaped.txt');
    const outcome = await run(`touch ${outside}; touch /usr/escaped; touch /work/escaped; echo private > /tmp/private.txt && cat /tmp/private.txt`);
    expect(outcome.output).toMatch(/Read-only file system/u);
    expect(outcome.output).toMatch(/private/u);
    await expect(stat(outside)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(stat('/tmp/private.txt')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('cannot read host secrets such as /etc/shadow', async () => {
    const outcome = await run('cat /etc/shadow; ls /root');
    expect(outcome.status).not.toBe(0);
    expect(outcome.output).toMatch(/No such file or directory/u);
  });

  it('sees only its own processes', async () => {
    const outcome = await run(`ls /proc | grep -E '^[0-9]+$' | wc -l; test -e /proc/${process.pid}/cmdline && echo host-visible || echo host-hidden`);
    const [count, visibility] = outcome.output.trim().split('\n');
    expect(Number(count)).toBeLessThan(10);
    expect(visibility).toBe('host-hidden');
  });

  it('cannot reach a server on the host unless the network is allowed', async () => {
    const server = net.createServer((socket) => socket.end('hello\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const connect = `exec 3<>/dev/tcp/127.0.0.1/${port} && head -n 1 <&3`;
      const blocked = await run(connect);
      expect(blocked.status).not.toBe(0);
      expect(blocked.output).toMatch(/unreachable|refused|Cannot assign/iu);
      const allowed = await run(connect, { allowNetwork: true });
      expect(allowed.output.trim()).toBe('hello');
    } finally {
      server.close();
    }
  });

  it('kills a CPU runaway at the CPU-time limit', async () => {
    const started = Date.now();
    const outcome = await run('yes > /dev/null', {}, { cpuSeconds: 1 });
    expect(outcome.status).toBe(137);
    expect(outcome.output).toMatch(/Killed/u);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('stops a memory hog at the memory limit', async () => {
    const outcome = await run('python3 -c "x = bytearray(512 * 1024 * 1024); print(len(x))"', {}, { memoryBytes: 256 * 1024 * 1024 });
    expect(outcome.status).not.toBe(0);
    expect(outcome.output).toMatch(/MemoryError/u);
  });

  it('stops a file from growing past the file-size limit', async () => {
    const outcome = await run('head -c 2000000 /dev/zero > big.bin', {}, { fileSizeBytes: 1024 * 1024 });
    expect(outcome.output).toMatch(/File size limit exceeded/u);
    expect((await stat(path.join(options.workspace, 'big.bin'))).size).toBeLessThanOrEqual(1024 * 1024);
  });

  it('stops a fork loop at the process limit (as an unprivileged user: the kernel exempts root)', async () => {
    const workspace = path.join(root, 'unprivileged');
    await mkdir(workspace);
    const loop = ['sh', '-c', 'i=0; while [ $i -lt 60 ]; do sleep 2 & i=$((i+1)); done; wait'];
    const limits = { ...DEFAULT_SANDBOX_LIMITS, processes: 20 };
    let argv = buildBwrapCommand({ ...options, workspace, jobDir: workspace, limits }, loop);
    if (process.getuid?.() === 0) {
      await chmod(root, 0o755);
      await chown(workspace, 65534, 65534);
      argv = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...argv];
    }
    const outcome = await runArgv(argv);
    expect(outcome.output).toMatch(/Cannot fork|Resource temporarily unavailable/u);
  });

  it('dies with its process group, as bash_kill and timeouts expect', async () => {
    const marker = String(900_000 + Math.floor(Math.random() * 90_000));
    const argv = buildBwrapCommand(options, ['sleep', marker]);
    const child = spawn(argv[0] ?? 'false', argv.slice(1), { detached: true, stdio: 'ignore' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const running = (): boolean => spawnSync('pgrep', ['-f', `sleep ${marker}`]).status === 0;
    expect(running()).toBe(true);
    await terminateProcessGroup(child.pid ?? 0, 2000, () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(running()).toBe(false);
  });
});
