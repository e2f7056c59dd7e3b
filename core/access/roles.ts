// Roles and what each may do: the one permission table every /v1 route is checked against
// (api/permissions.ts), the OpenAPI document's `x-permission` and the README's roles table.
export const PERMISSIONS = [
  'models:read', 'usage:read',
  'runs:create', 'runs:read', 'runs:read:all', 'runs:control', 'runs:control:all',
  'reviews:read', 'reviews:decide',
  'agents:read', 'agents:write', 'notes:read', 'notes:write',
  'policy:read', 'policy:write',
  'users:read', 'users:write', 'keys:read', 'keys:write', 'quotas:write', 'audit:read',
  'owners:manage', 'tenants:admin', 'deployments:read', 'deployments:write',
  'experiments:read', 'experiments:write',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['platform', 'owner', 'admin', 'operator', 'member', 'viewer'] as const;

export type Role = (typeof ROLES)[number];

/** Roles stored before this table existed, read as the role that keeps what they could do. */
export const LEGACY_ROLES: Readonly<Record<string, Role>> = { reviewer: 'operator' };

// Experiment reports are aggregates of the tenant's runs (no run, user or content in them): every role reads them.
const READ: readonly Permission[] = ['models:read', 'usage:read', 'runs:read', 'reviews:read', 'agents:read', 'notes:read', 'policy:read', 'experiments:read'];
const MEMBER: readonly Permission[] = [...READ, 'runs:create', 'runs:control', 'reviews:decide', 'agents:write', 'notes:write'];
const OPERATOR: readonly Permission[] = [...MEMBER, 'runs:read:all', 'runs:control:all'];
const ADMIN: readonly Permission[] = [...OPERATOR, 'experiments:write', 'policy:write', 'users:read', 'users:write', 'keys:read', 'keys:write', 'quotas:write', 'audit:read'];

/**
 * `own` permissions (`runs:read`, `runs:control`) reach the caller's own runs and their reviews;
 * the `:all` twin reaches every run of the tenant. Only `platform` crosses tenants (`tenants:admin`)
 * and steers which worker build takes new runs (`deployments:*`: workers serve every tenant).
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  platform: new Set(PERMISSIONS),
  owner: new Set([...ADMIN, 'owners:manage']),
  admin: new Set(ADMIN),
  operator: new Set(OPERATOR),
  member: new Set(MEMBER),
  viewer: new Set([...READ, 'runs:read:all']),
};

/** What a new key or user gets when no role is named. */
export const DEFAULT_ROLE: Role = 'member';

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** A stored role string as a role; an unknown one is undefined and may do nothing. */
export function roleOf(stored: string): Role | undefined {
  if (isRole(stored)) return stored;
  return LEGACY_ROLES[stored];
}

export function roleCan(role: string, permission: Permission): boolean {
  const known = roleOf(role);
  return known !== undefined && ROLE_PERMISSIONS[known].has(permission);
}

/** A role may hand out (or change someone holding) a role only when it holds every permission of it. */
export function roleMayGrant(granter: string, granted: string): boolean {
  const from = roleOf(granter);
  const to = roleOf(granted);
  if (!from || !to) return false;
  return [...ROLE_PERMISSIONS[to]].every((permission) => ROLE_PERMISSIONS[from].has(permission));
}

/** Whether a principal reaches something a user owns: its own always, another's only with the `:all` permission. */
export function mayReach(principal: { userId: string; role: string }, ownerId: string, all: Permission): boolean {
  return principal.userId === ownerId || roleCan(principal.role, all);
}

/** The platform operator's own tenant: its `platform` keys act across tenants on the admin routes. */
export const PLATFORM_TENANT_ID = 'platform';
