/**
 * Cross-network replay (issue 13 #10; SPEC §5: "a signature binds its
 * transaction to one network (its genesis): a transaction of one network is
 * never valid on another"). One hospital key and one patient key are used on
 * two networks, A and B; whatever they sign for A is refused by B (in a
 * block, in the pending pool, as a vote, as equivocation evidence, as a
 * staff or key-rotation proof) with the same code as any bad signature, and
 * accepted by A. The genesis block's own transactions sign the zero network
 * and are valid nowhere else.
 */
import fc from 'fast-check';
import { x25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import type { Block } from '../../../src/lib/core/block';
import { ChainState } from '../../../src/lib/core/chain';
import { DEMO_START_TIME } from '../../../src/lib/core/demo';
import { TEST_PARAMS } from '../../../src/lib/core/params';
import { type Payload, encodePayload, QuorumRule } from '../../../src/lib/core/payloads';
import { Prng } from '../../../src/lib/core/prng';
import { nobleVerifier, publicKeyOf } from '../../../src/lib/core/signature';
import { signTx } from '../../../src/lib/core/sign-tx';
import { blockTemplate, genesisTemplate, mineBlock } from '../../../src/lib/core/template';
import { toHex } from '../../../src/lib/core/bytes';
import { GENESIS_SIGNING_NETWORK, type Tx, TxKind, signingNetwork, txId } from '../../../src/lib/core/tx';
import { checkTxSignature } from '../../../src/lib/core/validate';
import { type Vote, VotePhase, evidencePayload, readVote, signVote } from '../../../src/lib/core/vote';
import { World } from './ledger-world';
import { ledgerRules } from '../../../src/lib/core/rules';

const T0 = DEMO_START_TIME;
const NOW = T0 + 10_000;
const prng = new Prng('network-binding');
const keyPair = () => {
  const secret = prng.bytes(32);
  return { secret, pub: publicKeyOf(secret) };
};
/** The same hospital authority and the same patient key on both networks. */
const HOSPITAL = keyPair();
const PATIENT = keyPair();
const REPORTER = keyPair();
const DATA_KEY = x25519.getPublicKey(prng.bytes(32));

/** A network founded by {@link HOSPITAL} under `name`: its chain and its genesis hash. */
function network(name: string): { chain: ChainState; id: Uint8Array } {
  const found = signTx(
    GENESIS_SIGNING_NETWORK,
    {
      kind: TxKind.FoundNetwork,
      nonce: 1,
      time: T0,
      payload: encodePayload({ kind: TxKind.FoundNetwork, networkName: name, hospitalName: 'Same Hospital', dataKey: DATA_KEY, quorum: QuorumRule.TwoThirds }),
    },
    HOSPITAL.secret,
    HOSPITAL.pub,
  );
  const genesis = mineBlock(genesisTemplate(TEST_PARAMS, [found], T0, HOSPITAL.pub));
  const chain = new ChainState(TEST_PARAMS, genesis, NOW, { rules: ledgerRules });
  return { chain, id: chain.genesis.hash };
}

let nonce = 10;
const tx = (network: Uint8Array, who: { secret: Uint8Array; pub: Uint8Array }, p: Payload): Tx =>
  signTx(network, { kind: p.kind, nonce: nonce++, time: T0 + 1, payload: encodePayload(p) }, who.secret, who.pub);
const registration = (network: Uint8Array) => tx(network, PATIENT, { kind: TxKind.RegisterPatient, boxKey: x25519.getPublicKey(prng.bytes(32)) });

/** A block on the tip of `chain` carrying `txs`. */
const blockOn = (chain: ChainState, txs: readonly Tx[]): Block => mineBlock(blockTemplate(chain, chain.tip, txs, chain.tip.header.time + 5, HOSPITAL.pub));

/**
 * The pending pool's answer to a bad signature: invalid with no rule code,
 * which the mesh scores as the sender's fault (gossip.ts), as for any forgery.
 */
const BAD_SIGNATURE = (t: Tx) => ({ status: 'invalid', key: toHex(txId(t)), reason: 'invalid signature' });

/** The code a block is refused with, or its status. */
function outcome(chain: ChainState, block: Block): string {
  const r = chain.addBlock(block, NOW);
  return r.status === 'invalid' ? r.error.code : r.status;
}

describe('a signature binds its network (cross-network replay)', () => {
  it('the two networks differ only by their genesis', () => {
    const a = network('A');
    const b = network('B');
    expect(a.id).not.toEqual(b.id);
    expect(a.chain.params).toBe(b.chain.params);
  });

  it('a transaction signed for A is refused by B in a block (BAD_TX_SIGNATURE) and in the pending pool (as a bad signature), accepted by A', () => {
    const a = network('A');
    const b = network('B');
    const forA = registration(a.id);
    expect(b.chain.addPendingTx(forA, NOW)).toEqual(BAD_SIGNATURE(forA));
    expect(outcome(b.chain, blockOn(b.chain, [forA]))).toBe('BAD_TX_SIGNATURE');
    expect(a.chain.addPendingTx(forA, NOW).status).toBe('added');
    expect(outcome(a.chain, blockOn(a.chain, [forA]))).toBe('accepted');
    // B takes the same registration when it is signed for B: only the network was wrong.
    const forB = registration(b.id);
    expect(b.chain.addPendingTx(forB, NOW).status).toBe('added');
    expect(outcome(b.chain, blockOn(b.chain, [forB]))).toBe('accepted');
  });

  it('a vote signed for A fails the vote check on B, and in a block of B', () => {
    const a = network('A');
    const b = network('B');
    const vote = signVote(a.id, HOSPITAL, { height: 1, round: 0, phase: VotePhase.Prevote, block: a.chain.genesis.hash }, T0 + 1);
    // What the agreement layer checks before counting a peer's vote (src/lib/node/agreement.ts checkVote).
    expect(checkTxSignature(vote, nobleVerifier, a.chain.genesis.hash)).toBe(true);
    expect(checkTxSignature(vote, nobleVerifier, b.chain.genesis.hash)).toBe(false);
    expect(b.chain.addPendingTx(vote, NOW)).toEqual(BAD_SIGNATURE(vote));
    expect(outcome(b.chain, blockOn(b.chain, [vote]))).toBe('BAD_TX_SIGNATURE');
  });

  it('equivocation evidence made of votes signed for A frames no one on B (BAD_EVIDENCE)', () => {
    const a = network('A');
    const b = network('B');
    const votes = (network: Uint8Array) =>
      [prng.bytes(32), prng.bytes(32)].map((block) =>
        readVote(signVote(network, HOSPITAL, { height: 1, round: 0, phase: VotePhase.Precommit, block }, T0 + 1))!,
      );
    const report = (first: Vote, second: Vote) =>
      signTx(b.id, { kind: TxKind.Evidence, nonce: nonce++, time: T0 + 1, payload: evidencePayload(first, second) }, REPORTER.secret, REPORTER.pub);
    const [a1, a2] = votes(a.id);
    expect(outcome(b.chain, blockOn(b.chain, [report(a1!, a2!)]))).toBe('BAD_EVIDENCE');
    const [b1, b2] = votes(b.id);
    expect(outcome(b.chain, blockOn(b.chain, [report(b1!, b2!)]))).toBe('accepted');
  });

  it("the genesis block's own transactions sign the zero network: valid there, and nowhere after it", () => {
    const a = network('A');
    const founding = a.chain.genesis.block.txs[0]!;
    expect(checkTxSignature(founding, nobleVerifier, GENESIS_SIGNING_NETWORK)).toBe(true);
    expect(checkTxSignature(founding, nobleVerifier, a.id)).toBe(false);
    expect(signingNetwork(a.id, 0)).toEqual(GENESIS_SIGNING_NETWORK);
    expect(signingNetwork(a.id, 1)).toEqual(a.id);
    // A transaction signed the genesis way is refused in any later block.
    const zeroSigned = registration(GENESIS_SIGNING_NETWORK);
    expect(a.chain.addPendingTx(zeroSigned, NOW)).toEqual(BAD_SIGNATURE(zeroSigned));
    expect(outcome(a.chain, blockOn(a.chain, [zeroSigned]))).toBe('BAD_TX_SIGNATURE');
    // And a genesis block whose transaction was signed for some network is refused.
    const signedForA = signTx(
      a.id,
      {
        kind: TxKind.FoundNetwork,
        nonce: 1,
        time: T0,
        payload: encodePayload({ kind: TxKind.FoundNetwork, networkName: 'C', hospitalName: 'H', dataKey: DATA_KEY, quorum: QuorumRule.TwoThirds }),
      },
      HOSPITAL.secret,
      HOSPITAL.pub,
    );
    const c = mineBlock(genesisTemplate(TEST_PARAMS, [signedForA], T0, HOSPITAL.pub));
    expect(() => new ChainState(TEST_PARAMS, c, NOW, { rules: ledgerRules })).toThrow(/BAD_TX_SIGNATURE/);
  });

  it('a staff agreement or a key-rotation proof signed for another network is refused (BAD_PROOF)', () => {
    const w = new World('network-binding');
    const h = w.hospital('H');
    w.ok(w.found(h));
    const elsewhere = prng.bytes(32);
    const s = w.staffOf(h, 'S');
    expect(w.code(w.certifyStaff(h, s, { proofNetwork: elsewhere }))).toBe('BAD_PROOF');
    expect(w.code(w.certifyStaff(h, s))).toBe('OK');
    const p = w.patient('P');
    w.ok(w.registerPatient(p));
    const newSign = w.signKey();
    const newBox = w.boxKey();
    expect(w.code(w.rotateKeys(p, { newSign, newBox, proofNetwork: elsewhere }))).toBe('BAD_PROOF');
    expect(w.code(w.rotateKeys(p, { newSign, newBox }))).toBe('OK');
  });

  it('property: a signature made for one genesis never verifies for any other', () => {
    const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
    fc.assert(
      fc.property(bytes32, fc.nat({ max: 255 }), fc.integer({ min: 0, max: 7 }), fc.uint8Array({ maxLength: 64 }), (genesis, at, bit, payload) => {
        const signed = signTx(genesis, { kind: TxKind.AddRecord, nonce: 1, time: T0, payload }, PATIENT.secret, PATIENT.pub);
        const other = genesis.slice();
        other[at % 32]! ^= 1 << bit;
        expect(checkTxSignature(signed, nobleVerifier, genesis)).toBe(true);
        expect(checkTxSignature(signed, nobleVerifier, other)).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});
