// A Temporal payload codec that encrypts every payload with AES-256-GCM before it reaches the
// server, so Temporal's database holds no prompt, message or tool output in clear. Payloads
// without its encoding (histories recorded before encryption) pass through untouched.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { PayloadKey } from '../../core/payload-keys';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA_KEY = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

/** Thrown when a payload names a key this process does not hold, or fails authentication. */
export class PayloadDecryptionError extends Error {
  constructor(readonly keyId: string, reason: string) {
    super(`payload encrypted with key "${keyId}" cannot be decrypted: ${reason}`);
    this.name = 'PayloadDecryptionError';
  }
}

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly current: PayloadKey;
  private readonly byId: Map<string, Buffer>;

  constructor(keys: readonly PayloadKey[]) {
    const first = keys[0];
    if (!first) throw new Error('AesGcmPayloadCodec needs at least one key');
    this.current = first;
    this.byId = new Map(keys.map((entry) => [entry.id, entry.key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { [METADATA_ENCODING_KEY]: textEncoder.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA_KEY]: textEncoder.encode(this.current.id) },
        data: sealed,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || textDecoder.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
      const keyIdBytes = payload.metadata?.[KEY_ID_METADATA_KEY];
      const keyId = keyIdBytes ? textDecoder.decode(keyIdBytes) : '';
      const key = this.byId.get(keyId);
      if (!key) throw new PayloadDecryptionError(keyId, 'no such key in KEEL_PAYLOAD_KEYS');
      const sealed = Buffer.from(payload.data ?? new Uint8Array());
      if (sealed.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError(keyId, 'too short');
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
      } catch {
        throw new PayloadDecryptionError(keyId, 'authentication failed (wrong key or altered data)');
      }
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

/** The data converter both processes give Temporal: encrypted when keys are configured. */
export function payloadCodecsFor(keys: readonly PayloadKey[] | undefined): PayloadCodec[] {
  return keys && keys.length > 0 ? [new AesGcmPayloadCodec(keys)] : [];
}
