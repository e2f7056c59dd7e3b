// Run events become metrics: the event recorder hands every event it writes (and every streamed
// delta) to this observer, so the facts are counted where they are already recorded, with one hook
// instead of a line in every producer. Event data is read through zod: a field that is missing or
// of another shape is simply not counted.
import { z } from 'zod';
import { SCORER_KINDS } from '../../core/evals';
import type { KeelMetrics } from './keel-metrics';
import type { MetricLabels } from './metric-labels';

/** What the event recorder tells its observer; structural, so it does not pin the event types. */
export interface RunEventObserver {
  /** A write of these events starts (before storage answers): the start of a model call is timed here. */
  recording(runId: string, events: ReadonlyArray<{ type: string; data: unknown }>): void;
  /** An event was stored (once per event: a retried write does not store it again). */
  recorded(runId: string, tenantId: string, event: { type: string; data: unknown }): void;
  /** A streamed delta went out on the bus. */
  delta(delta: { runId: string; data: { step: number; model: string } }): void;
}

const FINISHED_STATUS: Readonly<Record<string, string>> = {
  'run.completed': 'completed',
  'run.failed': 'failed',
  'run.cancelled': 'cancelled',
  'run.step-limit-reached': 'step_limit_reached',
  'run.budget-exceeded': 'budget_exceeded',
};

const modelCall = z.object({ step: z.number(), model: z.string() });
/** Kinds are a closed list (scorer names are the users' and would be unbounded labels). */
const scoreRecorded = z.object({ kind: z.enum(SCORER_KINDS), passed: z.boolean() });
const modelCallFinished = modelCall.extend({
  latencyMs: z.number().optional(),
  costUsd: z.number().nullish(),
  usage: z.object({ inputTokens: z.number(), outputTokens: z.number() }).partial().optional(),
});
const modelCallFailed = modelCall.extend({ failureType: z.string().nullish() });
const toolCallFinished = z.object({
  step: z.number(),
  toolName: z.string(),
  isError: z.boolean().optional(),
  durationMs: z.number().optional(),
  safety: z.object({ verdict: z.string() }).partial().optional(),
  prediction: z.object({ verdict: z.string() }).partial().optional(),
});
const toolNamed = z.object({ toolName: z.string() });
const reviewKind = z.object({ kind: z.string() });

/** Past this many open entries (runs whose workers died mid-call) the bookkeeping starts afresh. */
const MAX_OPEN_ENTRIES = 10_000;

export class RunEventMetrics implements RunEventObserver {
  /** When each model call began, until its first delta: `runId:step:model`. */
  private readonly callStarts = new Map<string, number>();
  /** The model a step last failed on: a start on another model in that step is a fallback. */
  private readonly failedModels = new Map<string, string>();
  /** Milliseconds of model calls and tools in each step, for the step's overhead. */
  private readonly stepWork = new Map<string, number>();

  constructor(private readonly metrics: KeelMetrics, private readonly labels: MetricLabels) {}

  recording(runId: string, events: ReadonlyArray<{ type: string; data: unknown }>): void {
    for (const event of events) {
      if (event.type !== 'model-call.started') continue;
      const call = modelCall.safeParse(event.data);
      if (!call.success) continue;
      const stepKey = `${runId}:${call.data.step}`;
      const failed = this.failedModels.get(stepKey);
      if (failed !== undefined && failed !== call.data.model) this.metrics.modelFallbacks.inc({ model: this.labels.model(failed) });
      this.failedModels.delete(stepKey);
      bounded(this.callStarts).set(`${stepKey}:${call.data.model}`, performance.now());
    }
  }

  delta(delta: { runId: string; data: { step: number; model: string } }): void {
    const key = `${delta.runId}:${delta.data.step}:${delta.data.model}`;
    const started = this.callStarts.get(key);
    if (started === undefined) return;
    this.callStarts.delete(key);
    this.metrics.modelTimeToFirstToken.observe(this.modelLabels(delta.data.model), (performance.now() - started) / 1000);
  }

  /** A call outside a step's reply (a check, a summary, a health probe), stored in the usage ledger for the first time. */
  usageRecorded(call: { tenantId: string; purpose: string; model: string; usage: { inputTokens: number; outputTokens: number }; costUsd: number | null }): void {
    this.countUsage(this.modelLabels(call.model), call.tenantId, call.purpose, call.usage, call.costUsd);
  }

  private countUsage(labels: { model: string; provider: string }, tenantId: string, purpose: string, usage: { inputTokens?: number; outputTokens?: number } | undefined, costUsd: number | null | undefined): void {
    const { metrics } = this;
    if (usage?.inputTokens) metrics.modelTokens.inc({ ...labels, direction: 'input', purpose }, usage.inputTokens);
    if (usage?.outputTokens) metrics.modelTokens.inc({ ...labels, direction: 'output', purpose }, usage.outputTokens);
    if (costUsd) metrics.modelCost.inc({ ...labels, tenant: tenantId, purpose }, costUsd);
  }

  recorded(runId: string, tenantId: string, event: { type: string; data: unknown }): void {
    const { metrics } = this;
    const status = FINISHED_STATUS[event.type];
    if (status) {
      metrics.runsFinished.inc({ tenant: tenantId, status });
      return;
    }
    switch (event.type) {
      case 'run.started':
        metrics.runsStarted.inc({ tenant: tenantId });
        return;
      case 'model-call.finished': {
        const call = modelCallFinished.safeParse(event.data);
        if (!call.success) return;
        const { model, step, latencyMs, costUsd, usage } = call.data;
        const labels = this.modelLabels(model);
        this.callStarts.delete(`${runId}:${step}:${model}`);
        metrics.modelCalls.inc({ ...labels, outcome: 'ok' });
        if (latencyMs !== undefined) {
          metrics.modelLatency.observe(labels, latencyMs / 1000);
          this.addStepWork(runId, step, latencyMs);
        }
        this.countUsage(labels, tenantId, 'step', usage, costUsd);
        return;
      }
      case 'model-call.failed': {
        const call = modelCallFailed.safeParse(event.data);
        if (!call.success) return;
        const labels = this.modelLabels(call.data.model);
        this.callStarts.delete(`${runId}:${call.data.step}:${call.data.model}`);
        bounded(this.failedModels).set(`${runId}:${call.data.step}`, call.data.model);
        metrics.modelCalls.inc({ ...labels, outcome: 'error' });
        metrics.modelErrors.inc({ ...labels, failure_type: call.data.failureType ?? 'unknown' });
        return;
      }
      case 'stream.reset': {
        const call = modelCall.safeParse(event.data);
        if (call.success) metrics.streamResets.inc(this.modelLabels(call.data.model));
        return;
      }
      case 'tool-call.finished': {
        const call = toolCallFinished.safeParse(event.data);
        if (!call.success) return;
        const tool = this.labels.tool(call.data.toolName);
        // Calls the policy simply allows carry no safety summary.
        const verdict = call.data.safety?.verdict ?? 'allow';
        const refused = verdict === 'deny' || call.data.prediction?.verdict === 'mismatch';
        metrics.toolCalls.inc({ tool, verdict, outcome: refused ? 'refused' : call.data.isError ? 'error' : 'ok' });
        if (verdict === 'deny') metrics.toolRefusals.inc({ tool, reason: 'safety-policy' });
        if (call.data.durationMs !== undefined && !refused) {
          metrics.toolDuration.observe({ tool }, call.data.durationMs / 1000);
          this.addStepWork(runId, call.data.step, call.data.durationMs);
        }
        return;
      }
      case 'tool-call.prediction-mismatch': {
        const call = toolNamed.safeParse(event.data);
        if (call.success) metrics.toolRefusals.inc({ tool: this.labels.tool(call.data.toolName), reason: 'prediction-mismatch' });
        return;
      }
      case 'side-effects.detected': {
        const call = toolNamed.safeParse(event.data);
        if (call.success) metrics.sideEffects.inc({ tool: this.labels.tool(call.data.toolName) });
        return;
      }
      case 'review.requested': {
        const review = reviewKind.safeParse(event.data);
        if (review.success) metrics.reviewsRequested.inc({ kind: review.data.kind });
        return;
      }
      case 'review.expired': {
        const review = reviewKind.safeParse(event.data);
        if (review.success) metrics.reviewsDecided.inc({ kind: review.data.kind, action: 'expired' });
        return;
      }
      case 'score.recorded': {
        const scored = scoreRecorded.safeParse(event.data);
        if (scored.success) metrics.evalScores.inc({ kind: scored.data.kind, passed: String(scored.data.passed) });
        return;
      }
      default:
    }
  }

  /** A step ended: its wall time, and Keel's share of it (the wall time less model calls and tools). */
  stepFinished(input: { runId: string; step: number; modelId: string }, outcome: { kind: string; durationMs: number }): void {
    const model = this.labels.model(input.modelId);
    const key = `${input.runId}:${input.step}`;
    const work = this.stepWork.get(key) ?? 0;
    this.stepWork.delete(key);
    this.metrics.steps.inc({ model, kind: outcome.kind });
    this.metrics.stepDuration.observe({ model }, outcome.durationMs / 1000);
    // A step that only reused its recorded reply or failed has no call to subtract: not an overhead sample.
    if (outcome.kind !== 'error' && work > 0) this.metrics.stepOverhead.observe({ model }, Math.max(0, outcome.durationMs - work) / 1000);
  }

  private addStepWork(runId: string, step: number, milliseconds: number): void {
    const key = `${runId}:${step}`;
    bounded(this.stepWork).set(key, (this.stepWork.get(key) ?? 0) + milliseconds);
  }

  private modelLabels(modelId: string): { model: string; provider: string } {
    return { model: this.labels.model(modelId), provider: this.labels.provider(modelId) };
  }
}

function bounded<K, V>(map: Map<K, V>): Map<K, V> {
  if (map.size >= MAX_OPEN_ENTRIES) map.clear();
  return map;
}
