// How a run picks the models of each step and keeps to its budget, for agentRun: the named models
// in order, or (when the run named none) the pool's plan, made by the `planModels` local activity
// once per run and again after a step had to fail over. `auto` complexity is classified here, by
// the pure heuristic in core, from the first message the workflow already holds. Tracks what the
// run spent and turns budget refusals into the `budget_exceeded` outcome. Deterministic.
import { ApplicationFailure, patched } from '@temporalio/workflow';
import type { PlanModelsInput, PlanModelsOutput, StepInput, StepOutput } from '../activities/contract';
import { FAILURE_TYPES } from '../core/errors';
// Direct module imports: the pool's index pulls the YAML parser and zod into the workflow bundle.
import { resolveComplexity, type ComplexityVerdict } from '../core/model-pool/classify-complexity';
import { formatUsd } from '../core/model-pool/cost';
import type { AgentRunInput, CarriedState, PendingMessage } from '../core/run-input';
import type { RunOutcome } from '../core/run-status';

/** Patch: model pool selection and budgets. Runs without complexity or budget never call it, so older histories replay unchanged. */
export const MODEL_POOL_PATCH = 'model-pool';

type PlanModels = (input: PlanModelsInput) => Promise<PlanModelsOutput>;

export class ModelRouting {
  /** USD spent by the run so far (its chain of continued runs included). */
  costUsd: number;
  private verdict: ComplexityVerdict | undefined;
  private plan: { models: string[]; failedOver: boolean } | undefined;
  /** The decision of a fresh plan, handed to its first candidate's step to record. */
  private announcement: StepInput['selection'];
  private readonly choosesFromPool: boolean;
  private readonly enabled: boolean;

  constructor(private readonly input: AgentRunInput, private readonly planModels: PlanModels) {
    this.costUsd = input.carried?.costUsd ?? 0;
    this.choosesFromPool = input.models.length === 0 && input.complexity !== undefined;
    this.enabled = (this.choosesFromPool || input.budget !== undefined) && patched(MODEL_POOL_PATCH);
  }

  /** The models this step tries, in order: the run's own, or the pool's plan (planned now if there is none). */
  async candidates(step: number, transcriptSeq: number, newMessages: readonly PendingMessage[]): Promise<string[]> {
    if (!this.enabled || !this.choosesFromPool) return this.input.models;
    if (!this.plan) {
      const firstStep = step === 1 && !this.input.carried;
      this.verdict ??= this.resolveComplexity();
      const seedCharacters = firstStep ? this.input.instructions.length + this.input.firstMessage.length : 0;
      const planned = await this.planModels({
        runId: this.input.runId,
        tenantId: this.input.tenantId,
        step,
        complexity: this.verdict.complexity,
        complexityReason: this.verdict.reason,
        budget: this.input.budget,
        costSoFar: this.costUsd,
        transcriptSeq,
        newCharacters: seedCharacters + newMessages.reduce((total, message) => total + message.text.length, 0),
        tools: this.input.tools,
        announceStart: firstStep,
      });
      this.announcement = { models: planned.models, complexity: this.verdict.complexity, data: planned.selected };
      if (planned.models.length === 0) {
        if (planned.budgetExhausted) throw budgetFailure(`budget exceeded at step ${step}: ${planned.decision}`);
        throw ApplicationFailure.nonRetryable(`no model in the pool can take step ${step}: ${planned.decision}`, FAILURE_TYPES.noModelFits);
      }
      this.plan = { models: planned.models, failedOver: false };
    }
    return this.plan.models;
  }

  /** What the step activity needs to check the budget, handle a broken stream and record the decision. */
  stepFields(index: number, count: number): Pick<StepInput, 'costSoFar' | 'budget' | 'lastCandidate' | 'selection'> {
    const selection = this.announcement;
    this.announcement = undefined;
    return { costSoFar: this.costUsd, budget: this.input.budget, lastCandidate: index === count - 1, ...(selection && { selection }) };
  }

  /** A candidate failed: the next step plans again, with fresh circuit states. */
  candidateFailed(): void {
    if (this.plan) this.plan.failedOver = true;
  }

  stepDone(output: StepOutput): void {
    this.costUsd += output.costUsd ?? 0;
    if (this.plan?.failedOver) this.plan = undefined;
  }

  /** The error that ends a step whose every candidate failed; a budget failure when the budget refused them all. */
  allFailed(step: number, errors: readonly string[], failureTypes: ReadonlyArray<string | undefined>): ApplicationFailure {
    if (this.enabled && failureTypes.length > 0 && failureTypes.every((type) => type === FAILURE_TYPES.budgetExceeded)) {
      return budgetFailure(`budget exceeded at step ${step}: ${errors.join('; ')}`);
    }
    return ApplicationFailure.nonRetryable(`every model failed at step ${step}: ${errors.join('; ')}`, 'AllModelsFailed');
  }

  /** Before a step: the run has spent all it may. */
  budgetSpent(): RunOutcome | undefined {
    const limit = this.input.budget?.maxCostPerRun;
    if (!this.enabled || limit === undefined || this.costUsd < limit) return undefined;
    return this.budgetOutcome(`budget exceeded: the run spent ${formatUsd(this.costUsd)} of its ${formatUsd(limit)} budget`);
  }

  /** The `budget_exceeded` outcome for a step that failed on the budget, or undefined for any other error. */
  outcomeOf(error: unknown): RunOutcome | undefined {
    if (!this.enabled || !(error instanceof ApplicationFailure) || error.type !== FAILURE_TYPES.budgetExceeded) return undefined;
    return this.budgetOutcome(error.message);
  }

  carried(): Pick<CarriedState, 'costUsd' | 'complexity'> {
    const complexity = this.verdict?.complexity ?? this.input.carried?.complexity;
    return { costUsd: this.costUsd, ...(complexity !== undefined && { complexity }) };
  }

  /** A level the run asked for (or carried across continue-as-new) is taken as given; `auto` is classified. */
  private resolveComplexity(): ComplexityVerdict {
    const carried = this.input.carried?.complexity;
    if (carried) return { complexity: carried, reason: `${carried} (resolved earlier in the run)` };
    return resolveComplexity(this.input.complexity ?? 'auto', this.input.firstMessage, this.input.tools.length);
  }

  private budgetOutcome(message: string): RunOutcome {
    const { maxCostPerRun, maxCostPerCall } = this.input.budget ?? {};
    return { type: 'budget_exceeded', costUsd: this.costUsd, ...(maxCostPerRun !== undefined && { maxCostPerRun }), ...(maxCostPerCall !== undefined && { maxCostPerCall }), message };
  }
}

function budgetFailure(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, FAILURE_TYPES.budgetExceeded);
}
