// The payload encryption keys (KEEL_PAYLOAD_KEYS): `id:base64key,...`, each key 32 bytes for
// AES-256-GCM. The first encrypts; every one decrypts, so a key can be rotated in without losing
// the histories written under the one before it.
import { z } from 'zod';

export const PAYLOAD_KEY_BYTES = 32;

export type PayloadKey = { id: string; key: Buffer };

const keyId = /^[A-Za-z0-9_.-]{1,64}$/;

/** Parses the variable's text; the problem, when there is one, names the entry at fault. */
export const payloadKeysText = z.string().transform((text, context) => {
  const keys: PayloadKey[] = [];
  for (const [index, entry] of text.split(',').map((part) => part.trim()).filter(Boolean).entries()) {
    const separator = entry.indexOf(':');
    const id = separator > 0 ? entry.slice(0, separator) : '';
    const key = Buffer.from(entry.slice(separator + 1), 'base64');
    if (!keyId.test(id)) {
      context.addIssue({ code: 'custom', message: `entry ${index + 1} has no key id before ":" (letters, digits, _ . -, at most 64), e.g. k1:$(openssl rand -base64 32)` });
    } else if (key.length !== PAYLOAD_KEY_BYTES) {
      context.addIssue({ code: 'custom', message: `key "${id}" is ${key.length} bytes once base64-decoded; AES-256 needs ${PAYLOAD_KEY_BYTES} (openssl rand -base64 32)` });
    } else if (keys.some((known) => known.id === id)) {
      context.addIssue({ code: 'custom', message: `key id "${id}" is used twice` });
    } else {
      keys.push({ id, key });
    }
  }
  return keys;
});
