// Per-worker cache of each run's resolved policy, read once from the run's stored spec (the API
// resolves tenant defaults and run overrides at creation). Keeps policies out of step payloads.
import { parseStoredRunSpec } from '../../core/run-input-schema';
import { DEFAULT_RUN_POLICY, type RunPolicy } from '../../core/run-policy';
import type { RunsRepository } from '../../stores/runs-repository';

export const DEFAULT_POLICY_CACHE_RUNS = 2000;

export class RunPolicies {
  private readonly cache = new Map<string, RunPolicy>();

  constructor(private readonly runs: Pick<RunsRepository, 'get'>, private readonly maxRuns = DEFAULT_POLICY_CACHE_RUNS) {}

  /** The run's policy; runs created before policies existed get the defaults. */
  async forRun(tenantId: string, runId: string): Promise<RunPolicy> {
    const cached = this.cache.get(runId);
    if (cached) return cached;
    const row = await this.runs.get(tenantId, runId);
    const policy = row ? parseStoredRunSpec(runId, row.spec).policy ?? DEFAULT_RUN_POLICY : DEFAULT_RUN_POLICY;
    if (this.cache.size >= this.maxRuns) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(runId, policy);
    return policy;
  }
}
