/** RevokeConsent (SPEC §4): a patient ends one of their grants, or a delegation to a caregiver, for good. */
import { toHex } from '../bytes';
import { HASH_BYTES } from '../hash';
import { TxKind } from '../tx';
import { exampleBytes } from './codec';
import { actingPatient, fail } from './rule-kit';
import { type KindSpec, oneSubject } from './spec';

/** What a RevokeConsent transaction carries; the field order is its encoding. */
export type RevokeConsentPayload = { kind: typeof TxKind.RevokeConsent; grant: Uint8Array };

/** RevokeConsent's entry in the registry (kinds/index.ts). */
export const revokeConsent: KindSpec<typeof TxKind.RevokeConsent, RevokeConsentPayload> = {
  kind: TxKind.RevokeConsent,
  write: (w, p) => {
    w.fixed(p.grant, HASH_BYTES);
  },
  read: (r) => ({ kind: TxKind.RevokeConsent, grant: r.fixed(HASH_BYTES) }),
  apply: (ledger, p, t) => {
    const patient = actingPatient(ledger, t);
    const id = toHex(p.grant);
    const g = ledger.grants.get(id) ?? ledger.delegations.get(id);
    // Only the patient's own, existing grant or delegation is revoked (so never before it is given).
    if (!g || g.patient !== patient) fail('UNKNOWN_REFERENCE', 'no such grant or delegation of this patient');
    // A grant or delegation is revoked once.
    if (g.revoked) fail('ALREADY_DONE', 'already revoked');
    if (ledger.grants.has(id)) ledger.grants.set(id, { ...ledger.grants.get(id)!, revoked: true, revokedAt: t.tx.time });
    else ledger.delegations.set(id, { ...ledger.delegations.get(id)!, revoked: true, revokedAt: t.tx.time });
    ledger.closeGrant(patient, id);
  },
  codes: ['NOT_AUTHORISED', 'UNKNOWN_REFERENCE', 'ALREADY_DONE', 'GUARDIANSHIP_ENDED'],
  signer: 'patient',
  proofs: null,
  subjects: (p, tx, lookup) => oneSubject(lookup.patientOfGrant(toHex(p.grant)) ?? lookup.patientOfKey(toHex(tx.author))),
  blobs: null,
  example: { kind: TxKind.RevokeConsent, grant: exampleBytes(33) },
};
