/**
 * ReleaseRecoveryShare (SPEC §2, issue 15): a holder of a patient's
 * recovery share re-seals it to the box key of a recovery ask. Unlike an
 * emergency share it is never released by a node on its own: a person (the
 * holder patient, or the hospital's authority) presses the button after
 * speaking to the patient. The ledger holds each holder to one release per
 * ask, before its answer-by time, from the holders of the setting the ask
 * was made under.
 */
import { toHex } from '../bytes';
import { HASH_BYTES } from '../hash';
import type { LedgerView, RecoveryHolder } from '../ledger';
import { MAX_SEALED_SHARE } from '../payload-fields';
import { TxKind } from '../tx';
import { exampleBytes } from './codec';
import { fail, requirePatient } from './rule-kit';
import type { KindSpec } from './spec';

/** What a ReleaseRecoveryShare transaction carries; the field order is its encoding. */
export type ReleaseRecoverySharePayload = {
  kind: typeof TxKind.ReleaseRecoveryShare;
  patientId: Uint8Array;
  /** The AskRecovery it answers. */
  ask: Uint8Array;
  /** The holder's share, sealed to the ask's box key. */
  sealed: Uint8Array;
};

/** The holder among `holders` whose key `author` is: a holder patient's current signing key, or a holder hospital's authority. */
export function holderOfKey(ledger: Pick<LedgerView, 'keys' | 'patients' | 'hospitals'>, holders: readonly RecoveryHolder[], author: string): string | null {
  const k = ledger.keys.get(author);
  const patient = k?.role === 'patient' && ledger.patients.get(k.patient)?.signKey === author ? k.patient : null;
  const hospital = ledger.hospitals.get(author)?.member ? author : null;
  const h = holders.find((x) => (x.role === 'patient' ? x.id === patient : x.id === hospital));
  return h?.id ?? null;
}

/** ReleaseRecoveryShare's entry in the registry (kinds/index.ts). */
export const releaseRecoveryShare: KindSpec<typeof TxKind.ReleaseRecoveryShare, ReleaseRecoverySharePayload> = {
  kind: TxKind.ReleaseRecoveryShare,
  write: (w, p) => {
    w.fixed(p.patientId, HASH_BYTES).fixed(p.ask, HASH_BYTES).bytes(p.sealed, MAX_SEALED_SHARE);
  },
  read: (r) => ({ kind: TxKind.ReleaseRecoveryShare, patientId: r.fixed(HASH_BYTES), ask: r.fixed(HASH_BYTES), sealed: r.bytes(MAX_SEALED_SHARE, 'share') }),
  apply: (ledger, p, t) => {
    const patient = requirePatient(ledger, p.patientId);
    const ask = ledger.recoveryAsks.get(toHex(p.ask));
    // The ask must exist and be this patient's.
    if (!ask || ask.patient !== patient) fail('UNKNOWN_REFERENCE', 'no such recovery ask for this patient');
    const setting = ledger.recoverySettings.get(patient);
    const holder = setting?.id === ask.setting ? holderOfKey(ledger, setting.holders, t.author) : null;
    // Only a holder of the setting the ask was made under releases (a new setting split a new secret).
    if (holder === null) fail('NOT_AUTHORISED', 'not a holder of this ask’s shares');
    // A holder releases once per ask.
    if (ask.releases.some((x) => x.holder === holder)) fail('ALREADY_DONE', 'share already released');
    // Not after the answer-by time the asker chose.
    if (ask.answerBy <= t.time) fail('REQUEST_EXPIRED', 'the recovery ask expired');
    // A share is sealed (empty bytes would release nothing).
    if (p.sealed.length === 0) fail('BAD_RECOVERY', 'an empty share');
    ledger.recoveryAsks.set(ask.id, { ...ask, releases: [...ask.releases, { holder, sealed: toHex(p.sealed), time: t.tx.time }] });
  },
  codes: ['UNKNOWN_PATIENT', 'UNKNOWN_REFERENCE', 'NOT_AUTHORISED', 'REQUEST_EXPIRED', 'BAD_RECOVERY'],
  signer: 'recovery-holder',
  proofs: null,
  subjects: (p) => [toHex(p.patientId)],
  blobs: null,
  example: { kind: TxKind.ReleaseRecoveryShare, patientId: exampleBytes(76), ask: exampleBytes(77), sealed: exampleBytes(78, 153) },
};
