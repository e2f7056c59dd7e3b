// Which programs use the network and which hosts a command talks to, so local traffic can be told
// apart from remote traffic when the policy allows the network.
import type { EffectiveCommand } from '../command-unwrapping';
import type { SafetyPolicy } from '../safety-policy';
import { operandWords } from './rule-context';

export const NETWORK_PROGRAMS: ReadonlySet<string> = new Set([
  'curl', 'wget', 'fetch', 'http', 'https', 'aria2c', 'lynx', 'links', 'w3m', 'nc', 'ncat', 'netcat', 'socat', 'telnet', 'ssh', 'scp',
  'sftp', 'ftp', 'tftp', 'rsync', 'dig', 'nslookup', 'host', 'drill', 'ping', 'ping6', 'traceroute', 'whois', 'mail', 'mailx', 'sendmail', 'mutt',
]);

/** Subcommands of otherwise local tools that download or upload. */
const NETWORK_SUBCOMMANDS: Readonly<Record<string, RegExp>> = {
  git: /^(?:clone|fetch|pull|push|ls-remote|submodule|remote)$/u,
  npm: /^(?:install|i|ci|add|update|upgrade|publish|login|exec|view|info|outdated|audit)$/u,
  npx: /^(?:-y|--yes|-p|--package(?:=.*)?|[@\w/.-]+@[\w.^~-]+)$/u,
  pnpm: /^(?:install|i|add|update|up|publish|dlx)$/u,
  yarn: /^(?:install|add|upgrade|up|publish|dlx)$/u,
  pip: /^(?:install|download)$/u,
  pip3: /^(?:install|download)$/u,
  pipx: /^(?:install|run)$/u,
  uv: /^(?:pip|add|sync|tool|run)$/u,
  gem: /^(?:install|update|push)$/u,
  cargo: /^(?:install|add|fetch|update|publish)$/u,
  go: /^(?:get|install|mod)$/u,
  docker: /^(?:pull|push|login|build|run)$/u,
  openssl: /^(?:s_client|s_time)$/u,
};

/** Remote copy operands: `host:path`, `user@host:path`, `rsync://…`. */
export const REMOTE_OPERAND = /^(?:[\w.-]+@)?(?:\[[^\]]+\]|[\w.-]+):(?!\/\/)|^rsync:\/\//u;

export function usesNetwork(command: EffectiveCommand): boolean {
  if (command.name === 'rsync' || command.name === 'scp') return command.arguments.some((word) => REMOTE_OPERAND.test(word.text));
  if (NETWORK_PROGRAMS.has(command.name)) return true;
  const subcommands = NETWORK_SUBCOMMANDS[command.name];
  const first = operandWords(command.arguments)[0]?.text;
  return subcommands !== undefined && first !== undefined && subcommands.test(first);
}

/** Host names a command names: URL hosts, `user@host`, `host:path` and bare operands. */
export function hostsOf(command: EffectiveCommand): string[] {
  return operandWords(command.arguments).flatMap((word) => {
    const url = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/?#]+)/iu.exec(word.text);
    if (url?.[1]) return [url[1].replace(/^\[|\]$/gu, '')];
    const remote = /^(?:[\w.-]+@)?([\w.-]+):/u.exec(word.text) ?? /^[\w.-]+@([\w.-]+)$/u.exec(word.text);
    if (remote?.[1]) return [remote[1]];
    return /^[\w-]+(?:\.[\w-]+)*$/u.test(word.text) && /\.|^localhost$/u.test(word.text) ? [word.text] : [];
  });
}

export function onlyLocalHosts(command: EffectiveCommand, policy: SafetyPolicy): boolean {
  const hosts = hostsOf(command);
  return hosts.length > 0 && hosts.every((host) => policy.localHosts.includes(host.toLowerCase()));
}
