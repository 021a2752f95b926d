/**
 * fast-check generators and a helper for mining property tests, shared by
 * the kernel's unit tests, the miner's shared suite and the Chromium engine
 * probe.
 */
import fc from 'fast-check';
import { HEADER_BYTES, NONCE_OFFSET } from '../../src/lib/core/header';
import { MAX_NONCE } from '../../src/lib/core/pow';

/** Any encoded-header-sized bytes. */
export const headerBytes = fc.uint8Array({ minLength: HEADER_BYTES, maxLength: HEADER_BYTES });

/** Starts anywhere, and often up to `back` nonces before a 65,536-nonce segment edge or the top of the nonce space. */
export function nonceStarts(back: number): fc.Arbitrary<number> {
  return fc.oneof(
    fc.nat({ max: MAX_NONCE }),
    fc.tuple(fc.nat({ max: 0xfffe }), fc.nat({ max: back })).map(([seg, b]) => (seg + 1) * 0x10000 - b),
    fc.nat({ max: 3000 }).map((b) => MAX_NONCE - b),
  );
}

/** Targets whose first word has `min` to `max` leading zero bits, the rest random. */
export function zeroBitTargets(min: number, max: number): fc.Arbitrary<Uint8Array> {
  return fc.tuple(fc.integer({ min, max }), fc.uint8Array({ minLength: 32, maxLength: 32 })).map(([bits, t]) => {
    const out = t.slice();
    new DataView(out.buffer).setUint32(0, new DataView(t.buffer).getUint32(0) >>> bits);
    return out;
  });
}

/** A copy of an encoded header with its nonce field set (for hashing with another library). */
export function headerWithNonce(header: Uint8Array, nonce: number): Uint8Array {
  const h = header.slice();
  new DataView(h.buffer).setUint32(NONCE_OFFSET, nonce >>> 0);
  return h;
}
