// Covering tracks and planting persistence: clearing shell history, disabling it through HIST*
// variables, wiping system logs, and editing crontabs or services that outlive the run.
import type { EffectiveCommand } from '../command-unwrapping';
import { finding, type SafetyFinding } from '../validation-result';
import { operandWords, type CommandRule } from './rule-context';

const HISTORY_VARIABLES = /^(?:HISTFILE|HISTSIZE|HISTFILESIZE|SAVEHIST|HISTCONTROL|HISTIGNORE)$/u;
const PERSISTENCE_ACTIONS = new Set(['enable', 'reenable', 'link', 'preset', 'daemon-reload', 'edit', 'set-default', 'mask']);

export const tamperingRule: CommandRule = (command) => [...historyFindings(command), ...logFindings(command), ...persistenceFindings(command)];

function historyFindings(command: EffectiveCommand): SafetyFinding[] {
  const findings: SafetyFinding[] = [];
  const texts = command.arguments.map((word) => word.text);
  const clearsHistory = 'history cleared or disabled; leave shell history alone';
  if (command.name === 'history' && texts.some((text) => /^-[cdwran]/u.test(text))) findings.push(finding('tampering.history', 'high', `history ${texts.join(' ')}: ${clearsHistory}`));
  if (command.name === 'set' && texts.includes('+o') && texts.includes('history')) findings.push(finding('tampering.history', 'high', `set +o history: ${clearsHistory}`));
  if (command.name === 'unset' && texts.some((text) => HISTORY_VARIABLES.test(text))) findings.push(finding('tampering.history', 'high', `unset ${texts.join(' ')}: ${clearsHistory}`));
  const assigned = [
    ...command.invocation.environment.map((entry) => entry.name),
    ...(command.invocation.declaration ? texts.map((text) => text.split('=')[0] ?? '') : []),
  ];
  if (assigned.some((name) => HISTORY_VARIABLES.test(name))) findings.push(finding('tampering.history', 'high', `changes ${assigned.filter((name) => HISTORY_VARIABLES.test(name)).join(', ')}: ${clearsHistory}`));
  return findings;
}

function logFindings(command: EffectiveCommand): SafetyFinding[] {
  const texts = command.arguments.map((word) => word.text);
  const erasesJournal = command.name === 'journalctl' && texts.some((text) => /^--(?:vacuum-\w+|rotate|flush|relinquish-var)/u.test(text));
  const disablesAudit = command.name === 'auditctl' && texts.some((text) => text === '-D' || text === '-e');
  const stopsLogging = ['service', 'systemctl'].includes(command.name) && texts.some((text) => /^(?:rsyslog|syslog|auditd|systemd-journald)/u.test(text)) && texts.some((text) => /^(?:stop|disable|mask|kill)$/u.test(text));
  if (!erasesJournal && !disablesAudit && !stopsLogging) return [];
  return [finding('tampering.logs', 'high', `${command.name} ${texts.join(' ')} erases or stops system logging; do not tamper with logs`)];
}

function persistenceFindings(command: EffectiveCommand): SafetyFinding[] {
  const operands = operandWords(command.arguments).map((word) => word.text);
  const texts = command.arguments.map((word) => word.text);
  if (command.name === 'crontab' && !(texts.includes('-l') && !texts.includes('-e') && !texts.includes('-r'))) {
    return [finding('persistence.crontab', 'high', `crontab ${texts.join(' ')} changes scheduled jobs; do not install tasks that outlive the run`)];
  }
  if (command.name === 'at' || command.name === 'batch') return [finding('persistence.at', 'medium', `${command.name} schedules a job that outlives the run; run it now instead`)];
  if (command.name === 'systemctl' && operands.some((action) => PERSISTENCE_ACTIONS.has(action))) {
    return [finding('persistence.service', 'high', `systemctl ${operands.join(' ')} installs or changes services; do not set up persistent services`)];
  }
  if (command.name === 'systemd-run' || command.name === 'launchctl') {
    return [finding('persistence.service', 'high', `${command.name} starts a service outside the run; run the command directly`)];
  }
  return [];
}
