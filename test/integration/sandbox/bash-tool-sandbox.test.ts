// The real bash tool runs its commands inside bubblewrap: no network unless the run's policy allows
// it, no writes outside the workspace, no view of host processes. Skipped (with a message) without bwrap.
import { readFile, stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { createBashTool } from '../../../tools';
import { resolveBashSandbox, type BashSandbox } from '../../../tools/sandbox';
import { createContext, createSandbox, type Sandbox } from '../../unit/tools/tool-context';
import { describeWith } from '../../support/prerequisites';

// Skipped without a working bubblewrap; the global setup names it at the start and end of the run.
const describeWithBubblewrap = describeWith('bubblewrap');

describeWithBubblewrap('the bash tool in the sandbox', () => {
  let folders: Sandbox;
  let bashSandbox: BashSandbox;
  let server: net.Server;
  let port: number;

  beforeAll(async () => {
    bashSandbox = await resolveBashSandbox({ unsafe: false });
    server = net.createServer((socket) => socket.end('hello from the host\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(async () => {
    folders = await createSandbox();
  });
  afterEach(async () => folders.cleanup());

  const bash = (command: string, allowNetwork = false) => createBashTool({ sandbox: bashSandbox }).run({ command, timeout_seconds: 20 }, createContext(folders, { allowNetwork }));

  it('runs in bubblewrap and says so', async () => {
    expect(bashSandbox.kind).toBe('bubblewrap');
    const result = await bash('hostname; pwd');
    expect(result).toMatchObject({ isError: false, metadata: { sandbox: 'bubblewrap', exitCode: 0 } });
    expect(result.output).toBe(`keel-sandbox\n${folders.workspace}\n\nExit code: 0`);
  });

  it('cannot reach PostgreSQL on 127.0.0.1:5432 or a server the test started on the host', async () => {
    const result = await bash(`exec 3<>/dev/tcp/127.0.0.1/5432 && echo postgres-reached; exec 4<>/dev/tcp/127.0.0.1/${port} && head -n 1 <&4`);
    expect(result.isError).toBe(true);
    expect(result.output).not.toContain('postgres-reached');
    expect(result.output).not.toContain('hello from the host');
    expect(result.output).toMatch(/unreachable|refused|Cannot assign/iu);
  });

  it('reaches the host server when the run policy allows the network', async () => {
    const result = await bash(`exec 4<>/dev/tcp/127.0.0.1/${port} && head -n 1 <&4`, true);
    expect(result.output).toBe('hello from the host\n\nExit code: 0');
  });

  it('cannot write outside the workspace', async () => {
    const escaped = path.join(folders.outside, 'escaped.txt');
    const result = await bash(`echo inside > inside.txt; echo x > ${escaped}; echo x > ${folders.jobsDir}/forged; touch /usr/escaped; echo private > /tmp/private && cat /tmp/private`);
    expect(await readFile(path.join(folders.workspace, 'inside.txt'), 'utf8')).toBe('inside\n');
    await expect(stat(escaped)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(stat(path.join(folders.jobsDir, 'forged'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(stat('/usr/escaped')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(result.output).toMatch(/No such file or directory|Read-only file system/u);
    expect(result.output).toContain('private');
  });

  it('sees only its own processes', async () => {
    const result = await bash(`ps -e -o pid=,comm= | wc -l; ls /proc | grep -cE '^[0-9]+$'; test -e /proc/${process.pid} && echo host-visible || echo host-hidden`);
    const [psCount, procCount, visibility] = result.output.split('\n');
    expect(Number(psCount)).toBeLessThan(8);
    expect(Number(procCount)).toBeLessThan(8);
    expect(visibility).toBe('host-hidden');
  });
});
