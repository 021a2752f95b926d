/**
 * Chain state (SPEC §5): fork choice by most work with the lower hash as tie
 * break, reorganisations and the pending pool, blocks kept aside until their
 * parent arrives, memory of invalid blocks, finality, and the pending pool's
 * own rules. Blocks are built once on a "builder" chain and replayed, in
 * scripted orders, into fresh chain states.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { AssertionError } from '../../../src/lib/core/assert';
import { type Block, blockHash, decodeBlock, encodeBlock, txRootOf } from '../../../src/lib/core/block';
import { compareBytes } from '../../../src/lib/core/bytes';
import { type AddBlockResult, type AddTxResult, type BlockNode, type ChainState, type Reorg } from '../../../src/lib/core/chain';
import { DecodeError, type RuleCode } from '../../../src/lib/core/errors';
import { type ChainParams, TEST_PARAMS } from '../../../src/lib/core/params';
import { nobleVerifier, sign } from '../../../src/lib/core/signature';
import { type Tx, TxKind, txId, txSigningMessage } from '../../../src/lib/core/tx';
import {
  ALICE,
  BOB,
  CAROL,
  MINER_A,
  MINER_B,
  NOW,
  T0,
  TEST_NETWORK,
  addOk,
  cachingVerifier,
  extend,
  grind,
  grow,
  keyOf,
  makeGenesis,
  makeTx,
  mutate,
  newChain,
  recordTx,
  txKey,
} from './helpers';

const P = TEST_PARAMS;
/** Enough room for every block of a shuffled 10-block delivery to wait. */
const ROOMY: ChainParams = { ...P, maxOrphans: 32 };

const hashGreater = (a: Block, b: Block) => compareBytes(blockHash(a), blockHash(b)) > 0;

/* ---------------------------------------------------------------------------
 * A block tree built once and replayed by name.
 *
 *   G ─ M1(A) ─ M2(B,C) ─ M3 ─ M4              main
 *   │         └ N2 ─ N3                         fork above genesis
 *   └ S1(B) ─ S2(D) ─ S3                        side branch (B again: forked before its inclusion)
 *          └ U2 ─ U3                            second branch off S1
 *
 * Ties at equal height are ground so the later-built block has the higher hash:
 * S2 > M2, M3 > S3, N2 > M2, U3 > M3.
 * ------------------------------------------------------------------------- */
interface Tree {
  readonly genesis: Block;
  readonly blocks: Record<string, Block>;
  readonly txs: Record<string, Tx>;
  nameOf(key: string): string;
}

function buildTree(): Tree {
  const genesis = makeGenesis(P);
  const builder = newChain(P, genesis);
  const txs = {
    A: recordTx(T0, ALICE),
    B: recordTx(T0, BOB),
    C: recordTx(T0, CAROL),
    D: makeTx(TxKind.Referral, ALICE, T0, 40),
  };
  const blocks: Record<string, Block> = {};
  const node = (name: string): BlockNode => (name === 'G' ? builder.genesis : builder.get(keyOf(blocks[name]!))!);
  const add = (name: string, parent: string, txNames: (keyof typeof txs)[] = [], beats?: string, miner = MINER_A) => {
    const make = (i: number) => extend(builder, node(parent), { txs: txNames.map((t) => txs[t]), timeDelta: 5 + i, miner });
    const b = beats ? grind(make, (x) => hashGreater(x, blocks[beats]!)) : make(0);
    const r = builder.addBlock(b, NOW);
    if (r.status !== 'accepted') throw new Error(`tree: ${name} ${r.status}`);
    blocks[name] = b;
  };
  add('M1', 'G', ['A']);
  add('M2', 'M1', ['B', 'C']);
  add('S1', 'G', ['B'], undefined, MINER_B);
  add('S2', 'S1', ['D'], 'M2', MINER_B);
  add('S3', 'S2', [], undefined, MINER_B);
  add('M3', 'M2', [], 'S3');
  add('M4', 'M3');
  add('N2', 'M1', [], 'M2', MINER_B);
  add('N3', 'N2', [], undefined, MINER_B);
  add('U2', 'S1', [], undefined, MINER_A);
  add('U3', 'U2', [], 'M3', MINER_A);
  const names = new Map<string, string>([[keyOf(genesis), 'G'], ...Object.entries(blocks).map(([n, b]) => [keyOf(b), n] as [string, string])]);
  return { genesis, blocks, txs, nameOf: (k) => names.get(k) ?? `?${k.slice(0, 8)}` };
}

type ReorgSpec = { fork: string; disconnected: string[]; connected: string[]; returned?: string[] } | null;
type Step =
  | { add: string; status: AddBlockResult['status']; tip: string; reorg?: ReorgSpec; adopted?: string[]; code?: RuleCode }
  | { addTx: string; status: AddTxResult['status'] }
  | { final: string; tip: string; reorg: ReorgSpec }
  | { pending: string[] }
  | { inChain: Record<string, number | undefined> };

function describeReorg(tree: Tree, txNames: Map<string, string>, r: Reorg | null): ReorgSpec {
  if (r === null) return null;
  return {
    fork: tree.nameOf(r.forkPoint.key),
    disconnected: r.disconnected.map((n) => tree.nameOf(n.key)),
    connected: r.connected.map((n) => tree.nameOf(n.key)),
    returned: r.returnedTxs.map((t) => txNames.get(txKey(t))!),
  };
}

function runScript(tree: Tree, steps: Step[]): void {
  const chain = newChain(P, tree.genesis);
  const txNames = new Map(Object.entries(tree.txs).map(([n, t]) => [txKey(t), n]));
  const withReturned = (spec: ReorgSpec | undefined, actual: ReorgSpec) =>
    spec && actual && spec.returned === undefined ? { ...actual, returned: undefined } : actual;
  steps.forEach((step, i) => {
    const where = `step ${i} ${JSON.stringify(step)}`;
    if ('add' in step) {
      const r = chain.addBlock(tree.blocks[step.add]!, NOW);
      expect(r.status, where).toBe(step.status);
      if (r.status === 'invalid' && step.code) expect(r.error.code, where).toBe(step.code);
      if (r.status === 'accepted') {
        if (step.reorg !== undefined) {
          const actual = describeReorg(tree, txNames, r.reorg);
          expect(withReturned(step.reorg, actual), where).toEqual(step.reorg);
        }
        if (step.adopted)
          expect(
            r.adopted.map((n) => tree.nameOf(n.key)),
            where,
          ).toEqual(step.adopted);
      }
      expect(tree.nameOf(chain.tip.key), where).toBe(step.tip);
    } else if ('addTx' in step) {
      expect(chain.addPendingTx(tree.txs[step.addTx]!).status, where).toBe(step.status);
    } else if ('final' in step) {
      const r = chain.markFinal(keyOf(tree.blocks[step.final]!));
      expect(withReturned(step.reorg, describeReorg(tree, txNames, r)), where).toEqual(step.reorg);
      expect(tree.nameOf(chain.finalized.key), where).toBe(step.final);
      expect(tree.nameOf(chain.tip.key), where).toBe(step.tip);
    } else if ('pending' in step) {
      const names = chain.pending.list().map((e) => txNames.get(e.key)!);
      expect(names.sort(), where).toEqual([...step.pending].sort());
    } else {
      for (const [name, h] of Object.entries(step.inChain)) expect(chain.txHeight(txKey(tree.txs[name]!)), `${where} ${name}`).toBe(h);
    }
    checkInvariants(chain);
  });
}

/** What must hold after every step: the active chain is linked, the tx index matches it, pending is disjoint from it. */
function checkInvariants(chain: ChainState): void {
  const active = chain.activeBlocks();
  expect(active[0]).toBe(chain.genesis);
  const confirmed = new Map<string, number>();
  active.forEach((n, h) => {
    expect(n.height).toBe(h);
    if (h > 0) expect(n.parent).toBe(active[h - 1]);
    for (const k of n.txKeys) confirmed.set(k, h);
  });
  for (const [k, h] of confirmed) expect(chain.txHeight(k)).toBe(h);
  for (const e of chain.pending.list()) expect(chain.txHeight(e.key)).toBeUndefined();
  expect(chain.ancestor(chain.tip, chain.finalized.height)).toBe(chain.finalized);
}

describe('fork choice and reorganisation', () => {
  let tree: Tree;
  beforeAll(() => {
    tree = buildTree();
  });

  it('the tree is built as intended (tie breaks ground)', () => {
    const b = tree.blocks;
    expect(hashGreater(b.S2!, b.M2!)).toBe(true);
    expect(hashGreater(b.M3!, b.S3!)).toBe(true);
    expect(hashGreater(b.N2!, b.M2!)).toBe(true);
    expect(hashGreater(b.U3!, b.M3!)).toBe(true);
  });

  const scripts: [string, Step[]][] = [
    [
      'a plain extension is a reorg with nothing disconnected',
      [
        { add: 'M1', status: 'accepted', tip: 'M1', reorg: { fork: 'G', disconnected: [], connected: ['M1'], returned: [] }, adopted: [] },
        { add: 'M2', status: 'accepted', tip: 'M2', reorg: { fork: 'M1', disconnected: [], connected: ['M2'], returned: [] } },
        { inChain: { A: 1, B: 2, C: 2, D: undefined } },
      ],
    ],
    [
      'a longer side branch overtakes, then the old branch overtakes back',
      [
        { addTx: 'A', status: 'added' },
        { addTx: 'D', status: 'added' },
        { add: 'M1', status: 'accepted', tip: 'M1' },
        { pending: ['D'] }, // A was confirmed: it left the pool
        { add: 'M2', status: 'accepted', tip: 'M2' },
        { add: 'S1', status: 'accepted', tip: 'M2', reorg: null },
        { add: 'S2', status: 'accepted', tip: 'M2', reorg: null }, // equal work, higher hash
        {
          add: 'S3',
          status: 'accepted',
          tip: 'S3',
          reorg: { fork: 'G', disconnected: ['M2', 'M1'], connected: ['S1', 'S2', 'S3'], returned: ['C', 'A'] },
        },
        { pending: ['A', 'C'] }, // B is in S1, D is in S2
        { inChain: { A: undefined, B: 1, C: undefined, D: 2 } },
        { add: 'M3', status: 'accepted', tip: 'S3', reorg: null }, // equal work, higher hash
        {
          add: 'M4',
          status: 'accepted',
          tip: 'M4',
          reorg: { fork: 'G', disconnected: ['S3', 'S2', 'S1'], connected: ['M1', 'M2', 'M3', 'M4'], returned: ['D'] },
        },
        { pending: ['D'] },
        { inChain: { A: 1, B: 2, C: 2, D: undefined } },
      ],
    ],
    [
      'a fork point above genesis',
      [
        { add: 'M1', status: 'accepted', tip: 'M1' },
        { add: 'M2', status: 'accepted', tip: 'M2' },
        { add: 'N2', status: 'accepted', tip: 'M2', reorg: null },
        { add: 'N3', status: 'accepted', tip: 'N3', reorg: { fork: 'M1', disconnected: ['M2'], connected: ['N2', 'N3'], returned: ['B', 'C'] } },
        { pending: ['B', 'C'] },
      ],
    ],
    [
      'a side branch delivered child first is adopted and reorganises in one step',
      [
        { add: 'M1', status: 'accepted', tip: 'M1' },
        { add: 'M2', status: 'accepted', tip: 'M2' },
        { add: 'S3', status: 'orphan', tip: 'M2' },
        { add: 'S2', status: 'orphan', tip: 'M2' },
        {
          add: 'S1',
          status: 'accepted',
          tip: 'S3',
          adopted: ['S2', 'S3'],
          reorg: { fork: 'G', disconnected: ['M2', 'M1'], connected: ['S1', 'S2', 'S3'], returned: ['C', 'A'] },
        },
      ],
    ],
    [
      'a lighter branch arriving first loses to a heavier one arriving later, whatever the order of their parts',
      [
        { add: 'S1', status: 'accepted', tip: 'S1' },
        { add: 'M2', status: 'orphan', tip: 'S1' },
        { add: 'M3', status: 'orphan', tip: 'S1' },
        {
          add: 'M1',
          status: 'accepted',
          tip: 'M3',
          adopted: ['M2', 'M3'],
          reorg: { fork: 'G', disconnected: ['S1'], connected: ['M1', 'M2', 'M3'], returned: [] },
        },
      ],
    ],
    [
      'markFinal prevents a reorganisation below the final block',
      [
        { add: 'M1', status: 'accepted', tip: 'M1' },
        { add: 'M2', status: 'accepted', tip: 'M2' },
        { final: 'M1', tip: 'M2', reorg: null },
        // A branch forking below the final block is refused, not stored; its children wait as orphans.
        { add: 'S1', status: 'invalid', code: 'BELOW_FINAL', tip: 'M2' },
        { add: 'S2', status: 'orphan', tip: 'M2' },
        { add: 'S3', status: 'orphan', tip: 'M2' }, // heavier, but forks below M1
        { add: 'N2', status: 'accepted', tip: 'M2', reorg: null },
        { add: 'N3', status: 'accepted', tip: 'N3', reorg: { fork: 'M1', disconnected: ['M2'], connected: ['N2', 'N3'] } },
        { add: 'M4', status: 'orphan', tip: 'N3' },
        { add: 'M3', status: 'accepted', tip: 'M4', adopted: ['M4'], reorg: { fork: 'M1', disconnected: ['N3', 'N2'], connected: ['M2', 'M3', 'M4'] } },
      ],
    ],
    [
      'markFinal prevents a reorganisation to a heavier branch delivered child first',
      [
        { add: 'M1', status: 'accepted', tip: 'M1' },
        { add: 'M2', status: 'accepted', tip: 'M2' },
        { final: 'M2', tip: 'M2', reorg: null },
        { add: 'S3', status: 'orphan', tip: 'M2' },
        { add: 'S2', status: 'orphan', tip: 'M2' },
        { add: 'S1', status: 'invalid', code: 'BELOW_FINAL', tip: 'M2' },
      ],
    ],
    [
      'markFinal on an equal-work side branch that lost the tie moves the tip there',
      [
        { add: 'M1', status: 'accepted', tip: 'M1' },
        { add: 'M2', status: 'accepted', tip: 'M2' },
        { add: 'S1', status: 'accepted', tip: 'M2' },
        { add: 'S2', status: 'accepted', tip: 'M2' },
        { final: 'S1', tip: 'S2', reorg: { fork: 'G', disconnected: ['M2', 'M1'], connected: ['S1', 'S2'], returned: ['C', 'A'] } },
        { pending: ['A', 'C'] },
      ],
    ],
    [
      "markFinal on a lighter side branch moves the tip to that branch's heaviest descendant",
      [
        { add: 'M1', status: 'accepted', tip: 'M1' },
        { add: 'M2', status: 'accepted', tip: 'M2' },
        { add: 'M3', status: 'accepted', tip: 'M3' },
        { add: 'S1', status: 'accepted', tip: 'M3' },
        { add: 'S2', status: 'accepted', tip: 'M3' },
        { add: 'U2', status: 'accepted', tip: 'M3' },
        { add: 'U3', status: 'accepted', tip: 'M3', reorg: null }, // equal work, higher hash
        { final: 'S1', tip: 'U3', reorg: { fork: 'G', disconnected: ['M3', 'M2', 'M1'], connected: ['S1', 'U2', 'U3'], returned: ['C', 'A'] } },
        // The old branch can no longer win, however heavy it gets: it is refused.
        { add: 'M4', status: 'invalid', code: 'BELOW_FINAL', tip: 'U3' },
      ],
    ],
    [
      'markFinal on the active chain changes nothing',
      [
        { add: 'M1', status: 'accepted', tip: 'M1' },
        { add: 'M2', status: 'accepted', tip: 'M2' },
        { final: 'M2', tip: 'M2', reorg: null },
        { final: 'M2', tip: 'M2', reorg: null },
      ],
    ],
  ];

  it.each(scripts)('%s', (_, steps) => runScript(tree, steps));

  it('markFinal refuses an unknown block and a block off the final branch', () => {
    const chain = newChain(P, tree.genesis);
    for (const n of ['M1', 'M2', 'S1']) addOk(chain, tree.blocks[n]!);
    expect(() => chain.markFinal('00'.repeat(32))).toThrow(AssertionError);
    chain.markFinal(keyOf(tree.blocks.M1!));
    expect(() => chain.markFinal(keyOf(tree.blocks.S1!))).toThrow(AssertionError);
    expect(chain.finalized.key).toBe(keyOf(tree.blocks.M1!));
  });
});

describe('equal work: the lower hash wins regardless of arrival order', () => {
  let lo: Block;
  let hi: Block;
  let genesis: Block;
  beforeAll(() => {
    genesis = makeGenesis(P);
    const builder = newChain(P, genesis);
    const x = extend(builder, builder.genesis, { miner: MINER_A });
    const y = extend(builder, builder.genesis, { miner: MINER_B });
    [lo, hi] = hashGreater(x, y) ? [y, x] : [x, y];
  });

  it.each([
    ['lower first', false],
    ['higher first', true],
  ])('%s', (_, higherFirst) => {
    const chain = newChain(P, genesis);
    const [first, second] = higherFirst ? [hi, lo] : [lo, hi];
    expect(chain.addBlock(first, NOW).status).toBe('accepted');
    const r = chain.addBlock(second, NOW);
    if (r.status !== 'accepted') throw new Error(r.status);
    expect(chain.tip.key).toBe(keyOf(lo));
    if (higherFirst) {
      expect(r.reorg?.forkPoint).toBe(chain.genesis);
      expect(r.reorg?.disconnected.map((n) => n.key)).toEqual([keyOf(hi)]);
      expect(r.reorg?.connected.map((n) => n.key)).toEqual([keyOf(lo)]);
    } else {
      expect(r.reorg).toBeNull();
    }
  });

  it('property: any permutation of the same set of blocks gives the same tip and the same confirmed transactions', () => {
    // G ─ A1(x) ─ A2(y)     three height-2 tips of equal work: the lowest hash wins
    //   │      └ E2(w)
    //   ├ B1(x) ─ B2(z)
    //   └ C1(v)
    const g = makeGenesis(P);
    const builder = newChain(P, g);
    const x = recordTx(T0);
    const [y, z, w, v] = [recordTx(T0, BOB), recordTx(T0, CAROL), recordTx(T0, ALICE), recordTx(T0, BOB)];
    const a1 = addOk(builder, extend(builder, builder.genesis, { txs: [x] }));
    const b1 = addOk(builder, extend(builder, builder.genesis, { txs: [x], miner: MINER_B }));
    const c1 = addOk(builder, extend(builder, builder.genesis, { txs: [v], timeDelta: 9 }));
    const a2 = addOk(builder, extend(builder, a1, { txs: [y] }));
    const e2 = addOk(builder, extend(builder, a1, { txs: [w], miner: MINER_B }));
    const b2 = addOk(builder, extend(builder, b1, { txs: [z] }));
    const tips = [a2, e2, b2].sort((p, q) => compareBytes(p.hash, q.hash));
    const want = tips[0]!;
    const items = [a1, b1, c1, a2, e2, b2].map((n) => n.block);
    const verifier = cachingVerifier();
    fc.assert(
      fc.property(fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length }), (order) => {
        const chain = newChain(P, g, { verifier });
        for (const b of order) expect(['accepted', 'orphan']).toContain(chain.addBlock(b, NOW).status);
        expect(chain.tip.key).toBe(want.key);
        expect(chain.orphans.size).toBe(0);
        expect(chain.blockCount).toBe(7);
        expect(chain.txHeight(txKey(x))).toBe(1);
        for (const t of [y, z, w]) expect(chain.txHeight(txKey(t))).toBe(want.txKeys[0] === txKey(t) ? 2 : undefined);
        expect(chain.txHeight(txKey(v))).toBeUndefined();
        checkInvariants(chain);
      }),
      { numRuns: 120 },
    );
  }, 30_000);
});

describe('orphans', () => {
  let genesis: Block;
  let main: Block[]; // main[i] is at height i+1
  let side: Block[]; // a branch off main[2] (height 3), heights 4..7
  beforeAll(() => {
    genesis = makeGenesis(P);
    const builder = newChain(P, genesis);
    main = grow(builder, 10).map((n) => n.block);
    let parent = builder.get(keyOf(main[2]!))!;
    side = [];
    for (let i = 0; i < 4; i++) {
      parent = addOk(builder, extend(builder, parent, { miner: MINER_B, timeDelta: 6 }));
      side.push(parent.block);
    }
  });
  const keys = (ns: readonly BlockNode[]) => ns.map((n) => n.key);

  it.each([
    ['3, 2, 1', [3, 2, 1], ['orphan', 'orphan', 'accepted'], [2, 3]],
    ['2, 3, 1', [2, 3, 1], ['orphan', 'orphan', 'accepted'], [2, 3]],
    ['1, 3, 2', [1, 3, 2], ['accepted', 'orphan', 'accepted'], [3]],
    ['1, 2, 3', [1, 2, 3], ['accepted', 'accepted', 'accepted'], []],
  ])('arrival order %s: kept aside, then adopted when the parent arrives', (_, order, statuses, adoptedLast) => {
    const chain = newChain(P, genesis);
    const results = order.map((h) => chain.addBlock(main[h - 1]!, NOW));
    expect(results.map((r) => r.status)).toEqual(statuses);
    const last = results[results.length - 1]!;
    if (last.status !== 'accepted') throw new Error(last.status);
    expect(keys(last.adopted)).toEqual(adoptedLast.map((h) => keyOf(main[h - 1]!)));
    expect(chain.tip.key).toBe(keyOf(main[2]!));
    expect(chain.orphans.size).toBe(0);
    if (order[0] !== 1) expect(keys(last.reorg!.connected)).toEqual([1, 2, 3].map((h) => keyOf(main[h - 1]!)));
  });

  it('property: any delivery order of a 10-block chain (plus a side branch) ends at the same tip', () => {
    const all = [...main, ...side];
    const verifier = cachingVerifier();
    fc.assert(
      fc.property(fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }), (order) => {
        const chain = newChain(ROOMY, genesis, { verifier });
        for (const b of order) expect(['accepted', 'orphan']).toContain(chain.addBlock(b, NOW).status);
        expect(chain.tip.key).toBe(keyOf(main[9]!));
        expect(chain.height).toBe(10);
        expect(chain.orphans.size).toBe(0);
        expect(chain.blockCount).toBe(1 + all.length);
        checkInvariants(chain);
      }),
      { numRuns: 60 },
    );
  }, 30_000);

  it.each([
    ['in chain order: the lowest (oldest) is dropped', [2, 3, 4, 5, 6, 7, 8, 9, 10], 2, 10],
    ['in reverse order: the top (oldest) is dropped', [10, 9, 8, 7, 6, 5, 4, 3, 2], 10, 9],
  ])('orphan cap (maxOrphans = 8) %s', (_, order, dropped, finalHeight) => {
    expect(P.maxOrphans).toBe(8);
    const chain = newChain(P, genesis);
    order.forEach((h, i) => expect(chain.addBlock(main[h - 1]!, NOW + i).status).toBe('orphan'));
    expect(chain.orphans.size).toBe(8);
    expect(chain.orphans.has(keyOf(main[dropped - 1]!))).toBe(false);
    for (const h of order) if (h !== dropped) expect(chain.orphans.has(keyOf(main[h - 1]!))).toBe(true);
    const t = NOW + order.length;
    addOk(chain, main[0]!, t);
    if (dropped === 2) {
      expect(chain.height).toBe(1);
      const r = chain.addBlock(main[1]!, t);
      if (r.status !== 'accepted') throw new Error(r.status);
      expect(keys(r.adopted)).toEqual([3, 4, 5, 6, 7, 8, 9, 10].map((h) => keyOf(main[h - 1]!)));
    }
    expect(chain.height).toBe(finalHeight);
    expect(chain.orphans.size).toBe(0);
  });

  it.each([
    ['kept at exactly orphanExpirySeconds', P.orphanExpirySeconds, true],
    ['dropped one second later', P.orphanExpirySeconds + 1, false],
  ])('orphan expiry: %s', (_, delay, kept) => {
    const chain = newChain(P, genesis);
    expect(chain.addBlock(main[1]!, NOW).status).toBe('orphan');
    // Any call runs the expiry, even one that changes nothing.
    expect(chain.addBlock(genesis, NOW + delay).status).toBe('duplicate');
    expect(chain.orphans.has(keyOf(main[1]!))).toBe(kept);
    const r = chain.addBlock(main[0]!, NOW + delay);
    if (r.status !== 'accepted') throw new Error(r.status);
    expect(keys(r.adopted)).toEqual(kept ? [keyOf(main[1]!)] : []);
    expect(chain.height).toBe(kept ? 2 : 1);
    // A dropped orphan is forgotten, not refused: sent again it is accepted.
    if (!kept) expect(chain.addBlock(main[1]!, NOW + delay).status).toBe('accepted');
  });

  it('an orphan that is invalid against its parent is dropped when the parent arrives, and refused with its code afterwards', () => {
    const chain = newChain(P, genesis);
    const parent = main[0]!;
    // A child of main[0] at the wrong height, mined: it passes stage 1 and waits.
    const badChild = mutate(main[1]!, { header: { height: 5 }, remine: true });
    expect(chain.addBlock(badChild, NOW).status).toBe('orphan');
    const r = chain.addBlock(parent, NOW);
    if (r.status !== 'accepted') throw new Error(r.status);
    expect(r.adopted).toEqual([]);
    expect(chain.orphans.size).toBe(0);
    const again = chain.addBlock(badChild, NOW);
    expect(again.status).toBe('invalid');
    if (again.status === 'invalid') expect(again.error.code).toBe('BAD_HEIGHT');
  });

  it('an orphan whose parent arrives with transactions that do not match its header waits on: a genuine copy may still come', () => {
    const chain = newChain(P, genesis);
    const badParent = mutate(main[0]!, { header: { txRoot: txRootOf([recordTx(T0)]) }, remine: true });
    const child = mutate(main[1]!, { header: { prevHash: blockHash(badParent), height: badParent.header.height + 1 }, remine: true });
    expect(chain.addBlock(child, NOW).status).toBe('orphan');
    const rp = chain.addBlock(badParent, NOW);
    expect(rp.status === 'invalid' && rp.error.code).toBe('BAD_TX_ROOT');
    expect(chain.orphans.has(keyOf(child))).toBe(true);
  });

  // The parent below breaks a rule of its header (stage 2, BAD_HEIGHT); its child was already waiting.
  it.each([['stage 2 (BAD_HEIGHT)', { height: 7 }, 'BAD_HEIGHT']] as const)(
    'an orphan whose parent turns out invalid in %s is dropped and then refused as invalid',
    (_, change, parentCode) => {
      const chain = newChain(P, genesis);
      const badParent = mutate(main[0]!, { header: change, remine: true });
      const child = mutate(main[1]!, { header: { prevHash: blockHash(badParent), height: badParent.header.height + 1 }, remine: true });
      expect(chain.addBlock(child, NOW).status).toBe('orphan');
      const rp = chain.addBlock(badParent, NOW);
      expect(rp.status === 'invalid' && rp.error.code).toBe(parentCode);
      // The orphan can never connect: it must not keep a place in the bounded pool.
      expect(chain.orphans.has(keyOf(child))).toBe(false);
      const rc = chain.addBlock(child, NOW);
      expect(rc.status).toBe('invalid');
      if (rc.status === 'invalid') expect(rc.error.code).toBe('BAD_PREV');
    },
  );

  it('an orphan waiting on an orphan that is found invalid on adoption is dropped too', () => {
    const chain = newChain(P, genesis);
    const badChild = mutate(main[1]!, { header: { height: 9 }, remine: true }); // child of main[0], BAD_HEIGHT
    const grandchild = mutate(main[2]!, { header: { prevHash: blockHash(badChild), height: 10 }, remine: true });
    expect(chain.addBlock(grandchild, NOW).status).toBe('orphan');
    expect(chain.addBlock(badChild, NOW).status).toBe('orphan');
    addOk(chain, main[0]!);
    expect(chain.orphans.has(keyOf(badChild))).toBe(false);
    expect(chain.orphans.has(keyOf(grandchild))).toBe(false);
    const r = chain.addBlock(grandchild, NOW);
    expect(r.status === 'invalid' && r.error.code).toBe('BAD_PREV');
  });

  it('an orphan must pass stage 1 to be kept', () => {
    const chain = newChain(P, genesis);
    const bad = mutate(main[1]!, { header: { txRoot: new Uint8Array(32) }, remine: true });
    const r = chain.addBlock(bad, NOW);
    expect(r.status === 'invalid' && r.error.code).toBe('BAD_TX_ROOT');
    expect(chain.orphans.size).toBe(0);
  });
});

describe('invalid blocks are remembered; duplicates', () => {
  /** The real verifier, counting its calls. */
  const countingVerifier = () => {
    const v = { calls: 0, verify: (s: Uint8Array, m: Uint8Array, p: Uint8Array) => (v.calls++, nobleVerifier.verify(s, m, p)) };
    return v;
  };

  it.each<[string, (c: ChainState) => Block, RuleCode]>([
    ['BAD_HEIGHT', (c) => extend(c, c.tip, { txs: [recordTx(T0)], header: { height: 5 } }), 'BAD_HEIGHT'],
    ['BAD_DIFFICULTY', (c) => extend(c, c.tip, { txs: [recordTx(T0)], header: { bits: 0x2000fffe } }), 'BAD_DIFFICULTY'],
    ['TIME_TOO_OLD', (c) => extend(c, c.tip, { txs: [recordTx(T0)], header: { time: T0 } }), 'TIME_TOO_OLD'],
    ['TX_ALREADY_IN_CHAIN', (c) => extend(c, c.tip, { txs: [c.tip.block.txs[0]!] }), 'TX_ALREADY_IN_CHAIN'],
  ])('re-sending a block that broke %s returns invalid at once with the same code', (_, make, code) => {
    const verifier = countingVerifier();
    const chain = newChain(P, makeGenesis(P), { verifier });
    addOk(chain, extend(chain, chain.tip, { txs: [recordTx(T0)] }));
    const bad = make(chain);
    const first = chain.addBlock(bad, NOW);
    expect(first.status === 'invalid' && first.error.code).toBe(code);
    const calls = verifier.calls;
    expect(calls).toBeGreaterThan(0); // stage 1 ran in full the first time
    const second = chain.addBlock(bad, NOW);
    expect(second.status === 'invalid' && second.error.code).toBe(code);
    expect(second.status === 'invalid' && second.key).toBe(keyOf(bad));
    expect(verifier.calls).toBe(calls); // not checked again
  });

  it('a bad signature is not held against the header: a copy with altered signatures does not block the genuine block', () => {
    const chain = newChain();
    const genuine = extend(chain, chain.tip, { txs: [recordTx(T0)] });
    const altered: Block = { header: genuine.header, txs: genuine.txs.map((t) => ({ ...t, signature: new Uint8Array(64).fill(1) })) };
    const first = chain.addBlock(altered, NOW);
    expect(first.status === 'invalid' && first.error.code).toBe('BAD_TX_SIGNATURE');
    const swapped: Block = { header: genuine.header, txs: [recordTx(T0 + 1)] };
    const second = chain.addBlock(swapped, NOW);
    expect(second.status === 'invalid' && second.error.code).toBe('BAD_TX_ROOT');
    expect(chain.addBlock(genuine, NOW).status).toBe('accepted');
  });

  it('TIME_TOO_NEW is not remembered: the same block is accepted once the clock catches up', () => {
    const chain = newChain();
    const b = extend(chain, chain.tip, { header: { time: NOW + P.maxFutureSeconds + 1 } });
    const r = chain.addBlock(b, NOW);
    expect(r.status === 'invalid' && r.error.code).toBe('TIME_TOO_NEW');
    expect(chain.addBlock(b, NOW + 1).status).toBe('accepted');
  });

  it('maxInvalidRemembered bounds the memory, oldest forgotten first', () => {
    const verifier = countingVerifier();
    const chain = newChain(P, makeGenesis(P), { verifier, maxInvalidRemembered: 1 });
    const x = extend(chain, chain.tip, { txs: [recordTx(T0)], header: { height: 3 } });
    const y = extend(chain, chain.tip, { txs: [recordTx(T0)], header: { height: 4 } });
    for (const b of [x, y]) expect(chain.addBlock(b, NOW).status).toBe('invalid');
    // y is remembered: refused without looking at it.
    let calls = verifier.calls;
    const ry = chain.addBlock(y, NOW);
    expect(ry.status === 'invalid' && ry.error.code).toBe('BAD_HEIGHT');
    expect(verifier.calls).toBe(calls);
    // x was forgotten: checked again from scratch (and still invalid).
    calls = verifier.calls;
    const rx = chain.addBlock(x, NOW);
    expect(rx.status === 'invalid' && rx.error.code).toBe('BAD_HEIGHT');
    expect(verifier.calls).toBeGreaterThan(calls);
  });

  it('duplicates: an accepted block, a kept orphan and the genesis block', () => {
    const chain = newChain();
    const [n1, n2] = grow(chain, 2);
    for (const n of [n1!, n2!, chain.genesis]) expect(chain.addBlock(n.block, NOW)).toEqual({ status: 'duplicate', key: n.key });
    expect(chain.blockCount).toBe(3);
    const other = newChain(P, chain.genesis.block);
    expect(other.addBlock(n2!.block, NOW).status).toBe('orphan');
    expect(other.addBlock(n2!.block, NOW)).toEqual({ status: 'duplicate', key: n2!.key });
    expect(other.orphans.size).toBe(1);
  });
});

describe('the pending pool', () => {
  const signedRaw = (body: Omit<Tx, 'signature'>, secret: Uint8Array): Tx => ({
    ...body,
    signature: sign(txSigningMessage(TEST_NETWORK, txId(body)), secret),
  });

  it('addPendingTx statuses: added, duplicate, in-chain, invalid', () => {
    const chain = newChain();
    const confirmed = recordTx(T0);
    const onSide = recordTx(T0, BOB);
    addOk(chain, extend(chain, chain.tip, { txs: [confirmed] }));
    addOk(chain, extend(chain, chain.tip));
    addOk(chain, extend(chain, chain.genesis, { txs: [onSide], miner: MINER_B })); // a lighter side branch
    const fresh = recordTx(T0, CAROL);
    const { signature: _s, ...body } = recordTx(T0);
    const cases: [string, Tx, AddTxResult['status']][] = [
      ['a new valid transaction', fresh, 'added'],
      ['the same again', fresh, 'duplicate'],
      ['one confirmed on the active chain', confirmed, 'in-chain'],
      ['one confirmed only on a side branch', onSide, 'added'],
      ['a bad signature', { ...recordTx(T0), signature: new Uint8Array(64) }, 'invalid'],
      ['signed by someone else', signedRaw(body, BOB.secret), 'invalid'],
      ['an unknown kind', signedRaw({ ...body, kind: 77 as TxKind }, ALICE.secret), 'invalid'],
      ['over maxTxBytes', recordTx(T0, ALICE, P.maxTxBytes), 'invalid'],
    ];
    for (const [what, tx, status] of cases) {
      const r = chain.addPendingTx(tx);
      expect(r.status, what).toBe(status);
      expect(r.key, what).toBe(txKey(tx));
    }
    expect(chain.pending.size).toBe(2);
    expect(chain.pending.has(txKey(fresh)) && chain.pending.has(txKey(onSide))).toBe(true);
  });

  it('pool-full at maxPendingTxs; room again once a block confirms one', () => {
    const chain = newChain({ ...P, maxPendingTxs: 2 });
    const [t1, t2, t3] = [recordTx(T0), recordTx(T0, BOB), recordTx(T0, CAROL)];
    expect(chain.addPendingTx(t1).status).toBe('added');
    expect(chain.addPendingTx(t2).status).toBe('added');
    expect(chain.addPendingTx(t3).status).toBe('pool-full');
    expect(chain.pending.has(txKey(t3))).toBe(false);
    // A duplicate is reported as such even when the pool is full.
    expect(chain.addPendingTx(t1).status).toBe('duplicate');
    addOk(chain, extend(chain, chain.tip, { txs: [t1] }));
    expect(chain.pending.has(txKey(t1))).toBe(false);
    expect(chain.addPendingTx(t3).status).toBe('added');
    expect(chain.pending.size).toBe(2);
  });
});

describe('bytes from peers', () => {
  it('property: the chain never throws for garbage; undecodable bytes are BAD_ENCODING', () => {
    const chain = newChain();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        let decodes = true;
        try {
          decodeBlock(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
          decodes = false;
        }
        const r = chain.addBlockBytes(bytes, NOW);
        if (!decodes) {
          expect(r.status).toBe('invalid');
          if (r.status === 'invalid') {
            expect(r.error.code).toBe('BAD_ENCODING');
            expect(r.key).toBeNull();
          }
        } else expect(r.status).not.toBe('accepted');
      }),
      { numRuns: 300 },
    );
    expect(chain.blockCount).toBe(1);
  }, 30_000);

  it('a valid block cut at any length, or with a byte appended, is BAD_ENCODING; whole it is accepted', () => {
    const chain = newChain();
    const bytes = encodeBlock(extend(chain, chain.tip, { txs: [recordTx(T0), recordTx(T0, BOB)] }));
    for (let n = 0; n < bytes.length; n++) {
      const r = chain.addBlockBytes(bytes.subarray(0, n), NOW);
      expect(r.status === 'invalid' && r.error.code, `cut at ${n}`).toBe('BAD_ENCODING');
    }
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    const r = chain.addBlockBytes(longer, NOW);
    expect(r.status === 'invalid' && r.error.code).toBe('BAD_ENCODING');
    expect(chain.addBlockBytes(bytes, NOW).status).toBe('accepted');
  });

  it('property: one changed byte of a valid block never throws and is never taken as the original', () => {
    const chain = newChain();
    const block = extend(chain, chain.tip, { txs: [recordTx(T0), recordTx(T0, BOB)] });
    const bytes = encodeBlock(block);
    fc.assert(
      fc.property(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), (pos, x) => {
        const changed = bytes.slice();
        changed[pos] = changed[pos]! ^ x;
        const r = chain.addBlockBytes(changed, NOW);
        expect(['invalid', 'orphan', 'accepted', 'duplicate']).toContain(r.status);
        if (r.status === 'accepted') expect(r.node.key).not.toBe(keyOf(block));
        if (r.status !== 'invalid') {
          // Only a header change can still make a block (a new nonce, miner or time that meets the target).
          expect(pos).toBeLessThan(118);
        }
      }),
      { numRuns: 300 },
    );
  }, 30_000);
});
