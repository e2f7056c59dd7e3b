// The response cache never fails a step: a Redis nobody answers on is a miss (still counted), a
// reply that cannot be written is dropped, and a sampled model never asks the store at all.
import { resolveRunPolicy } from '../../../core/run-policy';
import type { ModelSpec } from '../../../core/model-spec';
import { ResponseCache } from '../../../activities/model-turn/response-cache';
import { CacheLedger } from '../../../activities/records/cache-ledger';
import type { CacheLookupWrite } from '../../../stores/cache-lookups-repository';
import { InProcessResponseCacheStore, RedisResponseCacheStore } from '../../../stores/response-cache';

const cold: ModelSpec = { id: 'cold/m', provider: 'openai', model: 'm', temperature: 0 };
const request = { runId: 'run_A', tenantId: 'ta', step: 1, spec: cold, transcript: [{ type: 'user' as const, text: 'hi' }], tools: [] };
const reply = { runId: 'run_A', step: 1, message: { type: 'assistant' as const, parts: [{ type: 'text' as const, text: 'hello' }] }, usage: { inputTokens: 3, outputTokens: 1 }, finishReason: 'stop' as const };

function cacheOver(store: ConstructorParameters<typeof ResponseCache>[0]['store'], cache: Record<string, unknown> = { responses: true }) {
  const lookups: CacheLookupWrite[] = [];
  const policy = resolveRunPolicy(undefined, { cache });
  const responseCache = new ResponseCache({ store, ledger: new CacheLedger({ record: async (lookup) => { lookups.push(lookup); } }), policies: { forRun: async () => policy } });
  return { responseCache, lookups };
}

describe('the response cache when things fail', () => {
  it('treats an unreachable Redis as a miss and drops the write, without throwing', async () => {
    // Port 1: nothing listens, so every command fails after the client's retries.
    const store = new RedisResponseCacheStore('redis://127.0.0.1:1');
    try {
      const { responseCache, lookups } = cacheOver(store);
      const lookup = await responseCache.lookup(request);
      expect(lookup).toMatchObject({ key: expect.stringMatching(/^ta:/), ttlSeconds: 3600 });
      expect(lookup?.hit).toBeUndefined();
      expect(lookups).toEqual([{ runId: 'run_A', tenantId: 'ta', step: 1, kind: 'response', hit: false }]);
      await expect(responseCache.remember(lookup!, reply)).resolves.toBeUndefined();
    } finally {
      await store.close();
    }
  }, 30_000);

  it('serves what it remembered, naming the run and step it came from', async () => {
    const { responseCache, lookups } = cacheOver(new InProcessResponseCacheStore());
    await responseCache.remember((await responseCache.lookup(request))!, reply);
    const again = await responseCache.lookup({ ...request, runId: 'run_B' });
    expect(again?.hit).toMatchObject({ runId: 'run_A', step: 1, message: reply.message });
    expect(lookups.map((lookup) => [lookup.runId, lookup.hit, lookup.sourceRunId])).toEqual([['run_A', false, undefined], ['run_B', true, 'run_A']]);
  });

  it('does not remember a reply cut at the output cap', async () => {
    const { responseCache } = cacheOver(new InProcessResponseCacheStore());
    await responseCache.remember((await responseCache.lookup(request))!, { ...reply, finishReason: 'length' });
    expect((await responseCache.lookup({ ...request, runId: 'run_B' }))?.hit).toBeUndefined();
  });

  it('asks nothing when the policy is off or the model samples', async () => {
    const off = cacheOver(new InProcessResponseCacheStore(), { responses: false });
    expect(await off.responseCache.lookup(request)).toBeUndefined();
    const sampled = cacheOver(new InProcessResponseCacheStore());
    expect(await sampled.responseCache.lookup({ ...request, spec: { ...cold, temperature: 0.7 } })).toBeUndefined();
    expect([...off.lookups, ...sampled.lookups]).toEqual([]);
  });
});
