/**
 * What every transaction kind must supply (issue 14): one {@link KindSpec}
 * per kind, registered in kinds/index.ts under a mapped type over
 * {@link TxKind}, so the type checker lists what a new kind is missing —
 * its payload codec, its ledger rule and the codes that rule may refuse
 * with, who signs it, the signatures inside its payload, the patients it
 * concerns, the blobs it references, and an example payload for tests.
 * The modules that used to switch on the kind (payloads, ledger-rules,
 * tx-subjects, net/blob-refs, net/block-signatures) dispatch through it.
 */
import type { Reader, Writer } from '../encoding';
import type { RuleCode } from '../errors';
import type { Ledger } from '../ledger';
import type { BlobRef } from '../payload-fields';
import type { SignatureVerifier } from '../signature';
import type { SignatureCheck } from '../signature-check';
import type { Tx, TxKind } from '../tx';

/** Where a transaction is being applied. */
export interface TxContext {
  readonly height: number;
  /** The block's time: what "live" and "expired" are measured against. */
  readonly time: number;
  readonly txId: string;
  readonly verifier: SignatureVerifier;
  /** The network the block's signatures bind (`signingNetwork` in tx.ts): payload proofs and evidence votes are checked for it. */
  readonly network: Uint8Array;
}

/** What a kind's rule is given beside its payload: the context, the transaction and its author (hex). */
export interface RuleInput extends TxContext {
  readonly tx: Tx;
  readonly author: string;
}

/** What the ledger knows that a payload alone does not (all keys hex). */
export interface SubjectLookup {
  /** The patient whose current or past signing key this is, if any. */
  patientOfKey(keyHex: string): string | null;
  /** The patient a record (by id) belongs to. */
  patientOfRecord(recordHex: string): string | null;
  /** The patient who gave a grant or a delegation (by id). */
  patientOfGrant(grantHex: string): string | null;
}

/** What one transaction says about blobs: refs it adds to a record (hex id), or a record it erases. */
export type TxBlobs = { readonly record: string; readonly refs: readonly BlobRef[] } | { readonly erase: string };

/**
 * Who may author a kind, as its rule enforces (tests/unit/core/kinds.test.ts
 * holds every kind to it):
 * - `new-key`: a signing key that holds no role yet (it claims one: KEY_IN_USE otherwise);
 * - `authority`: an admitted hospital's authority key;
 * - `hospital-actor`: the authority or active staff of the hospital the payload names;
 * - `patient`: the patient's current signing key;
 * - `patient-or-hospital-actor`: the patient, or a hospital actor when the payload names a hospital;
 * - `recovery-holder`: a holder of the patient's recovery shares: a holder patient's current key or a holder hospital's authority;
 * - `anyone`: any key (what is checked is inside the payload).
 * Any other author is refused with NOT_AUTHORISED.
 */
export type Signer = 'new-key' | 'authority' | 'hospital-actor' | 'patient' | 'patient-or-hospital-actor' | 'recovery-holder' | 'anyone';

/**
 * One transaction kind, `K`, with payload `P`. Hooks a kind does not need are
 * `null` (never a function returning nothing), so callers skip decoding.
 */
export interface KindSpec<K extends TxKind, P extends { readonly kind: K }> {
  readonly kind: K;
  /** Writes the payload's fields (the kind travels in the transaction envelope). */
  readonly write: (w: Writer, p: P) => void;
  /** Reads the payload's fields; throws DecodeError on bad bytes. */
  readonly read: (r: Reader) => P;
  /** The ledger rule: applies the transaction or throws the RuleError of the rule it breaks (one of {@link codes}). */
  readonly apply: (ledger: Ledger, p: P, t: RuleInput) => void;
  /** Every code {@link apply} may refuse with, besides BAD_PAYLOAD and ALREADY_DONE (replays), which any kind may get. */
  readonly codes: readonly RuleCode[];
  /** Who may author it. */
  readonly signer: Signer;
  /** Signatures inside the payload besides the author's, in the order the rule checks them. */
  readonly proofs: ((p: P, tx: Tx, network: Uint8Array) => SignatureCheck[]) | null;
  /** Hex ids of the patients it concerns (the store's per-patient index). */
  readonly subjects: ((p: P, tx: Tx, lookup: SubjectLookup) => string[]) | null;
  /** The blobs it references, or the record it erases (which blobs the mesh may fetch and serve). */
  readonly blobs: ((p: P, tx: Tx) => TxBlobs | null) | null;
  /** A well-formed payload (lists and strings non-empty) for codec and property tests. */
  readonly example: P;
}

/** A subject list of at most one patient (a lookup that found nothing gives none). */
export function oneSubject(id: string | null): string[] {
  return id === null ? [] : [id];
}
