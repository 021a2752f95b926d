/**
 * RefuseRequest (SPEC §4): the patient says no to a hospital's request or a
 * referral, on the chain, so the hospital sees "refused" instead of a
 * request open for ever; the answer is final (a new request may follow).
 */
import { toHex } from '../bytes';
import { HASH_BYTES } from '../hash';
import { TxKind } from '../tx';
import { exampleBytes } from './codec';
import { actingPatient, fail, requireOpenAsk } from './rule-kit';
import { type KindSpec, oneSubject } from './spec';

/** What a RefuseRequest transaction carries: the request or referral refused. */
export type RefuseRequestPayload = { kind: typeof TxKind.RefuseRequest; regarding: Uint8Array };

/** RefuseRequest's entry in the registry (kinds/index.ts). */
export const refuseRequest: KindSpec<typeof TxKind.RefuseRequest, RefuseRequestPayload> = {
  kind: TxKind.RefuseRequest,
  write: (w, p) => {
    w.fixed(p.regarding, HASH_BYTES);
  },
  read: (r) => ({ kind: TxKind.RefuseRequest, regarding: r.fixed(HASH_BYTES) }),
  apply: (ledger, p, t) => {
    const patient = actingPatient(ledger, t);
    const id = toHex(p.regarding);
    const asked = ledger.requests.get(id) ?? ledger.referrals.get(id);
    // Only a request or referral to this patient is refused.
    if (!asked || asked.patient !== patient) fail('UNKNOWN_REFERENCE', 'no such request or referral for this patient');
    requireOpenAsk(ledger, id, t.time);
    ledger.answers.set(id, { kind: 'refusal', id: t.txId, time: t.tx.time });
    ledger.index(patient, t.txId);
  },
  codes: ['NOT_AUTHORISED', 'UNKNOWN_REFERENCE', 'ALREADY_DONE', 'REQUEST_EXPIRED', 'GUARDIANSHIP_ENDED'],
  signer: 'patient',
  proofs: null,
  subjects: (_p, tx, lookup) => oneSubject(lookup.patientOfKey(toHex(tx.author))),
  blobs: null,
  example: { kind: TxKind.RefuseRequest, regarding: exampleBytes(40) },
};
