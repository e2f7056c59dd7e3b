// The usage ledger's writer on its own: a call is priced from the pool (null when unpriced), the
// metrics hear of a row once however often it is written, and a row that cannot be written is a
// UsageNotRecorded naming its key, which a prediction rethrows instead of reporting a failed model.
import { UsageLedger, UsageNotRecorded } from '../../../activities/records/usage-ledger';
import { checkPredictedOutcome } from '../../../activities/tool-turn/outcome-check';
import { ModelCatalog } from '../../../core/model-catalog';
import { ModelPool, poolConfigSchema } from '../../../core/model-pool';
import type { UsageRecord } from '../../../stores/usage-repository';
import { isStoreUnavailable } from '../../../stores/store-unavailable';

const pool = new ModelPool(poolConfigSchema.parse({
  tiers: {
    primary: [{ id: 'priced', provider: 'openai', model: 'priced-1', pricing: { inputPerMillion: 2, outputPerMillion: 10 }, contextWindow: 10_000, capabilities: { tools: true, vision: false, reasoning: false }, speed: 'fast' }],
    backup: [],
    fallback: [],
  },
}));

function repository(options: { fail?: Error } = {}) {
  const keys = new Set<string>();
  return {
    keys,
    record: async (entry: UsageRecord) => {
      if (options.fail) throw options.fail;
      if (keys.has(entry.usageKey)) return false;
      keys.add(entry.usageKey);
      return true;
    },
    runCost: async () => 0,
  };
}

const call = { usageKey: 'run_1:2:reflection', tenantId: 't1', runId: 'run_1', step: 2, purpose: 'reflection' as const, usage: { inputTokens: 1000, outputTokens: 100 } };

describe('the usage ledger', () => {
  it('prices a pool model, records an unpriced one at null, and tells its observer of each row once', async () => {
    const seen: UsageRecord[] = [];
    const ledger = new UsageLedger(repository(), pool, (entry) => seen.push(entry));
    expect(await ledger.record({ ...call, model: 'priced' })).toBeCloseTo((1000 * 2 + 100 * 10) / 1_000_000, 15);
    expect(await ledger.record({ ...call, model: 'priced' })).toBeCloseTo(0.003, 15);
    expect(await ledger.record({ ...call, usageKey: 'run_1:3:reflection', model: 'local/free' })).toBe(0);
    expect(seen.map((entry) => [entry.usageKey, entry.costUsd])).toEqual([['run_1:2:reflection', 0.003], ['run_1:3:reflection', null]]);
  });

  it('fails with UsageNotRecorded naming the key when the row cannot be written, and a database outage stays one', async () => {
    const outage = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const ledger = new UsageLedger(repository({ fail: outage }), pool);
    const failure = await ledger.record({ ...call, model: 'priced' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UsageNotRecorded);
    expect(failure).toMatchObject({ usageKey: 'run_1:2:reflection', message: expect.stringContaining('run_1:2:reflection') });
    expect(isStoreUnavailable(failure)).toBe(true);
  });

  it('makes a prediction whose cost cannot be recorded fail, instead of passing as a model that could not predict', async () => {
    const catalog = new ModelCatalog([{ id: 'judge', provider: 'openai', model: 'judge-1' }]);
    const provider = { complete: async () => ({ message: { type: 'assistant' as const, parts: [{ type: 'text' as const, text: '{}' }] }, usage: { inputTokens: 5, outputTokens: 2 }, finishReason: 'stop' as const }) };
    const deps = { catalog, providerFor: () => provider, ledger: new UsageLedger(repository({ fail: new Error('disk full') })) };
    const predicted = checkPredictedOutcome(deps, {
      toolName: 'bash', arguments: { command: 'rm notes.txt' }, workspace: '/tmp/nowhere',
      safety: { verdict: 'confirm', risk: 'high', reasons: ['deletes files'], findings: [] },
      policy: { outcomePrediction: true, smallModel: 'judge' }, stepModelId: 'judge',
      request: { first: 'Tidy up', latest: 'Tidy up' },
      attribution: { tenantId: 't1', runId: 'run_1', step: 4, purpose: 'prediction', detail: 's4_0_call_4_0' },
    });
    await expect(predicted).rejects.toThrow(UsageNotRecorded);
  });
});
