// Commands that need or gain root, change the system's packages or administer the host: sudo and
// friends, system package managers, mounts, kernel modules, firewalls, users, setuid bits.
import type { EffectiveCommand } from '../command-unwrapping';
import { finding, type SafetyFinding } from '../validation-result';
import { operandWords, type CommandRule } from './rule-context';

const ELEVATORS = new Set(['sudo', 'doas', 'su', 'runuser', 'pkexec', 'chroot', 'sudoedit']);
const SYSTEM_PACKAGE_MANAGERS = new Set(['apt', 'apt-get', 'aptitude', 'dpkg', 'yum', 'dnf', 'rpm', 'apk', 'zypper', 'pacman', 'snap', 'flatpak', 'brew', 'port', 'emerge']);
const PACKAGE_CHANGES = /^(?:install|reinstall|remove|purge|erase|upgrade|dist-upgrade|full-upgrade|autoremove|add|del|update|-i|-S\w*|-R\w*|-U\w*|--install|--remove|--purge|-e)$/u;
const ADMINISTRATION = new Set([
  'mount', 'umount', 'swapon', 'swapoff', 'insmod', 'rmmod', 'modprobe', 'iptables', 'ip6tables', 'nft', 'ufw', 'firewall-cmd',
  'nsenter', 'unshare', 'capsh', 'setcap', 'useradd', 'userdel', 'usermod', 'groupadd', 'groupdel', 'passwd', 'chpasswd', 'visudo',
  'adduser', 'deluser', 'chattr', 'debugfs', 'losetup', 'kexec', 'setenforce', 'update-alternatives', 'ldconfig', 'update-grub', 'grub-install',
]);
const CONTAINER_RUNTIMES = new Set(['docker', 'podman', 'nerdctl', 'ctr', 'crictl', 'kubectl']);

export const privilegeRule: CommandRule = (command) => {
  const findings: SafetyFinding[] = [];
  const operands = operandWords(command.arguments).map((word) => word.text);
  const via = command.wrappers.find((wrapper) => ELEVATORS.has(wrapper));
  if (command.elevated && via) {
    findings.push(finding('privilege.elevation', 'high', `runs ${command.name} through ${via}; commands here run without root — drop ${via} and stay inside the workspace`));
  } else if (ELEVATORS.has(command.name)) {
    findings.push(finding('privilege.elevation', 'high', `${command.name} runs commands as another user; commands here run without root — drop ${command.name} and stay inside the workspace`));
  }
  if (SYSTEM_PACKAGE_MANAGERS.has(command.name) && operands.concat(command.arguments.map((word) => word.text)).some((word) => PACKAGE_CHANGES.test(word))) {
    const withRoot = command.elevated ? ' with root' : '';
    findings.push(finding('system.package-change', 'high', `${command.name} changes the system's packages${withRoot}; ask the user to add packages to the image`));
  }
  if (isGlobalLanguageInstall(command)) {
    findings.push(finding('system.global-install', 'high', `${command.name} installs globally, outside the workspace; install into the project instead`));
  }
  if (ADMINISTRATION.has(command.name) || (command.name === 'sysctl' && command.arguments.some((word) => word.text === '-w' || word.text.includes('=')))) {
    findings.push(finding('privilege.administration', 'high', `${command.name} administers the host; leave system configuration to the user`));
  }
  if (CONTAINER_RUNTIMES.has(command.name)) {
    const escape = command.arguments.some((word) => /^--privileged$|^--pid=host$|^--net(?:work)?=host$|^\/:|^-v\/:|^--volume=\/:/u.test(word.text));
    findings.push(escape
      ? finding('privilege.container-escape', 'critical', `${command.name} with host access (--privileged or / mounted) controls the host; never do this`)
      : finding('privilege.container', 'medium', `${command.name} talks to a container runtime that can control the host; confirm with the user`));
  }
  if (command.name === 'chmod' && command.arguments.some((word) => /^[ugoa]*[+=][rwxXt]*s|^[2-7][0-7]{3}$/u.test(word.text))) {
    findings.push(finding('privilege.setuid', 'high', 'chmod sets a setuid or setgid bit; programs must not gain privileges'));
  }
  return findings;
};

function isGlobalLanguageInstall(command: EffectiveCommand): boolean {
  const words = command.arguments.map((word) => word.text);
  if (['npm', 'pnpm', 'yarn'].includes(command.name)) return words.includes('-g') || words.includes('--global') || words[0] === 'global';
  if (['pip', 'pip3', 'python', 'python3'].includes(command.name)) return words.includes('--break-system-packages') || (words.includes('install') && words.some((word) => /^--(?:root|prefix|system)(?:=|$)/u.test(word)));
  if (command.name === 'gem') return words[0] === 'install' && !words.includes('--user-install') && !words.includes('--install-dir');
  return false;
}
