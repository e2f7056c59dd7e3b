// Without a working bubblewrap and without KEEL_UNSAFE_BASH, bash is refused with the fix; the
// detection result is injected rather than uninstalling bwrap.
import { readdir } from 'node:fs/promises';
import { createBashTool } from '../../../tools';
import { describeBashSandbox, resolveBashSandbox } from '../../../tools/sandbox';
import { createContext, createSandbox, type Sandbox } from './tool-context';

let folders: Sandbox;
beforeEach(async () => {
  folders = await createSandbox();
});
afterEach(async () => folders.cleanup());

const missing = async () => ({ path: undefined, failure: 'no bwrap executable on PATH' });

describe('bash without a sandbox', () => {
  it('is refused with an error naming the fix, and the command never runs', async () => {
    const sandbox = await resolveBashSandbox({ unsafe: false, probe: missing });
    expect(sandbox).toEqual({ kind: 'unavailable', failure: 'no bwrap executable on PATH' });
    const result = await createBashTool({ sandbox }).run({ command: 'touch ran.txt' }, createContext(folders));
    expect(result.isError).toBe(true);
    expect(result.metadata).toMatchObject({ sandbox: 'unavailable' });
    expect(result.output).toMatch(/^bash is disabled on this worker/u);
    expect(result.output).toContain('apt-get install bubblewrap');
    expect(result.output).toContain('KEEL_UNSAFE_BASH=1');
    expect(await readdir(folders.workspace)).toEqual([]);
  });

  it('runs unsandboxed when KEEL_UNSAFE_BASH=1, and start-up warns about it', async () => {
    const sandbox = await resolveBashSandbox({ environment: { KEEL_UNSAFE_BASH: '1' }, probe: missing });
    expect(sandbox).toEqual({ kind: 'unsafe' });
    expect(describeBashSandbox(sandbox)).toMatchObject({ level: 'warn', message: expect.stringContaining('WITHOUT a sandbox') });
    const result = await createBashTool({ sandbox }).run({ command: 'echo ran' }, createContext(folders));
    expect(result).toMatchObject({ isError: false, output: 'ran\n\nExit code: 0', metadata: { sandbox: 'unsafe' } });
  });

  it('is announced at start-up as an error with how to install bubblewrap', async () => {
    const line = describeBashSandbox(await resolveBashSandbox({ unsafe: false, probe: missing }));
    expect(line.level).toBe('error');
    expect(line.message).toMatch(/bash is disabled: .*no bwrap executable on PATH.*apt-get install bubblewrap.*KEEL_UNSAFE_BASH=1/u);
  });
});
