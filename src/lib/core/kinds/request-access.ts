/**
 * RequestAccess (SPEC §4): a hospital asks a patient for consent — the grant
 * it would like (categories, the dates of records, purpose code, expiry,
 * view or download) and the time by which it waits for an answer; unanswered
 * by then, the request has expired.
 */
import { toHex } from '../bytes';
import { HASH_BYTES } from '../hash';
import { AccessMode, type Day, OPEN_END, Purpose, SCOPE_ALL } from '../payload-fields';
import { TxKind } from '../tx';
import { KEY, exampleBytes, readEnum } from './codec';
import { actingHospital, fail, requirePatient, requireRange } from './rule-kit';
import type { KindSpec } from './spec';

/** What a RequestAccess transaction carries; the field order is its encoding. */
export type RequestAccessPayload = {
  kind: typeof TxKind.RequestAccess;
  patientId: Uint8Array;
  hospital: Uint8Array;
  scope: number;
  purpose: Purpose;
  from: Day;
  to: Day;
  /** The expiry asked for the grant. */
  expiry: number;
  mode: AccessMode;
  /** The request expires unanswered at this time. */
  answerBy: number;
};

/** RequestAccess's entry in the registry (kinds/index.ts). */
export const requestAccess: KindSpec<typeof TxKind.RequestAccess, RequestAccessPayload> = {
  kind: TxKind.RequestAccess,
  write: (w, p) => {
    w.fixed(p.patientId, HASH_BYTES).fixed(p.hospital, KEY).u8(p.scope).u8(p.purpose).u32(p.from).u32(p.to).u64(p.expiry).u8(p.mode).u64(p.answerBy);
  },
  read: (r) => ({
    kind: TxKind.RequestAccess,
    patientId: r.fixed(HASH_BYTES),
    hospital: r.fixed(KEY),
    scope: r.u8('scope'),
    purpose: readEnum(r, Purpose, 'purpose'),
    from: r.u32('from'),
    to: r.u32('to'),
    expiry: r.u64('expiry'),
    mode: readEnum(r, AccessMode, 'access mode'),
    answerBy: r.u64('answer-by'),
  }),
  apply: (ledger, p, t) => {
    const patient = requirePatient(ledger, p.patientId);
    const hospital = toHex(p.hospital);
    actingHospital(ledger, t.author, hospital);
    // A request asks for at least one category.
    if ((p.scope & SCOPE_ALL) === 0) fail('BAD_SCOPE', 'empty scope');
    requireRange(p.from, p.to);
    // A request asks for a grant that is live when it is confirmed, and waits for an answer until a later time.
    if (p.expiry <= t.time || p.answerBy <= t.time) fail('BAD_EXPIRY', 'request or asked grant already expired');
    ledger.requests.set(t.txId, {
      id: t.txId,
      patient,
      hospital,
      scope: p.scope,
      purpose: p.purpose,
      from: p.from,
      to: p.to,
      expiry: p.expiry,
      mode: p.mode,
      answerBy: p.answerBy,
      time: t.tx.time,
    });
    ledger.index(patient, t.txId);
  },
  codes: ['UNKNOWN_PATIENT', 'UNKNOWN_HOSPITAL', 'NOT_AUTHORISED', 'BAD_SCOPE', 'BAD_RANGE', 'BAD_EXPIRY'],
  signer: 'hospital-actor',
  proofs: null,
  subjects: (p) => [toHex(p.patientId)],
  blobs: null,
  example: {
    kind: TxKind.RequestAccess,
    patientId: exampleBytes(34),
    hospital: exampleBytes(35),
    scope: 3,
    purpose: Purpose.Treatment,
    from: 18_000,
    to: OPEN_END,
    expiry: 1_767_312_000,
    mode: AccessMode.View,
    answerBy: 1_767_225_600,
  },
};
