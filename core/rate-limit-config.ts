// Request rate limits of the API (KEEL_RATE_LIMIT_PER_KEY, KEEL_RATE_LIMIT_PER_TENANT): requests per
// minute for each API key and for each tenant's keys together; 0 turns a limit off.
import { ConfigError } from './config-error';

/** Generous: a person or a CI job never meets them; a runaway client loop does. */
export const DEFAULT_RATE_LIMIT_PER_KEY_PER_MINUTE = 6_000;
export const DEFAULT_RATE_LIMIT_PER_TENANT_PER_MINUTE = 30_000;
export const RATE_LIMIT_WINDOW_MS = 60_000;

export type RateLimitConfig = { perKeyPerMinute: number; perTenantPerMinute: number };

function perMinute(text: string | undefined, setting: string, variable: string, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  if (text === 'off') return 0;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new ConfigError(setting, variable, `"${text}" is not a whole number of requests per minute (0 or "off" turns it off)`);
  return value;
}

export function readRateLimitConfig(environment: Record<string, string | undefined>): RateLimitConfig {
  return {
    perKeyPerMinute: perMinute(environment.KEEL_RATE_LIMIT_PER_KEY, 'rateLimits.perKeyPerMinute', 'KEEL_RATE_LIMIT_PER_KEY', DEFAULT_RATE_LIMIT_PER_KEY_PER_MINUTE),
    perTenantPerMinute: perMinute(environment.KEEL_RATE_LIMIT_PER_TENANT, 'rateLimits.perTenantPerMinute', 'KEEL_RATE_LIMIT_PER_TENANT', DEFAULT_RATE_LIMIT_PER_TENANT_PER_MINUTE),
  };
}
