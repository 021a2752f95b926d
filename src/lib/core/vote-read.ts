/**
 * Reading votes out of transactions (docs/consensus.md): an Approval as
 * (validator, height, round, phase, block), whether two votes equivocate,
 * and the two votes an Evidence payload carries. Below vote.ts (which also
 * signs votes) so the Evidence kind's rule can read votes without importing
 * the kind registry back.
 *
 * A vote for no block ("nil") names the all-zero hash.
 */
import { bytesEqual, toHex } from './bytes';
import { DecodeError } from './errors';
import { HASH_BYTES } from './hash';
import { approval } from './kinds/approval';
import { decodeKind } from './kinds/codec';
import type { VotePhase } from './payload-fields';
import { type Tx, TxKind, decodeTx } from './tx';

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

/** The block hash a vote for no block (nil) names. */
export const NIL = new Uint8Array(HASH_BYTES);

/** Reads a transaction as a vote; null when it is not a well-formed Approval (peers' garbage is not an error). */
export function readVote(tx: Tx): Vote | null {
  if (tx.kind !== TxKind.Approval) return null;
  try {
    const p = decodeKind(approval, tx.payload);
    const block = bytesEqual(p.block, NIL) ? null : toHex(p.block);
    return { validator: toHex(tx.author), height: p.height, round: p.round, phase: p.phase, block, tx };
  } catch (e) {
    if (e instanceof DecodeError) return null;
    throw e;
  }
}

/** Whether two votes are an equivocation: one validator, one height, round and phase, two different choices. */
export function equivocates(a: Vote, b: Vote): boolean {
  return a.validator === b.validator && a.height === b.height && a.round === b.round && a.phase === b.phase && a.block !== b.block;
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
