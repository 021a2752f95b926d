/**
 * Issue 13 (#11): a block whose body fails a signature check is remembered by
 * its whole encoding, so the same bad body relayed again is refused with its
 * code without checking a signature, while the genuine block with the same
 * header (transaction ids leave out signatures) stays acceptable.
 */
import { describe, expect, it } from 'vitest';
import { type Block, decodeBlock, encodeBlock } from '../../../src/lib/core/block';
import type { AddBlockResult } from '../../../src/lib/core/chain';
import { TEST_PARAMS } from '../../../src/lib/core/params';
import { nobleVerifier } from '../../../src/lib/core/signature';
import type { Tx } from '../../../src/lib/core/tx';
import { NOW, T0, extend, flipBit, keyOf, makeGenesis, mutate, newChain, recordTx } from './helpers';

const P = TEST_PARAMS;

/** The real verifier, counting its calls. */
function countingVerifier() {
  const v = { calls: 0, verify: (s: Uint8Array, m: Uint8Array, p: Uint8Array) => (v.calls++, nobleVerifier.verify(s, m, p)) };
  return v;
}

/** A chain with a counting verifier, and a genuine signed block of `n` transactions on its tip. */
function setup(n = 1, maxBadBodiesRemembered?: number) {
  const verifier = countingVerifier();
  const chain = newChain(P, makeGenesis(P), { verifier, ...(maxBadBodiesRemembered === undefined ? {} : { maxBadBodiesRemembered }) });
  const genuine = extend(chain, chain.tip, { txs: Array.from({ length: n }, (_, i) => recordTx(T0 + i + 1)) });
  return { verifier, chain, genuine };
}

/** A copy of `block` with bit `bit` of the signature of transaction `index` flipped (same header hash). */
function forge(block: Block, index: number, bit = 0): Block {
  return mutate(block, { txs: (t) => t.map((tx, i): Tx => (i === index ? { ...tx, signature: flipBit(tx.signature, 0, bit) } : tx)) });
}

const codeOf = (r: AddBlockResult) => (r.status === 'invalid' ? r.error.code : r.status);

/** Calls the verifier made during `fn`. */
function callsDuring(v: { calls: number }, fn: () => void): number {
  const before = v.calls;
  fn();
  return v.calls - before;
}

describe('bodies that failed a signature check are remembered by their whole encoding', () => {
  it('the same bad body again (as an object, re-decoded, or as bytes) is BAD_TX_SIGNATURE with no signature checked; the genuine block is then accepted', () => {
    const { verifier, chain, genuine } = setup(3);
    const forged = forge(genuine, 2);
    expect(keyOf(forged)).toBe(keyOf(genuine));
    let r: AddBlockResult | undefined;
    expect(callsDuring(verifier, () => (r = chain.addBlock(forged, NOW)))).toBe(3);
    expect(codeOf(r!)).toBe('BAD_TX_SIGNATURE');
    expect(callsDuring(verifier, () => (r = chain.addBlock(forged, NOW)))).toBe(0);
    expect(codeOf(r!)).toBe('BAD_TX_SIGNATURE');
    expect(r!.status === 'invalid' && r!.key).toBe(keyOf(genuine));
    // A relayed copy is a new object with the same bytes.
    expect(callsDuring(verifier, () => (r = chain.addBlock(decodeBlock(encodeBlock(forged)), NOW)))).toBe(0);
    expect(codeOf(r!)).toBe('BAD_TX_SIGNATURE');
    expect(callsDuring(verifier, () => (r = chain.addBlockBytes(encodeBlock(forged), NOW)))).toBe(0);
    expect(codeOf(r!)).toBe('BAD_TX_SIGNATURE');
    // The genuine block, same header hash, is checked in full and accepted.
    expect(callsDuring(verifier, () => (r = chain.addBlock(genuine, NOW)))).toBe(3);
    expect(codeOf(r!)).toBe('accepted');
    expect(chain.tip.key).toBe(keyOf(genuine));
  });

  it('another altered copy of the same header is checked in full, then remembered too; neither condemns the genuine block', () => {
    const { verifier, chain, genuine } = setup(2);
    const a = forge(genuine, 0, 0);
    const b = forge(genuine, 1, 3);
    expect(callsDuring(verifier, () => expect(codeOf(chain.addBlock(a, NOW))).toBe('BAD_TX_SIGNATURE'))).toBe(1);
    expect(callsDuring(verifier, () => expect(codeOf(chain.addBlock(b, NOW))).toBe('BAD_TX_SIGNATURE'))).toBe(2);
    expect(callsDuring(verifier, () => expect(codeOf(chain.addBlock(a, NOW))).toBe('BAD_TX_SIGNATURE'))).toBe(0);
    expect(callsDuring(verifier, () => expect(codeOf(chain.addBlock(b, NOW))).toBe('BAD_TX_SIGNATURE'))).toBe(0);
    expect(chain.knownBadBody(a)).toBe('BAD_TX_SIGNATURE');
    expect(chain.knownBadBody(genuine)).toBeNull();
    expect(codeOf(chain.addBlock(genuine, NOW))).toBe('accepted');
  });

  it('maxBadBodiesRemembered bounds the memory, the least recently used body forgotten first', () => {
    const { verifier, chain, genuine } = setup(1, 2);
    const [x, y, z] = [0, 1, 2].map((bit) => forge(genuine, 0, bit)) as [Block, Block, Block];
    for (const b of [x, y]) expect(callsDuring(verifier, () => chain.addBlock(b, NOW))).toBe(1);
    // x used again: y is now the least recently used, and z pushes it out.
    expect(callsDuring(verifier, () => chain.addBlock(x, NOW))).toBe(0);
    expect(callsDuring(verifier, () => chain.addBlock(z, NOW))).toBe(1);
    expect(callsDuring(verifier, () => expect(codeOf(chain.addBlock(x, NOW))).toBe('BAD_TX_SIGNATURE'))).toBe(0);
    expect(callsDuring(verifier, () => expect(codeOf(chain.addBlock(z, NOW))).toBe('BAD_TX_SIGNATURE'))).toBe(0);
    expect(callsDuring(verifier, () => expect(codeOf(chain.addBlock(y, NOW))).toBe('BAD_TX_SIGNATURE'))).toBe(1);
  });
});
