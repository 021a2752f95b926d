/**
 * The sizes of sealed records and wrapped keys (envelope.ts), apart from the
 * ciphers themselves: payload limits (payload-fields.ts) and the screens'
 * labels need the numbers without loading the cryptography.
 */
export const DATA_KEY_BYTES = 32;
export const NONCE_BYTES = 24;
/** Ephemeral public key (32) plus the encrypted data key (32) and its tag (16). */
export const WRAPPED_KEY_BYTES = 80;
