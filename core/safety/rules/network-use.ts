// Network use and exfiltration: uploading files or command output with curl/wget, raw sockets
// fed from files or pipes, remote copies, tunnels, DNS lookups built from command output.
// Plain network use needs confirmation unless the policy allows the network.
import type { EffectiveCommand } from '../command-unwrapping';
import type { ResolvedWord } from '../shell-invocation';
import { finding, type SafetyFinding } from '../validation-result';
import { secretVariablesIn } from './credential-access';
import { onlyLocalHosts, REMOTE_OPERAND, usesNetwork } from './network-hosts';
import { operandWords, optionValues, type CommandRule, type RuleContext } from './rule-context';

/** curl options and the form of their value that names a file to send (`-d @file`, `-F f=@file`, `-T file`). */
const CURL_FILE_UPLOADS: ReadonlyArray<[string[], RegExp]> = [
  [['-d', '--data', '--data-binary', '--data-ascii', '--json'], /^@/u],
  [['--data-urlencode'], /^[^=]*@/u],
  [['-F', '--form'], /^[^=]+=[@<]/u],
  [['-T', '--upload-file'], /./u],
];
const CURL_SENT_TEXT = ['-d', '--data', '--data-binary', '--data-ascii', '--data-urlencode', '--json', '-F', '--form', '-T', '--upload-file', '--data-raw', '-H', '--header', '-b', '--cookie', '-u', '--user', '-A', '--user-agent', '-e', '--referer'];
const WGET_UPLOADS = ['--post-file', '--body-file'];
const WGET_SENT_TEXT = ['--post-data', '--body-data', '--header', '--user', '--password'];
const LOOKUP_PROGRAMS = new Set(['dig', 'nslookup', 'host', 'drill', 'ping', 'ping6', 'traceroute', 'whois']);
const RAW_SOCKETS = new Set(['nc', 'ncat', 'netcat', 'socat', 'telnet']);

export const networkUseRule: CommandRule = (command, context) => {
  if (!usesNetwork(command)) return [];
  const local = onlyLocalHosts(command, context.policy);
  const findings = exfiltrationFindings(command).map((item) => (local && context.policy.allowNetwork ? { ...item, risk: 'low' as const } : item));
  findings.push(generalUse(command, context, local));
  return findings;
};

function exfiltrationFindings(command: EffectiveCommand): SafetyFinding[] {
  const findings: SafetyFinding[] = [];
  const name = command.name;
  const fedInput = command.invocation.upstream.length > 0 || command.invocation.redirects.some((redirect) => redirect.operator === '<' || redirect.operator === '<<<');
  const sends = (what: string): SafetyFinding => finding('exfiltration.upload', 'critical', `${name} sends ${what} to a remote host; do not upload files or data`);
  if (name === 'curl') {
    for (const [options, readsFile] of CURL_FILE_UPLOADS) {
      for (const value of optionValues(command.arguments, options)) {
        if (readsFile.test(value.text) && !value.text.endsWith('@-')) findings.push(sends(`the file ${value.text.replace(/^[^@<]*[@<]/u, '')}`));
      }
    }
  }
  if (name === 'wget') for (const value of optionValues(command.arguments, WGET_UPLOADS)) findings.push(sends(`the file ${value.text}`));
  const sentText = name === 'curl' ? optionValues(command.arguments, CURL_SENT_TEXT) : name === 'wget' ? optionValues(command.arguments, WGET_SENT_TEXT) : [];
  for (const word of [...sentText, ...operandWords(command.arguments)]) findings.push(...computedDataFindings(word, name));
  if ((RAW_SOCKETS.has(name) || name === 'ssh' || name === 'openssl' || ((name === 'curl' || name === 'wget') && sentText.some((word) => word.text === '-' || word.text.includes('@-')))) && fedInput) {
    findings.push(sends('piped or redirected data'));
  }
  if (RAW_SOCKETS.has(name) && command.arguments.some((word) => /^-[a-zA-Z]*[ec]$|^--(?:exec|sh-exec|lua-exec)|^(?:EXEC|SYSTEM):/u.test(word.text))) {
    findings.push(finding('exfiltration.remote-shell', 'critical', `${name} hands a shell to the other end of the connection; never open remote shells`));
  }
  if (name === 'scp' || name === 'rsync' || name === 'sftp') {
    const operands = operandWords(command.arguments, ['-e', '-P', '-i', '-o', '-F', '-c', '-l', '-S', '-J']);
    const destination = operands[operands.length - 1];
    if (destination && REMOTE_OPERAND.test(destination.text) && operands.slice(0, -1).some((source) => !REMOTE_OPERAND.test(source.text))) {
      findings.push(sends(`local files (${operands.slice(0, -1).map((source) => source.text).join(' ')})`));
    }
  }
  if (name === 'ssh' && command.arguments.some((word) => /^-[a-zA-Z]*[RLDw]/u.test(word.text))) {
    findings.push(finding('network.tunnel', 'high', 'ssh opens a tunnel or forwarded port; do not open tunnels'));
  }
  if (LOOKUP_PROGRAMS.has(name) && command.arguments.some((word) => word.dynamic)) {
    findings.push(finding('exfiltration.dns', 'critical', `${name} looks up a name built at run time — a DNS exfiltration trick; use literal host names`));
  }
  if (['mail', 'mailx', 'sendmail', 'mutt'].includes(name) && (fedInput || command.arguments.some((word) => word.text === '-a' || word.text === '-A'))) {
    findings.push(sends('mail with local data'));
  }
  return findings;
}

/** Data, headers or URLs filled from command output or secret variables at run time. */
function computedDataFindings(word: ResolvedWord, name: string): SafetyFinding[] {
  if (word.substitutions.some((substitution) => substitution.kind === 'command')) {
    return [finding('exfiltration.command-output', 'critical', `${name} sends the output of a command ($(…)) over the network; never send local data out`)];
  }
  const secrets = secretVariablesIn(word);
  if (secrets.length > 0) return [finding('exfiltration.secret', 'high', `${name} sends ${secrets.join(', ')} over the network; never send secrets`)];
  return [];
}

function generalUse(command: EffectiveCommand, context: RuleContext, local: boolean): SafetyFinding {
  if (!context.policy.allowNetwork) {
    return finding('network.disallowed', 'medium', `${command.name} uses the network, which this run does not allow; ask the user or work offline`);
  }
  return local ? finding('network.local', 'none', `${command.name} talks to this machine`) : finding('network.remote', 'low', `${command.name} talks to a remote host`);
}
