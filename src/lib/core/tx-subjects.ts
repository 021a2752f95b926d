/**
 * The patients a transaction concerns (SPEC §3, §5: the node's store keeps an
 * index of blocks by patient, so a patient's history is found without reading
 * the whole chain). Some kinds name the patient in their payload; others name
 * a record or grant, or are signed by the patient's key, and need the ledger
 * to resolve — through the narrow {@link SubjectLookup}. Pure: no I/O.
 */
import { toHex } from './bytes';
import { DecodeError } from './errors';
import { patientIdOf } from './ids';
import type { Ledger } from './ledger';
import { decodePayload } from './payloads';
import { type Tx, TxKind } from './tx';

/** What the ledger knows that a payload alone does not (all keys hex). */
export interface SubjectLookup {
  /** The patient whose current or past signing key this is, if any. */
  patientOfKey(keyHex: string): string | null;
  /** The patient a record (by id) belongs to. */
  patientOfRecord(recordHex: string): string | null;
  /** The patient who gave a grant (by id). */
  patientOfGrant(grantHex: string): string | null;
}

/** A lookup that knows nothing: only ids written in payloads are found. */
export const NO_LOOKUP: SubjectLookup = {
  patientOfKey: () => null,
  patientOfRecord: () => null,
  patientOfGrant: () => null,
};

/** The lookup backed by a ledger (as of the chain's tip). */
export function ledgerLookup(ledger: Ledger): SubjectLookup {
  return {
    patientOfKey(keyHex) {
      const role = ledger.keys.get(keyHex);
      return role?.role === 'patient' ? role.patient : null;
    },
    patientOfRecord: (id) => ledger.records.get(id)?.patient ?? null,
    patientOfGrant: (id) => ledger.grants.get(id)?.patient ?? null,
  };
}

/** Hex patient ids one transaction concerns (none for hospital, staff and approval kinds, or an undecodable payload). */
export function txPatients(tx: Tx, lookup: SubjectLookup = NO_LOOKUP): string[] {
  let p;
  try {
    p = decodePayload(tx.kind, tx.payload);
  } catch (e) {
    if (e instanceof DecodeError) return [];
    throw e;
  }
  const one = (id: string | null): string[] => (id === null ? [] : [id]);
  switch (p.kind) {
    case TxKind.RegisterPatient:
      return [toHex(patientIdOf(tx.author))];
    case TxKind.RotatePatientKeys:
    case TxKind.AddRecord:
    case TxKind.RequestAccess:
    case TxKind.Referral:
      return [toHex(p.patientId)];
    case TxKind.ShareKeys:
    case TxKind.EraseRecord:
      return one(lookup.patientOfRecord(toHex(p.record)));
    case TxKind.GrantConsent:
      return one(lookup.patientOfKey(toHex(tx.author)));
    case TxKind.RevokeConsent:
      return one(lookup.patientOfGrant(toHex(p.grant)) ?? lookup.patientOfKey(toHex(tx.author)));
    default:
      return [];
  }
}

/** Hex patient ids a block's transactions concern: sorted, unique. */
export function blockPatients(txs: readonly Tx[], lookup: SubjectLookup = NO_LOOKUP): string[] {
  const ids = new Set<string>();
  for (const tx of txs) for (const id of txPatients(tx, lookup)) ids.add(id);
  return [...ids].sort();
}
