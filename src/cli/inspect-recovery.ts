/**
 * What `medchain inspect` reports of a patient's recovery through people
 * (issue 15): the setting (on, off, or stale after a passphrase change),
 * who holds shares (a patient's short id, a hospital), and each ask with
 * who released and how it ended. No share, sealed or not, is reported:
 * only what every node already sees.
 */
import { hexToBytes } from '../lib/core/bytes';
import { shortId } from '../lib/core/ids';
import { isoTime } from '../lib/core/iso-time';
import type { LedgerView, RecoveryHolder } from '../lib/core/ledger';
import { liveRecovery } from '../lib/core/recovery';

export interface RecoveryHolderReport {
  readonly role: 'patient' | 'hospital';
  /** A patient's short id, or a hospital's authority key (hex). */
  readonly id: string;
  /** The hospital's name (null for a patient, or a hospital the ledger does not name). */
  readonly name: string | null;
}

export interface RecoveryReport {
  readonly setting: {
    readonly status: 'on' | 'off' | 'stale';
    readonly threshold: number;
    readonly paper: number;
    readonly holders: readonly RecoveryHolderReport[];
    readonly since: string | null;
  } | null;
  readonly asks: readonly {
    readonly id: string;
    readonly asked: string | null;
    readonly answerBy: string | null;
    /** Recovered (the asker's key took over), open, expired, or superseded (the setting changed since). */
    readonly status: 'recovered' | 'open' | 'expired' | 'superseded';
    readonly released: readonly RecoveryHolderReport[];
  }[];
}

function holderReport(ledger: LedgerView, h: Pick<RecoveryHolder, 'role' | 'id'>): RecoveryHolderReport {
  return h.role === 'patient'
    ? { role: 'patient', id: shortId(hexToBytes(h.id)), name: null }
    : { role: 'hospital', id: h.id, name: ledger.hospitals.get(h.id)?.name ?? null };
}

/** Patient `patient`'s recovery through people at `now`. */
export function recoveryReport(ledger: LedgerView, patient: string, now: number): RecoveryReport {
  const s = ledger.recoverySettings.get(patient);
  const live = liveRecovery(ledger, patient);
  const setting = s
    ? {
        status: s.threshold === 0 ? ('off' as const) : live ? ('on' as const) : ('stale' as const),
        threshold: s.threshold,
        paper: s.paper,
        holders: s.holders.map((h) => holderReport(ledger, h)),
        since: isoTime(s.time),
      }
    : null;
  const signKey = ledger.patients.get(patient)?.signKey;
  const asks: RecoveryReport['asks'][number][] = [];
  for (const id of ledger.byPatient.get(patient) ?? []) {
    const a = ledger.recoveryAsks.get(id);
    if (!a || a.patient !== patient) continue;
    const role = (holder: string) => s?.holders.find((h) => h.id === holder) ?? { role: 'patient' as const, id: holder };
    const status = signKey === a.asker ? 'recovered' : live?.id !== a.setting ? 'superseded' : a.answerBy > now ? 'open' : 'expired';
    asks.push({
      id: a.id,
      asked: isoTime(a.time),
      answerBy: isoTime(a.answerBy),
      status,
      released: a.releases.map((r) => holderReport(ledger, role(r.holder))),
    });
  }
  return { setting, asks };
}
