/**
 * Chain-state snapshots (issue 7): the encoding round-trips exactly, a
 * changed byte or another version is refused, and a chain restored from a
 * snapshot at its final block F plus the blocks above F is indistinguishable
 * from the chain built by replaying every block: same tip, final block,
 * ledger, replay index, validators, work and median times, next bits, and
 * the same answers to new blocks and transactions.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { type Block, encodeBlock as encodeBlockBytes } from '../../../src/lib/core/block';
import { ChainState } from '../../../src/lib/core/chain';
import { demoChain } from '../../../src/lib/core/demo';
import { DecodeError } from '../../../src/lib/core/errors';
import { TEST_PARAMS } from '../../../src/lib/core/params';
import { requiredBits } from '../../../src/lib/core/retarget';
import { type ChainSnapshot, decodeSnapshot, encodeSnapshot } from '../../../src/lib/core/snapshot';
import { blockTemplate, mineBlock } from '../../../src/lib/core/template';
import { ledgerRules } from '../../../src/lib/core/rules';

const P = TEST_PARAMS;
const NOW = 2_000_000_000;
const skipSigs = { verifier: { verify: () => true }, rules: ledgerRules };

function replay(blocks: readonly Block[], upTo: number): ChainState {
  const c = new ChainState(P, blocks[0]!, NOW, skipSigs);
  for (let h = 1; h <= upTo; h++) expect(c.addBlock(blocks[h]!, NOW).status).toBe('accepted');
  return c;
}

function restoreAt(full: ChainState, blocks: readonly Block[], final: number, upTo: number): ChainState {
  full.markFinal(full.atHeight(final)!.key);
  const snap = decodeSnapshot(encodeSnapshot(full.snapshot()));
  const r = ChainState.restore(P, snap, NOW, skipSigs);
  if (!r.ok) throw new Error(r.message);
  for (let h = final + 1; h <= upTo; h++) expect(r.chain.addBlock(blocks[h]!, NOW).status).toBe('accepted');
  return r.chain;
}

/** Everything a caller can ask of the two chains, side by side. */
function expectSame(a: ChainState, b: ChainState): void {
  expect(b.tip.key).toBe(a.tip.key);
  expect(b.finalized.key).toBe(a.finalized.key);
  expect(b.ledger!.tables()).toEqual(a.ledger!.tables());
  for (let h = 0; h <= a.height; h++) {
    const x = a.atHeight(h)!;
    const y = b.atHeight(h)!;
    expect([y.key, y.chainWork, y.medianTimePast, y.size, y.txKeys]).toEqual([x.key, x.chainWork, x.medianTimePast, x.size, x.txKeys]);
    expect(b.validatorsAt(y.key)).toEqual(a.validatorsAt(x.key));
    for (const k of x.txKeys) expect(b.txHeight(k)).toBe(a.txHeight(k));
  }
  const bits = (c: ChainState) => requiredBits(P, { height: c.height, bits: c.tip.header.bits, time: c.tip.header.time }, (h) => c.atHeight(h)!.header.time);
  expect(bits(b)).toBe(bits(a));
}

describe('chain-state snapshot', () => {
  const { blocks } = demoChain({ blocks: 30, seed: 'snapshot', params: P });

  it('encodes canonically: decode then encode gives the same bytes', () => {
    const c = replay(blocks, 24);
    c.markFinal(c.atHeight(20)!.key);
    const bytes = encodeSnapshot(c.snapshot());
    const back: ChainSnapshot = decodeSnapshot(bytes);
    expect(encodeSnapshot(back)).toEqual(bytes);
    expect(back.blocks.length).toBe(21);
  });

  it('refuses a changed byte anywhere, and another version', () => {
    const c = replay(blocks, 12);
    c.markFinal(c.atHeight(10)!.key);
    const bytes = encodeSnapshot(c.snapshot());
    for (const at of [0, 30, Math.floor(bytes.length / 2), bytes.length - 1]) {
      const bad = bytes.slice();
      bad[at]! ^= 1;
      expect(() => decodeSnapshot(bad)).toThrow(DecodeError);
    }
    expect(() => decodeSnapshot(bytes.subarray(0, 20))).toThrow(DecodeError);
  });

  it('taking a snapshot leaves the chain above the final block as it was', () => {
    const c = replay(blocks, 24);
    const before = c.ledger!.tables();
    c.markFinal(c.atHeight(18)!.key);
    c.snapshot();
    expect(c.ledger!.tables()).toEqual(before);
    expect(c.height).toBe(24);
  });

  it('property: restored at F plus the blocks above F equals the full replay, and answers new blocks the same', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 22 }), fc.integer({ min: 0, max: 4 }), (final, extra) => {
        const upTo = final + extra;
        const full = replay(blocks, upTo);
        const restored = restoreAt(replay(blocks, upTo), blocks, final, upTo);
        full.markFinal(full.atHeight(final)!.key);
        expectSame(full, restored);
        // The next blocks of the demo chain, a block replaying a confirmed transaction, and a pending replay.
        for (let h = upTo + 1; h <= Math.min(upTo + 3, 30); h++) expect(restored.addBlock(blocks[h]!, NOW).status).toBe(full.addBlock(blocks[h]!, NOW).status);
        expectSame(full, restored);
        const old = blocks[1]!.txs[0]!;
        const replayed = mineBlock(blockTemplate(full, full.tip, [old], full.tip.header.time + 1, new Uint8Array(32)));
        const ra = full.addBlock(replayed, NOW);
        const rb = restored.addBlock(replayed, NOW);
        expect(rb.status).toBe('invalid');
        expect(rb.status === 'invalid' && rb.error.code).toBe(ra.status === 'invalid' && ra.error.code);
        expect(restored.addPendingTx(old).status).toBe(full.addPendingTx(old).status);
      }),
      { numRuns: 12 },
    );
  });

  it('refuses headers that do not hold together, and a ledger of another shape', () => {
    const c = replay(blocks, 10);
    c.markFinal(c.atHeight(10)!.key);
    const snap = c.snapshot();
    const swapped = { ...snap, blocks: [snap.blocks[0]!, snap.blocks[2]!, snap.blocks[1]!, ...snap.blocks.slice(3)] };
    expect(ChainState.restore(P, swapped, NOW, { rules: ledgerRules }).ok).toBe(false);
    const nonce = snap.blocks[5]!.header.slice();
    nonce[nonce.length - 1]! ^= 0xff;
    const reworked = { ...snap, blocks: snap.blocks.map((b, i) => (i === 5 ? { ...b, header: nonce } : b)) };
    expect(ChainState.restore(P, reworked, NOW, { rules: ledgerRules }).ok).toBe(false);
    expect(ChainState.restore(P, { ...snap, ledger: snap.ledger.slice(1) }, NOW, { rules: ledgerRules }).ok).toBe(false);
    expect(ChainState.restore(P, { ...snap, networkId: 'other' }, NOW, { rules: ledgerRules }).ok).toBe(false);
  });

  it('bodies of restored blocks come from attachBody, and only their own bytes are taken', () => {
    const c = replay(blocks, 8);
    c.markFinal(c.atHeight(8)!.key);
    const r = ChainState.restore(P, c.snapshot(), NOW, skipSigs);
    expect(r.ok).toBe(true);
    const chain = (r as { chain: ChainState }).chain;
    const n = chain.atHeight(3)!;
    expect(chain.hasBody(n)).toBe(false);
    expect(() => n.block).toThrow(/not loaded/);
    expect(chain.attachBody(n.key, encodeBlockBytes(blocks[4]!))).toBe(false);
    expect(chain.attachBody(n.key, encodeBlockBytes(blocks[3]!))).toBe(true);
    expect(chain.hasBody(n)).toBe(true);
    expect(n.block).toEqual(blocks[3]);
  });
});
