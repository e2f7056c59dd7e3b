// Where a step's cache lookups are counted: a row in `cache_lookups` (the hit ratio of
// GET /v1/usage) and the `keel_cache_lookups_total` series. Counting never fails a step: a write
// that fails is logged and the step goes on.
import type { CacheLookupsRepository, CacheLookupWrite } from '../../stores/cache-lookups-repository';
import type { KeelMetrics } from '../../runtime/metrics';
import type { Logger } from '../../runtime/logger';

export class CacheLedger {
  constructor(private readonly lookups: Pick<CacheLookupsRepository, 'record'>, private readonly metrics?: KeelMetrics, private readonly logger?: Logger) {}

  async record(lookup: CacheLookupWrite): Promise<void> {
    this.metrics?.cacheLookups.inc({ kind: lookup.kind, outcome: lookup.hit ? 'hit' : 'miss' });
    await this.lookups.record(lookup).catch((error: unknown) => {
      this.logger?.warn({ err: error, runId: lookup.runId, kind: lookup.kind }, 'could not record a cache lookup; the hit ratio misses it');
    });
  }
}
