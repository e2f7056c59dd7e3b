// The agent loop as a durable workflow: one step activity per model turn (model call plus its tool
// runs), model fallback across candidates (the run's models or the pool's plan, see
// model-routing.ts), budgets, user messages, cancellation and continue-as-new.
// Deterministic: no I/O, clocks or randomness; state is small and carries only references.
import {
  ActivityCancellationType,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities/create-activities';
import type { StepInput, StepOutput, StepReviewDecision } from '../activities/contract';
import type { ReviewDecision } from '../core/review';
import { addUsage, ZERO_USAGE, type Usage } from '../core/messages';
import { DEFAULT_HISTORY_EVENTS_BEFORE_CONTINUE_AS_NEW, type AgentRunInput, type PendingMessage } from '../core/run-input';
import type { RunOutcome, RunStatus } from '../core/run-status';
import { BOOKKEEPING_RETRY, CHECK_RETRY, MODEL_STEP_RETRY } from '../core/retry-policies';
import {
  MAX_PENDING_MESSAGES,
  approvalSignal,
  cancelSignal,
  sendMessageUpdate,
  stateQuery,
  userMessageSignal,
  type RunStateSnapshot,
} from './definitions';
import { ModelRouting } from './model-routing';
import { AnswerChecks } from './answer-checks';
import { ReviewDesk, type ReviewSubject } from './review-desk';

type Activities = ReturnType<typeof createActivities>;

/** Patch: steps run local-first (see activities/step/step-runner.ts). Histories before it replay unchanged. */
export const LOCAL_FIRST_STEPS_PATCH = 'local-first-steps';
/**
 * After this much local-activity time in one workflow task, the next step runs as a regular
 * activity, which completes the task: signals, updates and queries are answered and history is
 * checkpointed. (A timer would do too, but the dev server fires short timers ~0.6 s late.)
 */
export const YIELD_AFTER_LOCAL_MS = 250;
/**
 * Patch: a run whose last step was slow (a model taking seconds) skips the local attempt and runs
 * its next step as a regular activity, so slow conversations never hold a workflow task open.
 */
export const ADAPTIVE_LOCAL_STEPS_PATCH = 'adaptive-local-steps';
/** A step slower than this counts as slow. */
export const SLOW_STEP_MS = 300;
/**
 * Patch: the run's policy applies in the workflow — steps pause for human review, failed
 * corrections go to a human, final answers are checked. Runs without a policy never call it.
 */
export const POLICY_CHECKS_PATCH = 'policy-checks';
/** Patch: final answers are reflected on and, for critical runs, cross-validated (only when the policy asks). */
export const ANSWER_CHECKS_PATCH = 'answer-checks';
/** Patch: a completed run's durable facts are extracted into notes (only when the policy asks). */
export const NOTE_EXTRACTION_PATCH = 'note-extraction';


export async function agentRun(input: AgentRunInput): Promise<RunOutcome> {
  const { runStep } = proxyActivities<Activities>({
    startToCloseTimeout: `${input.limits.stepTimeoutSeconds}s`,
    heartbeatTimeout: `${input.limits.heartbeatTimeoutSeconds}s`,
    retry: MODEL_STEP_RETRY,
    // A cancelled step stops its tools (process groups killed) before the run reports `cancelled`.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
  const { finishRun, planModels, openReview, expireReview } = proxyLocalActivities<Activities>({ startToCloseTimeout: '30s', retry: BOOKKEEPING_RETRY });
  const { reflectOnAnswer, crossValidate, extractRunNotes } = proxyActivities<Activities>({ startToCloseTimeout: '5m', retry: CHECK_RETRY });
  const { runStepLocally } = proxyLocalActivities<Activities>({
    startToCloseTimeout: '60s',
    retry: MODEL_STEP_RETRY,
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
  let localMsSinceYield = 0;
  let lastStepSlow = false;

  const carried = input.carried;
  let step = carried?.step ?? 0;
  let usage: Usage = carried?.usage ?? ZERO_USAGE;
  let transcriptSeq = carried?.transcriptSeq ?? 0;
  const pending: PendingMessage[] = [...(carried?.pendingMessages ?? [])];
  let status: RunStatus = 'running';
  const routing = new ModelRouting(input, planModels);
  let pendingWork: RunStateSnapshot['pendingWork'] = null;
  let lastError: string | null = null;
  let cancelRequest: { reason?: string } | undefined;
  let stepScope: CancellationScope | undefined;
  const policy = input.policy;
  const checks = policy !== undefined && patched(POLICY_CHECKS_PATCH);
  const desk = new ReviewDesk(input, { openReview, expireReview });
  let answerChecks: AnswerChecks | undefined;
  /** Steps in a row whose tool calls all failed: the model's correction attempts. */
  let failedSteps = carried?.failedSteps ?? 0;

  // Read through a function: handlers change it between awaits, which narrowing cannot see.
  const cancelReason = () => cancelRequest?.reason;
  const accepting = () => status === 'running' && !cancelRequest;
  const enqueue = (message: PendingMessage) => {
    if (!pending.some((existing) => existing.id === message.id)) pending.push(message);
  };

  setHandler(userMessageSignal, (message) => {
    if (accepting() && pending.length < MAX_PENDING_MESSAGES) enqueue(message);
  });
  setHandler(
    sendMessageUpdate,
    (message) => {
      enqueue(message);
      return { accepted: true as const, messageId: message.id, pendingMessages: pending.length };
    },
    {
      validator: (message) => {
        if (!accepting()) throw new Error(`run is ${cancelRequest ? 'being cancelled' : status}; it takes no more messages`);
        if (pending.length >= MAX_PENDING_MESSAGES) throw new Error(`run already has ${MAX_PENDING_MESSAGES} unread messages`);
        if (!message.text) throw new Error('message text is empty');
      },
    },
  );
  setHandler(approvalSignal, (decision) => desk.receive(decision));
  setHandler(cancelSignal, (request) => {
    cancelRequest ??= request;
    stepScope?.cancel();
  });
  setHandler(stateQuery, (): RunStateSnapshot => ({
    status,
    step,
    maxSteps: input.limits.maxSteps,
    usage,
    pendingWork,
    pendingMessages: pending.length,
    lastError,
    continuedRuns: carried?.continuedRuns ?? 0,
    costUsd: routing.costUsd,
    ...(checks && { pendingReviews: desk.pending() }),
  }));

  const finish = async (outcome: RunOutcome): Promise<RunOutcome> => {
    status = outcome.type;
    // The bookkeeping must land even when the workflow itself is being cancelled.
    await CancellationScope.nonCancellable(() =>
      finishRun({ runId: input.runId, tenantId: input.tenantId, step, usage, outcome, costUsd: routing.costUsd }),
    );
    return outcome;
  };

  /** Walks the model candidates in order; each is its own activity with its own retries. */
  const stepWithFallback = async (newMessages: PendingMessage[], resumed?: Pick<StepInput, 'resume' | 'reviewDecisions'>): Promise<StepOutput> => {
    const errors: string[] = [];
    const failureTypes: Array<string | undefined> = [];
    const models = await routing.candidates(step, transcriptSeq, newMessages);
    for (const [index, modelId] of models.entries()) {
      pendingWork = { kind: 'step', step, modelId };
      try {
        const stepInput: StepInput = {
          runId: input.runId,
          tenantId: input.tenantId,
          userId: input.userId,
          step,
          modelId,
          tools: input.tools,
          stream: input.stream,
          newMessages,
          seed: step === 1 && !carried ? { instructions: input.instructions, firstMessage: input.firstMessage } : undefined,
          transcriptSeq,
          usageSoFar: usage,
          limits: { maxSteps: input.limits.maxSteps },
          ...routing.stepFields(index, models.length),
          ...resumed,
        };
        if (patched(LOCAL_FIRST_STEPS_PATCH)) {
          const skipLocal = lastStepSlow && patched(ADAPTIVE_LOCAL_STEPS_PATCH);
          if (localMsSinceYield < YIELD_AFTER_LOCAL_MS && !skipLocal) {
            const local = await runStepLocally(stepInput);
            localMsSinceYield += local.durationMs;
            lastStepSlow = local.status === 'promoted';
            if (local.status === 'done') return local.output;
          }
          localMsSinceYield = 0;
        }
        // A slow step continues as a regular activity, which adopts the local attempt's work.
        const output = await runStep(stepInput);
        lastStepSlow = (output.durationMs ?? 0) > SLOW_STEP_MS;
        return output;
      } catch (error) {
        if (isCancellation(error)) throw error;
        const cause = error instanceof ActivityFailure ? error.cause : error;
        const type = cause instanceof ApplicationFailure && cause.type ? `${cause.type}: ` : '';
        const message = cause instanceof Error ? cause.message : String(cause);
        errors.push(`${modelId} (${type}${message})`);
        failureTypes.push(cause instanceof ApplicationFailure ? cause.type ?? undefined : undefined);
        lastError = errors[errors.length - 1] ?? null;
        routing.candidateFailed();
      }
    }
    throw routing.allFailed(step, errors, failureTypes);
  };

  /**
   * Work the cancel signal must stop (a step, a review, an answer check). Nested calls restore the
   * outer scope when they end, so a cancel after an inner review still reaches the outer work.
   */
  const cancellable = <T>(work: () => Promise<T>): Promise<T> =>
    CancellationScope.cancellable(async () => {
      const outer = stepScope;
      stepScope = CancellationScope.current();
      try {
        return await work();
      } finally {
        stepScope = outer;
      }
    });

  const account = (output: StepOutput) => {
    usage = addUsage(usage, output.usage);
    routing.stepDone(output);
    transcriptSeq = output.transcriptSeq;
  };

  /** A step, paused for as many reviews as its calls need and resumed after each decision. */
  const stepThroughReviews = async (newMessages: PendingMessage[]): Promise<StepOutput> => {
    let output = await stepWithFallback(newMessages);
    const decisions: StepReviewDecision[] = [];
    while (output.kind === 'review' && output.review) {
      account(output);
      const review = output.review;
      pendingWork = { kind: 'review', step, reviewId: review.reviewId };
      const decision = await desk.decide(review);
      decisions.push({ ...decision, subjectKey: review.subjectKey });
      output = await stepWithFallback([], { resume: true, reviewDecisions: [...decisions] });
    }
    return output;
  };

  /** Opens a review outside a step and waits for it; cancellable like a step. */
  const reviewOutsideStep = (subject: ReviewSubject): Promise<ReviewDecision> =>
    cancellable(async () => {
      try {
        const review = await desk.open(subject);
        pendingWork = { kind: 'review', step, reviewId: review.reviewId };
        return await desk.decide(review);
      } finally {
        pendingWork = null;
      }
    });

  for (;;) {
    if (cancelRequest) return finish({ type: 'cancelled', reason: cancelRequest.reason });
    if (step >= input.limits.maxSteps) {
      return finish({
        type: 'step_limit_reached',
        maxSteps: input.limits.maxSteps,
        message: `step limit reached: the agent used all ${input.limits.maxSteps} steps without a final answer`,
      });
    }
    const spent = routing.budgetSpent();
    if (spent) return finish(spent);
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > (input.limits.historyEventsBeforeContinueAsNew ?? DEFAULT_HISTORY_EVENTS_BEFORE_CONTINUE_AS_NEW)) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof agentRun>({
        ...input,
        instructions: '',
        firstMessage: '',
        carried: { step, usage, transcriptSeq, pendingMessages: pending.splice(0), continuedRuns: (carried?.continuedRuns ?? 0) + 1, ...routing.carried(), ...(checks && { failedSteps }) },
      });
    }

    step += 1;
    const newMessages = pending.splice(0);
    let output: StepOutput;
    try {
      output = await cancellable(() => (checks ? stepThroughReviews(newMessages) : stepWithFallback(newMessages)));
    } catch (error) {
      // Cancelled mid-step: the step's tool results never reach the transcript.
      if (isCancellation(error)) return finish({ type: 'cancelled', reason: cancelReason() });
      const overBudget = routing.outcomeOf(error);
      if (overBudget) return finish(overBudget);
      const message = error instanceof Error ? error.message : String(error);
      lastError = message;
      await finish({ type: 'failed', error: message, failureType: error instanceof ApplicationFailure ? error.type ?? undefined : undefined });
      throw ApplicationFailure.nonRetryable(message, 'RunFailed');
    } finally {
      pendingWork = null;
    }

    account(output);
    if (checks && policy && output.kind === 'tool-calls') {
      failedSteps = output.toolCalls.length > 0 && output.toolCalls.every((call) => call.isError) ? failedSteps + 1 : 0;
      if (failedSteps >= policy.maxCorrections) {
        let decision: ReviewDecision;
        try {
          decision = await reviewOutsideStep({
            kind: 'correction', subjectKey: `correction:${step}`, step,
            summary: `the agent's last ${failedSteps} steps failed; continue or stop the run?`,
            context: { failedSteps, lastCalls: output.toolCalls, lastError },
          });
        } catch (error) {
          if (isCancellation(error)) return finish({ type: 'cancelled', reason: cancelReason() });
          throw error;
        }
        if (decision.action === 'reject') {
          const because = decision.reason ? `: ${decision.reason}` : '';
          return finish({ type: 'failed', error: `stopped after ${failedSteps} failed attempts by ${decision.decidedBy}${because}`, failureType: 'ReviewRejected' });
        }
        failedSteps = 0;
        if (decision.reason) enqueue({ id: `review-${decision.reviewId}`, text: `A reviewer says: ${decision.reason}` });
      }
    }
    if (output.kind === 'final' && pending.length === 0 && !cancelRequest) {
      if (checks && policy) {
        answerChecks ??= new AnswerChecks(input, policy, { reflectOnAnswer, crossValidate }, reviewOutsideStep);
        if (answerChecks.enabled && patched(ANSWER_CHECKS_PATCH)) {
          let verdict;
          try {
            const checker = answerChecks;
            verdict = await cancellable(() => checker.check(step, output));
          } catch (error) {
            if (isCancellation(error)) return finish({ type: 'cancelled', reason: cancelReason() });
            throw error;
          }
          if (verdict?.kind === 'revise') {
            enqueue(verdict.message);
            continue;
          }
        }
      }
      if (checks && policy?.memory.autoExtract && patched(NOTE_EXTRACTION_PATCH)) {
        // Memory is a by-product: a failed extraction never fails the run it learns from.
        await extractRunNotes({ runId: input.runId, tenantId: input.tenantId, userId: input.userId, modelId: policy.smallModel ?? output.modelId })
          .catch((error: unknown) => { lastError = `note extraction failed: ${error instanceof Error ? error.message : String(error)}`; });
      }
      return finish({ type: 'completed', answer: output.answerPreview ?? '' });
    }
  }
}
