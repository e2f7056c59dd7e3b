// Code passed inline to an interpreter (`python3 -c`, `perl -e`, `node -e`, `ruby -e`, `php -r`):
// shell strings handed to system()/subprocess, deletes of literal paths, paths it opens, fork
// loops, sockets and environment dumps. A heuristic: it reads the code as text, not as a program.
import type { EffectiveCommand } from '../command-unwrapping';
import { INTERPRETERS, readsStandardInput, standardInputSources, type NestedSource } from '../nested-shell-code';
import { checkPathAccess } from '../path-findings';
import { literalWord } from '../shell-flattening';
import { finding, type SafetyFinding } from '../validation-result';
import { deletionTargetFindings } from './destructive-deletes';
import { pathContextOf, type CommandRule } from './rule-context';

const CODE_OPTIONS = /^-(?:c|e|E|r|p|-eval|-print)$/u;
const SHELL_CALLS = /\b(?:system|popen|exec(?:Sync|FileSync)?|spawn(?:Sync)?|check_output|check_call|getoutput|getstatusoutput|shell_exec|passthru|Popen|run|call)\s*\(([^)]*)\)/gu;
const BACKTICK_COMMANDS = /`([^`]+)`|\bqx\{([^}]*)\}/gu;
const STRING_LITERALS = /'((?:\\.|[^'\\])*)'|"((?:\\.|[^"\\])*)"/gu;
const DELETE_CALLS = /\b(?:rmtree|rmSync|rmdirSync|rm_rf|remove_dir_all|rimraf|rmdir)\s*\(\s*['"]([^'"]+)['"]/gu;
const FORK_LOOPS = /fork\s+while\s+fork|(?:while|for|loop|until)\b[^\n]{0,80}\bfork\s*\(|\bfork\s*\(\)\s*(?:&&|\|\||;)\s*\w*\.?fork\s*\(/u;
const NETWORK_USE = /\b(?:socket|urllib|urlopen|requests\.|http\.client|https?\.(?:request|get)|fetch\s*\(|net\.connect|Net::HTTP|LWP|IO::Socket|curl_exec|fsockopen|XMLHttpRequest)/u;
const ENVIRONMENT_READ = /os\.environ|process\.env|%ENV|\bENV\[|getenv/u;
const ENVIRONMENT_DUMP = /os\.environ\s*\)|os\.environ\.(?:items|copy|keys)\s*\(|process\.env\s*\)|%ENV|\bENV\.(?:to_h|each|inspect)|getenv\(\s*\)/u;
const WRITE_HINTS = /\b(?:write|append|unlink|remove|chmod|rename|truncate)|,\s*['"][wa]\+?b?['"]/u;

/** The inline program of an interpreter command (`-c CODE`, or a here-document it reads), if it has one. */
export function inlineCode(command: EffectiveCommand): string | undefined {
  if (!INTERPRETERS.has(command.name)) return undefined;
  const index = command.arguments.findIndex((word) => CODE_OPTIONS.test(word.text));
  if (index !== -1) return command.arguments[index + 1]?.text;
  if (!readsStandardInput(command)) return undefined;
  const fed = standardInputSources(command.invocation, command.name);
  return fed.length > 0 ? fed.map((source) => source.text).join('\n') : undefined;
}

/** Shell commands the inline program hands to system(), subprocess or backticks. */
export function inlineShellSources(command: EffectiveCommand): NestedSource[] {
  const code = inlineCode(command);
  if (code === undefined) return [];
  const sources: NestedSource[] = [];
  for (const call of code.matchAll(SHELL_CALLS)) {
    const literals = [...(call[1] ?? '').matchAll(STRING_LITERALS)].map((literal) => literal[1] ?? literal[2] ?? '');
    if (literals.length > 0) sources.push({ text: literals.join(' '), via: `${command.name} inline code`, dynamic: false });
  }
  for (const backtick of code.matchAll(BACKTICK_COMMANDS)) sources.push({ text: backtick[1] ?? backtick[2] ?? '', via: `${command.name} backticks`, dynamic: false });
  return sources;
}

export const inlineCodeRule: CommandRule = (command, context) => {
  const code = inlineCode(command);
  if (code === undefined) return [];
  const findings: SafetyFinding[] = [];
  const where = `${command.name} inline code`;
  if (FORK_LOOPS.test(code)) findings.push(finding('fork-bomb.inline', 'critical', `${where} forks in a loop — a fork bomb; never spawn processes without bound`));
  if (/\bkill\s*\(\s*-1\b/u.test(code)) findings.push(finding('processes.kill-all', 'critical', `${where} kills every process (pid -1); stop specific jobs with bash_kill`));
  for (const call of code.matchAll(DELETE_CALLS)) findings.push(...deletionTargetFindings(literalWord(call[1] ?? ''), command, context, `${where} deleting`));
  const access = WRITE_HINTS.test(code) ? 'write' : 'read';
  for (const literal of code.matchAll(STRING_LITERALS)) {
    const text = literal[1] ?? literal[2] ?? '';
    if (text.length > 1 && /^(?:\/|~)/u.test(text) && !/\s/u.test(text)) findings.push(...checkPathAccess(text, access, pathContextOf(command, context)));
  }
  if (NETWORK_USE.test(code)) {
    if (ENVIRONMENT_READ.test(code)) findings.push(finding('exfiltration.environment', 'critical', `${where} reads the environment and uses the network; never send environment data out`));
    if (!context.policy.allowNetwork) findings.push(finding('network.disallowed', 'medium', `${where} uses the network, which this run does not allow; ask the user or work offline`));
  }
  if (ENVIRONMENT_DUMP.test(code)) findings.push(finding('credentials.environment-dump', 'high', `${where} dumps the environment, which may include secrets; read only the variable you need`));
  return findings;
};
