/**
 * The specialised mining loop gives exactly SHA-256 of the header (checked
 * against @noble/hashes), finds the first nonce that meets a target, and
 * refuses anything but a 118-byte header.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sha256 } from '@noble/hashes/sha2.js';
import { AssertionError } from '../../../src/lib/core/assert';
import { compareBytes } from '../../../src/lib/core/bytes';
import { HEADER_BYTES, NONCE_OFFSET } from '../../../src/lib/core/header';
import { headerMiner } from '../../../src/lib/core/sha256-miner';

const withNonce = (header: Uint8Array, nonce: number) => {
  const h = header.slice();
  new DataView(h.buffer).setUint32(NONCE_OFFSET, nonce >>> 0);
  return h;
};

describe('headerMiner', () => {
  it('hashes exactly as SHA-256 of the header with that nonce (property, including nonce edges)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: HEADER_BYTES, maxLength: HEADER_BYTES }),
        fc.oneof(fc.constantFrom(0, 1, 0xffff, 0x10000, 0xffffffff), fc.nat({ max: 0xffffffff })),
        (header, nonce) => {
          expect(headerMiner(header).hash(nonce)).toEqual(sha256(withNonce(header, nonce)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('search returns the first nonce whose hash is at most the target, as a brute force over noble does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: HEADER_BYTES, maxLength: HEADER_BYTES }), fc.nat({ max: 0xffffff00 }), (header, start) => {
        const target = new Uint8Array(32).fill(0xff);
        target[0] = 0x0f; // about one in 16 hashes meets it
        let expected = -1;
        for (let n = start; n < start + 200; n++)
          if (compareBytes(sha256(withNonce(header, n)), target) <= 0) {
            expected = n;
            break;
          }
        expect(headerMiner(header).search(start, 200, target)).toBe(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('a target equal to a hash is met (≤, not <); one below is not', () => {
    const header = new Uint8Array(HEADER_BYTES).fill(3);
    const h = sha256(withNonce(header, 7));
    expect(headerMiner(header).search(7, 1, h)).toBe(7);
    const below = h.slice();
    let i = 31;
    while (below[i] === 0) below[i--] = 0xff;
    below[i] = below[i]! - 1;
    expect(headerMiner(header).search(7, 1, below)).toBe(-1);
  });

  it('refuses a header of another size (our misuse)', () => {
    expect(() => headerMiner(new Uint8Array(80))).toThrow(AssertionError);
  });
});
