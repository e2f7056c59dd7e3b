// Running code straight from the network or from hidden text: `curl … | sh`, `bash <(curl …)`,
// `sh -c "$(wget -O- …)"`, `base64 -d | bash`, and downloading a script then running it.
import { unwrapInvocation, type EffectiveCommand } from '../command-unwrapping';
import { INTERPRETERS, readsStandardInput, SHELLS } from '../nested-shell-code';
import { resolveLexically } from '../path-confinement';
import type { CommandInvocation } from '../shell-invocation';
import { finding, type SafetyFinding } from '../validation-result';
import { operandWords, optionValues, type CommandRule } from './rule-context';

const FETCHERS = new Set(['curl', 'wget', 'fetch', 'http', 'https', 'aria2c', 'lynx', 'links', 'w3m', 'nc', 'ncat', 'netcat', 'socat', 'ftp', 'tftp', 'scp', 'rsync']);
const DECODERS = new Set(['base64', 'base32', 'xxd', 'uudecode', 'openssl', 'gpg', 'rev', 'tr', 'gunzip', 'zcat', 'bzcat', 'xzcat']);
const CODE_RUNNERS = new Set([...SHELLS, ...INTERPRETERS, 'source', '.', 'eval']);

export function isFetcher(invocation: CommandInvocation): boolean {
  return unwrapInvocation(invocation).some((command) => FETCHERS.has(command.name));
}

export const remoteExecutionRule: CommandRule = (command) => {
  if (!CODE_RUNNERS.has(command.name)) {
    const fetchedName = command.programWord?.substitutions.some((substitution) => substitution.invocations.some(isFetcher));
    return fetchedName ? [remoteCode(`runs a command named by downloaded text`)] : [];
  }
  const findings: SafetyFinding[] = [];
  const upstream = command.invocation.upstream;
  if (readsStandardInput(command) || command.name === 'source' || command.name === '.') {
    if (upstream.some(isFetcher)) findings.push(remoteCode(`pipes a download straight into ${command.name}`));
    else if (upstream.some((invocation) => unwrapInvocation(invocation).some((inner) => DECODERS.has(inner.name)))) {
      findings.push(finding('remote-execution.decoded', 'high', `decodes hidden text and pipes it into ${command.name}; run the commands openly`));
    } else if (upstream.some((invocation) => !['echo', 'printf'].includes(unwrapInvocation(invocation)[0]?.name ?? ''))) {
      findings.push(finding('shell.piped-code', 'medium', `pipes generated text into ${command.name}; write the commands out or run a script file`));
    }
  }
  for (const word of command.arguments) {
    for (const substitution of word.substitutions) {
      if (!substitution.invocations.some(isFetcher)) continue;
      findings.push(remoteCode(substitution.kind === 'command' ? `runs downloaded text with ${command.name}` : `runs a download with ${command.name} <(…)`));
    }
  }
  return findings;
};

/** A file a fetcher saved and a later command runs (`curl -o x.sh URL && bash x.sh`). */
export function downloadThenRunFindings(commands: readonly EffectiveCommand[]): SafetyFinding[] {
  const downloaded = new Set<string>();
  const findings: SafetyFinding[] = [];
  for (const command of commands) {
    const directory = command.invocation.workingDirectory;
    const normalise = (text: string): string | undefined => resolveLexically(text, directory);
    const program = command.programWord && !command.programWord.dynamic && command.programWord.text.includes('/') ? normalise(command.programWord.text) : undefined;
    const script = CODE_RUNNERS.has(command.name) ? operandWords(command.arguments)[0] : undefined;
    const madeExecutable = command.name === 'chmod' ? operandWords(command.arguments).map((word) => normalise(word.text)) : [];
    if ([program, script ? normalise(script.text) : undefined, ...madeExecutable].some((item) => item !== undefined && downloaded.has(item))) {
      findings.push(remoteCode('runs a script it just downloaded'));
    }
    if (FETCHERS.has(command.name)) {
      const saved = [
        ...optionValues(command.arguments, ['-o', '--output', '-O', '--output-document']),
        ...command.invocation.redirects.filter((redirect) => redirect.operator === '>' || redirect.operator === '>>').map((redirect) => redirect.target),
      ];
      for (const word of saved) {
        const location = normalise(word.text);
        if (location) downloaded.add(location);
      }
    }
  }
  return findings;
}

function remoteCode(what: string): SafetyFinding {
  return finding('remote-execution.download', 'critical', `${what}; download the script, read it, and ask before running it`);
}
