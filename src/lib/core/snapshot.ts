/**
 * A chain-state snapshot at the final block (issue 7: start without a full
 * replay; SPEC §5). What a {@link ChainState} needs to go on from its final
 * block F without the blocks' bodies: every active header from genesis to F
 * (hash links, work, median times, the retarget window, locators), each
 * block's size and transaction ids (the replay index), the validator set
 * where it changed, and the ledger's tables as of F. Nothing in it is taken
 * on trust that is cheap to check: {@link ChainState.restore} re-derives the
 * hashes, links, proof of work, difficulty and median times from the
 * headers; what it does trust (the ledger and the transaction ids) was
 * computed by this node's own validation, is covered by a tagged checksum,
 * and is compared with a full replay by the background check.
 *
 * Canonical encoding, version {@link SNAPSHOT_VERSION}: magic, version,
 * network id, the table of 32-byte ids (snapshot-ids.ts: each hash or key
 * once, named by number after), blocks, validator changes, ledger tables,
 * then a tagged SHA-256 of everything before. Decoding throws only {@link DecodeError}.
 */
import { bytesEqual } from './bytes';
import { Reader, Writer } from './encoding';
import { DecodeError } from './errors';
import { HASH_BYTES, taggedHash } from './hash';
import { HEADER_BYTES } from './header';
import { IdReader, IdWriter } from './snapshot-ids';
import { Shapes, readValue, writeValue } from './snapshot-value';

export const SNAPSHOT_VERSION = 5;
const MAGIC = 'medchain-snapshot';
const CHECKSUM_TAG = 'medchain/snapshot';
const MAX_BLOCKS = 1 << 26;
const MAX_TXS = 1 << 20;
const MAX_NAME = 256;

/** One active block up to the final one, without its body. */
export interface SnapshotBlock {
  /** The encoded header (its SHA-256 is the block hash). */
  readonly header: Uint8Array;
  /** The encoded block's size in bytes. */
  readonly size: number;
  /** Hex ids of its transactions, in order. */
  readonly txKeys: readonly string[];
}

/** The validators (admitted hospitals, sorted) after `height`, unchanged until the next entry. */
export interface ValidatorChange {
  readonly height: number;
  readonly ids: readonly string[];
}

/** A ledger table: its name and its entries, sorted by key. */
export interface LedgerTable {
  readonly name: string;
  readonly entries: readonly (readonly [string, unknown])[];
}

export interface ChainSnapshot {
  readonly networkId: string;
  /** Genesis to the final block, by height (the last one is final). */
  readonly blocks: readonly SnapshotBlock[];
  /** Ascending heights, the first at 0. */
  readonly validators: readonly ValidatorChange[];
  readonly ledger: readonly LedgerTable[];
}

/** Height of the snapshot's final block. */
export const snapshotHeight = (s: ChainSnapshot) => s.blocks.length - 1;

function writeKeys(w: Writer, keys: readonly string[], ids: IdWriter): void {
  w.varuint(keys.length);
  for (const k of keys) ids.write(w, k);
}

function readKeys(r: Reader, what: string, ids: IdReader): string[] {
  const out: string[] = [];
  for (let n = r.count(MAX_TXS, what); n > 0; n--) out.push(ids.read(r, what));
  return out;
}

export function encodeSnapshot(s: ChainSnapshot): Uint8Array {
  const w = new Writer();
  const ids = new IdWriter();
  w.varuint(s.blocks.length);
  for (const b of s.blocks) {
    w.fixed(b.header, HEADER_BYTES).varuint(b.size);
    writeKeys(w, b.txKeys, ids);
  }
  w.varuint(s.validators.length);
  for (const v of s.validators) {
    w.varuint(v.height);
    writeKeys(w, v.ids, ids);
  }
  const shapes = new Shapes();
  w.varuint(s.ledger.length);
  for (const t of s.ledger) {
    w.string(t.name, MAX_NAME).varuint(t.entries.length);
    for (const [k, v] of t.entries) {
      writeValue(w, k, shapes, ids);
      writeValue(w, v, shapes, ids);
    }
  }
  const head = new Writer().string(MAGIC, MAX_NAME).u8(SNAPSHOT_VERSION).string(s.networkId, MAX_NAME);
  ids.writeTable(head);
  const [before, after] = [head.finish(), w.finish()];
  const out = new Uint8Array(before.length + after.length + HASH_BYTES);
  out.set(before);
  out.set(after, before.length);
  out.set(taggedHash(CHECKSUM_TAG, out.subarray(0, before.length + after.length)), before.length + after.length);
  return out;
}

/** Reads a snapshot; a changed byte is BAD_CHECKSUM, another version BAD_VERSION. */
export function decodeSnapshot(bytes: Uint8Array): ChainSnapshot {
  if (bytes.length < HASH_BYTES) throw new DecodeError('TRUNCATED', 'snapshot shorter than its checksum', 0);
  const body = bytes.subarray(0, bytes.length - HASH_BYTES);
  if (!bytesEqual(taggedHash(CHECKSUM_TAG, body), bytes.subarray(body.length)))
    throw new DecodeError('BAD_CHECKSUM', 'snapshot checksum does not match its bytes', body.length);
  const r = new Reader(body);
  if (r.string(MAX_NAME, 'magic') !== MAGIC) throw new DecodeError('BAD_MAGIC', 'not a chain-state snapshot', 0);
  const version = r.u8('version');
  if (version !== SNAPSHOT_VERSION) throw new DecodeError('BAD_VERSION', `snapshot version ${version}`, r.offset - 1);
  const networkId = r.string(MAX_NAME, 'network id');
  const ids = new IdReader(r);
  const blocks: SnapshotBlock[] = [];
  for (let n = r.count(MAX_BLOCKS, 'blocks'); n > 0; n--)
    blocks.push({ header: r.fixed(HEADER_BYTES, 'header'), size: r.varuint('size'), txKeys: readKeys(r, 'transaction ids', ids) });
  const validators: ValidatorChange[] = [];
  for (let n = r.count(MAX_BLOCKS, 'validator changes'); n > 0; n--) validators.push({ height: r.varuint('height'), ids: readKeys(r, 'validators', ids) });
  const shapes = new Shapes();
  const ledger: LedgerTable[] = [];
  for (let n = r.count(MAX_NAME, 'tables'); n > 0; n--) {
    const name = r.string(MAX_NAME, 'table');
    const entries: [string, unknown][] = [];
    for (let m = r.count(MAX_BLOCKS, 'entries'); m > 0; m--) {
      const at = r.offset;
      const key = readValue(r, shapes, ids);
      if (typeof key !== 'string') throw new DecodeError('NON_CANONICAL', 'table key is not a string', at);
      entries.push([key, readValue(r, shapes, ids)]);
    }
    ledger.push({ name, entries });
  }
  ids.end(r);
  r.end('snapshot');
  return { networkId, blocks, validators, ledger };
}
