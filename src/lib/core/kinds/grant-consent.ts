/**
 * GrantConsent (SPEC §4): a patient lets an admitted hospital read (and
 * write) records of the categories in scope until the expiry, for a purpose;
 * it may answer a referral or request.
 */
import { bytesEqual, toHex } from '../bytes';
import { HASH_BYTES } from '../hash';
import { MAX_LIVE_GRANTS, Purpose, SCOPE_ALL } from '../payload-fields';
import { TxKind } from '../tx';
import { KEY, exampleBytes, readEnum } from './codec';
import { ZERO_KEY, actingPatient, fail } from './rule-kit';
import { type KindSpec, oneSubject } from './spec';

/** What a GrantConsent transaction carries; the field order is its encoding. */
export type GrantConsentPayload = {
  kind: typeof TxKind.GrantConsent;
  grantee: Uint8Array;
  scope: number;
  purpose: Purpose;
  expiry: number;
  regarding: Uint8Array;
};

/** 2026-01-02T00:00:00Z: the example grant's expiry. */
const EXAMPLE_EXPIRY = 1_767_312_000;

/** GrantConsent's entry in the registry (kinds/index.ts). */
export const grantConsent: KindSpec<typeof TxKind.GrantConsent, GrantConsentPayload> = {
  kind: TxKind.GrantConsent,
  write: (w, p) => {
    w.fixed(p.grantee, KEY).u8(p.scope).u8(p.purpose).u64(p.expiry).fixed(p.regarding, HASH_BYTES);
  },
  read: (r) => ({
    kind: TxKind.GrantConsent,
    grantee: r.fixed(KEY),
    scope: r.u8('scope'),
    purpose: readEnum(r, Purpose, 'purpose'),
    expiry: r.u64('expiry'),
    regarding: r.fixed(HASH_BYTES),
  }),
  apply: (ledger, p, t) => {
    const patient = actingPatient(ledger, t.author);
    const hospital = toHex(p.grantee);
    // Consent is given to an admitted hospital.
    if (!ledger.hospitals.get(hospital)?.member) fail('UNKNOWN_HOSPITAL', 'grantee is not an admitted hospital');
    // A grant covers at least one category.
    if ((p.scope & SCOPE_ALL) === 0) fail('BAD_SCOPE', 'empty scope');
    // A grant must still be live when it is confirmed.
    if (p.expiry <= t.time) fail('BAD_EXPIRY', 'grant already expired');
    // A patient holds a bounded number of live grants, so every record's readers fit its limit.
    if (ledger.liveGrants(patient, t.time).length >= MAX_LIVE_GRANTS) fail('TOO_MANY_GRANTS', `more than ${MAX_LIVE_GRANTS} live grants`);
    let regarding: string | null = null;
    if (!bytesEqual(p.regarding, ZERO_KEY)) {
      regarding = toHex(p.regarding);
      const referral = ledger.referrals.get(regarding);
      const request = ledger.requests.get(regarding);
      const asked = referral ? { patient: referral.patient, hospital: referral.to } : request;
      // A grant answers a referral to, or a request from, its grantee, about this patient.
      if (!asked || asked.patient !== patient || asked.hospital !== hospital)
        fail('UNKNOWN_REFERENCE', 'no such referral or request for this patient and hospital');
    }
    ledger.grants.set(t.txId, {
      id: t.txId,
      patient,
      hospital,
      scope: p.scope,
      purpose: p.purpose,
      expiry: p.expiry,
      time: t.tx.time,
      regarding,
      revoked: false,
    });
    ledger.index(patient, t.txId);
    ledger.openGrant(patient, t.txId);
  },
  codes: ['NOT_AUTHORISED', 'UNKNOWN_HOSPITAL', 'BAD_SCOPE', 'BAD_EXPIRY', 'TOO_MANY_GRANTS', 'UNKNOWN_REFERENCE'],
  signer: 'patient',
  proofs: null,
  subjects: (_p, tx, lookup) => oneSubject(lookup.patientOfKey(toHex(tx.author))),
  blobs: null,
  example: {
    kind: TxKind.GrantConsent,
    grantee: exampleBytes(32),
    scope: SCOPE_ALL,
    purpose: Purpose.Referral,
    expiry: EXAMPLE_EXPIRY,
    regarding: exampleBytes(0),
  },
};
