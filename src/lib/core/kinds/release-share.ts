/**
 * ReleaseShare (SPEC §4, issue 15): a hospital holding a share of a
 * patient's emergency key releases it to the clinician of an emergency
 * access, sealed to that clinician's box key. Honest hospitals' nodes do so
 * only once the access is final (docs/emergency-access.md); the ledger holds
 * each holder to one release per access, from the holders of the setting the
 * access was opened under.
 */
import { toHex } from '../bytes';
import { HASH_BYTES } from '../hash';
import { MAX_SEALED_SHARE } from '../payload-fields';
import { TxKind } from '../tx';
import { exampleBytes } from './codec';
import { fail, requirePatient } from './rule-kit';
import type { KindSpec } from './spec';

/** What a ReleaseShare transaction carries; the field order is its encoding. */
export type ReleaseSharePayload = {
  kind: typeof TxKind.ReleaseShare;
  patientId: Uint8Array;
  /** The EmergencyAccess it answers. */
  access: Uint8Array;
  /** The holder's share, sealed to the clinician's box key for this access. */
  sealed: Uint8Array;
};

/** ReleaseShare's entry in the registry (kinds/index.ts). */
export const releaseShare: KindSpec<typeof TxKind.ReleaseShare, ReleaseSharePayload> = {
  kind: TxKind.ReleaseShare,
  write: (w, p) => {
    w.fixed(p.patientId, HASH_BYTES).fixed(p.access, HASH_BYTES).bytes(p.sealed, MAX_SEALED_SHARE);
  },
  read: (r) => ({ kind: TxKind.ReleaseShare, patientId: r.fixed(HASH_BYTES), access: r.fixed(HASH_BYTES), sealed: r.bytes(MAX_SEALED_SHARE, 'share') }),
  apply: (ledger, p, t) => {
    const patient = requirePatient(ledger, p.patientId);
    const e = ledger.emergencies.get(toHex(p.access));
    // The access must exist and be this patient's.
    if (!e || e.patient !== patient) fail('UNKNOWN_REFERENCE', 'no such emergency access for this patient');
    const setting = ledger.emergencySettings.get(patient);
    const holders = setting?.id === e.setting ? setting.holders : null;
    // Only a hospital holding a share of the key the access was opened under releases one (a changed setting made a new key).
    if (!holders?.includes(t.author)) fail('NOT_AUTHORISED', 'not a holder of this access’s key');
    // A holder releases its share once per access.
    if (e.releases.some((x) => x.hospital === t.author)) fail('ALREADY_DONE', 'share already released');
    // A share is sealed (empty bytes would release nothing).
    if (p.sealed.length === 0) fail('BAD_SHARES', 'an empty share');
    ledger.emergencies.set(e.id, { ...e, releases: [...e.releases, { hospital: t.author, sealed: toHex(p.sealed), time: t.tx.time }] });
  },
  codes: ['UNKNOWN_PATIENT', 'UNKNOWN_REFERENCE', 'NOT_AUTHORISED', 'BAD_SHARES'],
  signer: 'authority',
  proofs: null,
  subjects: (p) => [toHex(p.patientId)],
  blobs: null,
  example: { kind: TxKind.ReleaseShare, patientId: exampleBytes(51), access: exampleBytes(52), sealed: exampleBytes(53, 153) },
};
