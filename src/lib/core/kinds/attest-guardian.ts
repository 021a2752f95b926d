/**
 * AttestGuardian (SPEC §2 "Family", issue 15): a hospital attests that a
 * registered adult is the guardian of a minor's profile, until the day the
 * minor turns 18. The guardian registered the profile and knows its
 * passphrase, so they act for the child; the attestation puts on the chain
 * who they are, who vouched for it and when it ends. From that day the
 * profile may sign only a passphrase change — the handover
 * (rule-kit.ts `actingPatient`, rotate-patient-keys.ts) — so the guardian's
 * knowledge of the old passphrase stops acting for the adult patient, who
 * may let the guardian go on reading as a caregiver (DelegateAccess).
 *
 * What it reveals to anyone reading the chain: that the two pseudonymous
 * ids are guardian and child, and the month the child comes of age (the app
 * rounds the birthday up to the first of the next month,
 * docs/threat-model.md).
 */
import { toHex } from '../bytes';
import { HASH_BYTES } from '../hash';
import { type Day, MAX_GUARDIAN_DAYS, dayOf } from '../payload-fields';
import { TxKind } from '../tx';
import { KEY, exampleBytes } from './codec';
import { actingHospital, fail, requirePatient } from './rule-kit';
import type { KindSpec } from './spec';

/** What an AttestGuardian transaction carries; the field order is its encoding. */
export type AttestGuardianPayload = {
  kind: typeof TxKind.AttestGuardian;
  /** The attesting hospital (its authority key); the author is it or its active staff. */
  hospital: Uint8Array;
  /** The minor's patient id. */
  minor: Uint8Array;
  /** The guardian's own patient id. */
  guardian: Uint8Array;
  /** The first day the minor is an adult. */
  until: Day;
};

/** AttestGuardian's entry in the registry (kinds/index.ts). */
export const attestGuardian: KindSpec<typeof TxKind.AttestGuardian, AttestGuardianPayload> = {
  kind: TxKind.AttestGuardian,
  write: (w, p) => {
    w.fixed(p.hospital, KEY).fixed(p.minor, HASH_BYTES).fixed(p.guardian, HASH_BYTES).u32(p.until);
  },
  read: (r) => ({
    kind: TxKind.AttestGuardian,
    hospital: r.fixed(KEY, 'hospital'),
    minor: r.fixed(HASH_BYTES, 'minor'),
    guardian: r.fixed(HASH_BYTES, 'guardian'),
    until: r.u32('until'),
  }),
  apply: (ledger, p, t) => {
    const hospital = toHex(p.hospital);
    actingHospital(ledger, t.author, hospital);
    const minor = requirePatient(ledger, p.minor);
    const guardian = requirePatient(ledger, p.guardian);
    // A profile is attested once: a second guardian, or one after the handover, is not a correction the chain can make.
    if (ledger.guardianships.has(minor)) fail('ALREADY_DONE', 'this profile already has an attested guardianship');
    // No one is their own guardian.
    if (minor === guardian) fail('BAD_GUARDIANSHIP', 'a patient cannot be their own guardian');
    const today = dayOf(t.time);
    // The minor is not yet an adult, and comes of age within 18 years.
    if (p.until <= today || p.until > today + MAX_GUARDIAN_DAYS) fail('BAD_GUARDIANSHIP', 'the coming of age is not within the next 18 years');
    // A guardian is an adult: not a minor whose own guardianship is still running.
    const own = ledger.guardianships.get(guardian);
    if (own && own.handedOver === null) fail('BAD_GUARDIANSHIP', 'the guardian is a minor under guardianship');
    ledger.guardianships.set(minor, { id: t.txId, minor, guardian, hospital, attestedBy: t.author, until: p.until, time: t.tx.time, handedOver: null });
    ledger.index(minor, t.txId);
    ledger.index(guardian, t.txId);
  },
  codes: ['UNKNOWN_HOSPITAL', 'NOT_AUTHORISED', 'UNKNOWN_PATIENT', 'ALREADY_DONE', 'BAD_GUARDIANSHIP'],
  signer: 'hospital-actor',
  proofs: null,
  subjects: (p) => [toHex(p.minor), toHex(p.guardian)],
  blobs: null,
  example: { kind: TxKind.AttestGuardian, hospital: exampleBytes(61), minor: exampleBytes(62), guardian: exampleBytes(63), until: 21_000 },
};
