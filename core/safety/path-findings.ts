// Checks one path a tool call reads or writes: decoding tricks, NUL bytes, `..` and symlink escapes,
// then how risky the place it lands in is for that kind of access.
import { decodePath, PATH_PROBLEMS } from './path-decoding';
import { displayPath, resolvePath, type PathContext } from './path-confinement';
import type { RiskLevel } from './risk-levels';
import { classifyLocation, LOCATION_KINDS, type LocationKind } from './sensitive-locations';
import { finding, type SafetyFinding } from './validation-result';

export const PATH_ACCESS = { read: 'read', write: 'write' } as const;
export type PathAccess = (typeof PATH_ACCESS)[keyof typeof PATH_ACCESS];

const LOCATION_RISKS: Record<LocationKind, Record<PathAccess, RiskLevel>> = {
  [LOCATION_KINDS.workspace]: { read: 'none', write: 'none' },
  [LOCATION_KINDS.harmlessDevice]: { read: 'none', write: 'none' },
  [LOCATION_KINDS.temporary]: { read: 'none', write: 'low' },
  [LOCATION_KINDS.networkDevice]: { read: 'critical', write: 'critical' },
  [LOCATION_KINDS.credential]: { read: 'critical', write: 'critical' },
  [LOCATION_KINDS.rawDevice]: { read: 'critical', write: 'critical' },
  [LOCATION_KINDS.environmentFile]: { read: 'high', write: 'high' },
  [LOCATION_KINDS.shellHistory]: { read: 'medium', write: 'high' },
  [LOCATION_KINDS.systemLog]: { read: 'medium', write: 'high' },
  [LOCATION_KINDS.scheduler]: { read: 'medium', write: 'critical' },
  [LOCATION_KINDS.homeDirectory]: { read: 'medium', write: 'critical' },
  [LOCATION_KINDS.homeDotfile]: { read: 'medium', write: 'critical' },
  [LOCATION_KINDS.systemDirectory]: { read: 'medium', write: 'critical' },
  [LOCATION_KINDS.outside]: { read: 'medium', write: 'high' },
};

export function checkPathAccess(raw: string, access: PathAccess, context: PathContext): SafetyFinding[] {
  const decoded = decodePath(raw);
  const findings: SafetyFinding[] = [];
  if (decoded.problems.includes(PATH_PROBLEMS.nul)) {
    findings.push(finding('path.nul-byte', 'critical', `path "${printable(raw)}" contains a NUL byte; give a plain path`));
  }
  if (decoded.problems.includes(PATH_PROBLEMS.overlongEncoding)) {
    findings.push(finding('path.overlong-encoding', 'high', `path "${raw}" hides characters in invalid UTF-8; give a plain path`));
  }
  for (const variant of decoded.variants) {
    const resolved = resolvePath(variant.replace(/\0.*$/su, ''), context);
    if (resolved === undefined) {
      if (access === PATH_ACCESS.write) {
        findings.push(finding('path.unknown-directory', 'medium', `cannot tell where "${raw}" is after a cd to a run-time directory; use workspace paths`));
      }
      continue;
    }
    const encoded = variant !== raw && variant !== decoded.primary;
    const lookAlike = decoded.problems.includes(PATH_PROBLEMS.lookAlike) && variant !== raw;
    if ((encoded || lookAlike) && !resolved.inside) {
      findings.push(finding('path.encoded-escape', 'high', `path "${raw}" decodes to ${displayPath(resolved.real, context.workspace)} outside the workspace; give a plain path inside it`));
    }
    if (resolved.escapesThroughSymlink) {
      findings.push(finding('path.symlink-escape', 'high', `"${raw}" is a symlink to ${resolved.real} outside the workspace; use files inside the workspace`));
    }
    if (/(?:^|\/)\.\.(?:\/|$)/u.test(variant) && !resolved.inside) {
      findings.push(finding('path.traversal', 'high', `"${raw}" climbs out of the workspace with ..; use paths inside the workspace`));
    }
    const kind = classifyLocation(resolved.real, context.workspace);
    const risk = LOCATION_RISKS[kind][access];
    if (risk !== 'none') findings.push(finding(`path.${kind}.${access}`, risk, describe(kind, access, displayPath(resolved.real, context.workspace))));
  }
  return findings;
}

function describe(kind: LocationKind, access: PathAccess, shown: string): string {
  const verb = access === PATH_ACCESS.read ? 'reads' : 'writes';
  switch (kind) {
    case LOCATION_KINDS.credential:
      return `${verb} ${shown}, which holds credentials; never touch secrets — ask the user if access is really needed`;
    case LOCATION_KINDS.environmentFile:
      return `${verb} ${shown}, an .env file outside the workspace; use the workspace's own configuration`;
    case LOCATION_KINDS.rawDevice:
      return `${verb} the raw device ${shown}; never touch disks or memory directly`;
    case LOCATION_KINDS.networkDevice:
      return `opens a network connection through ${shown}; use an approved network tool instead`;
    case LOCATION_KINDS.shellHistory:
      return access === PATH_ACCESS.read ? `reads shell history ${shown}, which can hold secrets; leave it alone` : `modifies shell history ${shown}; do not tamper with history`;
    case LOCATION_KINDS.systemLog:
      return access === PATH_ACCESS.read ? `reads system log ${shown} outside the workspace; ask the user for the lines you need` : `modifies system log ${shown}; do not tamper with logs`;
    case LOCATION_KINDS.scheduler:
      return access === PATH_ACCESS.read ? `reads ${shown} outside the workspace; use paths inside the workspace` : `changes scheduled tasks in ${shown}; do not install persistent jobs`;
    case LOCATION_KINDS.temporary:
      return `writes ${shown} in a temporary folder; prefer a folder inside the workspace`;
    default:
      if (access === PATH_ACCESS.read) return `reads ${shown} outside the workspace; use paths inside the workspace`;
      if (kind === LOCATION_KINDS.outside) return `writes ${shown} outside the workspace; only write inside the workspace`;
      return `writes ${shown}, a system or home location; only write inside the workspace`;
  }
}

function printable(text: string): string {
  return text.replace(/\0/gu, '\\0');
}
