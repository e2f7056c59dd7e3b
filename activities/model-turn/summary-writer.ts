// Calls the run's small model (its policy's `smallModel`, else the step's own model) for a summary.
// A summary is an optimisation, never a reason to fail a step: any failure of the call returns
// undefined and the caller falls back to a deterministic placeholder. An answered call is written to
// the usage ledger (purpose `summary` or `compression`) before its text is used.
import { textOf } from '../../core/messages';
import type { ModelCatalog } from '../../core/model-catalog';
import type { ModelSpec } from '../../core/model-spec';
import type { SummaryRequest } from '../../core/context';
import type { ModelProvider } from '../../providers/types';
import type { Logger } from '../../runtime/logger';
import type { RunPolicies } from '../records/run-policies';
import type { UsageLedger } from '../records/usage-ledger';
import { usageKey, type MODEL_CALL_PURPOSES } from '../../core/model-call-purposes';

export type SummaryWriterDeps = {
  catalog: ModelCatalog;
  providerFor: (spec: ModelSpec) => ModelProvider;
  policies: Pick<RunPolicies, 'forRun'>;
  ledger: Pick<UsageLedger, 'record'>;
  logger?: Logger;
};

/**
 * Where the summary's call goes in the ledger: a conversation summary once per step and step model
 * (a fallback candidate cuts again), a tool output's once per execution key.
 */
export type SummaryAttribution = {
  step: number;
  purpose: typeof MODEL_CALL_PURPOSES.summary | typeof MODEL_CALL_PURPOSES.compression;
  detail: string;
};

export type WrittenSummary = { text: string; model: string };

export class SummaryWriter {
  constructor(private readonly deps: SummaryWriterDeps) {}

  async modelFor(tenantId: string, runId: string, stepSpec: ModelSpec): Promise<ModelSpec> {
    const policy = await this.deps.policies.forRun(tenantId, runId).catch(() => undefined);
    const wanted = policy?.smallModel;
    return wanted && this.deps.catalog.has(wanted) ? this.deps.catalog.resolve(wanted) : stepSpec;
  }

  /** With `heartbeat`, the call streams and every delta heartbeats the step (a summary can take a while). */
  async write(scope: { tenantId: string; runId: string; stepSpec: ModelSpec; attribution: SummaryAttribution; signal?: AbortSignal; heartbeat?: () => void }, request: SummaryRequest, maxTokens: number): Promise<WrittenSummary | undefined> {
    let spec: ModelSpec | undefined;
    let response;
    try {
      spec = await this.modelFor(scope.tenantId, scope.runId, scope.stepSpec);
      response = await this.deps.providerFor(spec).complete(
        { spec, system: request.system, messages: [{ type: 'user', text: request.user }], tools: [], maxOutputTokens: maxTokens },
        { signal: scope.signal, onDelta: scope.heartbeat && (() => scope.heartbeat?.()) },
      );
    } catch (error) {
      if (scope.signal?.aborted) throw error;
      this.deps.logger?.warn({ err: error, runId: scope.runId, model: spec?.id }, 'summary model failed; using a placeholder');
      return undefined;
    }
    // Outside the catch: a call that was paid for is never dropped from the ledger quietly (a
    // failed write fails the step, whose retry writes the same key).
    const { step, purpose, detail } = scope.attribution;
    await this.deps.ledger.record({
      usageKey: usageKey({ runId: scope.runId, step, purpose, detail }), tenantId: scope.tenantId, runId: scope.runId, step, purpose, model: spec.id, usage: response.usage,
    });
    const text = textOf(response.message).trim();
    return text ? { text, model: spec.id } : undefined;
  }
}
