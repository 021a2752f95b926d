/**
 * GrantConsent (SPEC §4): the consent artefact. A patient lets an admitted
 * hospital read (and write) records of the categories in scope and dated in
 * the range, until the expiry, for a purpose; the hospital's app wipes what
 * it read by the erase-by time, and downloads only when the mode allows. It
 * may answer a referral or a request, and then gives no more than was asked
 * (the patient may narrow it).
 */
import { bytesEqual, toHex } from '../bytes';
import { HASH_BYTES } from '../hash';
import type { Ledger } from '../ledger';
import { AccessMode, type Day, MAX_LIVE_GRANTS, OPEN_END, Purpose, SCOPE_ALL } from '../payload-fields';
import { TxKind } from '../tx';
import { KEY, exampleBytes, readEnum } from './codec';
import { ZERO_KEY, actingPatient, fail, requireOpenAsk, requireRange } from './rule-kit';
import { type KindSpec, oneSubject } from './spec';

/** What a GrantConsent transaction carries; the field order is its encoding. */
export type GrantConsentPayload = {
  kind: typeof TxKind.GrantConsent;
  grantee: Uint8Array;
  scope: number;
  purpose: Purpose;
  /** First and last clinical day of the records it covers (`to` may be OPEN_END). */
  from: Day;
  to: Day;
  expiry: number;
  /** When the hospital's copies must be wiped: at or after the expiry. */
  eraseBy: number;
  mode: AccessMode;
  regarding: Uint8Array;
};

/** BEYOND_REQUEST unless the grant gives no more than the request `regarding` asked. */
function requireWithinRequest(ledger: Ledger, regarding: string, p: GrantConsentPayload): void {
  const asked = ledger.requests.get(regarding);
  if (!asked) return;
  // A grant answering a request gives no more than was asked: no other category, no wider dates, no later expiry, no download unasked, the same purpose.
  if ((p.scope & ~asked.scope) !== 0 || p.from < asked.from || p.to > asked.to || p.expiry > asked.expiry || p.mode > asked.mode || p.purpose !== asked.purpose)
    fail('BEYOND_REQUEST', 'the grant gives more than the request asked');
}

/** 2026-01-02T00:00:00Z: the example grant's expiry. */
const EXAMPLE_EXPIRY = 1_767_312_000;

/** GrantConsent's entry in the registry (kinds/index.ts). */
export const grantConsent: KindSpec<typeof TxKind.GrantConsent, GrantConsentPayload> = {
  kind: TxKind.GrantConsent,
  write: (w, p) => {
    w.fixed(p.grantee, KEY).u8(p.scope).u8(p.purpose).u32(p.from).u32(p.to).u64(p.expiry).u64(p.eraseBy).u8(p.mode).fixed(p.regarding, HASH_BYTES);
  },
  read: (r) => ({
    kind: TxKind.GrantConsent,
    grantee: r.fixed(KEY),
    scope: r.u8('scope'),
    purpose: readEnum(r, Purpose, 'purpose'),
    from: r.u32('from'),
    to: r.u32('to'),
    expiry: r.u64('expiry'),
    eraseBy: r.u64('erase-by'),
    mode: readEnum(r, AccessMode, 'access mode'),
    regarding: r.fixed(HASH_BYTES),
  }),
  apply: (ledger, p, t) => {
    const patient = actingPatient(ledger, t);
    const hospital = toHex(p.grantee);
    // Consent is given to an admitted hospital.
    if (!ledger.hospitals.get(hospital)?.member) fail('UNKNOWN_HOSPITAL', 'grantee is not an admitted hospital');
    // A grant covers at least one category.
    if ((p.scope & SCOPE_ALL) === 0) fail('BAD_SCOPE', 'empty scope');
    requireRange(p.from, p.to);
    // A grant must still be live when it is confirmed.
    if (p.expiry <= t.time) fail('BAD_EXPIRY', 'grant already expired');
    // Copies are wiped at or after the expiry (wiping earlier would only make the hospital fetch them again).
    if (p.eraseBy < p.expiry) fail('BAD_ERASE_BY', 'erase-by before the expiry');
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
      requireOpenAsk(ledger, regarding, t.time);
      requireWithinRequest(ledger, regarding, p);
      ledger.answers.set(regarding, { kind: 'grant', id: t.txId, time: t.tx.time });
    }
    ledger.grants.set(t.txId, {
      id: t.txId,
      patient,
      hospital,
      scope: p.scope,
      purpose: p.purpose,
      from: p.from,
      to: p.to,
      expiry: p.expiry,
      eraseBy: p.eraseBy,
      mode: p.mode,
      time: t.tx.time,
      regarding,
      revoked: false,
      revokedAt: null,
    });
    ledger.index(patient, t.txId);
    ledger.openGrant(patient, t.txId);
  },
  codes: [
    'NOT_AUTHORISED',
    'UNKNOWN_HOSPITAL',
    'BAD_SCOPE',
    'BAD_RANGE',
    'BAD_EXPIRY',
    'BAD_ERASE_BY',
    'TOO_MANY_GRANTS',
    'UNKNOWN_REFERENCE',
    'REQUEST_EXPIRED',
    'BEYOND_REQUEST',
    'GUARDIANSHIP_ENDED',
  ],
  signer: 'patient',
  proofs: null,
  subjects: (_p, tx, lookup) => oneSubject(lookup.patientOfKey(toHex(tx.author))),
  blobs: null,
  example: {
    kind: TxKind.GrantConsent,
    grantee: exampleBytes(32),
    scope: SCOPE_ALL,
    purpose: Purpose.Referral,
    from: 19_000,
    to: OPEN_END,
    expiry: EXAMPLE_EXPIRY,
    eraseBy: EXAMPLE_EXPIRY + 86_400,
    mode: AccessMode.Download,
    regarding: exampleBytes(0),
  },
};
