// Calls the run's small model (its policy's `smallModel`, else the step's own model) for a summary.
// A summary is an optimisation, never a reason to fail a step: any failure returns undefined and the
// caller falls back to a deterministic placeholder.
import { textOf } from '../../core/messages';
import type { ModelCatalog } from '../../core/model-catalog';
import type { ModelSpec } from '../../core/model-spec';
import type { SummaryRequest } from '../../core/context';
import type { ModelProvider } from '../../providers/types';
import type { Logger } from '../../runtime/logger';
import type { RunPolicies } from '../records/run-policies';

export type SummaryWriterDeps = {
  catalog: ModelCatalog;
  providerFor: (spec: ModelSpec) => ModelProvider;
  policies: Pick<RunPolicies, 'forRun'>;
  logger?: Logger;
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
  async write(scope: { tenantId: string; runId: string; stepSpec: ModelSpec; signal?: AbortSignal; heartbeat?: () => void }, request: SummaryRequest, maxTokens: number): Promise<WrittenSummary | undefined> {
    let spec: ModelSpec | undefined;
    try {
      spec = await this.modelFor(scope.tenantId, scope.runId, scope.stepSpec);
      const response = await this.deps.providerFor(spec).complete(
        { spec, system: request.system, messages: [{ type: 'user', text: request.user }], tools: [], maxOutputTokens: maxTokens },
        { signal: scope.signal, onDelta: scope.heartbeat && (() => scope.heartbeat?.()) },
      );
      const text = textOf(response.message).trim();
      return text ? { text, model: spec.id } : undefined;
    } catch (error) {
      if (scope.signal?.aborted) throw error;
      this.deps.logger?.warn({ err: error, runId: scope.runId, model: spec?.id }, 'summary model failed; using a placeholder');
      return undefined;
    }
  }
}
