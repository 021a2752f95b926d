/**
 * The payload of each transaction kind (SPEC §2 to §4), with matched
 * encode/decode pairs. Nothing readable about a patient's health is in clear
 * here: records are blob references and reader keys, purposes are codes,
 * referral notes are sealed bytes. Hospital and staff names are public
 * professional facts.
 *
 * Each kind's payload and codec live in its own file under kinds/ (issue 14);
 * this module is the façade most code reads them through: the shared field
 * types and limits (payload-fields.ts), the payload union, and codecs that
 * dispatch on the kind through the registry.
 */
import { type Reader, type Writer, encodeWith } from './encoding';
import { DecodeError } from './errors';
import { type Payload, kindSpec } from './kinds';
import { decodeKind } from './kinds/codec';
import type { Tx, TxKind } from './tx';

export * from './payload-fields';
export type { Payload, PayloadOf } from './kinds';

/** Writes a payload's fields (the kind travels in the transaction envelope). */
export function writePayload(w: Writer, p: Payload): void {
  kindSpec(p.kind).write(w, p);
}

/** Reads the payload of a transaction of `kind`; throws {@link DecodeError} on bad bytes. */
export function readPayload(r: Reader, kind: TxKind): Payload {
  return kindSpec(kind).read(r);
}

export function encodePayload(p: Payload): Uint8Array {
  return encodeWith(writePayload, p);
}

/** Decodes a payload of `kind` from all of `bytes`. */
export function decodePayload(kind: TxKind, bytes: Uint8Array): Payload {
  return decodeKind(kindSpec(kind), bytes);
}

/** A transaction's payload, or null when it does not decode (for readers the ledger will refuse it anyway). */
export function payloadOrNull(tx: Tx): Payload | null {
  try {
    return decodePayload(tx.kind, tx.payload);
  } catch (e) {
    if (e instanceof DecodeError) return null;
    throw e;
  }
}
