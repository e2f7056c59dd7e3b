// The mvdan-sh wrapper and the flattening on top of it: nested shells, eval, backticks, quoting.
import { DEFAULT_SAFETY_POLICY, flattenScript, parseShell, unwrapInvocation, type ShellScript } from '../../../core/safety';
import { analyzeShellCommand } from '../../../core/safety/shell-analysis';

const WORKSPACE = '/work/ws';

function parsed(source: string): ShellScript {
  const result = parseShell(source);
  if (!result.ok) throw new Error(result.message);
  return result.script;
}

function programs(source: string): string[] {
  const script = flattenScript(parsed(source), { workingDirectory: WORKSPACE });
  return script.invocations.flatMap((invocation) => unwrapInvocation(invocation).map((command) => [command.name, ...command.arguments.map((word) => word.text)].join(' ')));
}

function rules(source: string): string[] {
  return analyzeShellCommand(source, { workspace: WORKSPACE, policy: DEFAULT_SAFETY_POLICY, workingDirectory: WORKSPACE, depth: 0 }).map((item) => item.rule);
}

describe('parseShell', () => {
  it('turns pipes, lists and redirections into plain objects', () => {
    const script = parsed('cat a.txt | grep x > out.txt && echo done');
    const command = script.statements[0]?.command;
    expect(command).toMatchObject({ type: 'binary', operator: '&&' });
    expect(command?.type === 'binary' && command.left.command).toMatchObject({ type: 'binary', operator: '|' });
  });

  it('reports a syntax error instead of throwing', () => {
    expect(parseShell('echo "unterminated')).toMatchObject({ ok: false, message: expect.stringMatching(/quote/u) });
    expect(parseShell('if then fi')).toMatchObject({ ok: false });
  });

  it('keeps here-document bodies and process substitutions', () => {
    const [statement] = parsed("bash <<'EOF'\nrm -rf /\nEOF").statements;
    expect(statement?.redirects[0]).toMatchObject({ operator: '<<', hereDocument: { parts: [{ type: 'literal', value: 'rm -rf /\n' }] } });
    const [substituted] = parsed('diff <(ls a) >(cat)').statements;
    const words = substituted?.command?.type === 'call' ? substituted.command.words : [];
    expect(words[1]?.parts[0]).toMatchObject({ type: 'process-substitution', direction: 'input' });
    expect(words[2]?.parts[0]).toMatchObject({ type: 'process-substitution', direction: 'output' });
  });
});

describe('flattening and unwrapping', () => {
  it('sees commands inside backticks and $(…) as commands of their own', () => {
    expect(programs('echo `id` $(whoami)')).toEqual(expect.arrayContaining(['id', 'whoami']));
  });

  it('removes quoting tricks and fills in literal variables', () => {
    expect(programs(`"r""m" -f a; r\\m -f b; $'\\x72\\x6d' -f c; x=r; y=m; $x$y -f d`)).toEqual(['rm -f a', 'rm -f b', 'rm -f c', '', '', 'rm -f d']);
  });

  it('splits unquoted expansions into fields, as bash does, but not quoted ones', () => {
    expect(programs('x="rm -rf build"; $x')).toContain('rm -rf build');
    expect(programs('cat${IFS}notes.txt')).toContain('cat notes.txt');
    expect(programs('IFS=,; x=ls,-la; $x')).toContain('ls -la');
    expect(programs('x="a b"; echo "$x"')).toContain('echo a b');
    expect(programs('x="a b"; touch "$x"')).toEqual(['', 'touch a b']);
  });

  it('expands braces in unquoted words only', () => {
    expect(programs('{ls,-la}')).toEqual(['ls -la']);
    expect(programs('mkdir -p src/{a,b} x{1..3}')).toEqual(['mkdir -p src/a src/b x1 x2 x3']);
    expect(programs('echo "{a,b}"')).toEqual(['echo {a,b}']);
  });

  it('resolves a command substitution that only echoes fixed text', () => {
    expect(programs('$(echo rm) -rf build')).toContain('rm -rf build');
  });

  it('sees through sudo, env, timeout, nice, xargs and find -exec', () => {
    expect(programs('sudo -u root env A=1 timeout 5 nice -n 3 rm -rf x')).toContain('rm -rf x');
    expect(programs('find src -name "*.o" -exec rm -f {} \\;')).toContain('rm -f src/{}');
    expect(programs('ls | xargs -n 1 rm -f')).toContain('rm -f');
  });

  it('tracks cd for relative paths, without leaking out of subshells', () => {
    const script = flattenScript(parsed('(cd /etc && cat passwd); cat passwd'), { workingDirectory: WORKSPACE });
    expect(script.invocations.map((invocation) => invocation.workingDirectory)).toEqual([WORKSPACE, '/etc', WORKSPACE]);
  });
});

describe('nested shell code', () => {
  it('follows bash -c strings, however deeply quoted', () => {
    expect(rules(`bash -c "sh -c 'rm -rf /'"`)).toContain('delete.root');
  });

  it('follows eval, aliases, traps and here-documents fed to a shell', () => {
    for (const source of ['eval "rm -rf /"', "alias ll='rm -rf /'", "trap 'rm -rf /' EXIT", "bash <<'EOF'\nrm -rf /\nEOF", "echo 'rm -rf /' | sh"]) {
      expect(rules(source)).toContain('delete.root');
    }
  });

  it('asks when eval runs text only known at run time', () => {
    expect(rules('eval "$CMD"')).toContain('shell.run-time-code');
  });

  it('treats unparseable nested code as needing confirmation', () => {
    expect(rules(`bash -c "echo 'oops"`)).toContain('shell.unparseable');
  });

  it('stops following code nested deeper than the policy allows', () => {
    const deep = `bash -c ${JSON.stringify(`bash -c ${JSON.stringify(`bash -c ${JSON.stringify(`bash -c ${JSON.stringify('bash -c "ls"')}`)}`)}`)}`;
    expect(rules(deep)).toContain('shell.too-deep');
  });
});
