// Request and response shapes of the admin API: tenants, users, API keys, quotas and the audit log.
import { z } from 'zod';
import { ROLES } from '../core/access';
import { isoInstant } from './schemas';

export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;
export const USER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;
/** The longest a rotated key may keep working beside its successor. */
export const MAX_ROTATION_OVERLAP_SECONDS = 30 * 86_400;
export const DEFAULT_ROTATION_OVERLAP_SECONDS = 86_400;
const MAX_KEY_LIFETIME_SECONDS = 5 * 365 * 86_400;

const tenantId = z.string().regex(TENANT_ID_PATTERN, 'must be 1-63 lowercase letters, digits, _ or -, starting with a letter or digit');
const userId = z.string().regex(USER_ID_PATTERN, 'must be 1-128 letters, digits, ., _, @ or -, starting with a letter or digit');
const role = z.enum(ROLES);
const name = z.string().trim().min(1, 'must not be empty').max(200);

export const tenantParams = z.object({ tenantId: z.string().min(1).max(100) }).strict();
export const userParams = tenantParams.extend({ userId: z.string().min(1).max(200) }).strict();
export const keyParams = tenantParams.extend({ keyId: z.string().min(1).max(100) }).strict();

export const createTenantBody = z.object({
  id: tenantId.optional().describe('The tenant id; generated when left out.'),
  name,
}).strict();

export const listTenantsQuery = z.object({
  cursor: z.string().min(1).max(100).optional().describe('The previous page\'s `nextCursor`.'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
}).strict();

export const suspendTenantBody = z.object({ reason: z.string().trim().min(1).max(500).optional() }).strict().optional();

export const quotaLimits = z.object({
  runsPerDay: z.number().int().min(0).max(10_000_000).nullable().optional().describe('Runs started per UTC day.'),
  concurrentRuns: z.number().int().min(0).max(100_000).nullable().optional().describe('Runs not yet finished at once.'),
  tokensPerMonth: z.number().int().min(0).max(1e15).nullable().optional().describe('Input plus output tokens per UTC calendar month.'),
  costUsdPerMonth: z.number().min(0).max(1e9).nullable().optional().describe('USD of priced model calls per UTC calendar month.'),
  notesStored: z.number().int().min(0).max(100_000_000).nullable().optional().describe('Live (not superseded, not deleted) notes.'),
  concurrentSteps: z.number().int().min(1).max(100_000).nullable().optional()
    .describe("Steps of the tenant's runs running at once on the workers (tenant-wide only); a step over it waits for a slot, holding no worker slot."),
}).strict();

/** A user's limits: every quota but the workers' tenant-wide `concurrentSteps`. */
export const userQuotaLimits = quotaLimits.omit({ concurrentSteps: true }).strict();

export const tenantResource = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(['active', 'suspended']),
  suspendedAt: z.string().nullable(),
  suspendedReason: z.string().nullable(),
  createdAt: z.string(),
});

export const createUserBody = z.object({
  id: userId,
  name,
  email: z.email().max(320).optional(),
  role: role.default('member'),
}).strict();

export const updateUserBody = z.object({
  role: role.optional(),
  disabled: z.boolean().optional().describe('true disables the user: every key of theirs answers 403 `user_disabled`.'),
}).strict();

export const userResource = z.object({
  id: z.string(),
  tenantId: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  role: z.string(),
  status: z.enum(['active', 'disabled']),
  disabledAt: z.string().nullable(),
  createdAt: z.string(),
});

export const createKeyBody = z.object({
  userId: z.string().min(1).max(200).describe('The user the key acts as (POST …/users first).'),
  name,
  expiresAt: isoInstant().optional().describe('After this the key answers 401 `key_expired`.'),
  expiresInSeconds: z.number().int().min(1).max(MAX_KEY_LIFETIME_SECONDS).optional(),
}).strict();

export const listKeysQuery = z.object({
  userId: z.string().min(1).max(200).optional(),
  prefix: z.string().min(1).max(20).optional().describe('Keys whose prefix starts with this (`keel_AbCd`).'),
  revoked: z.enum(['true', 'false']).default('false').describe('Include revoked keys.'),
}).strict();

export const rotateKeyBody = z.object({
  overlapSeconds: z.number().int().min(0).max(MAX_ROTATION_OVERLAP_SECONDS).default(DEFAULT_ROTATION_OVERLAP_SECONDS)
    .describe('How long the old key keeps working beside the new one.'),
}).strict().optional();

export const keyResource = z.object({
  id: z.string(),
  tenantId: z.string(),
  userId: z.string(),
  name: z.string(),
  prefix: z.string().describe('The first characters of the secret, enough to tell keys apart.'),
  status: z.enum(['active', 'expired', 'revoked']),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  rotatedTo: z.string().nullable(),
});

export const createdKeyResource = z.object({
  key: keyResource,
  secret: z.string().describe('The API key itself: shown once, never again.'),
});

export const auditQuery = z.object({
  tenantId: z.string().min(1).max(100).optional().describe('Platform operators: one tenant\'s entries (default: every tenant).'),
  action: z.string().min(1).max(100).optional(),
  actor: z.string().min(1).max(200).optional().describe('The acting user id.'),
  targetId: z.string().min(1).max(200).optional(),
  from: isoInstant().optional(),
  to: isoInstant().optional(),
  cursor: z.string().regex(/^[1-9][0-9]{0,17}$/, 'must be a nextCursor from a previous page').optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
}).strict();

export const auditEntryResource = z.object({
  id: z.string(),
  tenantId: z.string(),
  actor: z.object({ tenantId: z.string(), userId: z.string(), keyId: z.string().nullable() }),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string() }),
  details: z.unknown().nullable(),
  at: z.string(),
});
