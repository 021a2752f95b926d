/**
 * The chain state with the network's ledger rules (stage 3): a block that
 * breaks a consent rule is refused on the active chain, a side branch is
 * checked when it would become the best chain (and discarded with its
 * descendants if it breaks a rule, the previous chain restored), and the
 * ledger always describes the active tip.
 */
import { describe, expect, it } from 'vitest';
import { x25519 } from '@noble/curves/ed25519.js';
import { ChainState, type BlockNode } from '../../../src/lib/core/chain';
import { toHex } from '../../../src/lib/core/bytes';
import { blockHash } from '../../../src/lib/core/block';
import { patientIdOf } from '../../../src/lib/core/ids';
import { TEST_PARAMS } from '../../../src/lib/core/params';
import { AccessMode, Category, OPEN_END, Purpose, SCOPE_ALL, encodePayload, type Payload, QuorumRule } from '../../../src/lib/core/payloads';
import { Prng } from '../../../src/lib/core/prng';
import { publicKeyOf } from '../../../src/lib/core/signature';
import { signTx } from '../../../src/lib/core/sign-tx';
import { blockTemplate, genesisTemplate, mineBlock } from '../../../src/lib/core/template';
import { GENESIS_SIGNING_NETWORK, type Tx, TxKind, txId } from '../../../src/lib/core/tx';
import { DEMO_START_TIME } from '../../../src/lib/core/demo';
import { ledgerRules } from '../../../src/lib/core/rules';

const P = TEST_PARAMS;
const T0 = DEMO_START_TIME;
const NOW = T0 + 1_000_000;
const prng = new Prng('chain-ledger');
const signer = () => {
  const secret = prng.bytes(32);
  return { secret, pub: publicKeyOf(secret) };
};
const H1 = signer();
const H1_DATA = x25519.getPublicKey(prng.bytes(32));
const PATIENT = signer();
const PATIENT_BOX = x25519.getPublicKey(prng.bytes(32));
const PID = patientIdOf(PATIENT.pub);
const ZERO = new Uint8Array(32);

let nonce = 1;
const tx = (who: { secret: Uint8Array; pub: Uint8Array }, p: Payload, time = T0, network = NET): Tx =>
  signTx(network, { kind: p.kind, nonce: nonce++, time, payload: encodePayload(p) }, who.secret, who.pub);

const found = tx(
  H1,
  { kind: TxKind.FoundNetwork, networkName: 'test', hospitalName: 'H1', dataKey: H1_DATA, quorum: QuorumRule.TwoThirds },
  T0,
  GENESIS_SIGNING_NETWORK,
);
/** The test network: what every transaction after the genesis block signs. */
const NET = blockHash(mineBlock(genesisTemplate(P, [found], T0, H1.pub)));
const register = tx(PATIENT, { kind: TxKind.RegisterPatient, boxKey: PATIENT_BOX });
const grant = tx(PATIENT, {
  kind: TxKind.GrantConsent,
  grantee: H1.pub,
  scope: SCOPE_ALL,
  purpose: Purpose.Treatment,
  expiry: T0 + 86_400 * 30,
  from: 0,
  to: OPEN_END,
  eraseBy: T0 + 86_400 * 30,
  mode: AccessMode.Download,
  regarding: ZERO,
});
const revokeGrant = tx(PATIENT, { kind: TxKind.RevokeConsent, grant: txId(grant) });
const hospitalRecord = (readers: Uint8Array[]) =>
  tx(H1, {
    kind: TxKind.AddRecord,
    patientId: PID,
    hospital: H1.pub,
    category: Category.Prescription,
    day: 19_000,
    body: { hash: prng.bytes(32), size: 500 },
    attachments: [],
    readers,
    keys: { hash: prng.bytes(32), size: 160 },
  });

function start(): ChainState {
  const genesis = mineBlock(genesisTemplate(P, [found], T0, H1.pub));
  return new ChainState(P, genesis, NOW, { rules: ledgerRules });
}

function child(chain: ChainState, parent: BlockNode, txs: Tx[], dt = 5) {
  return mineBlock(blockTemplate(chain, parent, txs, parent.header.time + dt, H1.pub));
}

function accept(chain: ChainState, parent: BlockNode, txs: Tx[], dt = 5): BlockNode {
  const r = chain.addBlock(child(chain, parent, txs, dt), NOW);
  if (r.status !== 'accepted') throw new Error(`not accepted: ${r.status === 'invalid' ? r.error.message : r.status}`);
  return r.node;
}

const sortedReaders = (...keys: Uint8Array[]) => keys.sort((a, b) => (toHex(a) < toHex(b) ? -1 : 1));

describe('chain state with the ledger rules', () => {
  it('applies genesis: the founder is an admitted hospital; a genesis without a founder is refused', () => {
    const chain = start();
    expect(chain.ledger!.hospitals.get(toHex(H1.pub))?.member).toBe(true);
    const bare = mineBlock(genesisTemplate(P, [tx(PATIENT, { kind: TxKind.RegisterPatient, boxKey: PATIENT_BOX }, T0, GENESIS_SIGNING_NETWORK)], T0, H1.pub));
    expect(() => new ChainState(P, bare, NOW, { rules: ledgerRules })).toThrowError(expect.objectContaining({ code: 'BAD_GENESIS' }));
  });

  it('refuses a block extending the tip that breaks a consent rule, and keeps tip and ledger as they were', () => {
    const chain = start();
    const b1 = accept(chain, chain.tip, [register]);
    const r = chain.addBlock(child(chain, b1, [hospitalRecord(sortedReaders(PATIENT_BOX, H1_DATA))]), NOW);
    expect(r.status === 'invalid' && r.error.code).toBe('NO_CONSENT');
    expect(chain.tip).toBe(b1);
    expect(chain.ledger!.records.size).toBe(0);
    // With consent the same kind of record is accepted, wrapped to exactly the required readers.
    const b2 = accept(chain, b1, [grant]);
    const bad = chain.addBlock(child(chain, b2, [hospitalRecord([PATIENT_BOX])]), NOW);
    expect(bad.status === 'invalid' && bad.error.code).toBe('BAD_READERS');
    accept(chain, b2, [hospitalRecord(sortedReaders(PATIENT_BOX, H1_DATA))]);
    expect(chain.ledger!.records.size).toBe(1);
  });

  it('checks a side branch when it would win: a rule-breaking branch is discarded and the active chain restored', () => {
    const chain = start();
    const g = chain.tip;
    const a1 = accept(chain, g, [register]);
    const a2 = accept(chain, a1, [grant]);
    // Branch B: registers the patient, then revokes a grant that does not exist on B.
    const b1 = accept(chain, g, [register], 6);
    // Equal work: kept as a side branch unchecked, or tried at once if its hash is lower, and then discarded.
    const b2 = child(chain, b1, [revokeGrant], 6);
    chain.addBlock(b2, NOW);
    expect(chain.tip).toBe(a2);
    const b3 = chain.addBlock(child(chain, { ...b1, hash: blockHash(b2), height: 2, header: b2.header } as BlockNode, [], 6), NOW);
    expect(b3.status).toBe('invalid');
    expect(chain.tip).toBe(a2);
    expect(chain.get(toHex(blockHash(b2)))).toBeUndefined();
    expect(chain.ledger!.grants.get(toHex(txId(grant)))?.revoked).toBe(false);
    // Descendants of the discarded block are refused at once.
    const again = chain.addBlock(child(chain, { ...b1, hash: blockHash(b2), height: 2, header: b2.header } as BlockNode, [], 7), NOW);
    expect(again.status).toBe('invalid');
  });

  it('a valid heavier branch takes over: the ledger follows it and lost transactions return to the pending pool', () => {
    const chain = start();
    const g = chain.tip;
    const a1 = accept(chain, g, [register]);
    accept(chain, a1, [grant]);
    expect(chain.ledger!.liveGrants(toHex(PID), T0 + 100)).toHaveLength(1);
    const b1 = accept(chain, g, [register], 6);
    const b2 = accept(chain, b1, [], 6);
    const r = chain.addBlock(child(chain, b2, [], 6), NOW);
    expect(r.status === 'accepted' && r.reorg?.forkPoint).toBe(g);
    expect(chain.ledger!.grants.size).toBe(0);
    expect(chain.pending.has(toHex(txId(grant)))).toBe(true);
    expect(chain.pending.has(toHex(txId(register)))).toBe(false);
  });

  it('the pending pool refuses a transaction the ledger would refuse, with its code', () => {
    const chain = start();
    accept(chain, chain.tip, [register]);
    const r = chain.addPendingTx(revokeGrant);
    expect(r.status === 'invalid' && r.code).toBe('UNKNOWN_REFERENCE');
    expect(chain.addPendingTx(grant).status).toBe('added');
  });
});

describe('finality and the ledger', () => {
  it('markFinal on a side block that breaks a ledger rule leaves the old final block and the chain moving', () => {
    const chain = start();
    const g = chain.tip;
    const a1 = accept(chain, g, [register]);
    const a2 = accept(chain, a1, [grant]);
    // A lighter side block founding the network again (GENESIS_ONLY): stored as an unchecked side branch.
    const side = child(
      chain,
      g,
      [tx(H1, { kind: TxKind.FoundNetwork, networkName: 'again', hospitalName: 'H1', dataKey: H1_DATA, quorum: QuorumRule.TwoThirds })],
      7,
    );
    expect(chain.addBlock(side, NOW).status).toBe('accepted');
    const sideKey = toHex(blockHash(side));
    expect(chain.get(sideKey)).toBeDefined();
    chain.markFinal(sideKey);
    expect(chain.finalized).toBe(g);
    expect(chain.get(sideKey)).toBeUndefined();
    expect(chain.tip).toBe(a2);
    expect(accept(chain, a2, [revokeGrant])).toBe(chain.tip);
  });

  it('refuses blocks that fork below the last final block (BELOW_FINAL), without storing them', () => {
    const chain = start();
    const g = chain.tip;
    const a1 = accept(chain, g, [register]);
    chain.markFinal(a1.key);
    const count = chain.blockCount;
    for (let i = 0; i < 5; i++) {
      const r = chain.addBlock(child(chain, g, [], 10 + i), NOW);
      expect(r.status === 'invalid' && r.error.code).toBe('BELOW_FINAL');
    }
    expect(chain.blockCount).toBe(count);
  });
});

describe('choosing pending transactions for a block', () => {
  it('takes those that apply in order under the ledger, skips the rest, and changes nothing', () => {
    const chain = start();
    const reg = tx(PATIENT, { kind: TxKind.RegisterPatient, boxKey: PATIENT_BOX }, T0 + 1);
    const g2 = tx(
      PATIENT,
      {
        kind: TxKind.GrantConsent,
        grantee: H1.pub,
        scope: SCOPE_ALL,
        purpose: Purpose.Treatment,
        expiry: T0 + 86_400,
        from: 0,
        to: OPEN_END,
        eraseBy: T0 + 86_400,
        mode: AccessMode.Download,
        regarding: ZERO,
      },
      T0 + 2,
    );
    const orphanRevoke = tx(PATIENT, { kind: TxKind.RevokeConsent, grant: new Uint8Array(32).fill(7) }, T0 + 3);
    // The pool checks each against the tip alone: the grant needs the registration first.
    for (const t of [reg, orphanRevoke]) chain.pending.add({ tx: t, key: toHex(txId(t)), size: 200 });
    chain.pending.add({ tx: g2, key: toHex(txId(g2)), size: 200 });
    const before = chain.ledger!.patients.size;
    const chosen = chain.selectForBlock(T0 + 10);
    expect(chosen).toEqual([reg, g2]);
    expect(chain.ledger!.patients.size).toBe(before);
    accept(chain, chain.tip, chosen);
    expect(chain.ledger!.liveGrants(toHex(PID), T0 + 20)).toHaveLength(1);
    // The revocation of a grant no one knows can never apply: the block's arrival drops it from the pool (issue 13 #8).
    expect(chain.pending.size).toBe(0);
    expect(chain.failedTx(toHex(txId(orphanRevoke)))).toBe('UNKNOWN_REFERENCE');
  });
});
