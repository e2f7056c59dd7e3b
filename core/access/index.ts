// Access control: roles, permissions and quotas (pure, no I/O).
export {
  DEFAULT_ROLE, isRole, LEGACY_ROLES, mayReach, PERMISSIONS, PLATFORM_TENANT_ID, ROLE_PERMISSIONS, roleCan, roleMayGrant, roleOf, ROLES,
  type Permission, type Role,
} from './roles';
