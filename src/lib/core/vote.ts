/**
 * A validator's vote (docs/consensus.md): an Approval transaction read as
 * (validator, height, round, phase, block). Votes are signed transactions so
 * they travel like any other (gossip) and can be recorded in blocks; the
 * precommits that made a block final are its commit certificate, carried in a
 * later block so the chain holds its own evidence (SPEC §5, paper §III).
 *
 * Reading votes is in vote-read.ts (re-exported here); this module signs them
 * and builds evidence. A vote for no block ("nil") names the all-zero hash.
 */
import { VotePhase, encodePayload } from './payloads';
import { signTx } from './sign-tx';
import { type Tx, TxKind, encodeTx } from './tx';
import { NIL, type Vote } from './vote-read';

export { VotePhase };
export { type Vote, equivocates, readEvidence, readVote } from './vote-read';

/**
 * Signs a vote for `network` (the chain's genesis hash: a vote of one network
 * never counts on another). The round is the nonce: one vote per phase and
 * round is all an honest validator casts.
 */
export function signVote(
  network: Uint8Array,
  key: { readonly secret: Uint8Array; readonly pub: Uint8Array },
  v: { readonly height: number; readonly round: number; readonly phase: VotePhase; readonly block: Uint8Array | null },
  now: number,
): Tx {
  const payload = encodePayload({ kind: TxKind.Approval, block: v.block ?? NIL, height: v.height, round: v.round, phase: v.phase });
  return signTx(network, { kind: TxKind.Approval, nonce: v.round, time: now, payload }, key.secret, key.pub);
}

/** The Evidence transaction's payload for two equivocating votes. */
export function evidencePayload(a: Vote, b: Vote) {
  const [first, second] = [encodeTx(a.tx), encodeTx(b.tx)];
  return encodePayload({ kind: TxKind.Evidence, first, second });
}
