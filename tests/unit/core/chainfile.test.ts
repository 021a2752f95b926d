/**
 * Chain files (SPEC §5 tamper evidence, §8 `medchain verify`): export and
 * import round trip, deterministic demo chains, and detection of any changed,
 * missing or extra byte. A damaged file is reported, never thrown.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Block, encodeBlock } from '../../../src/lib/core/block';
import { toHex, utf8 } from '../../../src/lib/core/bytes';
import type { ChainState } from '../../../src/lib/core/chain';
import { CHAIN_FILE_MAGIC, encodeChainFile, exportChain, readChainFile } from '../../../src/lib/core/chainfile';
import { demoChain } from '../../../src/lib/core/demo';
import { DEFAULT_PARAMS, TEST_PARAMS } from '../../../src/lib/core/params';
import { type VerifyReport, verifyChainFile } from '../../../src/lib/core/verify-chain';
import { ALICE, BOB, MECH, NOW, T0, cachingVerifier, extend, flipBit, genesisTx, grow, makeGenesis, newChain, recordTx } from './helpers';
import { TxKind } from '../../../src/lib/core/tx';

const P = TEST_PARAMS;

/** A chain of `n` blocks after a genesis with one transaction, each block carrying one. */
function smallChain(n: number): ChainState {
  const chain = newChain(P, makeGenesis(P, { txs: [genesisTx(TxKind.FoundNetwork, ALICE, T0, 24)] }));
  for (let i = 0; i < n; i++) {
    const t = chain.tip.header.time + 5;
    grow(chain, 1, { txs: [recordTx(t - 1, i % 2 ? ALICE : BOB, 10 + i, chain.genesis.hash)] });
  }
  return chain;
}

/** Whether `report` is a failure of one of the two documented kinds. */
function expectNotOk(report: VerifyReport, what: string): void {
  expect(report.ok, what).toBe(false);
  if (!report.ok) expect(['damaged', 'bad-block'], what).toContain(report.kind);
}

/** Verifies without ever letting an exception through the test unnoticed. */
function verify(bytes: Uint8Array, verifier = cachingVerifier()): VerifyReport {
  let report: VerifyReport | undefined;
  expect(() => {
    report = verifyChainFile(bytes, NOW, { verifier, ...MECH });
  }).not.toThrow();
  return report!;
}

describe('export and import', () => {
  it('round trip: exportChain then verifyChainFile is ok with the same height and tip', () => {
    const chain = smallChain(6);
    const bytes = exportChain(chain);
    const report = verifyChainFile(bytes, NOW, MECH);
    if (!report.ok) throw new Error(`not ok: ${JSON.stringify(report)}`);
    expect(report.height).toBe(6);
    expect(toHex(report.tipHash)).toBe(chain.tip.key);
    expect(report.params).toBe(P);
    expect(report.chain.tip.key).toBe(chain.tip.key);
    // The imported chain exports to the same bytes.
    expect(exportChain(report.chain)).toEqual(bytes);
    const file = readChainFile(bytes);
    expect(file.damage).toBeNull();
    expect(file.paramsId).toBe(P.id);
    expect(file.declaredBlocks).toBe(7);
    expect(file.blocks.map((b) => toHex(b.bytes))).toEqual(chain.activeBlocks().map((n) => toHex(encodeBlock(n.block))));
  });

  it('exports only the active chain, not side branches', () => {
    const chain = smallChain(3);
    const side = extend(chain, chain.genesis, { timeDelta: 7 });
    expect(chain.addBlock(side, NOW).status).toBe('accepted');
    expect(chain.blockCount).toBe(5);
    const file = readChainFile(exportChain(chain));
    expect(file.blocks.length).toBe(4);
    expect(file.declaredBlocks).toBe(4);
  });

  it('a genesis-only chain round-trips', () => {
    const chain = newChain();
    const report = verifyChainFile(exportChain(chain), NOW, MECH);
    expect(report.ok && report.height).toBe(0);
  });

  it('the file names its network; resolveParams maps an id to parameters', () => {
    const chain = smallChain(2);
    const blocks = chain.activeBlocks().map((n) => encodeBlock(n.block));
    const renamed = encodeChainFile('lab-network', blocks);
    const unknown = verifyChainFile(renamed, NOW, MECH);
    expect(unknown.ok === false && unknown.kind).toBe('damaged');
    const mapped = verifyChainFile(renamed, NOW, { ...MECH, resolveParams: (id) => (id === 'lab-network' ? P : undefined) });
    expect(mapped.ok && mapped.height).toBe(2);
  });
});

describe('demo chains', () => {
  it('are deterministic: the same seed gives identical bytes, another seed different bytes', () => {
    const a = exportChain(demoChain({ blocks: 6, seed: 'alpha', params: P }).chain);
    const b = exportChain(demoChain({ blocks: 6, seed: 'alpha', params: P }).chain);
    const c = exportChain(demoChain({ blocks: 6, seed: 'beta', params: P }).chain);
    expect(toHex(a)).toBe(toHex(b));
    expect(toHex(a)).not.toBe(toHex(c));
  });

  it('a 30-block demo chain verifies with real signature checks', () => {
    const demo = demoChain({ blocks: 30, seed: 'verify-me', params: P });
    const bytes = exportChain(demo.chain);
    const verifier = cachingVerifier();
    const report = verifyChainFile(bytes, NOW, { verifier });
    if (!report.ok) throw new Error(`not ok: ${JSON.stringify(report)}`);
    expect(report.height).toBe(30);
    expect(toHex(report.tipHash)).toBe(demo.chain.tip.key);
    // Every transaction's signature was really checked (the demo itself skipped them), and every proof
    // inside a payload: key rotations and staff certifications.
    const txCount = demo.blocks.reduce((s, b) => s + b.txs.length, 0);
    const proofs = demo.blocks.reduce((s, b) => s + b.txs.filter((t) => t.kind === TxKind.RotatePatientKeys || t.kind === TxKind.CertifyStaff).length, 0);
    expect(proofs).toBeGreaterThan(0);
    expect(verifier.calls).toBe(txCount + proofs);
    // ... and a bad one is found: block 17's first signature zeroed, file re-encoded with a valid checksum.
    const blocks: Block[] = demo.blocks.map((b, i) =>
      i === 17 ? { header: b.header, txs: b.txs.map((t, j) => (j === 0 ? { ...t, signature: new Uint8Array(64) } : t)) } : b,
    );
    const bad = verifyChainFile(encodeChainFile(P.id, blocks.map(encodeBlock)), NOW, { verifier });
    expect(bad.ok === false && bad.kind === 'bad-block' && [bad.index, bad.height, bad.code]).toEqual([17, 17, 'BAD_TX_SIGNATURE']);
  });

  it('the default network demo verifies too', () => {
    const demo = demoChain({ blocks: 12, seed: 'default-net' });
    expect(demo.params).toBe(DEFAULT_PARAMS);
    const report = verifyChainFile(exportChain(demo.chain), NOW);
    expect(report.ok && report.height).toBe(12);
  });
});

describe('any changed byte anywhere in an export is detected', () => {
  let small: Uint8Array; // genesis + 2 blocks
  let medium: Uint8Array; // genesis + 6 blocks
  const verifier = cachingVerifier();
  beforeAll(() => {
    small = exportChain(smallChain(2));
    medium = exportChain(smallChain(6));
    expect(verifyChainFile(small, NOW, MECH).ok).toBe(true);
    expect(verifyChainFile(medium, NOW, MECH).ok).toBe(true);
  });

  it('exhaustively: every bit of every byte of a 3-block file', () => {
    for (let pos = 0; pos < small.length; pos++)
      for (let bit = 0; bit < 8; bit++) expectNotOk(verify(flipBit(small, pos, bit), verifier), `byte ${pos} bit ${bit}`);
  }, 30_000);

  it('property: one flipped bit at a random position of a larger file', () => {
    fc.assert(
      fc.property(fc.nat({ max: medium.length - 1 }), fc.nat({ max: 7 }), (pos, bit) => {
        expectNotOk(verify(flipBit(medium, pos, bit), verifier), `byte ${pos} bit ${bit}`);
      }),
      { numRuns: 300 },
    );
  }, 30_000);

  it('property: any byte replaced by any other value', () => {
    fc.assert(
      fc.property(fc.nat({ max: medium.length - 1 }), fc.integer({ min: 1, max: 255 }), (pos, x) => {
        const changed = medium.slice();
        changed[pos] = changed[pos]! ^ x;
        expectNotOk(verify(changed, verifier), `byte ${pos} ^ ${x}`);
      }),
      { numRuns: 300 },
    );
  }, 30_000);

  it('a changed checksum byte alone is BAD_CHECKSUM damage', () => {
    const changed = flipBit(small, small.length - 1, 0);
    expect(readChainFile(changed).damage?.error.code).toBe('BAD_CHECKSUM');
    const r = verify(changed);
    expect(r.ok === false && r.kind).toBe('damaged');
  });

  it('truncation at every length: not ok, damaged or a bad block, never throws', () => {
    for (let n = 0; n < small.length; n++) {
      const cut = small.subarray(0, n);
      expect(() => readChainFile(cut)).not.toThrow();
      expectNotOk(verify(cut, verifier), `cut at ${n}`);
    }
  }, 30_000);
});

describe('damaged files', () => {
  let blocks: Uint8Array[]; // genesis, 1, 2, then a child of genesis on another branch
  let good: Uint8Array;
  beforeAll(() => {
    const chain = smallChain(2);
    const side = extend(chain, chain.genesis, { timeDelta: 7 });
    expect(chain.addBlock(side, NOW).status).toBe('accepted');
    blocks = [...chain.activeBlocks().map((n) => encodeBlock(n.block)), encodeBlock(side)];
    good = encodeChainFile(P.id, blocks.slice(0, 3));
  });
  const damaged = (bytes: Uint8Array) => {
    const r = verify(bytes);
    expect(r.ok === false && r.kind).toBe('damaged');
    return r;
  };

  it('wrong magic', () => {
    expect(toHex(good.subarray(0, 8))).toBe(toHex(CHAIN_FILE_MAGIC));
    const bytes = good.slice();
    bytes.set(utf8('MEDCHAIX'), 0);
    damaged(bytes);
    expect(readChainFile(bytes).damage?.error.code).toBe('BAD_MAGIC');
  });

  it('unknown file version', () => {
    const bytes = good.slice();
    bytes[9] = 2;
    damaged(bytes);
    expect(readChainFile(bytes).damage?.error.code).toBe('BAD_VERSION');
  });

  it('unknown params id', () => {
    const bytes = encodeChainFile('medchain-nope', blocks);
    expect(readChainFile(bytes).damage).toBeNull();
    expect(readChainFile(bytes).paramsId).toBe('medchain-nope');
    const r = damaged(bytes);
    expect(r.ok === false && r.kind === 'damaged' && r.index).toBeNull();
  });

  it.each([1, 31, 32, 33, 200])('trailing garbage (%i bytes)', (n) => {
    const bytes = new Uint8Array(good.length + n).fill(0xab);
    bytes.set(good);
    damaged(bytes);
    expect(readChainFile(bytes).damage?.error.code).toBe('TRAILING_BYTES');
  });

  it('empty file', () => {
    damaged(new Uint8Array(0));
    expect(readChainFile(new Uint8Array(0)).damage?.error.code).toBe('TRUNCATED');
  });

  it('a file with no blocks', () => {
    damaged(encodeChainFile(P.id, []));
  });

  it('a declared block count above the blocks present: damaged in the missing block', () => {
    const countAt = CHAIN_FILE_MAGIC.length + 2 + 1 + utf8(P.id).length;
    expect(good[countAt]).toBe(3);
    const bytes = good.slice();
    bytes[countAt] = 4;
    const r = damaged(bytes);
    expect(r.ok === false && r.kind === 'damaged' && r.index).toBe(3);
    bytes[countAt] = 2;
    damaged(bytes);
    expect(readChainFile(bytes).damage?.error.code).toBe('TRAILING_BYTES');
  });

  it.each([
    ['blocks out of order', [0, 2, 1], 1, 'BAD_PREV'],
    ['a block twice', [0, 1, 1], 2, 'BAD_PREV'],
    ['a missing block', [0, 2], 1, 'BAD_PREV'],
    ['no genesis first', [1, 2], 0, 'BAD_GENESIS'],
    ['a valid block of another branch after the tip', [0, 1, 2, 3], 3, 'BAD_PREV'],
    ['a valid sibling of the previous block', [0, 1, 3], 2, 'BAD_PREV'],
  ] as const)('%s (valid checksum): the first bad block is named', (_, order, index, code) => {
    const r = verify(
      encodeChainFile(
        P.id,
        order.map((i) => blocks[i]!),
      ),
    );
    expect(r.ok === false && r.kind === 'bad-block' && [r.index, r.code]).toEqual([index, code]);
  });
});
