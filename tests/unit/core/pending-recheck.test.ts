/**
 * The pending pool forgets what can no longer apply (issue 13 #8): when the
 * active chain changes, pending transactions are checked again; one that a
 * block made invalid for good (a record whose grant was revoked) leaves the
 * pool with its rule's code, is remembered as failed and is never mined. One
 * that only waits for another pending transaction, or only conflicts with
 * one no block has confirmed, or fails for a reason time cures, stays.
 */
import { describe, expect, it } from 'vitest';
import { x25519 } from '@noble/curves/ed25519.js';
import { ChainState, type BlockNode } from '../../../src/lib/core/chain';
import { toHex } from '../../../src/lib/core/bytes';
import { FailedTxs, isPermanentFailure } from '../../../src/lib/core/failed-txs';
import { patientIdOf } from '../../../src/lib/core/ids';
import { TEST_PARAMS } from '../../../src/lib/core/params';
import {
  AccessMode,
  type Category,
  OPEN_END,
  Category as C,
  MAX_LIVE_GRANTS,
  Purpose,
  SCOPE_ALL,
  encodePayload,
  keyBlobBytes,
  type Payload,
  QuorumRule,
} from '../../../src/lib/core/payloads';
import { Prng } from '../../../src/lib/core/prng';
import { publicKeyOf } from '../../../src/lib/core/signature';
import { signTx } from '../../../src/lib/core/sign-tx';
import { blockTemplate, genesisTemplate, mineBlock } from '../../../src/lib/core/template';
import { GENESIS_SIGNING_NETWORK, type Tx, TxKind, txId } from '../../../src/lib/core/tx';
import { DEMO_START_TIME } from '../../../src/lib/core/demo';
import { ledgerRules } from '../../../src/lib/core/rules';

const P = TEST_PARAMS;
const T0 = DEMO_START_TIME;
const DAY = 86_400;
const ZERO = new Uint8Array(32);

/** A founded chain with one hospital (H1, and a second, H2) and a registered patient, and builders for their transactions. */
function world(seed: string) {
  const prng = new Prng(seed);
  const signer = () => {
    const secret = prng.bytes(32);
    return { secret, pub: publicKeyOf(secret) };
  };
  const H1 = signer();
  const H1_DATA = x25519.getPublicKey(prng.bytes(32));
  const patient = signer();
  const box = x25519.getPublicKey(prng.bytes(32));
  const pid = patientIdOf(patient.pub);
  let nonce = 1;
  let network = GENESIS_SIGNING_NETWORK;
  const tx = (who: { secret: Uint8Array; pub: Uint8Array }, p: Payload, time: number): Tx =>
    signTx(network, { kind: p.kind, nonce: nonce++, time, payload: encodePayload(p) }, who.secret, who.pub);
  const genesis = mineBlock(
    genesisTemplate(
      P,
      [tx(H1, { kind: TxKind.FoundNetwork, networkName: 't', hospitalName: 'H1', dataKey: H1_DATA, quorum: QuorumRule.TwoThirds }, T0)],
      T0,
      H1.pub,
    ),
  );
  const chain = new ChainState(P, genesis, T0, { rules: ledgerRules });
  network = chain.genesis.hash;
  const sorted = (...keys: Uint8Array[]) => keys.sort((a, b) => (toHex(a) < toHex(b) ? -1 : 1));
  const clock = { now: T0 };
  const w = {
    chain,
    /** The chain's clock: the latest block's time. */
    get time(): number {
      return clock.now;
    },
    register: (time = clock.now) => tx(patient, { kind: TxKind.RegisterPatient, boxKey: box }, time),
    grant: (scope: number, time = clock.now, expiry = T0 + 30 * DAY) =>
      tx(
        patient,
        {
          kind: TxKind.GrantConsent,
          grantee: H1.pub,
          scope,
          purpose: Purpose.Treatment,
          from: 0,
          to: OPEN_END,
          expiry,
          eraseBy: expiry,
          mode: AccessMode.View,
          regarding: ZERO,
        },
        time,
      ),
    revoke: (grant: Tx, time = clock.now) => tx(patient, { kind: TxKind.RevokeConsent, grant: txId(grant) }, time),
    /** H1's record of `category`, wrapped to the patient and H1 (H1's consent is the only one in these tests). */
    record: (category: Category, time = clock.now) =>
      tx(
        H1,
        {
          kind: TxKind.AddRecord,
          patientId: pid,
          hospital: H1.pub,
          category,
          day: 19_000,
          body: { hash: prng.bytes(32), size: 500 },
          attachments: [],
          readers: sorted(box, H1_DATA),
          keys: { hash: prng.bytes(32), size: keyBlobBytes(2) },
        },
        time,
      ),
    /** Mines `txs` on `parent` (the tip by default) `dt` seconds later and adds the block; returns the result. */
    block(txs: Tx[], parent: BlockNode = chain.tip, dt = 10) {
      const block = mineBlock(blockTemplate(chain, parent, txs, parent.header.time + dt, H1.pub));
      clock.now = Math.max(clock.now, block.header.time);
      const r = chain.addBlock(block, clock.now);
      if (r.status !== 'accepted') throw new Error(`block refused: ${r.status === 'invalid' ? r.error.message : r.status}`);
      return r;
    },
    /** Adds to the pool through the node's own entry (which checks against the tip). */
    pool(t: Tx) {
      const r = chain.addPendingTx(t, clock.now);
      if (r.status !== 'added') throw new Error(`not pooled: ${r.status} ${r.status === 'invalid' ? r.reason : ''}`);
      return r.key;
    },
  };
  return w;
}

const key = (t: Tx) => toHex(txId(t));
const LAB = 1 << C.LabReport;
const RX = 1 << C.Prescription;

describe('writing outside the grant', () => {
  it('a lab-only consent lets a hospital add a lab report, never a prescription: the pool and a block refuse it with OUT_OF_SCOPE', () => {
    const w = world('scope');
    w.block([w.register(), w.grant(LAB)]);
    const rx = w.record(C.Prescription);
    const pooled = w.chain.addPendingTx(rx, w.time);
    expect(pooled.status === 'invalid' && pooled.code).toBe('OUT_OF_SCOPE');
    const block = mineBlock(blockTemplate(w.chain, w.chain.tip, [rx], w.time + 10, new Uint8Array(32)));
    const r = w.chain.addBlock(block, w.time + 10);
    expect(r.status === 'invalid' && r.error.code).toBe('OUT_OF_SCOPE');
    w.pool(w.record(C.LabReport));
  });
});

describe('the pending pool after a block connects', () => {
  it('a record waiting when a block revokes its grant leaves the pool with NO_CONSENT, is remembered as failed and is never mined', () => {
    const w = world('revoked');
    const grant = w.grant(SCOPE_ALL);
    w.block([w.register(), grant]);
    const rec = w.pool(w.record(C.Consultation));
    const r = w.block([w.revoke(grant)]);
    expect(r.reorg?.failedTxs).toEqual([{ key: rec, code: 'NO_CONSENT' }]);
    expect(w.chain.pending.has(rec)).toBe(false);
    expect(w.chain.failedTx(rec)).toBe('NO_CONSENT');
    expect(w.chain.selectForBlock(w.time + 10)).toEqual([]);
  });

  it('a prescription waiting when its prescription grant is revoked (lab consent still live) fails with OUT_OF_SCOPE', () => {
    const w = world('narrowed');
    const rx = w.grant(RX);
    w.block([w.register(), w.grant(LAB), rx]);
    const rec = w.pool(w.record(C.Prescription));
    const lab = w.pool(w.record(C.LabReport));
    w.block([w.revoke(rx)]);
    expect(w.chain.failedTx(rec)).toBe('OUT_OF_SCOPE');
    // The lab report still applies: it stays and is mined.
    expect(w.chain.pending.has(lab)).toBe(true);
    expect(w.chain.failedTx(lab)).toBeUndefined();
    expect(w.chain.selectForBlock(w.time + 10).map(key)).toEqual([lab]);
  });

  it('a grant that expired while waiting fails with BAD_EXPIRY once a block is later than its expiry', () => {
    const w = world('expired');
    w.block([w.register()]);
    // A grant for one minute: valid now, dead once a block is later than that.
    const brief = w.pool(w.grant(SCOPE_ALL, w.time, w.time + 60));
    w.block([], w.chain.tip, 120);
    expect(w.chain.pending.has(brief)).toBe(false);
    expect(w.chain.failedTx(brief)).toBe('BAD_EXPIRY');
  });

  it('keeps a transaction that only conflicts with another pending one until a block confirms that one', () => {
    const w = world('conflict');
    const grant = w.grant(SCOPE_ALL);
    w.block([w.register(), grant]);
    // The revocation sorts first (older): a miner would take it and skip the record, but no block has yet.
    const revoke = w.pool(w.revoke(grant, w.time - 5));
    const rec = w.pool(w.record(C.Consultation));
    w.block([]);
    expect(w.chain.pending.has(rec)).toBe(true);
    expect(w.chain.pending.has(revoke)).toBe(true);
    expect(w.chain.failedTx(rec)).toBeUndefined();
    // The block that confirms the revocation decides it.
    w.block(w.chain.selectForBlock(w.time + 10));
    expect(w.chain.pending.size).toBe(0);
    expect(w.chain.failedTx(rec)).toBe('NO_CONSENT');
  });

  it('keeps a grant refused only because the patient holds the most live grants (TOO_MANY_GRANTS: an expiry cures it)', () => {
    const w = world('too-many');
    w.block([w.register(), ...Array.from({ length: MAX_LIVE_GRANTS - 1 }, () => w.grant(LAB))]);
    const waiting = w.pool(w.grant(RX));
    w.block([w.grant(LAB)]);
    expect(w.chain.pending.has(waiting)).toBe(true);
    expect(w.chain.failedTx(waiting)).toBeUndefined();
    expect(w.chain.selectForBlock(w.time + 10)).toEqual([]);
  });
});

describe('the pending pool after a reorganisation', () => {
  it('transactions of orphaned blocks come back with the records that need them, and none fails: each waits for another pending one', () => {
    const w = world('reorg');
    const g = w.chain.tip;
    // Dated so the grant sorts before the registration it needs (clocks differ between devices).
    const register = w.register(T0 + 3);
    const grant = w.grant(SCOPE_ALL, T0 + 2);
    w.block([register]);
    w.block([grant]);
    const rec = w.pool(w.record(C.Consultation));
    // A heavier branch without them: the registration and grant return to the pool, and the record needs both.
    let side: BlockNode = g;
    let returned: readonly Tx[] = [];
    for (let i = 0; i < 3; i++) {
      const r = w.block([], side, 12);
      side = r.node;
      if (r.reorg?.returnedTxs.length) returned = r.reorg.returnedTxs;
    }
    expect(w.chain.tip).toBe(side);
    expect(returned.map(key).sort()).toEqual([key(register), key(grant)].sort());
    expect(w.chain.pending.has(key(register))).toBe(true);
    expect(w.chain.pending.has(key(grant))).toBe(true);
    expect(w.chain.pending.has(rec)).toBe(true);
    expect(w.chain.failedTx(rec)).toBeUndefined();
    // They are all mined (a miner takes them in time order, so over more than one block).
    for (let i = 0; i < 3 && w.chain.pending.size > 0; i++) w.block(w.chain.selectForBlock(w.time + 10));
    for (const k of [key(register), key(grant), rec]) expect(w.chain.txHeight(k)).toBeDefined();
  });

  it('a record whose grant the new branch revoked fails when that branch takes over', () => {
    const w = world('reorg-revoke');
    const grant = w.grant(SCOPE_ALL);
    const base = w.block([w.register(), grant]).node;
    const rec = w.pool(w.record(C.Consultation));
    w.block([]);
    expect(w.chain.pending.has(rec)).toBe(true);
    let side: BlockNode = base;
    let disconnected = 0;
    for (let i = 0; i < 2; i++) {
      const r = w.block(i === 0 ? [w.revoke(grant)] : [], side, 13);
      side = r.node;
      disconnected += r.reorg?.disconnected.length ?? 0;
    }
    expect(w.chain.tip).toBe(side);
    expect(disconnected).toBe(1);
    expect(w.chain.pending.has(rec)).toBe(false);
    expect(w.chain.failedTx(rec)).toBe('NO_CONSENT');
  });
});

describe('which failures are permanent', () => {
  it('a revoked or narrowed consent, changed readers, a claimed key are permanent; too many live grants waits', () => {
    for (const code of ['NO_CONSENT', 'OUT_OF_SCOPE', 'BAD_READERS', 'KEY_IN_USE', 'UNKNOWN_REFERENCE', 'NOT_AUTHORISED', 'BAD_EXPIRY'] as const)
      expect(isPermanentFailure(code), code).toBe(true);
    expect(isPermanentFailure('TOO_MANY_GRANTS')).toBe(false);
  });

  it('remembers a bounded number of failures, oldest forgotten first', () => {
    const f = new FailedTxs(3);
    for (const k of ['a', 'b', 'c', 'd']) f.remember(k, 'NO_CONSENT');
    expect(f.size).toBe(3);
    expect(f.get('a')).toBeUndefined();
    expect(f.get('d')).toBe('NO_CONSENT');
    f.forget('d');
    expect(f.get('d')).toBeUndefined();
  });
});
