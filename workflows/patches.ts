// The patch ids of agentRun's history-visible changes, and the pacing of local-first steps. A
// patch id is recorded in histories: it is never renamed, and its branch is never removed while
// a history that took either side may still replay. (The model pool's is in model-routing.ts.)

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
/**
 * Patch: a step whose candidates all failed, at least one refused by an open circuit (other runs'
 * failures tripped it; no call was made) or by Keel's unreachable database, waits and tries them
 * again instead of failing the run. Only such steps call it, so older histories replay unchanged.
 */
export const WAIT_FOR_OPEN_CIRCUITS_PATCH = 'wait-for-open-circuits';
/**
 * Patch: a step whose candidates all failed transiently (rate limits, 5xx, timeouts, malformed
 * replies, its own failures opening the circuit) waits and tries them again like one refused by
 * an open circuit, instead of failing the run. Only such steps call it; a step with a
 * non-transient failure (auth, bad request, not found) among its candidates still fails at once.
 */
export const WAIT_FOR_TRANSIENT_FAILURES_PATCH = 'wait-for-transient-failures';
/** How long such a step waits before its next round (circuits cool down in 30 s by default). */
export const OPEN_CIRCUIT_WAIT = '10s';
/** Rounds of waiting before the step fails after all: long enough for a cooldown and its half-open trial. */
export const MAX_OPEN_CIRCUIT_WAITS = 9;
/**
 * Patch: a step still failing transiently after those rounds keeps waiting, in longer rounds, for
 * up to about ten minutes more: in a provider storm both circuits can stay open for minutes (each
 * half-open trial has the storm's odds), and a run should outlast that rather than fail. Only
 * steps that reach the last of the first rounds call it.
 */
export const LONGER_OUTAGE_WAITS_PATCH = 'longer-outage-waits';
/** The longer rounds' wait. */
export const LONGER_OUTAGE_WAIT = '15s';
/** How many longer rounds before the step fails after all (40 x 15 s = 10 minutes). */
export const MAX_LONGER_OUTAGE_WAITS = 40;
/**
 * Patch: each step's activity (and finishRun) carries a one-line summary in its user metadata, shown
 * on the run's page in the Temporal Web UI (workflows/run-summaries.ts). User metadata is part of
 * the scheduling command, so histories before it replay without summaries.
 */
export const STEP_SUMMARIES_PATCH = 'step-summaries';

/**
 * Patch: a final answer that does not match the run's output schema is sent back to the model with
 * what is wrong (counting toward `maxCorrections`), then to a human. Only runs whose answer failed
 * the schema call it, so other histories replay unchanged.
 */
export const STRUCTURED_OUTPUT_PATCH = 'structured-output';

/**
 * Patch: a step refused because its tenant's steps hold every slot of its `concurrentSteps` quota
 * (`TenantStepSlotsFull`, nothing ran) waits on a durable timer and tries again, as often as it
 * takes: the wait holds no worker slot (activities/step/tenant-step-slots.ts). Only refused steps
 * call it, so other histories replay unchanged.
 */
export const TENANT_STEP_SLOTS_PATCH = 'tenant-step-slots';
/** The first wait for a tenant slot; each further one is half again as long, up to the longest. */
export const TENANT_SLOT_FIRST_WAIT_MS = 1000;
/** Short enough that a step waiting long is not overtaken by every newcomer for long. */
export const TENANT_SLOT_LONGEST_WAIT_MS = 5000;

/**
 * Patch: a completed run in its agent's live eval sample (`scoreWhenCompleted`, decided when the run
 * was created) is scored by the agent's scorers after its outcome is recorded (the scoreRun
 * activity). Only such runs call it, so other histories replay unchanged.
 */
export const LIVE_SCORING_PATCH = 'live-scoring';
