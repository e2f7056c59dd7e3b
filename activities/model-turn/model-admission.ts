// What stands between a step and a model call: the pool's admission checks (the request fits the
// model's context window, its worst-case cost fits the budget, counting every purpose the run has
// paid for in the usage ledger) and the model's shared circuit.
// A refused call is never made; it fails at once, non-retryably and typed, so the workflow moves
// on to its next candidate. Provider failures are counted against the circuit afterwards.
import { ApplicationFailure } from '@temporalio/activity';
import { countsAgainstCircuit, FAILURE_TYPES } from '../../core/errors';
import { RUN_EVENT_TYPES, type NewRunEvent } from '../../core/events';
import { admitCall, formatUsd, type ModelPool } from '../../core/model-pool';
import type { ModelSpec } from '../../core/model-spec';
import type { RunBudget } from '../../core/run-input';
import type { AcquireResult, CircuitBreakerStore } from '../../stores/circuit-breaker';
import type { Logger } from '../../runtime/logger';
import type { EventRecorder } from '../records/event-recorder';
import { asNonRetryable } from './model-call';
import type { TenantCostBudget } from './tenant-budget';
import type { UsageLedger } from '../records/usage-ledger';

export type AdmissionDeps = {
  pool?: ModelPool; circuits: CircuitBreakerStore; events: EventRecorder; logger?: Logger;
  /** The tenant's monthly cost quota: a priced call that could go over it is refused like one over the run's budget. */
  tenantBudget?: Pick<TenantCostBudget, 'spend'>;
  /** The usage ledger: what the run spent on every purpose (checks and summaries too), read when it has a budget. */
  ledger?: Pick<UsageLedger, 'runCost'>;
};

export type AdmissionInput = {
  runId: string;
  tenantId: string;
  step: number;
  spec: ModelSpec;
  /** Estimated tokens of the request; only computed for pool models. */
  requestTokens: () => number;
  budget?: RunBudget;
  costSoFar: number;
  /** Events still to write before this step's next one (the pool's decision); a refusal writes them first. */
  announcements?: NewRunEvent[];
};

/** Admits the call or throws the typed refusal (after recording it as `model-call.failed`). */
export async function admitModelCall(deps: AdmissionDeps, input: AdmissionInput): Promise<AcquireResult> {
  const { spec, budget } = input;
  const model = deps.pool?.model(spec.id);
  if (deps.pool && model) {
    const costSoFar = await runSpend(deps, input);
    const remainingRunBudget = budget?.maxCostPerRun === undefined ? undefined : budget.maxCostPerRun - costSoFar;
    const admission = admitCall(model, input.requestTokens(), deps.pool.outputAllowance(model), { maxCostPerCall: budget?.maxCostPerCall, remainingRunBudget });
    if (!admission.admitted) {
      const spent = budget?.maxCostPerRun === undefined ? '' : ` (${formatUsd(costSoFar)} of ${formatUsd(budget.maxCostPerRun)} spent)`;
      const type = admission.cause === 'budget' ? FAILURE_TYPES.budgetExceeded : FAILURE_TYPES.modelContextTooSmall;
      throw await refuse(deps, input, type, `model "${spec.id}": ${admission.reason}${admission.cause === 'budget' ? spent : ''}`);
    }
    const tenant = await deps.tenantBudget?.spend(input.tenantId);
    if (tenant && admission.estimatedCost > tenant.limit - tenant.spent) {
      throw await refuse(deps, input, FAILURE_TYPES.budgetExceeded,
        `model "${spec.id}": over the tenant's monthly cost quota: est ${formatUsd(admission.estimatedCost)} > ${formatUsd(Math.max(0, tenant.limit - tenant.spent))} left (${formatUsd(tenant.spent)} of ${formatUsd(tenant.limit)} spent this month)`);
    }
  }
  const circuit = await acquireOrAllow(deps, spec.id);
  if (!circuit.allowed) {
    const lastError = (await deps.circuits.snapshot(spec.id).catch(() => undefined))?.lastError;
    throw await refuse(deps, input, FAILURE_TYPES.modelCircuitOpen, `model "${spec.id}": ${circuit.reason}${lastError ? `; last error: ${lastError}` : ''}`);
  }
  return circuit;
}

/**
 * What the run has spent: the workflow's count of its steps, or the ledger's sum over every purpose
 * when that is more (reflection, predictions, summaries are paid for outside the steps' replies).
 */
async function runSpend(deps: AdmissionDeps, input: AdmissionInput): Promise<number> {
  if (input.budget?.maxCostPerRun === undefined || !deps.ledger) return input.costSoFar;
  return Math.max(input.costSoFar, await deps.ledger.runCost(input.runId));
}

/** Counts a provider failure against the model's circuit; the failure that opens it stops the retries. */
export function circuitFailureRecorder(deps: Pick<AdmissionDeps, 'circuits' | 'logger'>, modelId: string) {
  return async (failure: ApplicationFailure): Promise<ApplicationFailure> => {
    if (!countsAgainstCircuit(failure.type)) return failure;
    const snapshot = await deps.circuits.recordFailure(modelId, failure.message).catch((error: unknown) => {
      deps.logger?.warn({ err: error, model: modelId }, 'could not record a failure in the circuit store');
      return undefined;
    });
    if (snapshot?.state !== 'open' || failure.nonRetryable) return failure;
    return asNonRetryable(failure, `circuit opened after ${snapshot.consecutiveFailures} consecutive failures`);
  };
}

/** A circuit store that cannot be reached lets calls through: the breaker protects, it must not block. */
async function acquireOrAllow(deps: AdmissionDeps, modelId: string): Promise<AcquireResult> {
  try {
    return await deps.circuits.acquire(modelId);
  } catch (error) {
    deps.logger?.warn({ err: error, model: modelId }, 'circuit store unreachable; calling the model anyway');
    return { allowed: true, state: 'closed', reason: 'circuit store unreachable' };
  }
}

/** Records a call that is never made as `model-call.failed` (after any pending announcements) and returns its typed, non-retryable failure. */
export async function refuse(deps: Pick<AdmissionDeps, 'events'>, input: Pick<AdmissionInput, 'runId' | 'tenantId' | 'step' | 'spec' | 'announcements'>, type: string, message: string): Promise<ApplicationFailure> {
  await deps.events.record(input.runId, input.tenantId, [...(input.announcements?.splice(0) ?? []), {
    type: RUN_EVENT_TYPES.modelCallFailed,
    data: { step: input.step, model: input.spec.id, error: message, failureType: type, retryable: false, called: false },
  }]).catch(() => undefined);
  return ApplicationFailure.create({ message, type, nonRetryable: true, details: [{ model: input.spec.id }] });
}
