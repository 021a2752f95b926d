/**
 * A validator's memory of what it signed at the height under agreement
 * (docs/consensus.md rule 9): its round, its lock and the polka that proves
 * it, the choice it cast in each slot, and the votes themselves. It must
 * survive a closed tab, or a restarted validator could sign a vote that
 * conflicts with one it already sent. Canonical encoding, version 2.
 */
import { hexToBytes, toHex } from './bytes';
import { decodeAll, encodeWith, type Reader, type Writer } from './encoding';
import { DecodeError } from './errors';
import { HASH_BYTES } from './hash';
import { type Tx, readTx, writeTx } from './tx';

export interface VoteMemory {
  readonly height: number;
  readonly round: number;
  readonly locked: { readonly block: string; readonly round: number } | null;
  /** The prevotes of the polka behind the lock. */
  readonly lockProof: readonly Tx[];
  /** "round/phase" → the block voted for (hex), or null for nil. */
  readonly cast: ReadonlyMap<string, string | null>;
  readonly sent: readonly Tx[];
}

const VERSION = 2;
const MAX_VOTES = 4096;
const MAX_TX_BYTES = 64 * 1024;

function writeTxs(w: Writer, txs: readonly Tx[]): void {
  w.varuint(txs.length);
  for (const tx of txs) w.bytes(encodeWith(writeTx, tx), MAX_TX_BYTES);
}

function readTxs(r: Reader, what: string): Tx[] {
  const out: Tx[] = [];
  for (let i = r.count(MAX_VOTES, what); i > 0; i--) out.push(decodeAll(r.bytes(MAX_TX_BYTES, what), readTx, what));
  return out;
}

function writeMemory(w: Writer, m: VoteMemory): void {
  w.u8(VERSION).varuint(m.height).varuint(m.round);
  w.u8(m.locked ? 1 : 0);
  if (m.locked) w.fixed(hexToBytes(m.locked.block), HASH_BYTES).varuint(m.locked.round);
  writeTxs(w, m.lockProof);
  const cast = [...m.cast].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  w.varuint(cast.length);
  for (const [slot, block] of cast) {
    const [round, phase] = slot.split('/').map(Number);
    w.varuint(round!)
      .u8(phase!)
      .u8(block === null ? 0 : 1);
    if (block !== null) w.fixed(hexToBytes(block), HASH_BYTES);
  }
  writeTxs(w, m.sent);
}

/** A 0/1 flag; any other byte has no writer and is refused (canonical: one encoding per memory). */
function readFlag(r: Reader, what: string): boolean {
  const at = r.offset;
  const v = r.u8(what);
  if (v > 1) throw new DecodeError('NON_CANONICAL', `${what} ${v} is neither 0 nor 1`, at);
  return v === 1;
}

function readMemory(r: Reader): VoteMemory {
  if (r.u8('version') !== VERSION) throw new DecodeError('BAD_VERSION', 'unknown vote memory version', 0);
  const height = r.varuint('height');
  const round = r.varuint('round');
  const locked = readFlag(r, 'lock flag') ? { block: toHex(r.fixed(HASH_BYTES, 'lock')), round: r.varuint('lock round') } : null;
  const lockProof = readTxs(r, 'lock proof');
  const cast = new Map<string, string | null>();
  let last: string | null = null;
  for (let i = r.count(MAX_VOTES, 'cast'); i > 0; i--) {
    const at = r.offset;
    const slot = `${r.varuint('round')}/${r.u8('phase')}`;
    // The writer sorts the slots: out of order or twice is another encoding of some memory.
    if (last !== null && slot <= last) throw new DecodeError('NON_CANONICAL', 'cast slots not in ascending order', at);
    last = slot;
    cast.set(slot, readFlag(r, 'choice flag') ? toHex(r.fixed(HASH_BYTES, 'choice')) : null);
  }
  return { height, round, locked, lockProof, cast, sent: readTxs(r, 'vote') };
}

export const encodeVoteMemory = (m: VoteMemory): Uint8Array => encodeWith(writeMemory, m);

/** Null for bytes that are not a vote memory (damaged storage is reported, not thrown). */
export function decodeVoteMemory(bytes: Uint8Array): VoteMemory | null {
  try {
    return decodeAll(bytes, readMemory, 'vote memory');
  } catch (e) {
    if (e instanceof DecodeError) return null;
    throw e;
  }
}
