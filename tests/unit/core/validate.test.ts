/**
 * Staged block validation (SPEC §5 tamper evidence): one test per rule code,
 * each building a block that breaks exactly that rule (mined, so it still
 * meets the target its bits claim, unless the rule is about proof of work),
 * and a property that every single changed field of a stored chain is caught
 * with the right code at the right block.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Block, blockHash, encodeBlock, txRootOf } from '../../../src/lib/core/block';
import { bytesEqual, toHex } from '../../../src/lib/core/bytes';
import { type AddBlockResult, type BlockNode, ChainState } from '../../../src/lib/core/chain';
import { readChainFile, encodeChainFile, exportChain } from '../../../src/lib/core/chainfile';
import { encodeCompact, targetFromBits } from '../../../src/lib/core/compact';
import { RuleError, type RuleCode } from '../../../src/lib/core/errors';
import { ZERO_HASH } from '../../../src/lib/core/hash';
import type { BlockHeader } from '../../../src/lib/core/header';
import { type ChainParams, TEST_PARAMS } from '../../../src/lib/core/params';
import { requiredBits } from '../../../src/lib/core/retarget';
import { nobleVerifier, sign } from '../../../src/lib/core/signature';
import { type Tx, TxKind, isTxKind, txId, txSigningMessage } from '../../../src/lib/core/tx';
import {
  type ParentView,
  type ValidationContext,
  checkBlockContext,
  checkBlockSanity,
  checkBlockState,
  checkGenesis,
  medianTime,
  txSize,
} from '../../../src/lib/core/validate';
import { verifyChainFile } from '../../../src/lib/core/verify-chain';
import {
  ALICE,
  BOB,
  CAROL,
  MINER_B,
  NOW,
  SPACING,
  T0,
  TEST_NETWORK,
  addOk,
  cachingVerifier,
  easyBits,
  extend,
  genesisTx,
  grow,
  makeGenesis,
  makeTx,
  meetsTarget,
  mutate,
  newChain,
  recordTx,
  sizeOf,
  withHighHash,
  MECH,
} from './helpers';
import { ruleCode } from './codes';

const P = TEST_PARAMS;
const CTX: ValidationContext = { params: P, now: NOW, verifier: nobleVerifier, network: TEST_NETWORK };
const trustAll = { verify: () => true };

/** Adds `block`, requires an `invalid` result naming the block, and returns its code. */
function rejectCode(chain: ChainState, block: Block, now = NOW): RuleCode {
  const r: AddBlockResult = chain.addBlock(block, now);
  if (r.status !== 'invalid') throw new Error(`expected invalid, got ${r.status}`);
  expect(r.error).toBeInstanceOf(RuleError);
  expect(r.key).toBe(toHex(blockHash(block)));
  expect(r.error.blockHash && toHex(r.error.blockHash)).toBe(toHex(blockHash(block)));
  expect(r.error.height).toBe(block.header.height);
  return r.error.code;
}

/** What stage 2 sees of a node. */
function viewOf(chain: ChainState, node: BlockNode): ParentView {
  return {
    hash: node.hash,
    height: node.height,
    bits: node.header.bits,
    time: node.header.time,
    medianTimePast: node.medianTimePast,
    ancestorTime: (h) => chain.ancestor(node, h)!.header.time,
  };
}

/** A transaction with arbitrary (possibly invalid) body fields, correctly signed by `secret`. */
function signedRaw(body: Omit<Tx, 'signature'>, secret: Uint8Array): Tx {
  return { ...body, signature: sign(txSigningMessage(TEST_NETWORK, txId(body)), secret) };
}

describe('stage 1: the block alone', () => {
  it.each([2, 0, 0xffff])('BAD_VERSION: header version %i', (version) => {
    const chain = newChain();
    const b = extend(chain, chain.tip, { header: { version } });
    expect(meetsTarget(b)).toBe(true);
    expect(rejectCode(chain, b)).toBe('BAD_VERSION');
    expect(ruleCode(() => checkBlockSanity(b, blockHash(b), sizeOf(b), CTX))).toBe('BAD_VERSION');
  });

  it.each([
    ['negative (sign bit, non-zero mantissa)', 0x20800001],
    ['negative, small size', 0x04923456],
    ['overflow (size 35)', 0x23000001],
    ['overflow (size 34, 3-byte mantissa)', 0x22010000],
    ['overflow (size 255)', 0xff123456],
    ['zero', 0x00000000],
    ['zero mantissa', 0x20000000],
    ['zero after shift', 0x01003456],
    ['just above the limit (2^248)', 0x20010000],
    ['far above the limit', 0x2100ffff],
    ["the default network's limit", 0x207fffff],
  ])('BAD_BITS: %s', (_, bits) => {
    const chain = newChain();
    const b = mutate(extend(chain, chain.tip), { header: { bits } });
    expect(rejectCode(chain, b)).toBe('BAD_BITS');
  });

  it('the easiest target under the limit is valid bits (not BAD_BITS)', () => {
    // 0x2000ffff = 0xffff·2^232 <= 2^248 - 1: the genesis bits sit just under the limit.
    expect(targetFromBits(P.genesisBits)! <= P.powLimit).toBe(true);
    const chain = newChain();
    expect(chain.addBlock(extend(chain, chain.tip), NOW).status).toBe('accepted');
  });

  it('HIGH_HASH: a header whose hash misses its target', () => {
    const chain = newChain();
    const good = extend(chain, chain.tip);
    const bad = withHighHash(good);
    expect(rejectCode(chain, bad)).toBe('HIGH_HASH');
    expect(ruleCode(() => checkBlockSanity(bad, blockHash(bad), sizeOf(bad), CTX))).toBe('HIGH_HASH');
    // The same block with its mined nonce is fine.
    expect(chain.addBlock(good, NOW).status).toBe('accepted');
  });

  it('HIGH_HASH: the hash given to the check is the one that must meet the target', () => {
    const chain = newChain();
    const b = extend(chain, chain.tip);
    const high = blockHash(withHighHash(b));
    expect(ruleCode(() => checkBlockSanity(b, high, sizeOf(b), CTX))).toBe('HIGH_HASH');
    expect(() => checkBlockSanity(b, blockHash(b), sizeOf(b), CTX)).not.toThrow();
  });

  it('TIME_TOO_NEW: now + maxFutureSeconds + 1 fails, exactly at the bound passes', () => {
    const chain = newChain();
    const over = extend(chain, chain.tip, { header: { time: NOW + P.maxFutureSeconds + 1 } });
    const at = extend(chain, chain.tip, { header: { time: NOW + P.maxFutureSeconds } });
    expect(rejectCode(chain, over)).toBe('TIME_TOO_NEW');
    expect(ruleCode(() => checkBlockSanity(over, blockHash(over), sizeOf(over), CTX))).toBe('TIME_TOO_NEW');
    expect(chain.addBlock(at, NOW).status).toBe('accepted');
  });

  it('TIME_TOO_NEW is judged against the injected clock', () => {
    const chain = newChain();
    const b = extend(chain, chain.tip);
    const t = b.header.time;
    expect(rejectCode(chain, b, t - P.maxFutureSeconds - 1)).toBe('TIME_TOO_NEW');
    expect(chain.addBlock(b, t - P.maxFutureSeconds).status).toBe('accepted');
  });

  it('BLOCK_TOO_LARGE: one byte over maxBlockBytes fails, exactly at it passes', () => {
    const genesis = makeGenesis(P);
    const base = newChain(P, genesis);
    const block = extend(base, base.tip, { txs: [recordTx(T0 + 1, ALICE, 300)] });
    const size = sizeOf(block);
    const atLimit = newChain({ ...P, maxBlockBytes: size }, genesis);
    const under = newChain({ ...P, maxBlockBytes: size - 1 }, genesis);
    expect(atLimit.addBlock(block, NOW).status).toBe('accepted');
    expect(rejectCode(under, block)).toBe('BLOCK_TOO_LARGE');
  });

  it('BLOCK_TOO_LARGE uses the size given with the bytes', () => {
    const chain = newChain();
    const b = extend(chain, chain.tip);
    expect(ruleCode(() => checkBlockSanity(b, blockHash(b), P.maxBlockBytes + 1, CTX))).toBe('BLOCK_TOO_LARGE');
    expect(() => checkBlockSanity(b, blockHash(b), P.maxBlockBytes, CTX)).not.toThrow();
  });

  it('TOO_MANY_TXS: maxTxPerBlock + 1 transactions fail, exactly the limit passes', () => {
    const params: ChainParams = { ...P, maxTxPerBlock: 2 };
    const chain = newChain(params);
    const txs = [recordTx(T0), recordTx(T0), recordTx(T0)];
    const three = extend(chain, chain.tip, { txs });
    const two = extend(chain, chain.tip, { txs: txs.slice(0, 2) });
    expect(rejectCode(chain, three)).toBe('TOO_MANY_TXS');
    expect(chain.addBlock(two, NOW).status).toBe('accepted');
  });

  it('BAD_TX: a transaction one byte over maxTxBytes fails, exactly at it passes', () => {
    const tx = recordTx(T0, ALICE, 100);
    const size = txSize(tx);
    const genesis = makeGenesis(P);
    const at = newChain({ ...P, maxTxBytes: size }, genesis);
    const under = newChain({ ...P, maxTxBytes: size - 1 }, genesis);
    const block = extend(at, at.tip, { txs: [tx] });
    expect(rejectCode(under, block)).toBe('BAD_TX');
    expect(at.addBlock(block, NOW).status).toBe('accepted');
  });

  it.each([
    ['unknown kind', { kind: 99 }],
    ['kind 0', { kind: 0 }],
    ['unknown tx version', { version: 2 }],
  ])('BAD_TX: %s (correctly signed, correct root)', (_, change) => {
    const chain = newChain();
    const body = { version: 1, kind: TxKind.AddRecord as number, author: ALICE.pub, nonce: 7, time: T0, payload: new Uint8Array(8), ...change };
    const tx = signedRaw(body as Omit<Tx, 'signature'>, ALICE.secret);
    expect(isTxKind(tx.kind) && tx.version === 1).toBe(false);
    const b = extend(chain, chain.tip, { txs: [recordTx(T0), tx] });
    expect(rejectCode(chain, b)).toBe('BAD_TX');
  });

  describe('BAD_TX_SIGNATURE', () => {
    const cases: [string, () => Tx][] = [
      [
        'a flipped signature bit',
        () => {
          const tx = recordTx(T0);
          const sig = tx.signature.slice();
          sig[10]! ^= 0x04;
          return { ...tx, signature: sig };
        },
      ],
      [
        'signed by another key',
        () => {
          const { signature: _ignored, ...body } = recordTx(T0, ALICE);
          return signedRaw(body, BOB.secret);
        },
      ],
      ["another transaction's signature", () => ({ ...recordTx(T0), signature: recordTx(T0).signature })],
      ['an all-zero signature', () => ({ ...recordTx(T0), signature: new Uint8Array(64) })],
      [
        'an author that is not a curve point',
        () => {
          const tx = recordTx(T0);
          return signedRaw({ ...tx, author: new Uint8Array(32).fill(0xff) }, ALICE.secret);
        },
      ],
    ];
    it.each(cases)('%s', (_, make) => {
      const chain = newChain();
      const b = extend(chain, chain.tip, { txs: [recordTx(T0, CAROL), make()] });
      expect(rejectCode(chain, b)).toBe('BAD_TX_SIGNATURE');
      // Nothing else is wrong with the block: a node that trusted every signature would take it.
      const trusting = newChain(P, chain.genesis.block, { verifier: trustAll });
      expect(trusting.addBlock(b, NOW).status).toBe('accepted');
    });
  });

  it.each([
    ['twice in a row', (a: Tx, _b: Tx) => [a, a]],
    ['with another in between', (a: Tx, b: Tx) => [a, b, a]],
  ])('DUPLICATE_TX: the same transaction %s', (_, arrange) => {
    const chain = newChain();
    const txs = arrange(recordTx(T0), recordTx(T0, BOB));
    const b = extend(chain, chain.tip, { txs });
    expect(bytesEqual(b.header.txRoot, txRootOf(txs))).toBe(true);
    expect(rejectCode(chain, b)).toBe('DUPLICATE_TX');
  });

  it.each([
    ['the all-zero root', (_t: Tx[]) => ZERO_HASH],
    ['the root of the transactions in another order', (t: Tx[]) => txRootOf([t[1]!, t[0]!])],
    ['the root of one transaction fewer', (t: Tx[]) => txRootOf(t.slice(0, 1))],
    ['the root of no transactions', (_t: Tx[]) => txRootOf([])],
  ])('BAD_TX_ROOT: %s', (_, root) => {
    const chain = newChain();
    const txs = [recordTx(T0), recordTx(T0, BOB)];
    const b = extend(chain, chain.tip, { txs, header: { txRoot: root(txs) } });
    expect(meetsTarget(b)).toBe(true);
    expect(rejectCode(chain, b)).toBe('BAD_TX_ROOT');
  });

  it('BAD_TX_ROOT: a block that drops a transaction but keeps the root', () => {
    const chain = newChain();
    const full = extend(chain, chain.tip, { txs: [recordTx(T0), recordTx(T0, BOB)] });
    const dropped = mutate(full, { txs: (t) => t.slice(1), remine: true });
    expect(rejectCode(chain, dropped)).toBe('BAD_TX_ROOT');
  });

  it('BAD_TX_TIME: a transaction dated after its block + maxFutureSeconds fails, at the bound passes', () => {
    const chain = newChain();
    const blockTime = T0 + SPACING;
    const late = extend(chain, chain.tip, { txs: [recordTx(blockTime + P.maxFutureSeconds + 1)], header: { time: blockTime } });
    const atBound = extend(chain, chain.tip, { txs: [recordTx(blockTime + P.maxFutureSeconds)], header: { time: blockTime } });
    expect(rejectCode(chain, late)).toBe('BAD_TX_TIME');
    expect(chain.addBlock(atBound, NOW).status).toBe('accepted');
  });
});

describe('stage 2: against the parent', () => {
  it('BAD_PREV: the previous hash does not name the parent (stage 2 on its own)', () => {
    const chain = newChain();
    const n1 = addOk(chain, extend(chain, chain.tip));
    const childOfGenesis = extend(chain, chain.genesis, { header: { height: 2 } });
    expect(ruleCode(() => checkBlockContext(childOfGenesis, blockHash(childOfGenesis), viewOf(chain, n1), CTX))).toBe('BAD_PREV');
    const childOfN1 = extend(chain, n1);
    expect(() => checkBlockContext(childOfN1, blockHash(childOfN1), viewOf(chain, n1), CTX)).not.toThrow();
  });

  it('BAD_PREV: a block whose parent was found invalid is refused at once', () => {
    const chain = newChain();
    // A header that breaks a rule of its own (its height), so its hash is condemned.
    const bad = extend(chain, chain.tip, { header: { height: 5 } });
    expect(rejectCode(chain, bad)).toBe('BAD_HEIGHT');
    // A well-formed child of the invalid block: refused with BAD_PREV, never kept as an orphan.
    const child = mutate(
      { header: { ...bad.header, height: 6, prevHash: blockHash(bad), txRoot: txRootOf([]), time: bad.header.time + SPACING }, txs: [] },
      { remine: true },
    );
    expect(rejectCode(chain, child)).toBe('BAD_PREV');
    expect(chain.orphans.size).toBe(0);
  });

  it.each([
    ['parent height + 2', 2],
    ['parent height (no increase)', 0],
    ['parent height - 1', -1],
    ['far above', 1000],
  ])('BAD_HEIGHT: %s', (_, delta) => {
    const chain = newChain();
    grow(chain, 2);
    const b = extend(chain, chain.tip, { header: { height: chain.tip.height + delta } });
    expect(meetsTarget(b)).toBe(true);
    expect(rejectCode(chain, b)).toBe('BAD_HEIGHT');
  });

  it.each([
    ['slightly harder', 0x2000fffe],
    ['twice as hard', 0x1f7fffff],
  ])('BAD_DIFFICULTY off a retarget height: %s bits than the parent', (_, bits) => {
    const chain = newChain();
    grow(chain, 1);
    expect(chain.tip.height + 1).toBe(2); // not a multiple of retargetInterval (4)
    const b = extend(chain, chain.tip, { header: { bits } });
    expect(meetsTarget(b)).toBe(true);
    expect(rejectCode(chain, b)).toBe('BAD_DIFFICULTY');
    expect(chain.addBlock(extend(chain, chain.tip), NOW).status).toBe('accepted');
  });

  it("BAD_DIFFICULTY at a retarget height: the parent's bits after a fast window", () => {
    const chain = newChain();
    grow(chain, 3, { timeDelta: 1 }); // heights 1..3, one second apart
    const needed = requiredBits(P, { height: 3, bits: chain.tip.header.bits, time: chain.tip.header.time }, (h) => chain.atHeight(h)!.header.time);
    expect(needed).not.toBe(P.genesisBits);
    expect(targetFromBits(needed)! < targetFromBits(P.genesisBits)!).toBe(true);
    const stale = extend(chain, chain.tip, { header: { bits: chain.tip.header.bits } });
    expect(meetsTarget(stale)).toBe(true);
    expect(rejectCode(chain, stale)).toBe('BAD_DIFFICULTY');
    const good = extend(chain, chain.tip);
    expect(good.header.bits).toBe(needed);
    expect(chain.addBlock(good, NOW).status).toBe('accepted');
  });

  it('BAD_DIFFICULTY at a retarget height: unchanged bits are required after an on-time window', () => {
    const chain = newChain();
    grow(chain, 3);
    expect(extend(chain, chain.tip).header.bits).toBe(P.genesisBits);
    const harder = extend(chain, chain.tip, { header: { bits: 0x2000fffe } });
    expect(rejectCode(chain, harder)).toBe('BAD_DIFFICULTY');
  });

  it.each([
    // 1 block after genesis: an even count, the median is the upper middle, T0+5.
    ['a chain of one block', 1, T0 + 5],
    // 2 blocks after genesis: median of [T0, T0+5, T0+10] is T0+5.
    ['a short chain', 2, T0 + 5],
    // 12 blocks: only the last 11 count, median of heights 2..12 is height 7.
    ['a chain longer than the median window', 12, T0 + 35],
  ])('TIME_TOO_OLD on %s: equal to median time past fails, one more passes', (_, blocks, mtp) => {
    const chain = newChain();
    grow(chain, blocks);
    expect(chain.tip.medianTimePast).toBe(mtp);
    const equal = extend(chain, chain.tip, { header: { time: mtp } });
    const after = extend(chain, chain.tip, { header: { time: mtp + 1 } });
    expect(rejectCode(chain, equal)).toBe('TIME_TOO_OLD');
    expect(chain.addBlock(after, NOW).status).toBe('accepted');
  });

  it('TIME_TOO_OLD: only the last medianTimeSpan (11) blocks count', () => {
    const chain = newChain();
    // Heights 1..16; height 5 (= 16 - 11, just outside the window of the tip) is far ahead of the others.
    const times = [5, 10, 15, 20, 10_000, ...Array.from({ length: 11 }, (_, i) => 25 + 5 * i)].map((d) => T0 + d);
    for (const t of times) addOk(chain, extend(chain, chain.tip, { header: { time: t } }));
    const median = (ts: number[]) => [...ts].sort((x, y) => x - y)[Math.floor(ts.length / 2)]!;
    const mtp = median(times.slice(-11));
    expect(mtp).not.toBe(median(times.slice(-12))); // a window of 12 would give another answer
    expect(chain.tip.medianTimePast).toBe(mtp);
    expect(rejectCode(chain, extend(chain, chain.tip, { header: { time: mtp } }))).toBe('TIME_TOO_OLD');
    expect(chain.addBlock(extend(chain, chain.tip, { header: { time: mtp + 1 } }), NOW).status).toBe('accepted');
  });

  it('medianTime is the element at index floor(n/2) of the sorted times', () => {
    expect(medianTime([5])).toBe(5);
    expect(medianTime([4, 1, 3, 2])).toBe(3);
    expect(medianTime([9, 1, 5])).toBe(5);
    expect(medianTime([2, 2, 1, 7, 7, 7])).toBe(7);
  });

  it('TIME_TOO_OLD: median time past follows the block times, not their order', () => {
    const chain = newChain();
    grow(chain, 2); // T0+5, T0+10
    addOk(chain, extend(chain, chain.tip, { header: { time: T0 + 100 } }));
    addOk(chain, extend(chain, chain.tip, { header: { time: T0 + 11 } }));
    // Times [T0, T0+5, T0+10, T0+100, T0+11]: the median is T0+10, below the tip's own time.
    expect(chain.tip.medianTimePast).toBe(T0 + 10);
    expect(rejectCode(chain, extend(chain, chain.tip, { header: { time: T0 + 10 } }))).toBe('TIME_TOO_OLD');
    expect(chain.addBlock(extend(chain, chain.tip, { header: { time: T0 + 11 } }), NOW).status).toBe('accepted');
  });
});

describe('stage 3: against the chain state', () => {
  let chain: ChainState;
  let a: Tx;
  let b: Tx;
  let m: BlockNode[];
  beforeAll(() => {
    chain = newChain();
    a = recordTx(T0, ALICE);
    b = recordTx(T0, BOB);
    // G -> M1(a) -> M2(b) -> M3
    m = [addOk(chain, extend(chain, chain.tip, { txs: [a] }))];
    m.push(addOk(chain, extend(chain, chain.tip, { txs: [b] })));
    m.push(addOk(chain, extend(chain, chain.tip)));
  });

  it('TX_ALREADY_IN_CHAIN: replaying a confirmed transaction in a later block', () => {
    expect(rejectCode(chain, extend(chain, chain.tip, { txs: [a] }))).toBe('TX_ALREADY_IN_CHAIN');
    expect(rejectCode(chain, extend(chain, chain.tip, { txs: [recordTx(T0), b] }))).toBe('TX_ALREADY_IN_CHAIN');
  });

  it('TX_ALREADY_IN_CHAIN: a side branch that forked after the inclusion', () => {
    // Child of M1 (a is at height 1, the fork is at height 1).
    expect(rejectCode(chain, extend(chain, m[0]!, { txs: [a], miner: MINER_B }))).toBe('TX_ALREADY_IN_CHAIN');
  });

  it('a side branch that forked before the inclusion may carry the same transaction', () => {
    const fromGenesis = chain.addBlock(extend(chain, chain.genesis, { txs: [a], miner: MINER_B }), NOW);
    expect(fromGenesis.status).toBe('accepted');
    // b is at height 2; a sibling of M2 forks at height 1.
    const sibling = chain.addBlock(extend(chain, m[0]!, { txs: [b], miner: MINER_B }), NOW);
    expect(sibling.status).toBe('accepted');
    // The main chain did not move.
    expect(chain.tip).toBe(m[2]);
    // On that side branch (fork at M1), a is already confirmed below the fork: a replay.
    if (sibling.status !== 'accepted') return;
    expect(rejectCode(chain, extend(chain, sibling.node, { txs: [a] }))).toBe('TX_ALREADY_IN_CHAIN');
    // ... and b is already confirmed on the side branch itself.
    expect(rejectCode(chain, extend(chain, sibling.node, { txs: [b] }))).toBe('TX_ALREADY_IN_CHAIN');
  });

  it('TX_ALREADY_IN_CHAIN: a transaction confirmed on a side branch, replayed on that branch', () => {
    const c = recordTx(T0, CAROL);
    const s1 = chain.addBlock(extend(chain, chain.genesis, { txs: [c], miner: MINER_B, timeDelta: 7 }), NOW);
    expect(s1.status).toBe('accepted');
    if (s1.status !== 'accepted') return;
    expect(chain.isActive(s1.node)).toBe(false);
    expect(rejectCode(chain, extend(chain, s1.node, { txs: [c] }))).toBe('TX_ALREADY_IN_CHAIN');
    // a (height 1 on the main chain) is not on that branch, which forked at genesis.
    expect(chain.addBlock(extend(chain, s1.node, { txs: [a] }), NOW).status).toBe('accepted');
  });

  it('checkBlockState consults the branch view by transaction id', () => {
    const blk = extend(chain, chain.tip, { txs: [recordTx(T0), a] });
    const seen: string[] = [];
    const code = ruleCode(() =>
      checkBlockState(blk, blockHash(blk), {
        hasTx: (k) => {
          seen.push(k);
          return k === toHex(txId(a));
        },
      }),
    );
    expect(code).toBe('TX_ALREADY_IN_CHAIN');
    expect(seen).toContain(toHex(txId(a)));
    expect(() => checkBlockState(blk, blockHash(blk), { hasTx: () => false })).not.toThrow();
  });
});

describe('genesis', () => {
  it.each([
    ['height 1', { height: 1 } as Partial<BlockHeader>],
    ['a non-zero previous hash', { prevHash: new Uint8Array(32).fill(1) }],
    ['bits other than the genesis bits', { bits: 0x2000fffe }],
  ])('BAD_GENESIS: %s', (_, header) => {
    const g = makeGenesis(P, { header });
    expect(meetsTarget(g)).toBe(true);
    expect(ruleCode(() => new ChainState(P, g, NOW, MECH))).toBe('BAD_GENESIS');
    expect(ruleCode(() => checkGenesis(g, blockHash(g), CTX))).toBe('BAD_GENESIS');
  });

  it('a genesis block is checked by the genesis rules, then by stage 1', () => {
    // Not a genesis (height 1, signed for its network): BAD_GENESIS, not its signatures.
    const chain = newChain();
    const notGenesis = extend(chain, chain.tip, { txs: [recordTx(T0)] });
    expect(ruleCode(() => new ChainState(P, notGenesis, NOW, MECH))).toBe('BAD_GENESIS');
    expect(ruleCode(() => new ChainState(P, withHighHash(makeGenesis(P)), NOW, MECH))).toBe('HIGH_HASH');
    const future = makeGenesis(P, { time: NOW + P.maxFutureSeconds + 1 });
    expect(ruleCode(() => new ChainState(P, future, NOW, MECH))).toBe('TIME_TOO_NEW');
    const badSig = makeGenesis(P, { txs: [{ ...recordTx(T0), signature: new Uint8Array(64) }] });
    expect(ruleCode(() => new ChainState(P, badSig, NOW, MECH))).toBe('BAD_TX_SIGNATURE');
  });

  it('a correct genesis block is accepted', () => {
    const g = makeGenesis(P, { txs: [genesisTx(TxKind.FoundNetwork, ALICE, T0, 64)] });
    const chain = new ChainState(P, g, NOW, MECH);
    expect(chain.height).toBe(0);
    expect(chain.txHeight(toHex(txId(g.txs[0]!)))).toBe(0);
  });
});

/* ---------------------------------------------------------------------------
 * Property: any single changed field of a stored chain is caught.
 * ------------------------------------------------------------------------- */

type HeaderField = 'version' | 'height' | 'prevHash' | 'txRoot' | 'time' | 'bits' | 'miner' | 'nonce';
type TxField = 'kind' | 'author' | 'nonce' | 'time' | 'payload' | 'signature';

type Outcome =
  | { readonly kind: 'damaged'; readonly index: number }
  | { readonly kind: 'bad-block'; readonly index: number; readonly code: RuleCode }
  | { readonly kind: 'valid' };

describe('every single changed field is rejected with the right code', () => {
  const BLOCKS = 8; // genesis + 7
  let blocks: Block[];
  let mtpOfParent: number[]; // medianTimePast of block k-1, for k >= 1
  let verifier: ReturnType<typeof cachingVerifier>;

  beforeAll(() => {
    const genesis = makeGenesis(P, { txs: [genesisTx(TxKind.FoundNetwork, ALICE, T0, 40), genesisTx(TxKind.ApplyHospital, BOB, T0 - 1, 30)] });
    const net = blockHash(genesis);
    const txsAt = (t: number, i: number) =>
      i % 3 === 0 ? [recordTx(t - 3, ALICE, 20 + i, net)] : [recordTx(t - 2, BOB, 30 + i, net), makeTx(TxKind.GrantConsent, CAROL, t - 9, 12, undefined, net)];
    const chain = newChain(P, genesis);
    for (let i = 1; i < BLOCKS; i++) addOk(chain, extend(chain, chain.tip, { txs: txsAt(T0 + i * SPACING, i) }));
    const file = readChainFile(exportChain(chain));
    expect(file.damage).toBeNull();
    blocks = file.blocks.map((b) => b.block);
    mtpOfParent = blocks.map((_, k) => (k === 0 ? -1 : chain.atHeight(k - 1)!.medianTimePast));
    verifier = cachingVerifier();
    // The unchanged chain verifies.
    const report = verifyChainFile(encodeChainFile(P.id, blocks.map(encodeBlock)), NOW, { verifier, ...MECH });
    expect(report.ok).toBe(true);
  });

  const u32 = fc.integer({ min: 0, max: 0xffffffff });
  const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
  const timeValue = fc.oneof(
    fc.integer({ min: -400, max: 400 }).map((d) => ({ delta: d })),
    fc.constantFrom(NOW + TEST_PARAMS.maxFutureSeconds, NOW + TEST_PARAMS.maxFutureSeconds + 1, 0).map((t) => ({ abs: t })),
    fc.integer({ min: 0, max: 2 ** 40 }).map((t) => ({ abs: t })),
  );
  const bitsValue = fc.oneof(
    u32,
    fc.constantFrom(0x2000fffe, 0x20010000, 0x20800001, 0x00000000, 0x1f7fffff, 0x2000ffff),
    fc.bigInt({ min: TEST_PARAMS.powLimit >> 3n, max: TEST_PARAMS.powLimit + (TEST_PARAMS.powLimit >> 3n) }).map(encodeCompact),
  );

  const headerChange = fc.oneof(
    fc.record({ field: fc.constant('version' as const), value: fc.integer({ min: 0, max: 0xffff }) }),
    fc.record({ field: fc.constant('height' as const), value: fc.oneof(u32, fc.integer({ min: 0, max: BLOCKS + 1 })) }),
    fc.record({ field: fc.constant('prevHash' as const), value: fc.oneof(bytes32, fc.integer({ min: 0, max: BLOCKS - 1 })) }),
    fc.record({ field: fc.constant('txRoot' as const), value: fc.oneof(bytes32, fc.integer({ min: 0, max: BLOCKS - 1 })) }),
    fc.record({ field: fc.constant('time' as const), value: timeValue }),
    fc.record({ field: fc.constant('bits' as const), value: bitsValue }),
    fc.record({ field: fc.constant('miner' as const), value: bytes32 }),
    fc.record({ field: fc.constant('nonce' as const), value: u32 }),
  );
  const txChange = fc.oneof(
    fc.record({ field: fc.constant('kind' as const), value: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ field: fc.constant('author' as const), value: bytes32 }),
    fc.record({
      field: fc.constant('nonce' as const),
      value: fc.oneof(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.integer({ min: 0, max: 100 })),
    }),
    fc.record({ field: fc.constant('time' as const), value: timeValue }),
    fc.record({ field: fc.constant('payload' as const), value: fc.uint8Array({ maxLength: 300 }) }),
    fc.record({ field: fc.constant('signature' as const), value: fc.uint8Array({ minLength: 64, maxLength: 64 }) }),
  );

  const timeOf = (orig: number, v: { delta?: number; abs?: number }) => Math.max(0, v.abs ?? orig + v.delta!);

  /** The block with one field changed, or null when the "change" keeps the old value. */
  function apply(k: number, c: Record<string, unknown> & { field: string }, where: 'header' | 'tx', remine: boolean, txPick: number): Block | null {
    const block = blocks[k]!;
    if (where === 'header') {
      const h = block.header;
      let value: unknown;
      switch (c.field) {
        case 'prevHash':
        case 'txRoot': {
          const v = c.value as Uint8Array | number;
          if (typeof v !== 'number') value = v;
          else value = c.field === 'prevHash' ? blockHash(blocks[v]!) : blocks[v]!.header.txRoot;
          break;
        }
        case 'time':
          value = timeOf(h.time, c.value as { delta?: number });
          break;
        default:
          value = c.value;
      }
      const old = h[c.field as HeaderField];
      if (value instanceof Uint8Array ? bytesEqual(value, old as Uint8Array) : value === old) return null;
      const changed = { header: { ...h, [c.field]: value }, txs: block.txs };
      const canMine =
        remine && c.field !== 'nonce' && c.field !== 'version' && targetFromBits(changed.header.bits) !== null && easyBits(changed.header.bits, P);
      return canMine ? mutate(changed, { remine: true }) : changed;
    }
    const i = txPick % block.txs.length;
    const tx = block.txs[i]!;
    const value = c.field === 'time' ? timeOf(tx.time, c.value as { delta?: number }) : c.value;
    const old = tx[c.field as TxField];
    if (value instanceof Uint8Array ? bytesEqual(value, old as Uint8Array) : value === old) return null;
    const txs = block.txs.map((t, j) => (j === i ? ({ ...t, [c.field]: value } as Tx) : t));
    return { header: block.header, txs };
  }

  /** What verifying the file must report after block k was replaced by `changed`. */
  function expected(k: number, changed: Block, field: string, where: 'header' | 'tx'): Outcome {
    const h = changed.header;
    const last = k === BLOCKS - 1;
    const bad = (code: RuleCode, index = k): Outcome => ({ kind: 'bad-block', index, code });
    if (where === 'tx') {
      // The header is unchanged: its hash and proof of work stand.
      const tx = changed.txs.find((t, i) => t !== blocks[k]!.txs[i])!;
      if (!isTxKind(tx.kind)) return { kind: 'damaged', index: k }; // not decodable
      if (field === 'signature') return bad('BAD_TX_SIGNATURE');
      if (txSize(tx) > P.maxTxBytes) return bad('BAD_TX');
      if (tx.time > h.time + P.maxFutureSeconds) return bad('BAD_TX_TIME');
      return bad('BAD_TX_ROOT'); // kind, author, nonce, time, payload are all in the id
    }
    if (h.version !== 1) return { kind: 'damaged', index: k }; // not decodable
    const target = targetFromBits(h.bits);
    if (target === null || target > P.powLimit) return bad('BAD_BITS');
    if (!meetsTarget(changed)) return bad('HIGH_HASH');
    if (h.time > NOW + P.maxFutureSeconds) return bad('TIME_TOO_NEW');
    if (changed.txs.some((t) => t.time > h.time + P.maxFutureSeconds)) return bad('BAD_TX_TIME');
    if (!bytesEqual(h.txRoot, txRootOf(changed.txs))) return bad('BAD_TX_ROOT');
    if (k === 0) {
      if (h.height !== 0 || !bytesEqual(h.prevHash, ZERO_HASH) || h.bits !== P.genesisBits) return bad('BAD_GENESIS');
    } else {
      const parentIndex = blocks.slice(0, k).findIndex((b) => bytesEqual(blockHash(b), h.prevHash));
      if (parentIndex < 0) return bad('BAD_PREV'); // unknown parent: an orphan, not the next block of the file
      if (h.height !== parentIndex + 1) return bad('BAD_HEIGHT');
      if (h.bits !== blocks[parentIndex + 1]!.header.bits) return bad('BAD_DIFFICULTY');
      if (h.time <= mtpOfParent[k]!) return bad('TIME_TOO_OLD');
    }
    // Block k is itself a valid block now, but a different one: block k+1 no longer links to it. A
    // different genesis is a different network, and block 1's signatures (stage 1, before the link) bind the old one.
    if (last) return { kind: 'valid' };
    return bad(k === 0 && blocks[1]!.txs.length > 0 ? 'BAD_TX_SIGNATURE' : 'BAD_PREV', k + 1);
  }

  it('property: header and transaction fields', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: BLOCKS - 1 }),
        fc.oneof(
          headerChange.map((c) => ({ ...c, where: 'header' as const })),
          txChange.map((c) => ({ ...c, where: 'tx' as const })),
        ),
        fc.boolean(),
        fc.nat(),
        (k, change, remine, txPick) => {
          const changed = apply(k, change as never, change.where, remine, txPick);
          fc.pre(changed !== null);
          const want = expected(k, changed!, change.field, change.where);
          // A re-mined top block is a different valid block, not a change to detect.
          fc.pre(want.kind !== 'valid');
          const file = encodeChainFile(
            P.id,
            blocks.map((b, i) => encodeBlock(i === k ? changed! : b)),
          );
          const report = verifyChainFile(file, NOW, { verifier, ...MECH });
          expect(report.ok).toBe(false);
          if (report.ok) return;
          expect(report.kind).toBe(want.kind);
          if (want.kind === 'damaged' && report.kind === 'damaged') expect(report.index).toBe(want.index);
          if (want.kind === 'bad-block' && report.kind === 'bad-block') {
            expect({ index: report.index, code: report.code }).toEqual({ index: want.index, code: want.code });
            expect(toHex(report.hash)).toBe(toHex(blockHash(want.index === k ? changed! : blocks[want.index]!)));
          }
        },
      ),
      { numRuns: 800 },
    );
  }, 30_000);

  it.each<[HeaderField, (b: Block, k: number) => Partial<BlockHeader>, number, RuleCode, number]>([
    ['height', (b) => ({ height: b.header.height + 1 }), 3, 'BAD_HEIGHT', 3],
    ['prevHash', () => ({ prevHash: blockHash(blocks[1]!) }), 3, 'BAD_HEIGHT', 3],
    ['prevHash', () => ({ prevHash: new Uint8Array(32).fill(9) }), 3, 'BAD_PREV', 3],
    ['txRoot', () => ({ txRoot: ZERO_HASH }), 3, 'BAD_TX_ROOT', 3],
    ['time', (b) => ({ time: b.header.time + 1 }), 3, 'BAD_PREV', 4],
    ['time', () => ({ time: mtpOfParent[3]! }), 3, 'TIME_TOO_OLD', 3],
    ['bits', () => ({ bits: 0x2000fffe }), 3, 'BAD_DIFFICULTY', 3],
    ['miner', () => ({ miner: MINER_B.pub }), 3, 'BAD_PREV', 4],
    ['height', () => ({ height: 1 }), 0, 'BAD_GENESIS', 0],
    // Another genesis is another network: block 1's transactions were signed for the original one.
    ['time', (b) => ({ time: b.header.time + 1 }), 0, 'BAD_TX_SIGNATURE', 1],
  ])('a re-mined change of %s is still caught by the chain rules', (_, change, k, code, index) => {
    const changed = mutate(blocks[k]!, { header: change(blocks[k]!, k), remine: true });
    const report = verifyChainFile(
      encodeChainFile(
        P.id,
        blocks.map((b, i) => encodeBlock(i === k ? changed : b)),
      ),
      NOW,
      { verifier, ...MECH },
    );
    expect(report.ok || report.kind === 'damaged' ? null : { code: report.code, index: report.index }).toEqual({ code, index });
  });
});
