/**
 * A hospital validator's memory of the votes it cast (docs/consensus.md,
 * "The honest validator"; SPEC §5): at most one prevote and one precommit per
 * round, and its lock. It must survive a closed tab, or a restarted validator
 * could sign a vote conflicting with one it already sent (equivocation). The
 * node writes it BEFORE a new vote leaves, and restores it on start.
 *
 * The core keeps this memory inside {@link ValidatorPolicy} and offers only
 * `rebind` (same object, new chain); there is no export/import yet, so this
 * file reads and writes the policy's private field `m` through one narrow
 * cast. The field's shape is checked on every read: if the core changes it,
 * saving throws (our bug, loud) instead of persisting something wrong.
 * Encoding: canonical Writer/Reader, version 1.
 */
import { assert } from '../core/assert';
import { fromHex, toHex } from '../core/bytes';
import { decodeAll, encodeWith, type Reader, type Writer } from '../core/encoding';
import { DecodeError } from '../core/errors';
import { type Tx, readTx, writeTx } from '../core/tx';
import type { ValidatorPolicy } from '../core/validator';

/** The policy's memory at one height (mirrors validator.ts's private `Memory`). */
export interface VoteMemory {
  readonly height: number;
  readonly round: number;
  readonly locked: { readonly block: string; readonly round: number } | null;
  /** "round/phase" → the block voted for (hex) or null for nil. */
  readonly cast: ReadonlyMap<string, string | null>;
  readonly sent: readonly Tx[];
}

interface RawMemory {
  height: number;
  round: number;
  start: number | null;
  locked: { block: string; round: number } | null;
  cast: Map<string, string | null>;
  sent: Tx[];
}

const VERSION = 1;
const MAX_VOTES = 4096;
const MAX_TX_BYTES = 64 * 1024;

function raw(policy: ValidatorPolicy): RawMemory {
  const m = (policy as unknown as { m?: RawMemory }).m;
  assert(
    m !== undefined && Number.isInteger(m.height) && Number.isInteger(m.round) && m.cast instanceof Map && Array.isArray(m.sent),
    'ValidatorPolicy memory has an unexpected shape',
  );
  return m;
}

/** What the policy remembers now (null before it has voted at any height). */
export function memoryOf(policy: ValidatorPolicy): VoteMemory | null {
  const m = raw(policy);
  if (m.height < 0 || m.sent.length === 0) return null;
  return { height: m.height, round: m.round, locked: m.locked ? { ...m.locked } : null, cast: new Map(m.cast), sent: [...m.sent] };
}

/** Gives a fresh policy the remembered memory; its round timer starts again (start = null). */
export function restoreMemory(policy: ValidatorPolicy, memory: VoteMemory): void {
  raw(policy);
  const next: RawMemory = {
    height: memory.height,
    round: memory.round,
    start: null,
    locked: memory.locked ? { ...memory.locked } : null,
    cast: new Map(memory.cast),
    sent: [...memory.sent],
  };
  (policy as unknown as { m: RawMemory }).m = next;
}

function writeMemory(w: Writer, m: VoteMemory): void {
  w.u8(VERSION).varuint(m.height).varuint(m.round);
  w.u8(m.locked ? 1 : 0);
  if (m.locked) w.fixed(fromHex(m.locked.block)!, 32).varuint(m.locked.round);
  const cast = [...m.cast].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  w.varuint(cast.length);
  for (const [slot, block] of cast) {
    const [round, phase] = slot.split('/').map(Number);
    w.varuint(round!).u8(phase!).u8(block === null ? 0 : 1);
    if (block !== null) w.fixed(fromHex(block)!, 32);
  }
  w.varuint(m.sent.length);
  for (const tx of m.sent) w.bytes(encodeWith(writeTx, tx), MAX_TX_BYTES);
}

function readMemory(r: Reader): VoteMemory {
  if (r.u8('version') !== VERSION) throw new DecodeError('BAD_VERSION', 'unknown vote memory version', 0);
  const height = r.varuint('height');
  const round = r.varuint('round');
  const locked = r.u8('lock flag') === 1 ? { block: toHex(r.fixed(32, 'lock')), round: r.varuint('lock round') } : null;
  const cast = new Map<string, string | null>();
  for (let i = r.count(MAX_VOTES, 'cast'); i > 0; i--) {
    const slot = `${r.varuint('round')}/${r.u8('phase')}`;
    cast.set(slot, r.u8('choice flag') === 1 ? toHex(r.fixed(32, 'choice')) : null);
  }
  const sent: Tx[] = [];
  for (let i = r.count(MAX_VOTES, 'sent'); i > 0; i--) sent.push(decodeAll(r.bytes(MAX_TX_BYTES, 'vote'), readTx, 'vote'));
  return { height, round, locked, cast, sent };
}

export const encodeVoteMemory = (m: VoteMemory): Uint8Array => encodeWith(writeMemory, m);

/** Null for bytes that are not a vote memory (damaged storage is not an error). */
export function decodeVoteMemory(bytes: Uint8Array): VoteMemory | null {
  try {
    return decodeAll(bytes, readMemory, 'vote memory');
  } catch (e) {
    if (e instanceof DecodeError) return null;
    throw e;
  }
}
