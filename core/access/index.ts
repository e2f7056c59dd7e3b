// Access control: roles, permissions and quotas (pure, no I/O).
export {
  DEFAULT_ROLE, isRole, LEGACY_ROLES, mayReach, PERMISSIONS, PLATFORM_TENANT_ID, ROLE_PERMISSIONS, roleCan, roleMayGrant, roleOf, ROLES,
  type Permission, type Role,
} from './roles';
export {
  CONCURRENT_RUNS_RETRY_AFTER_SECONDS, NOTES_RETRY_AFTER_SECONDS, QUOTA_NAMES, QUOTAS_OF, quotaExhausted, quotaResetsAt, quotaRetryAfterSeconds,
  startOfUtcDay, startOfUtcMonth, WORKER_QUOTAS, type QuotaLimits, type QuotaName, type QuotaScope, type StoredCountQuota,
} from './quotas';
