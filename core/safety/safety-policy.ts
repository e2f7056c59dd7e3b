// The safety policy: which verdict each risk level earns and what a run may do (network, nesting).
// Validated with zod so a per-tenant override can be parsed from configuration later.
import { z } from 'zod';
import { VERDICTS } from './risk-levels';

export const DEFAULT_RISK_VERDICTS = {
  none: 'allow',
  low: 'allow',
  medium: 'confirm',
  high: 'confirm',
  critical: 'deny',
} as const;

/** Shell code nested this deep (`bash -c "eval '…'"`) is not followed further and needs confirmation. */
export const DEFAULT_MAX_NESTING_DEPTH = 4;

/** Hosts that count as this machine when the network is allowed. */
export const DEFAULT_LOCAL_HOSTS = ['localhost', '127.0.0.1', '::1', '0.0.0.0'] as const;

const verdictSchema = z.enum(VERDICTS);

export const safetyPolicySchema = z.object({
  riskVerdicts: z
    .object({
      none: verdictSchema.default(DEFAULT_RISK_VERDICTS.none),
      low: verdictSchema.default(DEFAULT_RISK_VERDICTS.low),
      medium: verdictSchema.default(DEFAULT_RISK_VERDICTS.medium),
      high: verdictSchema.default(DEFAULT_RISK_VERDICTS.high),
      critical: verdictSchema.default(DEFAULT_RISK_VERDICTS.critical),
    })
    .default(DEFAULT_RISK_VERDICTS),
  /** Whether commands may use the network at all; without it any network use needs confirmation. */
  allowNetwork: z.boolean().default(false),
  localHosts: z.array(z.string().min(1)).default([...DEFAULT_LOCAL_HOSTS]),
  maxNestingDepth: z.number().int().min(1).max(16).default(DEFAULT_MAX_NESTING_DEPTH),
});

export type SafetyPolicy = z.output<typeof safetyPolicySchema>;
export type SafetyPolicyInput = z.input<typeof safetyPolicySchema>;

export const DEFAULT_SAFETY_POLICY: SafetyPolicy = safetyPolicySchema.parse({});

/** Fills in defaults; throws a ZodError when an override is malformed. */
export function resolveSafetyPolicy(input: SafetyPolicyInput = {}): SafetyPolicy {
  return safetyPolicySchema.parse(input);
}
