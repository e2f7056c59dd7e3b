// Payload encryption for Temporal (AES-256-GCM with rotating key ids).
export { AesGcmPayloadCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA_KEY, PayloadDecryptionError, payloadCodecsFor } from './aes-gcm-codec';
export { PAYLOAD_KEY_BYTES, payloadKeysText } from '../../core/payload-keys';
export type { PayloadKey } from '../../core/payload-keys';
