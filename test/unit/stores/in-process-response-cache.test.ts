// The in-process response cache: entries expire after their TTL, the least recently used goes
// first when it is full, callers cannot change a cached reply, and an invalid entry is refused.
import { CachedResponseInvalid, InProcessResponseCacheStore, parseCachedResponse, type CachedResponse } from '../../../stores/response-cache';

const reply = (text: string): CachedResponse => ({
  message: { type: 'assistant', parts: [{ type: 'text', text }] },
  usage: { inputTokens: 12, outputTokens: 3 },
  finishReason: 'stop',
  runId: 'run_A',
  step: 1,
});

describe('the in-process response cache', () => {
  it('serves an entry until its TTL has passed, then forgets it', async () => {
    let now = 1_000_000;
    const store = new InProcessResponseCacheStore({ now: () => now });
    await store.set('t:k', reply('cached'), 10);
    now += 9_999;
    expect(await store.get('t:k')).toEqual(reply('cached'));
    now += 1;
    expect(await store.get('t:k')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('pushes out the least recently used entry when full', async () => {
    const store = new InProcessResponseCacheStore({ maxEntries: 2 });
    await store.set('a', reply('a'), 60);
    await store.set('b', reply('b'), 60);
    // Reading `a` makes `b` the oldest.
    await store.get('a');
    await store.set('c', reply('c'), 60);
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toEqual(reply('a'));
    expect(await store.get('c')).toEqual(reply('c'));
    expect(store.size).toBe(2);
  });

  it('hands out copies, so a caller changing one leaves the entry as it was', async () => {
    const store = new InProcessResponseCacheStore();
    await store.set('k', reply('original'), 60);
    const first = await store.get('k');
    first!.message.parts.push({ type: 'text', text: 'changed' });
    expect(await store.get('k')).toEqual(reply('original'));
  });

  it('refuses an entry that is not an assistant reply, naming the key', () => {
    expect(() => parseCachedResponse('t:k', { ...reply('x'), message: { type: 'user', text: 'x' } })).toThrow(CachedResponseInvalid);
    expect(() => parseCachedResponse('t:k', { ...reply('x'), step: 'one' })).toThrow(/cached response t:k is invalid/);
  });
});
