// Both providers turn every scripted fault of the local model server into the right
// ModelCallError: retryability, failure type, retry-after, broken streams, malformed bodies.
import { ModelCallError } from '../../../core/errors';
import type { Message } from '../../../core/messages';
import { createProvider, type ModelDelta } from '../../../providers';
import { PROVIDERS, requestFor, specFor, useModelServer } from './model-server-fixture';

const server = useModelServer([
  { name: 'fault-500', models: ['fault-500-*'], rules: [{ fault: { status: 500, message: 'the GPU caught fire' } }] },
  { name: 'fault-401', models: ['fault-401-*'], rules: [{ fault: { status: 401, message: 'Incorrect API key provided' } }] },
  { name: 'fault-429', models: ['fault-429-*'], rules: [{ fault: { status: 429, retryAfterSeconds: 2 } }] },
  { name: 'fault-429-ms', models: ['fault-429ms-*'], rules: [{ fault: { status: 429, retryAfterMs: 1500 } }] },
  {
    name: 'fault-cut',
    models: ['fault-cut-*'],
    rules: [{ fault: { cutAfterChunks: 5 }, reply: { text: 'one two three four five six seven eight nine ten' } }],
  },
  { name: 'fault-malformed', models: ['fault-malformed-*'], rules: [{ fault: { malformed: true } }] },
  { name: 'fault-hang', models: ['fault-hang-*'], rules: [{ fault: { hangMs: 5_000 } }] },
  { name: 'fault-fallback', models: ['primary-*', 'backup-*'], rules: [{ model: 'primary-*', fault: { status: 503 } }, { reply: { text: 'Backup here.' } }] },
]);

const messages: Message[] = [{ type: 'user', text: 'Do something.' }];

async function failureOf(promise: Promise<unknown>): Promise<ModelCallError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(ModelCallError);
  return error as ModelCallError;
}

describe.each(PROVIDERS)('the %s provider facing model server faults', (provider) => {
  it('turns a 500 into a retryable ModelUnavailable error that quotes the provider', async () => {
    const spec = specFor(server(), provider, 'fault-500-a');
    const error = await failureOf(createProvider(spec).complete(requestFor(spec, messages)));
    expect(error).toMatchObject({ failureType: 'ModelUnavailable', retryable: true, status: 500, modelId: spec.id });
    expect(error.message).toContain('the GPU caught fire');
  });

  it('turns a 401 into a non-retryable ModelAuthFailed error naming the model and never the key', async () => {
    process.env.KEEL_TEST_FAULT_KEY = 'sk-live-do-not-leak-123456';
    try {
      const spec = specFor(server(), provider, 'fault-401-a', { id: 'primary', apiKeyEnv: 'KEEL_TEST_FAULT_KEY' });
      const error = await failureOf(createProvider(spec).complete(requestFor(spec, messages)));
      expect(error).toMatchObject({ failureType: 'ModelAuthFailed', retryable: false, status: 401, modelId: 'primary' });
      expect(error.message).toBe(`model "primary" (${provider} fault-401-a): 401 authentication failed: Incorrect API key provided`);
      expect(error.message).not.toContain('sk-live');
    } finally {
      delete process.env.KEEL_TEST_FAULT_KEY;
    }
  });

  it('reads retry-after: 2 on a 429 as retryAfterMs 2000, streaming or not', async () => {
    const spec = specFor(server(), provider, 'fault-429-a');
    const model = createProvider(spec);
    const whole = await failureOf(model.complete(requestFor(spec, messages)));
    expect(whole).toMatchObject({ failureType: 'ModelRateLimited', retryable: true, retryAfterMs: 2000 });
    const streamed = await failureOf(model.complete(requestFor(spec, messages), { onDelta: () => undefined }));
    expect(streamed.retryAfterMs).toBe(2000);
  });

  it('prefers retry-after-ms when the provider sends it', async () => {
    const spec = specFor(server(), provider, 'fault-429ms-a');
    const error = await failureOf(createProvider(spec).complete(requestFor(spec, messages)));
    expect(error.retryAfterMs).toBe(1500);
  });

  it('reports the deltas before a stream cut after 5 chunks, then fails retryably', async () => {
    const spec = specFor(server(), provider, 'fault-cut-a');
    const deltas: ModelDelta[] = [];
    const error = await failureOf(createProvider(spec).complete(requestFor(spec, messages), { onDelta: (delta) => deltas.push(delta) }));
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas[0]).toEqual({ type: 'text-delta', text: 'one ' });
    expect(error).toMatchObject({ failureType: 'ModelUnavailable', retryable: true });
    expect(error.message).toContain(`stream broke after ${deltas.length} deltas`);
  });

  it('fails retryably when a non-streaming body is cut off', async () => {
    const spec = specFor(server(), provider, 'fault-cut-b');
    const error = await failureOf(createProvider(spec).complete(requestFor(spec, messages)));
    expect(error).toMatchObject({ retryable: true });
  });

  it('turns a malformed body into a retryable ModelBadResponse, streaming or not', async () => {
    const spec = specFor(server(), provider, 'fault-malformed-a');
    const model = createProvider(spec);
    expect(await failureOf(model.complete(requestFor(spec, messages)))).toMatchObject({ failureType: 'ModelBadResponse', retryable: true });
    const streamed = await failureOf(model.complete(requestFor(spec, messages), { onDelta: () => undefined }));
    expect(streamed).toMatchObject({ failureType: 'ModelBadResponse', retryable: true });
  });

  it('times out a stalled request as a retryable ModelTimeout', async () => {
    const spec = specFor(server(), provider, 'fault-hang-a', { timeoutMs: 200 });
    const error = await failureOf(createProvider(spec).complete(requestFor(spec, messages)));
    expect(error).toMatchObject({ failureType: 'ModelTimeout', retryable: true });
    expect(error.message).toContain('200 ms');
  });

  it('answers 404 ModelNotFound, listing the scripted models, for a model no scenario covers', async () => {
    const spec = specFor(server(), provider, 'nobody-scripts-me');
    const error = await failureOf(createProvider(spec).complete(requestFor(spec, messages)));
    expect(error).toMatchObject({ failureType: 'ModelNotFound', retryable: false, status: 404 });
    expect(error.message).toContain('fault-500-*');
  });

  it('fails one model and answers another within one scenario, for fallback tests', async () => {
    const primary = specFor(server(), provider, 'primary-x');
    const backup = specFor(server(), provider, 'backup-x');
    await expect(createProvider(primary).complete(requestFor(primary, messages))).rejects.toMatchObject({ status: 503 });
    const answer = await createProvider(backup).complete(requestFor(backup, messages));
    expect(answer.message.parts).toEqual([{ type: 'text', text: 'Backup here.' }]);
  });

  it('fails as ModelNotConfigured when the named key variable is empty', async () => {
    const spec = specFor(server(), provider, 'fault-500-b', { apiKeyEnv: 'KEEL_TEST_UNSET_KEY' });
    const error = await failureOf(createProvider(spec).complete(requestFor(spec, messages)));
    expect(error).toMatchObject({ failureType: 'ModelNotConfigured', retryable: false });
    expect(error.message).toContain('KEEL_TEST_UNSET_KEY');
  });

  it('lets an error thrown by the onDelta callback through unchanged', async () => {
    const spec = specFor(server(), provider, 'fault-cut-c');
    const own = new Error('the consumer gave up');
    const promise = createProvider(spec).complete(requestFor(spec, messages), { onDelta: () => { throw own; } });
    await expect(promise).rejects.toBe(own);
  });
});
