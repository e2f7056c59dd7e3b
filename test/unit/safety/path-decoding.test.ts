// Path decoding and confinement: every reading of an encoded path is checked.
import { checkPathAccess, decodePath, foldLookAlikes, PATH_PROBLEMS, resolvePath } from '../../../core/safety';

const WORKSPACE = '/work/ws';
const context = { workspace: WORKSPACE, workingDirectory: WORKSPACE };

describe('decodePath', () => {
  it('decodes percent-encoding once as the file tools do, and keeps further readings', () => {
    const decoded = decodePath('%252e%252e%252fetc');
    expect(decoded.primary).toBe('%2e%2e%2fetc');
    expect(decoded.variants).toContain('../etc');
    expect(decoded.problems).toContain(PATH_PROBLEMS.repeatedEncoding);
  });

  it('leaves a stray percent sign alone', () => {
    expect(decodePath('50%.txt')).toEqual({ primary: '50%.txt', variants: ['50%.txt'], problems: [] });
  });

  it('normalises to NFC', () => {
    expect(decodePath('cafe\u0301.txt').primary).toBe('caf\u00e9.txt');
  });

  it('catches overlong UTF-8, NUL bytes and look-alike dots and slashes', () => {
    expect(decodePath('%c0%ae%c0%ae/x').problems).toContain(PATH_PROBLEMS.overlongEncoding);
    expect(decodePath('a%00b').problems).toContain(PATH_PROBLEMS.nul);
    expect(decodePath('\uFF0E\uFF0E\uFF0Fx').problems).toContain(PATH_PROBLEMS.lookAlike);
    expect(foldLookAlikes('\u2025\u2215etc\u2044passwd')).toBe('../etc/passwd');
  });
});

describe('resolvePath and checkPathAccess', () => {
  it('resolves ~ to the home directory, never to the workspace', () => {
    expect(resolvePath('~/.bashrc', context)).toMatchObject({ lexical: '/~/.bashrc', inside: false });
    expect(resolvePath('~root/.ssh', context)).toMatchObject({ lexical: '/root/.ssh' });
  });

  it('follows symlinks through the injected realpath', () => {
    const fileSystem = { realpath: (target: string) => (target.startsWith(`${WORKSPACE}/out`) ? `/etc${target.slice(WORKSPACE.length + 4)}` : target) };
    expect(resolvePath('out/passwd', { ...context, fileSystem })).toMatchObject({ real: '/etc/passwd', escapesThroughSymlink: true });
  });

  it('finds nothing wrong with ordinary workspace paths', () => {
    expect(checkPathAccess('src/index.ts', 'write', context)).toEqual([]);
    expect(checkPathAccess(`${WORKSPACE}/a/../b.txt`, 'read', context)).toEqual([]);
  });

  it('rates credentials and system writes critical, other outside access lower', () => {
    const strongest = (path: string, access: 'read' | 'write'): string[] => checkPathAccess(path, access, context).map((item) => item.risk);
    expect(strongest('/etc/shadow', 'read')).toContain('critical');
    expect(strongest('/usr/bin/ls', 'write')).toContain('critical');
    expect(strongest('/opt/data/file', 'read')).toEqual(['medium']);
    expect(strongest('/tmp/scratch/x', 'write')).toEqual(['low']);
  });
});
