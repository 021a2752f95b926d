/**
 * SetRecovery (SPEC §2, issue 15): the patient splits their current master
 * seed (the recovery kit's 32 bytes) with Shamir's scheme and seals one
 * share to each holder — another registered patient's box key or an
 * admitted hospital's data key — keeping at most one printed share. The
 * threshold is at least two and no more than the shares there are, so no
 * single holder, a hospital included, can recover the patient alone
 * (docs/recovery-through-people.md). A threshold of zero with no holders
 * turns it off. The ledger keeps the signing key the seed gives: a
 * passphrase change makes a new seed, and the setting goes stale.
 */
import { toHex } from '../bytes';
import { MAX_SEALED_SHARE } from '../payload-fields';
import { MAX_PAPER_SHARES, MAX_RECOVERY_HOLDERS } from '../recovery';
import type { Ledger, RecoveryHolder } from '../ledger';
import { TxKind } from '../tx';
import { KEY, exampleBytes, readEnum, writeCount } from './codec';
import { actingPatient, fail, sortedUnique } from './rule-kit';
import { type KindSpec, oneSubject } from './spec';

/** Who a holder is, on the wire. */
export const HolderRole = { Patient: 1, Hospital: 2 } as const;
export type HolderRole = (typeof HolderRole)[keyof typeof HolderRole];

/** One holder and their share, sealed to them (sealed-box.ts, core/recovery.ts holderShareContext). */
export type RecoveryShare = { role: HolderRole; holder: Uint8Array; sealed: Uint8Array };

/** What a SetRecovery transaction carries; the field order is its encoding. */
export type SetRecoveryPayload = {
  kind: typeof TxKind.SetRecovery;
  /** Shares needed to recover (0: off). */
  threshold: number;
  /** Printed shares the patient keeps (0 or 1). */
  paper: number;
  /** Ascending by holder, unique. */
  shares: RecoveryShare[];
};

const PAPER = { none: 0, one: MAX_PAPER_SHARES } as const;

/** BAD_RECOVERY unless every holder may hold a share of `patient`'s seed. */
function requireHolders(ledger: Ledger, patient: string, shares: readonly RecoveryShare[]): RecoveryHolder[] {
  // Holders are unique and in order, so a holder is never counted twice.
  if (!sortedUnique(shares.map((s) => s.holder))) fail('BAD_RECOVERY', 'holders not strictly ascending');
  return shares.map((s) => {
    const id = toHex(s.holder);
    const isPatient = s.role === HolderRole.Patient;
    const hospital = ledger.hospitals.get(id);
    const key = isPatient ? (id !== patient ? ledger.patients.get(id)?.boxKey : undefined) : hospital?.member ? hospital.dataKey : undefined;
    // A holder is another registered patient or an admitted hospital (by its authority key).
    if (key === undefined) fail('BAD_RECOVERY', 'a holder is not another registered patient or an admitted hospital');
    // Each share is sealed (empty bytes would be no share at all).
    if (s.sealed.length === 0) fail('BAD_RECOVERY', 'an empty share');
    // The key the share was sealed to, as the ledger knows it now: a later passphrase change of the holder puts the share out of their reach.
    return { role: isPatient ? 'patient' : 'hospital', id, key };
  });
}

/** SetRecovery's entry in the registry (kinds/index.ts). */
export const setRecovery: KindSpec<typeof TxKind.SetRecovery, SetRecoveryPayload> = {
  kind: TxKind.SetRecovery,
  write: (w, p) => {
    w.u8(p.threshold).u8(p.paper);
    writeCount(w, p.shares.length, MAX_RECOVERY_HOLDERS, 'holders');
    for (const s of p.shares) w.u8(s.role).fixed(s.holder, KEY).bytes(s.sealed, MAX_SEALED_SHARE);
  },
  read: (r) => ({
    kind: TxKind.SetRecovery,
    threshold: r.u8('threshold'),
    paper: readEnum(r, PAPER, 'paper'),
    shares: Array.from({ length: r.count(MAX_RECOVERY_HOLDERS, 'holders') }, () => ({
      role: readEnum(r, HolderRole, 'holder role'),
      holder: r.fixed(KEY, 'holder'),
      sealed: r.bytes(MAX_SEALED_SHARE, 'share'),
    })),
  }),
  apply: (ledger, p, t) => {
    const patient = actingPatient(ledger, t);
    const off = p.threshold === 0 && p.paper === 0 && p.shares.length === 0;
    const holders = off ? [] : requireHolders(ledger, patient, p.shares);
    // At least two shares are needed (so no one holder recovers alone), and no more than there are.
    if (!off && (p.threshold < 2 || p.threshold > holders.length + p.paper)) fail('BAD_RECOVERY', 'threshold below two or above the shares');
    ledger.recoverySettings.set(patient, {
      id: t.txId,
      patient,
      threshold: p.threshold,
      paper: p.paper,
      holders,
      shares: p.shares.map((s) => toHex(s.sealed)),
      signKey: t.author,
      time: t.tx.time,
    });
    ledger.index(patient, t.txId);
  },
  codes: ['NOT_AUTHORISED', 'GUARDIANSHIP_ENDED', 'BAD_RECOVERY'],
  signer: 'patient',
  proofs: null,
  subjects: (p, tx, lookup) => {
    const own = oneSubject(lookup.patientOfKey(toHex(tx.author)));
    return [...own, ...p.shares.filter((s) => s.role === HolderRole.Patient).map((s) => toHex(s.holder))];
  },
  blobs: null,
  example: {
    kind: TxKind.SetRecovery,
    threshold: 2,
    paper: 1,
    shares: [
      { role: HolderRole.Patient, holder: exampleBytes(70), sealed: exampleBytes(71, 153) },
      { role: HolderRole.Hospital, holder: exampleBytes(72), sealed: exampleBytes(73, 153) },
    ],
  },
};
