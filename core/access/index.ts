// Access control: roles, permissions and quotas (pure, no I/O).
export {
  DEFAULT_ROLE, isRole, LEGACY_ROLES, mayReach, PERMISSIONS, ROLE_PERMISSIONS, roleCan, roleMayGrant, roleOf, ROLES,
  type Permission, type Role,
} from './roles';
