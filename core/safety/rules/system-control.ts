// Commands that stop the machine or kill processes wholesale: shutdown/reboot/halt/poweroff,
// `init 0`, `systemctl poweroff`, `kill -9 -1`, `pkill -9 .`, `killall5`.
import { finding, type SafetyFinding } from '../validation-result';
import { operandWords, optionValues, type CommandRule } from './rule-context';

const POWER_COMMANDS = new Set(['shutdown', 'reboot', 'halt', 'poweroff', 'kexec']);
const POWER_ACTIONS = new Set(['poweroff', 'reboot', 'halt', 'kexec', 'emergency', 'rescue', 'suspend', 'hibernate', 'hybrid-sleep', 'suspend-then-hibernate', 'soft-reboot', 'default', 'isolate']);
const MATCH_EVERYTHING = /^(?:\.|\.\*|\.\+|\^|\$|\^\.\*\$?|\*|)$/u;

export const systemControlRule: CommandRule = (command) => {
  const name = command.name;
  const operands = operandWords(command.arguments).map((word) => word.text);
  if (POWER_COMMANDS.has(name)) return [powerFinding(name)];
  if ((name === 'init' || name === 'telinit') && operands.some((level) => /^[0126sS]$/u.test(level))) return [powerFinding(`${name} ${operands.join(' ')}`)];
  const powerTarget = operands.some((operand) => /^(?:poweroff|reboot|halt|kexec|emergency|rescue)\.target$/u.test(operand));
  if ((name === 'systemctl' || name === 'loginctl') && (powerTarget || operands.some((action) => POWER_ACTIONS.has(action)))) return [powerFinding(`${name} ${operands.join(' ')}`)];
  if (name === 'killall5') return [killEverything('killall5')];
  if (name === 'kill') {
    const listed = [...command.arguments.flatMap((word) => word.substitutions.flatMap((substitution) => substitution.invocations)), ...(command.argumentsFromInput ? command.invocation.upstream : [])];
    if (listed.some((invocation) => /^(?:ps|pgrep|pidof|ls)$/u.test(invocation.words[0]?.text ?? ''))) {
      return [finding('processes.kill-listed', 'high', 'kill targets processes picked at run time from a process list; stop specific jobs with bash_kill')];
    }
    return killFindings(command.arguments.map((word) => word.text));
  }
  if (name === 'pkill' || name === 'killall' || name === 'pgrep') {
    if (name === 'pgrep') return [];
    const patterns = operands;
    const byUser = optionValues(command.arguments, ['-u', '-U', '--user', '--uid']).length > 0;
    if (patterns.some((pattern) => MATCH_EVERYTHING.test(pattern)) || (byUser && patterns.length === 0) || command.arguments.some((word) => word.text === '-1')) {
      return [killEverything(`${name} ${command.arguments.map((word) => word.text).join(' ')}`)];
    }
    return [finding('processes.kill-by-name', 'medium', `${name} picks processes by name and may hit Keel itself; stop your own background jobs with bash_kill`)];
  }
  return [];
};

/** `kill [-s SIG | -SIG] [--] PID…`: PID -1 means every process, 1 is init. */
function killFindings(words: string[]): SafetyFinding[] {
  let index = 0;
  if (words[index] === '-s' || words[index] === '-n') index += 2;
  else if (words[index] !== undefined && /^-(?:\d+|[A-Z]+\d*|SIG\w+)$/u.test(words[index] ?? '') && words.length > 1) index += 1;
  if (words[index] === '--') index += 1;
  const targets = words.slice(index);
  if (targets.some((target) => target === '-1' || target === '1')) return [killEverything(`kill ${words.join(' ')}`)];
  return [];
}

function powerFinding(what: string): SafetyFinding {
  return finding('system.power', 'critical', `${what} would stop or restart the machine; never power off or reboot the host`);
}

function killEverything(what: string): SafetyFinding {
  return finding('processes.kill-all', 'critical', `${what} would kill every process it can reach, Keel included; stop specific jobs with bash_kill`);
}
