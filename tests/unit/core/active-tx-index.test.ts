/**
 * The active chain's index by patient and by kind (src/lib/core/active-tx-index.ts):
 * after any sequence of extensions, reorganisations and re-reads of the
 * same chain into a new object (a follower tab), it equals a full scan of
 * the chain it was last synced to.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type IndexableChain, type IndexedTx, ActiveTxIndex } from '../../../src/lib/core/active-tx-index';
import { demoChain } from '../../../src/lib/core/demo';
import type { Ledger } from '../../../src/lib/core/ledger';
import { TEST_PARAMS } from '../../../src/lib/core/params';
import type { Tx, TxKind } from '../../../src/lib/core/tx';
import { ledgerLookup, txPatients } from '../../../src/lib/core/tx-subjects';

type FakeNode = { key: string; block: { txs: readonly Tx[] }; txKeys: readonly string[] };

/** A chain as the index reads it: blocks by height over a fixed ledger. */
function fakeChain(nodes: readonly FakeNode[], ledger: Ledger): IndexableChain {
  return { height: nodes.length - 1, atHeight: (h) => nodes[h], ledger };
}

/** What the index must hold: every block read again, every transaction filed by kind and by patient. */
function fullScan(chain: IndexableChain) {
  const lookup = ledgerLookup(chain.ledger!);
  const byPatient = new Map<string, IndexedTx[]>();
  const byKind = new Map<TxKind, IndexedTx[]>();
  for (let h = 0; h <= chain.height; h++) {
    const n = chain.atHeight(h)!;
    n.block.txs.forEach((tx, i) => {
      const entry = { tx, id: n.txKeys[i]!, height: h, block: n.key };
      byKind.set(tx.kind, [...(byKind.get(tx.kind) ?? []), entry]);
      for (const p of txPatients(tx, lookup)) byPatient.set(p, [...(byPatient.get(p) ?? []), entry]);
    });
  }
  return { byPatient, byKind };
}

function expectSameAsScan(index: ActiveTxIndex, chain: IndexableChain, patients: Iterable<string>, kinds: Iterable<TxKind>) {
  const scan = fullScan(chain);
  for (const p of patients) expect(index.ofPatient(p)).toEqual(scan.byPatient.get(p) ?? []);
  for (const k of kinds) expect(index.ofKind(k)).toEqual(scan.byKind.get(k) ?? []);
}

const demo = demoChain({ blocks: 24, seed: 'active-tx-index', params: TEST_PARAMS });
const ledger = demo.chain.ledger!;
const real = demo.chain.activeBlocks();
const allPatients = [...ledger.patients.values()].map((p) => p.id);
const allKinds = [...new Set(real.flatMap((n) => n.block.txs.map((t) => t.kind)))];

describe('ActiveTxIndex', () => {
  it('on a real chain equals a full scan, and finds every patient’s records', () => {
    const index = new ActiveTxIndex();
    index.sync(demo.chain);
    expectSameAsScan(index, demo.chain, allPatients, allKinds);
    // The demo writes records for its patients: the index must file them, or the property below proves nothing.
    expect(allPatients.some((p) => index.ofPatient(p).length > 1)).toBe(true);
    for (const p of allPatients) for (const id of ledger.byPatient.get(p) ?? []) expect(index.ofPatient(p).some((e) => e.id === id)).toBe(true);
  });

  it('after any extensions, reorganisations and re-reads equals a full scan', () => {
    // A step: keep the chain up to `fork` (as a share of its height), then grow to `length` blocks with new keys;
    // `reread` hands the same blocks over in a new object, as a follower's read of the store does.
    const step = fc.record({ fork: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: real.length }), reread: fc.boolean() });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), (steps) => {
        let fresh = 0;
        const nodeAt = (h: number): FakeNode => {
          const n = real[h]!;
          // A block of another branch: the same transactions (so patients and kinds are filed), another key.
          return { key: h === 0 ? n.key : `${n.key}/${fresh++}`, block: n.block, txKeys: n.txKeys };
        };
        let nodes: FakeNode[] = [nodeAt(0)];
        const index = new ActiveTxIndex();
        for (const s of steps) {
          if (s.reread) nodes = nodes.map((n) => ({ ...n }));
          else {
            const fork = Math.floor(s.fork * (nodes.length - 1));
            nodes = nodes.slice(0, fork + 1);
            while (nodes.length < Math.max(s.length, fork + 1)) nodes.push(nodeAt(nodes.length));
          }
          const chain = fakeChain(nodes, ledger);
          index.sync(chain);
          expectSameAsScan(index, chain, allPatients, allKinds);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a reorganisation to a shorter branch takes the old blocks’ entries away', () => {
    const index = new ActiveTxIndex();
    const long = real.map((n) => ({ key: n.key, block: n.block, txKeys: n.txKeys }));
    index.sync(fakeChain(long, ledger));
    const withRecords = allPatients.find((p) => index.ofPatient(p).some((e) => e.height > 3))!;
    const short = [...long.slice(0, 3), { ...long[3]!, key: 'other-branch', block: { txs: [] }, txKeys: [] }];
    index.sync(fakeChain(short, ledger));
    expect(index.ofPatient(withRecords).every((e) => e.height < 3)).toBe(true);
    expectSameAsScan(index, fakeChain(short, ledger), allPatients, allKinds);
  });
});
