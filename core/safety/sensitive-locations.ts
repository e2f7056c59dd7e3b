// Names the kind of place an absolute path points at (workspace, credentials, system, home
// dotfiles, logs…), which decides how risky reading or writing it is.
import path from 'node:path';
import { HOME_PLACEHOLDER, isWithin } from './path-confinement';

export const LOCATION_KINDS = {
  workspace: 'workspace',
  harmlessDevice: 'harmless-device',
  networkDevice: 'network-device',
  temporary: 'temporary',
  credential: 'credential',
  environmentFile: 'environment-file',
  rawDevice: 'raw-device',
  shellHistory: 'shell-history',
  systemLog: 'system-log',
  scheduler: 'scheduler',
  homeDirectory: 'home-directory',
  homeDotfile: 'home-dotfile',
  systemDirectory: 'system-directory',
  outside: 'outside',
} as const;
export type LocationKind = (typeof LOCATION_KINDS)[keyof typeof LOCATION_KINDS];

const HARMLESS_DEVICES = new Set(['/dev/null', '/dev/zero', '/dev/random', '/dev/urandom', '/dev/stdin', '/dev/stdout', '/dev/stderr', '/dev/tty', '/dev/full']);
const TEMPORARY_ROOTS = ['/tmp', '/var/tmp', '/dev/shm'];
/** Relative to a home directory. */
const HOME_CREDENTIALS = [
  '.ssh', '.aws', '.azure', '.kube', '.gnupg', '.password-store', '.config/gcloud', '.config/gh', '.docker/config.json',
  '.netrc', '.npmrc', '.pypirc', '.git-credentials', '.vault-token', '.terraform.d/credentials.tfrc.json', '.pgpass', '.my.cnf',
];
const SYSTEM_CREDENTIALS = ['/etc/shadow', '/etc/shadow-', '/etc/gshadow', '/etc/gshadow-', '/etc/sudoers', '/etc/sudoers.d', '/etc/ssl/private', '/var/run/secrets', '/run/secrets', '/etc/krb5.keytab'];
const CREDENTIAL_NAME = /^(?:id_(?:rsa|dsa|ecdsa|ed25519)(?:_sk)?(?:\.pub)?|ssh_host_\w+_key|credentials|.*\.(?:pem|key|p12|pfx|kdbx))$/u;
const ENVIRONMENT_FILE_NAME = /^\.env(?:\..+)?$/u;
const PROCESS_SECRETS = /^\/proc\/[^/]+\/(?:environ|mem|cmdline)$/u;
const RAW_DEVICE = /^\/dev\/(?:sd|hd|vd|xvd|nvme|mmcblk|dm-|loop|md|sr)\w*$|^\/dev\/(?:mem|kmem|port|mapper\/.*|disk\/.*)$/u;
const HISTORY_NAME = /^\.(?:\w+_history|histfile|lesshst|node_repl_history|python_history)$/u;
const SCHEDULER_PATHS = ['/etc/crontab', '/etc/cron.d', '/etc/cron.daily', '/etc/cron.hourly', '/etc/cron.weekly', '/etc/cron.monthly', '/etc/anacrontab', '/var/spool/cron', '/var/spool/at', '/etc/systemd', '/etc/init.d', '/etc/rc.local'];

/** Home of `absolute` (placeholder, /root or /home/NAME), if it lies in one. */
export function homeOf(absolute: string): string | undefined {
  if (isWithin(HOME_PLACEHOLDER, absolute)) return HOME_PLACEHOLDER;
  if (isWithin('/root', absolute)) return '/root';
  const user = /^\/home\/[^/]+/u.exec(absolute);
  return user ? user[0] : undefined;
}

export function classifyLocation(absolute: string, workspace: string): LocationKind {
  const name = path.posix.basename(absolute);
  if (HISTORY_NAME.test(name)) return LOCATION_KINDS.shellHistory;
  if (isWithin(workspace, absolute)) return LOCATION_KINDS.workspace;
  if (HARMLESS_DEVICES.has(absolute) || /^\/(?:dev|proc\/self)\/fd(?:\/\d+)?$/u.test(absolute)) return LOCATION_KINDS.harmlessDevice;
  if (/^\/dev\/(?:tcp|udp)(?:\/|$)/u.test(absolute)) return LOCATION_KINDS.networkDevice;
  if (RAW_DEVICE.test(absolute)) return LOCATION_KINDS.rawDevice;
  if (isCredential(absolute, name)) return LOCATION_KINDS.credential;
  if (ENVIRONMENT_FILE_NAME.test(name)) return LOCATION_KINDS.environmentFile;
  if (TEMPORARY_ROOTS.some((root) => isWithin(root, absolute) && root !== absolute)) return LOCATION_KINDS.temporary;
  if (SCHEDULER_PATHS.some((root) => isWithin(root, absolute)) || /\/\.config\/(?:systemd|autostart)(?:\/|$)/u.test(absolute)) {
    return LOCATION_KINDS.scheduler;
  }
  if (isWithin('/var/log', absolute) || /^\/var\/run\/utmp$|^\/run\/utmp$/u.test(absolute)) return LOCATION_KINDS.systemLog;
  const home = homeOf(absolute);
  if (home !== undefined) {
    if (home === absolute) return LOCATION_KINDS.homeDirectory;
    return path.posix.relative(home, absolute).startsWith('.') ? LOCATION_KINDS.homeDotfile : LOCATION_KINDS.outside;
  }
  if (isSystemLocation(absolute)) return LOCATION_KINDS.systemDirectory;
  return LOCATION_KINDS.outside;
}

function isCredential(absolute: string, name: string): boolean {
  if (CREDENTIAL_NAME.test(name) || PROCESS_SECRETS.test(absolute)) return true;
  if (SYSTEM_CREDENTIALS.some((location) => isWithin(location, absolute))) return true;
  const home = homeOf(absolute);
  return home !== undefined && HOME_CREDENTIALS.some((location) => isWithin(path.posix.join(home, location), absolute));
}

/** The root, its top-level folders and everything under the folders the system is made of. */
export function isSystemLocation(absolute: string): boolean {
  if (absolute === '/' || path.posix.dirname(absolute) === '/') return true;
  return /^\/(?:etc|usr|bin|sbin|lib\w*|boot|dev|sys|proc|opt|var|root|srv|snap|run)(?:\/|$)/u.test(absolute);
}
