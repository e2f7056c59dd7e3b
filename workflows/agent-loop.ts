// The agent loop of one run, for agentRun: its state, the handlers that read and change it, a
// step with model fallback and local-first pacing, corrections, answer checks and continue-as-new.
// Deterministic: no I/O, clocks or randomness; state is small and carries only references. Every
// branch that shows in history (each patched() call, each command) keeps its place and order.
import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  TimeoutFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { StepInput, StepOutput, StepReviewDecision } from '../activities/contract';
import type { createActivities } from '../activities/create-activities';
import { allFailuresTransient, FAILURE_TYPES } from '../core/errors';
import { addUsage, ZERO_USAGE, type Usage } from '../core/messages';
import type { ReviewDecision } from '../core/review';
import { BOOKKEEPING_RETRY, CHECK_RETRY, MODEL_STEP_RETRY, SCORING_RETRY } from '../core/retry-policies';
import { DEFAULT_HISTORY_EVENTS_BEFORE_CONTINUE_AS_NEW, type AgentRunInput, type PendingMessage } from '../core/run-input';
import type { RunPolicy } from '../core/run-policy';
import type { RunOutcome, RunStatus } from '../core/run-status';
import { AnswerChecks } from './answer-checks';
import { MAX_PENDING_MESSAGES, approvalSignal, cancelSignal, sendMessageUpdate, stateQuery, userMessageSignal, type RunStateSnapshot } from './definitions';
import { ModelRouting } from './model-routing';
import {
  ADAPTIVE_LOCAL_STEPS_PATCH,
  ANSWER_CHECKS_PATCH,
  LIVE_SCORING_PATCH,
  LOCAL_FIRST_STEPS_PATCH,
  LONGER_OUTAGE_WAIT,
  LONGER_OUTAGE_WAITS_PATCH,
  MAX_LONGER_OUTAGE_WAITS,
  MAX_OPEN_CIRCUIT_WAITS,
  NOTE_EXTRACTION_PATCH,
  OPEN_CIRCUIT_WAIT,
  POLICY_CHECKS_PATCH,
  SLOW_STEP_MS,
  STEP_SUMMARIES_PATCH,
  STRUCTURED_OUTPUT_PATCH,
  TENANT_SLOT_FIRST_WAIT_MS,
  TENANT_SLOT_LONGEST_WAIT_MS,
  TENANT_STEP_SLOTS_PATCH,
  WAIT_FOR_OPEN_CIRCUITS_PATCH,
  WAIT_FOR_TRANSIENT_FAILURES_PATCH,
  YIELD_AFTER_LOCAL_MS,
} from './patches';
import { ReviewDesk, type ReviewSubject } from './review-desk';
import { finishSummary, outcomeDetails, slotWaitDetails, stepDetails, stepSummary } from './run-summaries';
import { errorMessage } from '../core/error-message';
import { outputCorrectionMessage } from '../core/output-correction';
import { DEFAULT_RUN_POLICY } from '../core/run-policy';

type Activities = ReturnType<typeof createActivities>;

/**
 * A failed candidate's failure type: its ApplicationFailure type, or StepHeartbeatTimedOut when its
 * attempts stopped heartbeating (the worker died or was starved, not the model).
 */
function failureTypeOf(cause: unknown): string | undefined {
  if (cause instanceof ApplicationFailure) return cause.type ?? undefined;
  if (cause instanceof TimeoutFailure && cause.timeoutType === 'HEARTBEAT') return FAILURE_TYPES.stepHeartbeatTimedOut;
  return undefined;
}
/** Whether a step was refused a slot of its tenant's `concurrentSteps` quota (nothing ran). */
function refusedTenantSlot(error: unknown): boolean {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  return cause instanceof ApplicationFailure && cause.type === FAILURE_TYPES.tenantStepSlotsFull;
}

/**
 * How long the `waits`-th wait for a tenant slot lasts: growing to the longest, spread by a quarter
 * either way so a tenant's waiting steps do not all try again at once (workflow Math.random is seeded, so replays agree).
 */
function tenantSlotWaitMs(waits: number): number {
  const base = Math.min(TENANT_SLOT_LONGEST_WAIT_MS, TENANT_SLOT_FIRST_WAIT_MS * 1.5 ** waits);
  return Math.round(base * (0.75 + Math.random() / 2));
}

/** agentRun's signature, for continue-as-new (naming agentRun itself would be an import cycle). */
type AgentRunWorkflow = (input: AgentRunInput) => Promise<RunOutcome>;

function proxies(input: AgentRunInput) {
  const { runStep } = proxyActivities<Activities>({
    startToCloseTimeout: `${input.limits.stepTimeoutSeconds}s`,
    heartbeatTimeout: `${input.limits.heartbeatTimeoutSeconds}s`,
    retry: MODEL_STEP_RETRY,
    // A cancelled step stops its tools (process groups killed) before the run reports `cancelled`.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
  const { finishRun, planModels, openReview, expireReview } = proxyLocalActivities<Activities>({ startToCloseTimeout: '30s', retry: BOOKKEEPING_RETRY });
  const { reflectOnAnswer, crossValidate, extractRunNotes } = proxyActivities<Activities>({ startToCloseTimeout: '5m', retry: CHECK_RETRY });
  const { scoreRun } = proxyActivities<Activities>({ startToCloseTimeout: '5m', retry: SCORING_RETRY });
  const { runStepLocally } = proxyLocalActivities<Activities>({
    startToCloseTimeout: '60s',
    retry: MODEL_STEP_RETRY,
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
  return { runStep, runStepLocally, finishRun, planModels, openReview, expireReview, reflectOnAnswer, crossValidate, extractRunNotes, scoreRun };
}

export class AgentLoop {
  private readonly activities: ReturnType<typeof proxies>;
  private readonly routing: ModelRouting;
  private readonly desk: ReviewDesk;
  private readonly policy: RunPolicy | undefined;
  /** The policy applies in the workflow (POLICY_CHECKS_PATCH). */
  private readonly checks: boolean;
  private answerChecks: AnswerChecks | undefined;

  private step: number;
  private usage: Usage;
  private transcriptSeq: number;
  private readonly pending: PendingMessage[];
  private status: RunStatus = 'running';
  private pendingWork: RunStateSnapshot['pendingWork'] = null;
  private lastError: string | null = null;
  private cancelRequest: { reason?: string } | undefined;
  /** The work a cancel stops now (see cancellable). */
  private stepScope: CancellationScope | undefined;
  /** Steps in a row whose tool calls all failed: the model's correction attempts. */
  private failedSteps: number;
  private localMsSinceYield = 0;
  private lastStepSlow = false;
  /** The last step's output: the next step's summary names its tools. */
  private previousStep: StepOutput | undefined;
  /** STEP_SUMMARIES_PATCH, asked once, when the first summary would be written. */
  private summaries: boolean | undefined;

  constructor(private readonly input: AgentRunInput) {
    this.activities = proxies(input);
    const carried = input.carried;
    this.step = carried?.step ?? 0;
    this.usage = carried?.usage ?? ZERO_USAGE;
    this.transcriptSeq = carried?.transcriptSeq ?? 0;
    this.pending = [...(carried?.pendingMessages ?? [])];
    // Order matters: ModelRouting's patch is asked before the policy's, as it always was.
    this.routing = new ModelRouting(input, this.activities.planModels);
    this.policy = input.policy;
    this.checks = this.policy !== undefined && patched(POLICY_CHECKS_PATCH);
    this.desk = new ReviewDesk(input, this.activities);
    this.failedSteps = carried?.failedSteps ?? 0;
  }

  /** Registers the run's signal, update and query handlers. */
  listen(): void {
    setHandler(userMessageSignal, (message) => {
      if (this.accepting() && this.pending.length < MAX_PENDING_MESSAGES) this.enqueue(message);
    });
    setHandler(
      sendMessageUpdate,
      (message) => {
        this.enqueue(message);
        return { accepted: true as const, messageId: message.id, pendingMessages: this.pending.length };
      },
      {
        validator: (message) => {
          if (!this.accepting()) throw new Error(`run is ${this.cancelRequest ? 'being cancelled' : this.status}; it takes no more messages`);
          if (this.pending.length >= MAX_PENDING_MESSAGES) throw new Error(`run already has ${MAX_PENDING_MESSAGES} unread messages`);
          if (!message.text) throw new Error('message text is empty');
        },
      },
    );
    setHandler(approvalSignal, (decision) => this.desk.receive(decision));
    setHandler(cancelSignal, (request) => {
      this.cancelRequest ??= request;
      this.stepScope?.cancel();
    });
    setHandler(stateQuery, (): RunStateSnapshot => ({
      status: this.status,
      step: this.step,
      maxSteps: this.input.limits.maxSteps,
      usage: this.usage,
      pendingWork: this.pendingWork,
      pendingMessages: this.pending.length,
      lastError: this.lastError,
      continuedRuns: this.input.carried?.continuedRuns ?? 0,
      costUsd: this.routing.costUsd,
      ...(this.checks && { pendingReviews: this.desk.pending() }),
    }));
  }

  /** Steps until the run ends: an outcome, or a `RunFailed` failure after recording it. */
  async run(): Promise<RunOutcome> {
    for (;;) {
      const stop = this.stopBeforeStep();
      if (stop) return this.finish(stop);
      await this.continueAsNewIfDue();

      this.step += 1;
      const newMessages = this.pending.splice(0);
      let output: StepOutput;
      try {
        output = await this.cancellable(() => (this.checks ? this.stepThroughReviews(newMessages) : this.stepWithFallback(newMessages)));
      } catch (error) {
        const ending = this.endingOf(error);
        if (!ending.failure) return this.finish(ending.outcome);
        await this.finish(ending.outcome);
        throw ending.failure;
      } finally {
        this.pendingWork = null;
      }

      this.account(output);
      const stopped = await this.correctIfStuck(output);
      if (stopped) return stopped;
      if (output.kind === 'final' && output.outputErrors && patched(STRUCTURED_OUTPUT_PATCH)) {
        const ended = await this.correctOutput(output.outputErrors);
        if (ended) return ended;
        continue;
      }
      if (output.kind === 'final' && this.pending.length === 0 && !this.cancelRequest) {
        const verdict = await this.checkAnswer(output);
        if (verdict === 'revise') continue;
        if (verdict) return verdict;
        return this.complete(output);
      }
    }
  }

  // Read through methods: handlers change these between awaits, which narrowing cannot see.
  private cancelReason(): string | undefined {
    return this.cancelRequest?.reason;
  }

  private accepting(): boolean {
    return this.status === 'running' && !this.cancelRequest;
  }

  private enqueue(message: PendingMessage): void {
    if (!this.pending.some((existing) => existing.id === message.id)) this.pending.push(message);
  }

  /** Before a step: cancelled, out of steps, or out of budget. */
  private stopBeforeStep(): RunOutcome | undefined {
    if (this.cancelRequest) return { type: 'cancelled', reason: this.cancelRequest.reason };
    const { maxSteps } = this.input.limits;
    if (this.step >= maxSteps) {
      return { type: 'step_limit_reached', maxSteps, message: `step limit reached: the agent used all ${maxSteps} steps without a final answer` };
    }
    return this.routing.budgetSpent();
  }

  private async continueAsNewIfDue(): Promise<void> {
    const limit = this.input.limits.historyEventsBeforeContinueAsNew ?? DEFAULT_HISTORY_EVENTS_BEFORE_CONTINUE_AS_NEW;
    if (!workflowInfo().continueAsNewSuggested && workflowInfo().historyLength <= limit) return;
    await condition(allHandlersFinished);
    const carried = this.input.carried;
    await continueAsNew<AgentRunWorkflow>({
      ...this.input,
      instructions: '',
      firstMessage: '',
      carried: {
        step: this.step, usage: this.usage, transcriptSeq: this.transcriptSeq, pendingMessages: this.pending.splice(0),
        continuedRuns: (carried?.continuedRuns ?? 0) + 1, ...this.routing.carried(), ...(this.checks && { failedSteps: this.failedSteps }),
      },
    });
  }

  private async finish(outcome: RunOutcome): Promise<RunOutcome> {
    this.status = outcome.type;
    setCurrentDetails(outcomeDetails(outcome, this.step, this.usage));
    const { runId, tenantId } = this.input;
    const finishInput = { runId, tenantId, step: this.step, usage: this.usage, outcome, costUsd: this.routing.costUsd };
    const summary = this.summariesOn() ? finishSummary(outcome) : undefined;
    // The bookkeeping must land even when the workflow itself is being cancelled.
    await CancellationScope.nonCancellable(() =>
      summary ? this.activities.finishRun.executeWithOptions({ summary }, [finishInput]) : this.activities.finishRun(finishInput),
    );
    return outcome;
  }

  /** Whether activities carry summaries (user metadata is in history: histories before the patch have none). */
  private summariesOn(): boolean {
    this.summaries ??= patched(STEP_SUMMARIES_PATCH);
    return this.summaries;
  }

  private summaryOf(stepInput: StepInput, fallback: boolean): string | undefined {
    if (!this.summariesOn()) return undefined;
    return stepSummary({
      step: stepInput.step, maxSteps: this.input.limits.maxSteps, modelId: stepInput.modelId, previous: this.previousStep,
      newMessages: stepInput.newMessages.length, resumed: stepInput.resume === true, fallback,
    });
  }

  /** How a step that threw ends the run; `failure` is thrown after the outcome is recorded. */
  private endingOf(error: unknown): { outcome: RunOutcome; failure?: ApplicationFailure } {
    // Cancelled mid-step: the step's tool results never reach the transcript.
    if (isCancellation(error)) return { outcome: { type: 'cancelled', reason: this.cancelReason() } };
    const overBudget = this.routing.outcomeOf(error);
    if (overBudget) return { outcome: overBudget };
    const message = errorMessage(error);
    this.lastError = message;
    return {
      outcome: { type: 'failed', error: message, failureType: error instanceof ApplicationFailure ? error.type ?? undefined : undefined },
      failure: ApplicationFailure.nonRetryable(message, 'RunFailed'),
    };
  }

  /**
   * Work the cancel signal must stop (a step, a review, an answer check). Nested calls restore the
   * outer scope when they end, so a cancel after an inner review still reaches the outer work.
   */
  private cancellable<T>(work: () => Promise<T>): Promise<T> {
    return CancellationScope.cancellable(async () => {
      const outer = this.stepScope;
      this.stepScope = CancellationScope.current();
      try {
        return await work();
      } finally {
        this.stepScope = outer;
      }
    });
  }

  /**
   * Walks the model candidates in order; each is its own activity with its own retries. A round in
   * which some candidate was refused without a call (open circuit, unreachable database), or every
   * candidate failed transiently, waits and walks them again: MAX_OPEN_CIRCUIT_WAITS rounds of
   * 10 s, then (for failures that still pass with time) MAX_LONGER_OUTAGE_WAITS rounds of 15 s.
   */
  private async stepWithFallback(newMessages: PendingMessage[], resumed?: Pick<StepInput, 'resume' | 'reviewDecisions'>): Promise<StepOutput> {
    for (let round = 0; ; round += 1) {
      const { output, models, errors, failureTypes } = await this.walkCandidates(newMessages, resumed);
      if (output) return output;
      const firstRounds = round < MAX_OPEN_CIRCUIT_WAITS;
      // The order of the calls below is what histories recorded: shouldWait's patch first, then the longer rounds'.
      const waits = firstRounds
        ? this.shouldWait(failureTypes)
        : round < MAX_OPEN_CIRCUIT_WAITS + MAX_LONGER_OUTAGE_WAITS && this.shouldWait(failureTypes) && patched(LONGER_OUTAGE_WAITS_PATCH);
      if (waits) {
        this.pendingWork = { kind: 'step', step: this.step, modelId: models[0] ?? '' };
        await sleep(firstRounds ? OPEN_CIRCUIT_WAIT : LONGER_OUTAGE_WAIT);
        continue;
      }
      throw this.routing.allFailed(this.step, errors, failureTypes);
    }
  }

  /**
   * Whether a failed round waits for another: some candidate was refused without a call (the
   * first patch), or else every failure passes with time (the second). The order of the two
   * patched() calls is what older histories recorded.
   */
  private shouldWait(failureTypes: ReadonlyArray<string | undefined>): boolean {
    const refused = failureTypes.some((type) => type === FAILURE_TYPES.modelCircuitOpen || type === FAILURE_TYPES.storeUnavailable);
    if (refused) return patched(WAIT_FOR_OPEN_CIRCUITS_PATCH);
    return allFailuresTransient(failureTypes) && patched(WAIT_FOR_TRANSIENT_FAILURES_PATCH);
  }

  /** One round over the candidates: the first step that succeeds, or every candidate's failure. */
  private async walkCandidates(newMessages: PendingMessage[], resumed?: Pick<StepInput, 'resume' | 'reviewDecisions'>) {
    const errors: string[] = [];
    const failureTypes: Array<string | undefined> = [];
    const models = await this.routing.candidates(this.step, this.transcriptSeq, newMessages);
    for (const [index, modelId] of models.entries()) {
      this.pendingWork = { kind: 'step', step: this.step, modelId };
      try {
        const output = await this.attempt(index > 0, {
          runId: this.input.runId,
          tenantId: this.input.tenantId,
          userId: this.input.userId,
          step: this.step,
          modelId,
          tools: this.input.tools,
          stream: this.input.stream,
          newMessages,
          seed: this.step === 1 && !this.input.carried ? { instructions: this.input.instructions, firstMessage: this.input.firstMessage } : undefined,
          transcriptSeq: this.transcriptSeq,
          usageSoFar: this.usage,
          limits: { maxSteps: this.input.limits.maxSteps },
          ...this.routing.stepFields(index, models.length),
          ...resumed,
        });
        return { output, models, errors, failureTypes };
      } catch (error) {
        if (isCancellation(error)) throw error;
        const cause = error instanceof ActivityFailure ? error.cause : error;
        const type = cause instanceof ApplicationFailure && cause.type ? `${cause.type}: ` : '';
        const message = errorMessage(cause);
        errors.push(`${modelId} (${type}${message})`);
        failureTypes.push(failureTypeOf(cause));
        this.lastError = errors[errors.length - 1] ?? null;
        this.routing.candidateFailed();
      }
    }
    return { output: undefined, models, errors, failureTypes };
  }

  /**
   * One candidate's step. While its tenant's steps hold every slot of its quota it is refused before
   * any work, and waits here on a durable timer (holding no worker slot) to try again.
   */
  private async attempt(fallback: boolean, stepInput: StepInput): Promise<StepOutput> {
    for (let waits = 0; ; waits += 1) {
      try {
        return await this.attemptOnce(fallback, stepInput);
      } catch (error) {
        if (!refusedTenantSlot(error) || !patched(TENANT_STEP_SLOTS_PATCH)) throw error;
        setCurrentDetails(slotWaitDetails(stepInput.step, waits + 1));
        await sleep(tenantSlotWaitMs(waits));
        // The timer ended the workflow task: the next try may run local again.
        this.localMsSinceYield = 0;
      }
    }
  }

  /** One try of a candidate's step: local first while the task has time for it, else (or then) a regular activity. */
  private async attemptOnce(fallback: boolean, stepInput: StepInput): Promise<StepOutput> {
    let promoted = false;
    if (patched(LOCAL_FIRST_STEPS_PATCH)) {
      const skipLocal = this.lastStepSlow && patched(ADAPTIVE_LOCAL_STEPS_PATCH);
      if (this.localMsSinceYield < YIELD_AFTER_LOCAL_MS && !skipLocal) {
        const summary = this.summaryOf(stepInput, fallback);
        const local = summary
          ? await this.activities.runStepLocally.executeWithOptions({ summary }, [stepInput])
          : await this.activities.runStepLocally(stepInput);
        this.localMsSinceYield += local.durationMs;
        this.lastStepSlow = local.status === 'promoted';
        if (local.status === 'done') return local.output;
        promoted = true;
      }
      this.localMsSinceYield = 0;
    }
    // A slow step continues as a regular activity, which adopts the local attempt's work.
    const summary = this.summaryOf(stepInput, fallback);
    const output = summary
      ? await this.activities.runStep.executeWithOptions({ summary: promoted ? `${summary} · continues the local attempt` : summary }, [stepInput])
      : await this.activities.runStep(stepInput);
    this.lastStepSlow = (output.durationMs ?? 0) > SLOW_STEP_MS;
    return output;
  }

  private account(output: StepOutput): void {
    this.usage = addUsage(this.usage, output.usage);
    this.routing.stepDone(output);
    this.transcriptSeq = output.transcriptSeq;
    this.previousStep = output;
    setCurrentDetails(stepDetails(this.step, this.input.limits.maxSteps, output, this.usage));
  }

  /** A step, paused for as many reviews as its calls need and resumed after each decision. */
  private async stepThroughReviews(newMessages: PendingMessage[]): Promise<StepOutput> {
    let output = await this.stepWithFallback(newMessages);
    const decisions: StepReviewDecision[] = [];
    while (output.kind === 'review' && output.review) {
      this.account(output);
      const review = output.review;
      this.pendingWork = { kind: 'review', step: this.step, reviewId: review.reviewId };
      const decision = await this.desk.decide(review);
      decisions.push({ ...decision, subjectKey: review.subjectKey });
      output = await this.stepWithFallback([], { resume: true, reviewDecisions: [...decisions] });
    }
    return output;
  }

  /** Opens a review outside a step and waits for it; cancellable like a step. */
  private reviewOutsideStep(subject: ReviewSubject): Promise<ReviewDecision> {
    return this.cancellable(async () => {
      try {
        const review = await this.desk.open(subject);
        this.pendingWork = { kind: 'review', step: this.step, reviewId: review.reviewId };
        return await this.desk.decide(review);
      } finally {
        this.pendingWork = null;
      }
    });
  }

  /** After `maxCorrections` steps whose calls all failed, a human says whether the run goes on; the run's outcome when it stops. */
  private async correctIfStuck(output: StepOutput): Promise<RunOutcome | undefined> {
    if (!this.checks || !this.policy || output.kind !== 'tool-calls') return undefined;
    this.failedSteps = output.toolCalls.length > 0 && output.toolCalls.every((call) => call.isError) ? this.failedSteps + 1 : 0;
    if (this.failedSteps < this.policy.maxCorrections) return undefined;
    let decision: ReviewDecision;
    try {
      decision = await this.reviewOutsideStep({
        kind: 'correction', subjectKey: `correction:${this.step}`, step: this.step,
        summary: `the agent's last ${this.failedSteps} steps failed; continue or stop the run?`,
        context: { failedSteps: this.failedSteps, lastCalls: output.toolCalls, lastError: this.lastError },
      });
    } catch (error) {
      if (isCancellation(error)) return this.finish({ type: 'cancelled', reason: this.cancelReason() });
      throw error;
    }
    if (decision.action === 'reject') {
      const because = decision.reason ? `: ${decision.reason}` : '';
      return this.finish({ type: 'failed', error: `stopped after ${this.failedSteps} failed attempts by ${decision.decidedBy}${because}`, failureType: 'ReviewRejected' });
    }
    this.failedSteps = 0;
    if (decision.reason) this.enqueue({ id: `review-${decision.reviewId}`, text: `A reviewer says: ${decision.reason}` });
    return undefined;
  }

  /**
   * A final answer that failed the run's output schema goes back to the model with its errors; after
   * `maxCorrections` such answers in a row a human says whether it tries again or the run stops.
   */
  private async correctOutput(errors: string[]): Promise<RunOutcome | undefined> {
    this.failedSteps += 1;
    const limit = (this.policy ?? DEFAULT_RUN_POLICY).maxCorrections;
    if (this.failedSteps >= limit) {
      let decision: ReviewDecision;
      try {
        decision = await this.reviewOutsideStep({
          kind: 'correction', subjectKey: `output:${this.step}`, step: this.step,
          summary: `the agent's final answer did not match the output schema ${this.failedSteps} times in a row; let it try again or stop the run?`,
          context: { failedSteps: this.failedSteps, outputErrors: errors },
        });
      } catch (error) {
        if (isCancellation(error)) return this.finish({ type: 'cancelled', reason: this.cancelReason() });
        throw error;
      }
      if (decision.action === 'reject') {
        const because = decision.reason ? `: ${decision.reason}` : '';
        return this.finish({ type: 'failed', error: `the final answer did not match the output schema (${errors[0] ?? 'invalid'}); stopped by ${decision.decidedBy}${because}`, failureType: 'OutputInvalid' });
      }
      this.failedSteps = 0;
      if (decision.reason) this.enqueue({ id: `review-${decision.reviewId}`, text: `A reviewer says: ${decision.reason}` });
    }
    this.enqueue({ id: `output-correction-${this.step}`, text: outputCorrectionMessage(errors) });
    return undefined;
  }

  /** The policy's checks of a final answer: `revise` sends the run back to work; an outcome ends it (cancelled); undefined lets it complete. */
  private async checkAnswer(output: StepOutput): Promise<RunOutcome | 'revise' | undefined> {
    if (!this.checks || !this.policy) return undefined;
    this.answerChecks ??= new AnswerChecks(this.input, this.policy, this.activities, (subject) => this.reviewOutsideStep(subject));
    if (!this.answerChecks.enabled || !patched(ANSWER_CHECKS_PATCH)) return undefined;
    let verdict;
    try {
      const checker = this.answerChecks;
      verdict = await this.cancellable(() => checker.check(this.step, output));
    } catch (error) {
      if (isCancellation(error)) return this.finish({ type: 'cancelled', reason: this.cancelReason() });
      throw error;
    }
    if (verdict?.kind !== 'revise') return undefined;
    this.enqueue(verdict.message);
    return 'revise';
  }

  private async complete(output: StepOutput): Promise<RunOutcome> {
    const policy = this.policy;
    if (this.checks && policy?.memory.autoExtract && patched(NOTE_EXTRACTION_PATCH)) {
      // Memory is a by-product: a failed extraction never fails the run it learns from.
      await this.activities.extractRunNotes({ runId: this.input.runId, tenantId: this.input.tenantId, userId: this.input.userId, modelId: policy.smallModel ?? output.modelId })
        .catch((error: unknown) => { this.lastError = `note extraction failed: ${errorMessage(error)}`; });
    }
    const outcome = await this.finish({ type: 'completed', answer: output.answerPreview ?? '' });
    await this.scoreLive();
    return outcome;
  }

  /** A sampled run's live eval, after its outcome is recorded: a failed scoring never changes the run it scores. */
  private async scoreLive(): Promise<void> {
    if (!this.input.scoreWhenCompleted || !patched(LIVE_SCORING_PATCH)) return;
    const { runId, tenantId } = this.input;
    await CancellationScope.nonCancellable(() => this.activities.scoreRun({ runId, tenantId, scoringId: 'live', source: 'live' }))
      .catch(() => undefined);
  }
}
