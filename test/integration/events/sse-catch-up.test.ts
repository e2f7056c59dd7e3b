// The SSE stream reads storage only when the bus may have skipped something: an event that names
// its predecessor, one the stream already wrote, goes straight out; one whose predecessor the
// stream never saw (dropped on the bus) is preceded by a read that fills the hole, in order.
import { ulid } from 'ulid';
import { RUN_EVENT_TYPES, type NewRunEvent } from '../../../core/events';
import { EventsRepository } from '../../../stores/events-repository';
import { api } from '../../support/api-client';
import { startHarness, type Harness } from '../../support/keel-harness';

type Frame = { id?: number; type: string };

/** Reads SSE frames as they come; `next(n)` waits for n more. */
function openStream(url: string, key: string) {
  const frames: Frame[] = [];
  const controller = new AbortController();
  let wake: () => void = () => undefined;
  const reading = (async () => {
    const response = await fetch(url, { headers: { authorization: `Bearer ${key}` }, signal: controller.signal });
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body!) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let boundary: number;
      while ((boundary = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        const type = /^event: (.+)$/m.exec(block)?.[1];
        const id = /^id: (\d+)$/m.exec(block)?.[1];
        if (type) frames.push({ type, ...(id && { id: Number(id) }) });
        wake();
      }
    }
  })().catch(() => undefined);
  return {
    frames,
    async waitFor(count: number, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (frames.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} frames, got ${JSON.stringify(frames)}`);
        await new Promise<void>((resolve) => { wake = resolve; setTimeout(resolve, 100); });
      }
    },
    async close() { controller.abort(); await reading; },
  };
}

const message = (text: string): NewRunEvent => ({ type: RUN_EVENT_TYPES.messageReceived, data: { step: 1, role: 'user', text } });

describe('the SSE stream and its storage reads', () => {
  let harness: Harness;
  beforeAll(async () => { harness = await startHarness({ worker: false }); });
  afterAll(async () => { await harness?.close(); });

  it('writes a bus event that names an event it already wrote without reading storage, and fills a hole from storage in order', async () => {
    const created = await api(harness.apiUrl, 'POST', '/v1/runs', { key: harness.keys.a, body: { message: `sse ${ulid()}`, model: 'local/keel-demo' } });
    expect(created.status).toBe(202);
    const runId: string = created.body.id;
    const events = new EventsRepository(harness.services.database.db);
    const first = await events.append(runId, harness.tenantIds.a, [message('first')]);
    const reads = jest.spyOn(EventsRepository.prototype, 'listAfter');
    const stream = openStream(`${harness.apiUrl}/v1/runs/${runId}/events`, harness.keys.a);
    try {
      await stream.waitFor(1); // no worker: the one appended is all there is
      const readsAfterCatchUp = reads.mock.calls.length;
      expect(readsAfterCatchUp).toBeGreaterThan(0);
      const lastSeen = stream.frames.at(-1)!.id!;
      expect(lastSeen).toBe(first.events[0]!.id);

      // Its predecessor is the last event this stream wrote: no read.
      const second = await events.append(runId, harness.tenantIds.a, [message('second')]);
      expect(second.previousId).toBe(lastSeen);
      harness.services.bus.publish(runId, { kind: 'event', event: second.events[0]!, previousId: second.previousId });
      await stream.waitFor(stream.frames.length + 1);
      expect(stream.frames.at(-1)).toEqual({ id: second.events[0]!.id, type: RUN_EVENT_TYPES.messageReceived });
      expect(reads.mock.calls.length).toBe(readsAfterCatchUp);

      // The bus lost the third; the fourth names it, so storage is read and both arrive in order.
      const third = await events.append(runId, harness.tenantIds.a, [message('third')]);
      const fourth = await events.append(runId, harness.tenantIds.a, [message('fourth')]);
      expect(fourth.previousId).toBe(third.events[0]!.id);
      harness.services.bus.publish(runId, { kind: 'event', event: fourth.events[0]!, previousId: fourth.previousId });
      await stream.waitFor(stream.frames.length + 2);
      expect(stream.frames.slice(-2).map((frame) => frame.id)).toEqual([third.events[0]!.id, fourth.events[0]!.id]);
      expect(reads.mock.calls.length).toBeGreaterThan(readsAfterCatchUp);
    } finally {
      reads.mockRestore();
      await stream.close();
    }
  });
});
