/**
 * The fast check of one stored block (SPEC §5 tamper evidence), without
 * replaying a signature: the value has the record's shape, its bytes decode
 * canonically, the hash of the header is the key it is stored under, the
 * height index agrees with the header, the header's root commits to the
 * transactions, and the SHA-256 of the bytes is the digest written with them
 * (which catches a changed signature byte, the one part of a block the header
 * does not commit to). A failure names the block and what broke. Bytes that
 * do not decode are BAD_ENCODING only when they are the bytes written (so
 * another version of medchain wrote them); changed bytes are DIGEST_MISMATCH,
 * so the app can tell the two apart (app/status/store-health.ts).
 */
import { type Block, blockHash, decodeBlock, txRootOf } from '../core/block';
import { bytesEqual, toHex } from '../core/bytes';
import { DecodeError, type RuleCode } from '../core/errors';
import { sha256 } from '../core/hash';
import type { StoredEntry } from '../adapters/store/types';

/** Faults only stored data can have; consensus failures keep their {@link RuleCode}. */
export type StoreFaultCode =
  | 'BAD_RECORD' // the stored value is not a block record at all
  | 'KEY_MISMATCH' // the header hashes to something other than the key it is stored under
  | 'HEIGHT_MISMATCH' // the height index disagrees with the header
  | 'DIGEST_MISMATCH' // the bytes differ from those written (a byte outside what the header commits to)
  | 'MISSING_BLOCK'; // a block the store refers to (a parent, the tip) is not there

export type BadBlockCode = StoreFaultCode | RuleCode;

/** A stored block that failed, to be fetched again from peers. */
export interface BadBlock {
  /** Hex hash the block is stored (or referred to) under. */
  readonly key: string;
  readonly height: number | null;
  readonly code: BadBlockCode;
  readonly message: string;
}

export type StoredCheck = { readonly ok: true; readonly block: Block } | { readonly ok: false; readonly bad: BadBlock };

/** Runs the fast check on one stored entry. Never throws on bad data. */
export function checkStoredBlock(entry: StoredEntry): StoredCheck {
  const { key, block: record } = entry;
  const bad = (code: BadBlockCode, message: string, height: number | null = record?.height ?? null): StoredCheck => ({
    ok: false,
    bad: { key, height, code, message: `block ${height ?? '?'} ${key}: ${message} (${code})` },
  });
  if (!record) return bad('BAD_RECORD', 'stored value is not a block record');
  let block: Block;
  try {
    block = decodeBlock(record.bytes);
  } catch (e) {
    // Bytes as written that do not decode were made by another version; bytes changed since, by damage.
    if (e instanceof DecodeError)
      return bytesEqual(sha256(record.bytes), record.digest)
        ? bad('BAD_ENCODING', e.message)
        : bad('DIGEST_MISMATCH', `bytes differ from those written: ${e.message}`);
    throw e;
  }
  const height = block.header.height;
  if (toHex(blockHash(block)) !== key) return bad('KEY_MISMATCH', 'header does not hash to its key', height);
  if (height !== record.height) return bad('HEIGHT_MISMATCH', `indexed at height ${record.height}`, height);
  if (!bytesEqual(txRootOf(block.txs), block.header.txRoot)) return bad('BAD_TX_ROOT', 'root does not commit to the transactions', height);
  if (!bytesEqual(sha256(record.bytes), record.digest)) return bad('DIGEST_MISMATCH', 'bytes differ from those written', height);
  return { ok: true, block };
}
