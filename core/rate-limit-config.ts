// Request rate limits of the API (KEEL_RATE_LIMIT_PER_KEY, KEEL_RATE_LIMIT_PER_TENANT): requests per
// minute for each API key and for each tenant's keys together; 0 turns a limit off. The variables'
// text is checked by core/environment-schema.ts with every other variable.
import { parseKeelEnvironment, type KeelEnvironment } from './environment-schema';

/** Generous: a person or a CI job never meets them; a runaway client loop does. */
export const DEFAULT_RATE_LIMIT_PER_KEY_PER_MINUTE = 6_000;
export const DEFAULT_RATE_LIMIT_PER_TENANT_PER_MINUTE = 30_000;
export const RATE_LIMIT_WINDOW_MS = 60_000;

export type RateLimitConfig = { perKeyPerMinute: number; perTenantPerMinute: number };

export function rateLimitConfigFrom(environment: KeelEnvironment): RateLimitConfig {
  return {
    perKeyPerMinute: environment.KEEL_RATE_LIMIT_PER_KEY ?? DEFAULT_RATE_LIMIT_PER_KEY_PER_MINUTE,
    perTenantPerMinute: environment.KEEL_RATE_LIMIT_PER_TENANT ?? DEFAULT_RATE_LIMIT_PER_TENANT_PER_MINUTE,
  };
}

export function readRateLimitConfig(environment: Record<string, string | undefined>): RateLimitConfig {
  return rateLimitConfigFrom(parseKeelEnvironment(environment));
}
