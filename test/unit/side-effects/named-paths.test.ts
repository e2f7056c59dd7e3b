// Which paths a tool call names: write/edit their path; bash the words and redirection targets of
// the commands it runs, globs against what existed, run-time words as wildcards.
import { isNamed, namedPaths } from '../../../core/side-effects';

const workspace = '/work/space';
const bash = (command: string) => namedPaths({ toolName: 'bash', arguments: { command }, workspace });
const names = (command: string, item: string, existedBefore = true) => isNamed(bash(command), item, existedBefore);

describe('paths a tool call names', () => {
  it('write_file and edit_file name only their path', () => {
    const named = namedPaths({ toolName: 'write_file', arguments: { path: 'src/app.ts', content: '' }, workspace });
    expect(named.literal).toEqual(['src/app.ts']);
    expect(isNamed(named, 'src/app.ts', true)).toBe(true);
    expect(isNamed(named, 'src/other.ts', true)).toBe(false);
    expect(isNamed(named, 'src', false)).toBe(true); // a folder created for it
  });

  it('write_file also names the path it reports writing (percent-decoded, through symlinks)', () => {
    const named = namedPaths({ toolName: 'write_file', arguments: { path: 'current%20link', content: '' }, workspace, resolvedPath: 'v2/config json' });
    expect(isNamed(named, 'v2/config json', true)).toBe(true);
    expect(isNamed(named, 'v2/other', true)).toBe(false);
  });

  it('bash names its words and redirection targets, relative to the workspace or after a cd', () => {
    expect(names('echo hi > out.txt && rm old.txt', 'out.txt', false)).toBe(true);
    expect(names('echo hi > out.txt && rm old.txt', 'old.txt')).toBe(true);
    expect(names('echo hi > out.txt && rm old.txt', 'notes.txt')).toBe(false);
    expect(names('cd sub && touch x', 'sub/x', false)).toBe(true);
    expect(names('cd sub && touch x', 'sub/y', false)).toBe(false);
    expect(names(`touch ${workspace}/abs.txt`, 'abs.txt', false)).toBe(true);
    expect(names('sort data.csv --output=sorted.csv', 'sorted.csv', false)).toBe(true);
  });

  it('a named folder covers what is inside it, and the folders above a named path', () => {
    expect(names('rm -rf build', 'build/a/b.o')).toBe(true);
    expect(names('mkdir -p a/b/c', 'a', false)).toBe(true);
    expect(names('mkdir -p a/b/c', 'ab', false)).toBe(false);
  });

  it('sees through pipes, substitutions, subshells and brace expansion', () => {
    expect(names('cat x | tee copy.txt', 'copy.txt', false)).toBe(true);
    expect(names('(cd sub; echo $(rm gone.txt))', 'sub/gone.txt')).toBe(true);
    expect(names('cp a.txt {b,c}.txt', 'c.txt', false)).toBe(true);
  });

  it('expands globs against paths that existed before the call', () => {
    expect(names('rm *.log', 'debug.log')).toBe(true);
    expect(names('rm *.log', 'sub/debug.log')).toBe(false);
    expect(names('rm *.log', 'fresh.log', false)).toBe(false);
  });

  it('treats run-time parts of a word as wildcards', () => {
    expect(names('for i in 1 2; do touch "out_$i.txt"; done', 'out_1.txt', false)).toBe(true);
    expect(names('for i in 1 2; do touch "out_$i.txt"; done', 'other.txt', false)).toBe(false);
  });

  it('names nothing it cannot parse', () => {
    expect(bash('echo "unterminated').unparseable).toBe(true);
  });
});
