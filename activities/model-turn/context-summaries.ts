// Per-worker cache of each run's latest context summary over its stored rows: a step that must cut
// its context reads storage at most once per run and worker; runs that fit their window never do.
import type { ContextSummariesRepository, ContextSummaryRecord } from '../../stores/context-summaries-repository';

export const DEFAULT_SUMMARY_CACHE_RUNS = 2000;

export class ContextSummaries {
  private readonly latestByRun = new Map<string, ContextSummaryRecord | null>();

  constructor(private readonly repository: Pick<ContextSummariesRepository, 'latest' | 'save'>, private readonly maxRuns = DEFAULT_SUMMARY_CACHE_RUNS) {}

  async latest(tenantId: string, runId: string, mustRead = false): Promise<ContextSummaryRecord | undefined> {
    const cached = this.latestByRun.get(runId);
    if (cached !== undefined && !mustRead) return cached ?? undefined;
    const stored = (await this.repository.latest(tenantId, runId)) ?? null;
    this.remember(runId, stored);
    return stored ?? undefined;
  }

  /** Stores a new summary; the cache holds it at once, so the next step reuses it even if the write is slow. */
  save(tenantId: string, runId: string, summary: ContextSummaryRecord): Promise<void> {
    this.remember(runId, summary);
    return this.repository.save(tenantId, runId, summary);
  }

  private remember(runId: string, summary: ContextSummaryRecord | null): void {
    this.latestByRun.delete(runId);
    this.latestByRun.set(runId, summary);
    if (this.latestByRun.size > this.maxRuns) this.latestByRun.delete(this.latestByRun.keys().next().value as string);
  }
}
