/**
 * The signed transaction envelope (SPEC §4, §5). Every grant, revocation,
 * referral and record is one of these: who wrote it (an Ed25519 public key),
 * what kind it is, a random 64-bit nonce and a creation time that make it
 * unique, a kind-specific payload, and the author's signature.
 *
 * The id is a tagged hash of everything but the signature, so a transaction's
 * identity cannot be changed by re-encoding its signature, and a replay of the
 * same transaction has the same id (SPEC §5: replays are rejected).
 */
import { Reader, Writer, decodeAll, encodeWith } from './encoding';
import { DecodeError } from './errors';
import { HASH_BYTES, taggedHash } from './hash';

export const TX_VERSION = 1;
export const PUBLIC_KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;
/** Hard ceiling on a payload, whatever the network's own limit (which is lower). */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;

/**
 * Transaction kinds (SPEC §2 to §4). The numbers are part of the encoding
 * and never reused. Their payload rules are in the consent layer.
 */
export const TxKind = {
  RegisterPatient: 1,
  FoundNetwork: 2,
  ApplyHospital: 3,
  CertifyStaff: 4,
  RemoveStaff: 5,
  AddRecord: 6,
  GrantConsent: 7,
  RevokeConsent: 8,
  Referral: 9,
  EraseRecord: 10,
  RequestAccess: 11,
  Approval: 12,
  ApproveHospital: 13,
  RotatePatientKeys: 14,
  ShareKeys: 15,
  Evidence: 16,
} as const;
export type TxKind = (typeof TxKind)[keyof typeof TxKind];

const KINDS: ReadonlySet<number> = new Set(Object.values(TxKind));

/** Whether `n` is a known transaction kind. */
export function isTxKind(n: number): n is TxKind {
  return KINDS.has(n);
}

export interface TxBody {
  readonly version: number;
  readonly kind: TxKind;
  readonly author: Uint8Array;
  /** Random 64-bit value chosen by the author (kept to 53 bits). */
  readonly nonce: number;
  /** Creation time, seconds since 1970-01-01 UTC. */
  readonly time: number;
  readonly payload: Uint8Array;
}

export interface Tx extends TxBody {
  readonly signature: Uint8Array;
}

export function writeTxBody(w: Writer, tx: TxBody): void {
  w.u8(tx.version)
    .u8(tx.kind)
    .fixed(tx.author, PUBLIC_KEY_BYTES)
    .u64(tx.nonce)
    .u64(tx.time)
    .bytes(tx.payload, MAX_PAYLOAD_BYTES);
}

export function writeTx(w: Writer, tx: Tx): void {
  writeTxBody(w, tx);
  w.fixed(tx.signature, SIGNATURE_BYTES);
}

export function readTx(r: Reader): Tx {
  const start = r.offset;
  const version = r.u8('tx version');
  if (version !== TX_VERSION) throw new DecodeError('BAD_VERSION', `unknown tx version ${version}`, start);
  const kind = r.u8('tx kind');
  if (!isTxKind(kind)) throw new DecodeError('UNKNOWN_KIND', `unknown tx kind ${kind}`, start + 1);
  return {
    version,
    kind,
    author: r.fixed(PUBLIC_KEY_BYTES, 'tx author'),
    nonce: r.u64('tx nonce'),
    time: r.u64('tx time'),
    payload: r.bytes(MAX_PAYLOAD_BYTES, 'tx payload'),
    signature: r.fixed(SIGNATURE_BYTES, 'tx signature'),
  };
}

export function encodeTxBody(tx: TxBody): Uint8Array {
  return encodeWith(writeTxBody, tx);
}

export function encodeTx(tx: Tx): Uint8Array {
  return encodeWith(writeTx, tx);
}

export function decodeTx(bytes: Uint8Array): Tx {
  return decodeAll(bytes, readTx, 'transaction');
}

/** Transaction id: a tagged hash of the unsigned body. */
export function txId(tx: TxBody): Uint8Array {
  return taggedHash('medchain/tx', encodeTxBody(tx));
}

/** The exact bytes an author signs: a domain-tagged hash of the id. */
export function txSigningMessage(id: Uint8Array): Uint8Array {
  return taggedHash('medchain/tx-signature', id);
}

/** Length of a transaction id. */
export const TXID_BYTES = HASH_BYTES;
