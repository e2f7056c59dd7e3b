// Dumping the environment (which may hold keys) and pulling secrets out of credential stores;
// credential files themselves are caught by the path checks.
import type { ResolvedWord } from '../shell-invocation';
import { finding, type SafetyFinding } from '../validation-result';
import { operandWords, type CommandRule } from './rule-context';

/** Variable names that usually hold secrets. */
export const SECRET_VARIABLE = /(?:SECRET|TOKEN|PASSWORD|PASSWD|PASS$|API_?KEY|ACCESS_KEY|PRIVATE|CREDENTIAL|AUTH|SESSION|COOKIE|DATABASE_URL|DSN)/iu;
const DECLARATION_DUMP_FLAGS = /^-[a-zA-Z]*[px][a-zA-Z]*$/u;

export const credentialAccessRule: CommandRule = (command) => {
  const findings: SafetyFinding[] = [];
  const texts = command.arguments.map((word) => word.text);
  const operands = operandWords(command.arguments).map((word) => word.text);
  const dump = (what: string): SafetyFinding =>
    finding('credentials.environment-dump', 'high', `${what} prints every environment variable, which may include secrets; print only the variable you need (printenv PATH)`);
  if (command.name === 'printenv' && operands.length === 0) findings.push(dump('printenv'));
  if (command.name === 'printenv' && operands.some((name) => SECRET_VARIABLE.test(name))) {
    findings.push(finding('credentials.secret-variable', 'high', `printenv ${operands.join(' ')} reveals a secret; never print secrets`));
  }
  if (command.name === 'env' && operands.length === 0 && command.wrappers.length === 0) findings.push(dump('env'));
  if (command.name === 'set' && texts.length === 0) findings.push(dump('set'));
  if (command.invocation.declaration && command.name === command.invocation.declaration) {
    const names = texts.filter((text) => !text.startsWith('-'));
    if (names.length === 0 && (command.name === 'export' || texts.some((text) => DECLARATION_DUMP_FLAGS.test(text)))) findings.push(dump(`${command.name} ${texts.join(' ')}`.trim()));
  }
  const secretUses = [command.programWord, ...command.arguments, ...command.invocation.redirects.map((redirect) => redirect.target)]
    .flatMap((word) => secretVariablesIn(word));
  if (secretUses.length > 0) {
    findings.push(finding('credentials.secret-variable', 'medium', `uses ${[...new Set(secretUses)].join(', ')}, which looks like a secret; do not print or send secrets`));
  }
  if (command.name === 'gpg' && texts.some((text) => /^--export-secret/u.test(text))) findings.push(secretStore('gpg exports private keys'));
  if (command.name === 'security' && texts.some((text) => /^(?:find-\w+-password|dump-keychain|export)$/u.test(text))) findings.push(secretStore('security reads the keychain'));
  if (command.name === 'aws' && texts[0] === 'configure' && /^(?:get|export-credentials|list)$/u.test(texts[1] ?? '')) findings.push(secretStore('aws configure reveals credentials'));
  if (command.name === 'gh' && texts[0] === 'auth' && texts[1] === 'token') findings.push(secretStore('gh auth token prints a token'));
  if (command.name === 'kubectl' && texts.includes('config') && texts.includes('--raw')) findings.push(secretStore('kubectl config view --raw prints cluster credentials'));
  return findings;
};

export function secretVariablesIn(word: ResolvedWord | undefined): string[] {
  return (word?.unknownParts ?? []).filter((part) => part.startsWith('${') && SECRET_VARIABLE.test(part));
}

function secretStore(what: string): SafetyFinding {
  return finding('credentials.secret-store', 'critical', `${what}; never extract credentials`);
}
