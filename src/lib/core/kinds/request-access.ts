/** RequestAccess (SPEC §4): a hospital asks a patient for consent, by scope and purpose code. */
import { toHex } from '../bytes';
import { HASH_BYTES } from '../hash';
import { Purpose, SCOPE_ALL } from '../payload-fields';
import { TxKind } from '../tx';
import { KEY, exampleBytes, readEnum } from './codec';
import { actingHospital, fail, requirePatient } from './rule-kit';
import type { KindSpec } from './spec';

/** What a RequestAccess transaction carries; the field order is its encoding. */
export type RequestAccessPayload = { kind: typeof TxKind.RequestAccess; patientId: Uint8Array; hospital: Uint8Array; scope: number; purpose: Purpose };

/** RequestAccess's entry in the registry (kinds/index.ts). */
export const requestAccess: KindSpec<typeof TxKind.RequestAccess, RequestAccessPayload> = {
  kind: TxKind.RequestAccess,
  write: (w, p) => {
    w.fixed(p.patientId, HASH_BYTES).fixed(p.hospital, KEY).u8(p.scope).u8(p.purpose);
  },
  read: (r) => ({
    kind: TxKind.RequestAccess,
    patientId: r.fixed(HASH_BYTES),
    hospital: r.fixed(KEY),
    scope: r.u8('scope'),
    purpose: readEnum(r, Purpose, 'purpose'),
  }),
  apply: (ledger, p, t) => {
    const patient = requirePatient(ledger, p.patientId);
    const hospital = toHex(p.hospital);
    actingHospital(ledger, t.author, hospital);
    // A request asks for at least one category.
    if ((p.scope & SCOPE_ALL) === 0) fail('BAD_SCOPE', 'empty scope');
    ledger.requests.set(t.txId, { id: t.txId, patient, hospital, scope: p.scope, purpose: p.purpose, time: t.tx.time });
    ledger.index(patient, t.txId);
  },
  codes: ['UNKNOWN_PATIENT', 'UNKNOWN_HOSPITAL', 'NOT_AUTHORISED', 'BAD_SCOPE'],
  signer: 'hospital-actor',
  proofs: null,
  subjects: (p) => [toHex(p.patientId)],
  blobs: null,
  example: { kind: TxKind.RequestAccess, patientId: exampleBytes(34), hospital: exampleBytes(35), scope: 3, purpose: Purpose.Treatment },
};
