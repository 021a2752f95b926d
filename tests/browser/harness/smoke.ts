/** Harness self-check page: core code runs in the page, in a secure context. */
import { toHex } from '../../../src/lib/core/bytes';
import { sha256 } from '../../../src/lib/core/hash';
import { webcryptoEd25519Available } from '../../../src/lib/adapters/webcrypto-ed25519';
import { expose } from '../../../src/bench/expose';

expose({
  sha256Hex: (text: string) => toHex(sha256(new TextEncoder().encode(text))),
  secure: () => window.isSecureContext,
  ed25519: () => webcryptoEd25519Available(),
});
