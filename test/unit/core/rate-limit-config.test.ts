// Rate-limit settings from the environment: defaults, 0 or "off" to turn one off, a typed error otherwise.
import { ConfigError } from '../../../core/config-error';
import { DEFAULT_RATE_LIMIT_PER_KEY_PER_MINUTE, DEFAULT_RATE_LIMIT_PER_TENANT_PER_MINUTE, readRateLimitConfig } from '../../../core/rate-limit-config';

describe('rate-limit settings', () => {
  it('takes the generous defaults when nothing is set', () => {
    expect(readRateLimitConfig({})).toEqual({ perKeyPerMinute: DEFAULT_RATE_LIMIT_PER_KEY_PER_MINUTE, perTenantPerMinute: DEFAULT_RATE_LIMIT_PER_TENANT_PER_MINUTE });
  });

  it('reads each limit, with 0 or "off" turning it off', () => {
    expect(readRateLimitConfig({ KEEL_RATE_LIMIT_PER_KEY: '10', KEEL_RATE_LIMIT_PER_TENANT: 'off' })).toEqual({ perKeyPerMinute: 10, perTenantPerMinute: 0 });
    expect(readRateLimitConfig({ KEEL_RATE_LIMIT_PER_KEY: '0' }).perKeyPerMinute).toBe(0);
  });

  it('names the variable of a malformed value', () => {
    expect(() => readRateLimitConfig({ KEEL_RATE_LIMIT_PER_TENANT: 'lots' })).toThrow(ConfigError);
    expect(() => readRateLimitConfig({ KEEL_RATE_LIMIT_PER_TENANT: 'lots' })).toThrow(/KEEL_RATE_LIMIT_PER_TENANT/);
  });
});
