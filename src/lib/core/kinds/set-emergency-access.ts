/**
 * SetEmergencyAccess (SPEC §4, issue 15): the patient turns emergency access
 * (break-glass) on or off. On, it names the kinds of record it opens, an
 * emergency X25519 key those records' keys are also wrapped to, and that
 * key's secret split into shares (Shamir, the threshold the network's
 * quorum), one sealed to each admitted hospital's data key — so no single
 * hospital can open the records, and any quorum can, only after an
 * EmergencyAccess (docs/emergency-access.md). It may name a nominee, a
 * patient to be told of any emergency access.
 */
import { bytesEqual, toHex } from '../bytes';
import { MAX_SEALED_SHARE, MAX_SHARE_HOLDERS, SCOPE_ALL } from '../payload-fields';
import { quorumFunction } from '../quorum-rule';
import { TxKind } from '../tx';
import { KEY, exampleBytes, readEnum, writeCount } from './codec';
import { ZERO_KEY, actingPatient, fail, requireBoxKey, sortedUnique } from './rule-kit';
import { type KindSpec, oneSubject } from './spec';

/** One hospital's share of the emergency key, sealed to its data key (sealed-box.ts). */
export type SealedShare = { hospital: Uint8Array; sealed: Uint8Array };

/** What a SetEmergencyAccess transaction carries; the field order is its encoding. */
export type SetEmergencyAccessPayload = {
  kind: typeof TxKind.SetEmergencyAccess;
  allowed: boolean;
  /** Kinds of record it opens (0 when off). */
  scope: number;
  /** The emergency X25519 public key (zeros when off). */
  key: Uint8Array;
  threshold: number;
  /** One per admitted hospital, ascending by hospital (none when off). */
  shares: SealedShare[];
  /** A patient to tell of any emergency access, or zeros. */
  nominee: Uint8Array;
};

/** A flag byte: exactly 0 or 1 (any other value is not canonical). */
const ON_OFF = { off: 0, on: 1 } as const;

/** SetEmergencyAccess's entry in the registry (kinds/index.ts). */
export const setEmergencyAccess: KindSpec<typeof TxKind.SetEmergencyAccess, SetEmergencyAccessPayload> = {
  kind: TxKind.SetEmergencyAccess,
  write: (w, p) => {
    w.u8(p.allowed ? 1 : 0)
      .u8(p.scope)
      .fixed(p.key, KEY)
      .u8(p.threshold);
    writeCount(w, p.shares.length, MAX_SHARE_HOLDERS, 'shares');
    for (const s of p.shares) w.fixed(s.hospital, KEY).bytes(s.sealed, MAX_SEALED_SHARE);
    w.fixed(p.nominee, KEY);
  },
  read: (r) => ({
    kind: TxKind.SetEmergencyAccess,
    allowed: readEnum(r, ON_OFF, 'allowed') === 1,
    scope: r.u8('scope'),
    key: r.fixed(KEY, 'emergency key'),
    threshold: r.u8('threshold'),
    shares: Array.from({ length: r.count(MAX_SHARE_HOLDERS, 'shares') }, () => ({
      hospital: r.fixed(KEY, 'holder'),
      sealed: r.bytes(MAX_SEALED_SHARE, 'share'),
    })),
    nominee: r.fixed(KEY, 'nominee'),
  }),
  apply: (ledger, p, t) => {
    const patient = actingPatient(ledger, t);
    let nominee: string | null = null;
    if (!bytesEqual(p.nominee, ZERO_KEY)) {
      nominee = toHex(p.nominee);
      // A nominee is another registered patient.
      if (nominee === patient || !ledger.patients.has(nominee)) fail('UNKNOWN_PATIENT', 'nominee is not another registered patient');
    }
    if (!p.allowed) {
      // Off carries no key, no scope and no shares.
      if (p.scope !== 0 || !bytesEqual(p.key, ZERO_KEY) || p.threshold !== 0 || p.shares.length > 0)
        fail('BAD_SHARES', 'emergency access off with a key or shares');
    } else {
      // On opens at least one kind of record.
      if ((p.scope & SCOPE_ALL) === 0) fail('BAD_SCOPE', 'empty scope');
      requireBoxKey(p.key);
      const holders = sortedUnique(p.shares.map((s) => s.hospital));
      const members = ledger.memberIds();
      // Emergency access needs two hospitals at least: one alone could open it by itself.
      if (members.length < 2) fail('BAD_SHARES', 'emergency access needs at least two admitted hospitals');
      // Every admitted hospital holds one share, and the quorum of them is needed: no fewer hospitals can open it.
      if (!holders || holders.join() !== members.join() || p.threshold !== quorumFunction(ledger.quorumRule)(members.length))
        fail('BAD_SHARES', 'shares are not one per admitted hospital with the quorum as threshold');
      // Each share is sealed (empty bytes would be no share at all).
      if (p.shares.some((s) => s.sealed.length === 0)) fail('BAD_SHARES', 'an empty share');
    }
    ledger.emergencySettings.set(patient, {
      id: t.txId,
      patient,
      allowed: p.allowed,
      scope: p.scope,
      key: p.allowed ? toHex(p.key) : '',
      threshold: p.threshold,
      holders: p.shares.map((s) => toHex(s.hospital)),
      shares: p.shares.map((s) => toHex(s.sealed)),
      nominee,
      time: t.tx.time,
    });
    ledger.index(patient, t.txId);
  },
  codes: ['NOT_AUTHORISED', 'UNKNOWN_PATIENT', 'BAD_SHARES', 'BAD_SCOPE', 'BAD_KEY', 'GUARDIANSHIP_ENDED'],
  signer: 'patient',
  proofs: null,
  subjects: (p, tx, lookup) => {
    const own = lookup.patientOfKey(toHex(tx.author));
    const nominee = bytesEqual(p.nominee, ZERO_KEY) ? [] : [toHex(p.nominee)];
    return [...oneSubject(own), ...nominee];
  },
  blobs: null,
  example: {
    kind: TxKind.SetEmergencyAccess,
    allowed: true,
    scope: 0x52,
    key: exampleBytes(42),
    threshold: 2,
    shares: [
      { hospital: exampleBytes(43), sealed: exampleBytes(44, 153) },
      { hospital: exampleBytes(45), sealed: exampleBytes(46, 153) },
    ],
    nominee: exampleBytes(47),
  },
};
