// The model pool: tiered models with prices and capabilities, cost math, the complexity heuristic,
// and the selection policy the workflow follows; pure, so unit tests reach all of it.
export { classifyComplexity, resolveComplexity, type ComplexityVerdict } from './classify-complexity';
export {
  CIRCUIT_STATES,
  closedSnapshot,
  effectiveCircuitState,
  HEALTH_HISTORY_LENGTH,
  type CircuitSnapshot,
  type CircuitState,
  type HealthCheck,
  type HealthReport,
} from './circuit-state';
export { admitCall, budgetProblem, contextWindowProblem, type CallAdmission } from './call-admission';
export { costOf, estimateCallCost, formatUsd } from './cost';
export { ModelPool, poolModelSpec, type PooledModel } from './model-pool';
export { CHARACTERS_PER_TOKEN, estimateTokens, serialisedCharacters } from './request-tokens';
export {
  DEFAULT_COOLDOWN_SECONDS,
  DEFAULT_FAILURE_THRESHOLD,
  DEFAULT_HEALTH_INTERVAL_MINUTES,
  PoolConfigError,
  SPEEDS,
  capabilitiesSchema,
  parsePoolConfig,
  poolConfigSchema,
  poolModelSchema,
  poolModels,
  pricingSchema,
  type Capabilities,
  type PoolConfig,
  type PoolConfigIssue,
  type PoolModel,
  type Pricing,
  type Speed,
} from './pool-config';
export {
  selectCandidates,
  type Budget,
  type Candidate,
  type CapabilityNeeds,
  type Selection,
  type SelectionInput,
  type SkippedModel,
} from './select-candidates';
export {
  COMPLEXITY_CHOICES,
  COMPLEXITY_LEVELS,
  DEFAULT_COMPLEXITY_TIERS,
  POOL_TIERS,
  tierDirection,
  tierWalk,
  type Complexity,
  type ComplexityChoice,
  type PoolTier,
} from './tiers';
