/**
 * The patients a transaction concerns (SPEC §3, §5: the node's store keeps an
 * index of blocks by patient, so a patient's history is found without reading
 * the whole chain). Some kinds name the patient in their payload; others name
 * a record or grant, or are signed by the patient's key, and need the ledger
 * to resolve — through the narrow {@link SubjectLookup}. Each kind says which
 * in its file under kinds/ (`subjects`). Pure: no I/O.
 */
import { kindSpec } from './kinds';
import type { SubjectLookup } from './kinds/spec';
import type { Ledger } from './ledger';
import { payloadOrNull } from './payloads';
import type { Tx } from './tx';

export type { SubjectLookup };

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
    patientOfGrant: (id) => (ledger.grants.get(id) ?? ledger.delegations.get(id))?.patient ?? null,
  };
}

/** Hex patient ids one transaction concerns (none for hospital, staff and approval kinds, or an undecodable payload): its kind's `subjects` (kinds/). */
export function txPatients(tx: Tx, lookup: SubjectLookup = NO_LOOKUP): string[] {
  const { subjects } = kindSpec(tx.kind);
  if (!subjects) return [];
  const p = payloadOrNull(tx);
  return p ? subjects(p, tx, lookup) : [];
}

/** Hex patient ids a block's transactions concern: sorted, unique. */
export function blockPatients(txs: readonly Tx[], lookup: SubjectLookup = NO_LOOKUP): string[] {
  const ids = new Set<string>();
  for (const tx of txs) for (const id of txPatients(tx, lookup)) ids.add(id);
  return [...ids].sort();
}
