// Chooses a run's models from the pool (once per run, again after a step had to fail over): reads
// every pool model's circuit from the shared store, estimates the request and applies the pure
// selection policy (core/model-pool). A local activity with no database round trip on the fast
// path: the workflow passes the run's complexity and the size of what is not in the transcript
// yet, and the step writes the `model.selected` event with its own first write.
import { ApplicationFailure } from '@temporalio/activity';
import { DEFAULT_SUMMARY_MAX_TOKENS } from '../core/context';
import { modelSelectedData, RUN_EVENT_TYPES, type NewRunEvent } from '../core/events';
import { estimateTokens, selectCandidates, type CircuitState, type ModelPool } from '../core/model-pool';
import type { CircuitBreakerStore } from '../stores/circuit-breaker';
import type { ToolRegistry } from '../tools';
import type { EventRecorder } from './records/event-recorder';
import { mustKeepCharacters, requestTokens, toolCharacters } from './model-turn/request-size';
import type { TranscriptCache } from './records/transcript-cache';
import type { PlanModelsInput, PlanModelsOutput } from './contract';

export type PlanModelsDeps = {
  pool?: ModelPool;
  circuits: CircuitBreakerStore;
  transcripts: TranscriptCache;
  tools: ToolRegistry;
  events: EventRecorder;
};

export async function planModels(deps: PlanModelsDeps, input: PlanModelsInput): Promise<PlanModelsOutput> {
  if (!deps.pool) throw ApplicationFailure.nonRetryable('this worker has no model pool: set KEEL_MODEL_POOL_FILE on the workers as on the API', 'ModelPoolMissing');
  const pool = deps.pool;
  const entries = input.transcriptSeq > 0 ? (await deps.transcripts.load(input.runId, input.transcriptSeq)).entries : [];
  const snapshots = await deps.circuits.states(pool.ids());
  const circuits: Record<string, CircuitState> = Object.fromEntries(Object.values(snapshots).map((snapshot) => [snapshot.modelId, snapshot.state]));
  const whole = requestTokens(entries, input.tools, () => deps.tools.specs(input.tools), input.newCharacters);
  // Every call is cut to its model's window (activities/model-turn/context-manager.ts): a long transcript only
  // needs what is never dropped, plus room for a summary, to fit. Each call is admitted again with
  // the count of what it really sends.
  const mustKeep = estimateTokens(mustKeepCharacters(entries) + toolCharacters(input.tools, () => deps.tools.specs(input.tools)) + input.newCharacters) + DEFAULT_SUMMARY_MAX_TOKENS;
  const tokens = Math.min(whole, mustKeep);
  const remainingRunBudget = input.budget?.maxCostPerRun === undefined ? undefined : input.budget.maxCostPerRun - input.costSoFar;
  const selectionInput = {
    pool: pool.forSelection(),
    complexity: input.complexity,
    requestTokens: tokens,
    maxOutputTokens: Number.MAX_SAFE_INTEGER, // every model's own cap applies (forSelection fills them in)
    needs: { tools: input.tools.length > 0 },
    circuits,
  };
  const selection = selectCandidates({ ...selectionInput, budget: { maxCostPerCall: input.budget?.maxCostPerCall, remainingRunBudget } });
  const models = selection.candidates.map((candidate) => candidate.modelId);
  const budgetExhausted = models.length === 0 && input.budget !== undefined && selectCandidates(selectionInput).candidates.length > 0;
  const selected = {
    step: input.step,
    complexity: input.complexity,
    complexityReason: input.complexityReason,
    requestTokens: tokens,
    decision: selection.decision,
    candidates: selection.candidates,
    skipped: selection.skipped,
    budget: input.budget ?? null,
    costSoFar: input.costSoFar,
  };
  // No step will run to announce the decision, so it is recorded here.
  if (models.length === 0) await deps.events.record(input.runId, input.tenantId, announcements(input, models, selected));
  return { models, decision: selection.decision, budgetExhausted, selected };
}

/** `run.started` (on a run's first plan) and `model.selected`, with the keys that keep them unique. */
export function announcements(input: Pick<PlanModelsInput, 'step' | 'complexity' | 'budget' | 'tools' | 'announceStart'>, models: string[], selected: Record<string, unknown>): NewRunEvent[] {
  const events: NewRunEvent[] = [];
  if (input.announceStart) {
    events.push({ type: RUN_EVENT_TYPES.runStarted, data: { models, complexity: input.complexity, budget: input.budget ?? null, tools: input.tools }, dedupeKey: 'run.started' });
  }
  events.push(modelSelectedEvent(input.step, selected));
  return events;
}

/** `selected` came back through the workflow history as a plain record: parsed, not cast. */
export function modelSelectedEvent(step: number, selected: Record<string, unknown>): NewRunEvent {
  return { type: RUN_EVENT_TYPES.modelSelected, data: modelSelectedData.parse({ step, ...selected }), dedupeKey: `model.selected:${step}` };
}
