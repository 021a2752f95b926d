/**
 * A validator's vote (docs/consensus.md): an Approval transaction read as
 * (validator, height, round, phase, block). Votes are signed transactions so
 * they travel like any other (gossip) and can be recorded in blocks; the
 * precommits that made a block final are its commit certificate, carried in a
 * later block so the chain holds its own evidence (SPEC §5, paper §III).
 *
 * A vote for no block ("nil") names the all-zero hash.
 */
import { bytesEqual, toHex } from './bytes';
import { DecodeError } from './errors';
import { HASH_BYTES } from './hash';
import { VotePhase, decodePayload, encodePayload } from './payloads';
import { signTx } from './sign-tx';
import { type Tx, TxKind, decodeTx, encodeTx } from './tx';

export { VotePhase };

export interface Vote {
  /** The validator's signing key, hex. */
  readonly validator: string;
  readonly height: number;
  readonly round: number;
  readonly phase: VotePhase;
  /** The block voted for, hex; null for nil. */
  readonly block: string | null;
  readonly tx: Tx;
}

const NIL = new Uint8Array(HASH_BYTES);

/** Reads a transaction as a vote; null when it is not a well-formed Approval (peers' garbage is not an error). */
export function readVote(tx: Tx): Vote | null {
  if (tx.kind !== TxKind.Approval) return null;
  try {
    const p = decodePayload(TxKind.Approval, tx.payload);
    if (p.kind !== TxKind.Approval) return null;
    const block = bytesEqual(p.block, NIL) ? null : toHex(p.block);
    return { validator: toHex(tx.author), height: p.height, round: p.round, phase: p.phase, block, tx };
  } catch (e) {
    if (e instanceof DecodeError) return null;
    throw e;
  }
}

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

/** Whether two votes are an equivocation: one validator, one height, round and phase, two different choices. */
export function equivocates(a: Vote, b: Vote): boolean {
  return a.validator === b.validator && a.height === b.height && a.round === b.round && a.phase === b.phase && a.block !== b.block;
}

/** The Evidence transaction's payload for two equivocating votes. */
export function evidencePayload(a: Vote, b: Vote) {
  const [first, second] = [encodeTx(a.tx), encodeTx(b.tx)];
  return encodePayload({ kind: TxKind.Evidence, first, second });
}

/** Reads the two votes an Evidence payload carries; null when either is not a vote. */
export function readEvidence(first: Uint8Array, second: Uint8Array): [Vote, Vote] | null {
  try {
    const a = readVote(decodeTx(first));
    const b = readVote(decodeTx(second));
    return a && b ? [a, b] : null;
  } catch (e) {
    if (e instanceof DecodeError) return null;
    throw e;
  }
}
