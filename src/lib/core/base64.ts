/**
 * Standard padded base64 (RFC 4648 §4) for the texts that carry bytes: FHIR
 * attachments, the relay's publish frames, join links and staff codes.
 * The codec is `@scure/base`'s (audited, strict: canonical padding and zero
 * unused bits); this module only adds what every caller here wants from text
 * it did not write: line breaks and spaces ignored, and `null` instead of a
 * throw.
 */
import { base64 } from '@scure/base';

/** The canonical padded base64 of `bytes`. */
export function toBase64(bytes: Uint8Array): string {
  return base64.encode(bytes);
}

/** Decodes canonical padded base64 (whitespace ignored); null when it is not. */
export function fromBase64(text: string): Uint8Array | null {
  try {
    return base64.decode(text.replace(/\s+/g, ''));
  } catch {
    // Every refusal (alphabet, length, padding, non-zero unused bits) means the same to callers: not base64.
    return null;
  }
}
