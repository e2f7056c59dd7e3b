import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { AesGcmPayloadCodec, PayloadDecryptionError } from '../../../runtime/payload-codec';
import { parseKeelEnvironment } from '../../../core/environment-schema';

const key = (id: string) => ({ id, key: randomBytes(32) });
const payloadOf = (value: unknown) => defaultPayloadConverter.toPayload(value);
const valueOf = (payload: Parameters<typeof defaultPayloadConverter.fromPayload>[0]) => defaultPayloadConverter.fromPayload(payload);

describe('the AES-256-GCM payload codec', () => {
  it('round-trips a payload and leaves no clear text in what the server stores', async () => {
    const codec = new AesGcmPayloadCodec([key('k1')]);
    const [encoded] = await codec.encode([payloadOf({ message: 'the secret phrase is heliotrope' })]);
    expect(Buffer.from(encoded!.data!).toString('latin1')).not.toContain('heliotrope');
    expect(Buffer.from(encoded!.metadata!.encoding!).toString()).toBe('binary/encrypted');
    expect(Buffer.from(encoded!.metadata!['encryption-key-id']!).toString()).toBe('k1');
    const [decoded] = await codec.decode([encoded!]);
    expect(valueOf(decoded!)).toEqual({ message: 'the secret phrase is heliotrope' });
  });

  it('decodes payloads written under an older key after rotation, and encrypts with the first', async () => {
    const old = key('2026-11');
    const next = key('2026-12');
    const [written] = await new AesGcmPayloadCodec([old]).encode([payloadOf('before rotation')]);
    const rotated = new AesGcmPayloadCodec([next, old]);
    expect(valueOf((await rotated.decode([written!]))[0]!)).toBe('before rotation');
    const [fresh] = await rotated.encode([payloadOf('after')]);
    expect(Buffer.from(fresh!.metadata!['encryption-key-id']!).toString()).toBe('2026-12');
  });

  it('passes unencrypted payloads through, so histories recorded before encryption still replay', async () => {
    const plain = payloadOf({ recorded: true });
    expect(await new AesGcmPayloadCodec([key('k1')]).decode([plain])).toEqual([plain]);
  });

  it('refuses a payload under an unknown key id, or altered data, with a named error', async () => {
    const [written] = await new AesGcmPayloadCodec([key('gone')]).encode([payloadOf('x')]);
    await expect(new AesGcmPayloadCodec([key('k1')]).decode([written!])).rejects.toThrow(PayloadDecryptionError);
    const sameKey = key('k1');
    const [sealed] = await new AesGcmPayloadCodec([sameKey]).encode([payloadOf('x')]);
    const altered = Buffer.from(sealed!.data!);
    altered.writeUInt8(altered.readUInt8(altered.length - 20) ^ 0xff, altered.length - 20);
    await expect(new AesGcmPayloadCodec([sameKey]).decode([{ ...sealed!, data: altered }])).rejects.toThrow(/authentication failed/);
  });

  it('reads KEEL_PAYLOAD_KEYS and names a key of the wrong size or a missing id', () => {
    const good = randomBytes(32).toString('base64');
    expect(parseKeelEnvironment({ KEEL_PAYLOAD_KEYS: `k2:${good}, k1:${good}` }).KEEL_PAYLOAD_KEYS?.map((entry) => entry.id)).toEqual(['k2', 'k1']);
    expect(() => parseKeelEnvironment({ KEEL_PAYLOAD_KEYS: `k1:${randomBytes(16).toString('base64')}` })).toThrow(/KEEL_PAYLOAD_KEYS: key "k1" is 16 bytes/);
    expect(() => parseKeelEnvironment({ KEEL_PAYLOAD_KEYS: good })).toThrow(/KEEL_PAYLOAD_KEYS: entry 1 has no key id/);
  });
});
