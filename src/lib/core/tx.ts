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
  RefuseRequest: 17,
  SetEmergencyAccess: 18,
  EmergencyAccess: 19,
  ReleaseShare: 20,
  ReviewEmergency: 21,
  DelegateAccess: 22,
  AttestGuardian: 23,
  SetRecovery: 24,
  AskRecovery: 25,
  ReleaseRecoveryShare: 26,
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
  w.u8(tx.version).u8(tx.kind).fixed(tx.author, PUBLIC_KEY_BYTES).u64(tx.nonce).u64(tx.time).bytes(tx.payload, MAX_PAYLOAD_BYTES);
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

/**
 * What the transactions of a genesis block sign as their network: 32 zero
 * bytes. The genesis hash commits to those transactions, so it cannot be
 * inside their signatures; every later block's transactions sign the
 * genesis hash instead (see {@link signingNetwork}).
 */
export const GENESIS_SIGNING_NETWORK: Uint8Array = new Uint8Array(HASH_BYTES);

/**
 * The network a transaction of a block at `height` signs (SPEC §5: "a
 * signature binds its transaction to one network"): the chain's genesis hash,
 * or {@link GENESIS_SIGNING_NETWORK} inside the genesis block itself. A
 * founding transaction signed that way is valid only at height 0, where the
 * genesis hash in turn commits to it, and a genesis block is what names a
 * network; every other transaction is valid on its own network only.
 */
export function signingNetwork(genesis: Uint8Array, height: number): Uint8Array {
  return height === 0 ? GENESIS_SIGNING_NETWORK : genesis;
}

/**
 * The exact bytes an author signs: a domain-tagged hash of the network
 * (32 bytes: its genesis hash, see {@link signingNetwork}) and the id
 * (32 bytes), both fixed-size fields, so a transaction signed for one
 * network never verifies on another.
 */
export function txSigningMessage(network: Uint8Array, id: Uint8Array): Uint8Array {
  const w = new Writer().fixed(network, HASH_BYTES).fixed(id, HASH_BYTES);
  return taggedHash('medchain/tx-signature/v2', w.finish());
}

/** Length of a transaction id. */
export const TXID_BYTES = HASH_BYTES;
