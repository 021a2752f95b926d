/**
 * DelegateAccess (SPEC §2 "Family", issue 15): a patient lets a caregiver —
 * another registered patient, such as a son looking after a parent — read
 * the records of chosen kinds and dates until an expiry. The caregiver's box
 * key becomes a reader of those records as a hospital's data key does under
 * a grant; RevokeConsent ends it early. A caregiver reads; only the patient
 * and hospitals with consent write.
 */
import { toHex } from '../bytes';
import { HASH_BYTES } from '../hash';
import { type Day, MAX_LIVE_GRANTS, OPEN_END, SCOPE_ALL } from '../payload-fields';
import { TxKind } from '../tx';
import { exampleBytes } from './codec';
import { actingPatient, fail, requireRange } from './rule-kit';
import { type KindSpec, oneSubject } from './spec';

/** What a DelegateAccess transaction carries; the field order is its encoding. */
export type DelegateAccessPayload = {
  kind: typeof TxKind.DelegateAccess;
  /** The caregiver's patient id. */
  caregiver: Uint8Array;
  scope: number;
  from: Day;
  to: Day;
  expiry: number;
};

/** DelegateAccess's entry in the registry (kinds/index.ts). */
export const delegateAccess: KindSpec<typeof TxKind.DelegateAccess, DelegateAccessPayload> = {
  kind: TxKind.DelegateAccess,
  write: (w, p) => {
    w.fixed(p.caregiver, HASH_BYTES).u8(p.scope).u32(p.from).u32(p.to).u64(p.expiry);
  },
  read: (r) => ({
    kind: TxKind.DelegateAccess,
    caregiver: r.fixed(HASH_BYTES),
    scope: r.u8('scope'),
    from: r.u32('from'),
    to: r.u32('to'),
    expiry: r.u64('expiry'),
  }),
  apply: (ledger, p, t) => {
    const patient = actingPatient(ledger, t);
    const caregiver = toHex(p.caregiver);
    // A caregiver is another registered patient.
    if (caregiver === patient || !ledger.patients.has(caregiver)) fail('UNKNOWN_PATIENT', 'caregiver is not another registered patient');
    // A delegation covers at least one category.
    if ((p.scope & SCOPE_ALL) === 0) fail('BAD_SCOPE', 'empty scope');
    requireRange(p.from, p.to);
    // A delegation must still be live when it is confirmed.
    if (p.expiry <= t.time) fail('BAD_EXPIRY', 'delegation already expired');
    // Grants and delegations share one bound, so every record's readers fit its limit.
    if (ledger.liveGrants(patient, t.time).length + ledger.liveDelegations(patient, t.time).length >= MAX_LIVE_GRANTS)
      fail('TOO_MANY_GRANTS', `more than ${MAX_LIVE_GRANTS} live grants and delegations`);
    ledger.delegations.set(t.txId, {
      id: t.txId,
      patient,
      caregiver,
      scope: p.scope,
      from: p.from,
      to: p.to,
      expiry: p.expiry,
      time: t.tx.time,
      revoked: false,
      revokedAt: null,
    });
    ledger.index(patient, t.txId);
    ledger.index(caregiver, t.txId);
    ledger.openGrant(patient, t.txId);
  },
  codes: ['NOT_AUTHORISED', 'UNKNOWN_PATIENT', 'BAD_SCOPE', 'BAD_RANGE', 'BAD_EXPIRY', 'TOO_MANY_GRANTS', 'GUARDIANSHIP_ENDED'],
  signer: 'patient',
  proofs: null,
  subjects: (p, tx, lookup) => [...oneSubject(lookup.patientOfKey(toHex(tx.author))), toHex(p.caregiver)],
  blobs: null,
  example: { kind: TxKind.DelegateAccess, caregiver: exampleBytes(57), scope: 0x44, from: 0, to: OPEN_END, expiry: 1_767_312_000 },
};
