/**
 * Raw key bytes as a private OKP JSON Web Key (RFC 8037): WebCrypto imports
 * a raw Ed25519 or X25519 secret only through a JWK. Its members are
 * base64url without padding (RFC 7515 §2), encoded by `@scure/base`.
 */
import { base64urlnopad } from '@scure/base';

/** The private JWK of an Ed25519 or X25519 key pair, for `crypto.subtle.importKey('jwk', …)`. */
export function privateOkpJwk(crv: 'Ed25519' | 'X25519', secret: Uint8Array, publicKey: Uint8Array): JsonWebKey {
  return { kty: 'OKP', crv, d: base64urlnopad.encode(secret), x: base64urlnopad.encode(publicKey) };
}
