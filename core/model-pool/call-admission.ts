// The checks a model must pass before a request goes to it: the request and its output allowance
// fit the context window, and the call's worst-case cost fits the budget. Shared by selection
// (which leaves such models out) and the step activity (which refuses the call), so both agree.
import { estimateCallCost, formatUsd } from './cost';
import type { PoolModel } from './pool-config';

export type Budget = { maxCostPerCall?: number; remainingRunBudget?: number };

/** Why the request does not fit the model's context window, or undefined when it does. */
export function contextWindowProblem(model: Pick<PoolModel, 'contextWindow'>, requestTokens: number, outputTokens: number): string | undefined {
  if (requestTokens <= model.contextWindow - outputTokens) return undefined;
  return `context window ${model.contextWindow} too small for ${requestTokens + outputTokens} tokens (${requestTokens} input + ${outputTokens} output)`;
}

/** Why a call of this estimated cost is over the budget, or undefined when it fits. */
export function budgetProblem(estimatedCost: number, budget: Budget | undefined): string | undefined {
  const { maxCostPerCall, remainingRunBudget } = budget ?? {};
  if (maxCostPerCall !== undefined && estimatedCost > maxCostPerCall) {
    return `over budget: est ${formatUsd(estimatedCost)} > ${formatUsd(maxCostPerCall)} per call`;
  }
  if (remainingRunBudget !== undefined && estimatedCost > remainingRunBudget) {
    return `over budget: est ${formatUsd(estimatedCost)} > ${formatUsd(Math.max(remainingRunBudget, 0))} left in the run`;
  }
  return undefined;
}

export type CallAdmission =
  | { admitted: true; estimatedCost: number }
  | { admitted: false; cause: 'context-window' | 'budget'; reason: string; estimatedCost: number };

/** Admits or refuses one call of `requestTokens` with `outputTokens` of output allowance. */
export function admitCall(model: Pick<PoolModel, 'contextWindow' | 'pricing'>, requestTokens: number, outputTokens: number, budget?: Budget): CallAdmission {
  const estimatedCost = estimateCallCost(model.pricing, requestTokens, outputTokens);
  const tooLarge = contextWindowProblem(model, requestTokens, outputTokens);
  if (tooLarge) return { admitted: false, cause: 'context-window', reason: tooLarge, estimatedCost };
  const overBudget = budgetProblem(estimatedCost, budget);
  if (overBudget) return { admitted: false, cause: 'budget', reason: overBudget, estimatedCost };
  return { admitted: true, estimatedCost };
}
