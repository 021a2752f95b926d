/**
 * On what terms a hospital's app may show a record (SPEC §4, issue 15: the
 * consent artefact as ABDM's). A key the hospital once received cannot be
 * taken back by the chain, so the hospital's own app keeps the patient's
 * terms: it shows a record only while a grant allows it, hides the download
 * of attachments under a view-only grant, and once every grant that gave it
 * the record has passed its erase-by time or was revoked (revocation means
 * wipe too), it no longer opens the record at all and says since when.
 * Records the hospital wrote itself are its own to read.
 *
 * Pure: the ledger and the time are passed in.
 */
import type { GrantState, RecordState } from '../../core/ledger';
import { AccessMode } from '../../core/payloads';

/** What these decisions read of the ledger (a narrow view any LedgerView is, so tests can hand in a few grants). */
export interface ConsentTables {
  readonly grants: { get(id: string): GrantState | undefined };
  /** Patient id → ids of their grants (among their other transactions). */
  readonly byPatient: { get(patient: string): readonly string[] | undefined };
}

export type RecordAccess =
  /** The hospital wrote the record: readable and downloadable whatever the consent. */
  | { readonly basis: 'author' }
  /**
   * A grant lets the hospital show it: `live` while the grant is in force; after its
   * expiry (not live) the copies may be kept until `eraseBy`. `mode` is the widest
   * any such grant allows; `grant` is one that allows it.
   */
  | { readonly basis: 'grant'; readonly grant: GrantState; readonly mode: AccessMode; readonly live: boolean; readonly eraseBy: number }
  /** Every grant that gave the hospital this record has passed its erase-by time or was revoked: wiped `since` then. */
  | { readonly basis: 'erased-by-terms'; readonly since: number; readonly grants: readonly GrantState[] }
  /** No grant of this hospital ever covered it: never shared with the hospital. */
  | { readonly basis: 'none' };

/** Every grant `patient` gave `hospital`, revoked and expired ones included, oldest first. */
export function grantsTo(ledger: ConsentTables, patient: string, hospital: string): GrantState[] {
  const out: GrantState[] = [];
  for (const id of ledger.byPatient.get(patient) ?? []) {
    const g = ledger.grants.get(id);
    if (g && g.hospital === hospital) out.push(g);
  }
  return out;
}

/** When a grant stopped being in force: its revocation, or its expiry. */
export const grantEnd = (g: GrantState): number => (g.revoked ? (g.revokedAt ?? g.time) : g.expiry);

/** When the hospital must have wiped what the grant gave it: at once on revocation, else its erase-by time. */
export const wipeDue = (g: GrantState): number => (g.revoked ? (g.revokedAt ?? g.time) : g.eraseBy);

/**
 * Whether `g` ever gave (or gives) the hospital `record`: its categories and
 * dates cover the record, and the record existed before the grant ended (a
 * record written after a revocation or expiry was never shared under it).
 */
export function grantReached(g: GrantState, record: RecordState): boolean {
  return (g.scope & (1 << record.category)) !== 0 && record.day >= g.from && record.day <= g.to && record.time < grantEnd(g);
}

/** The grant with the widest mode among `gs` (non-empty), the latest-ending one among equals. */
function widest(gs: readonly GrantState[]): GrantState {
  return gs.reduce((a, b) => (b.mode > a.mode || (b.mode === a.mode && grantEnd(b) > grantEnd(a)) ? b : a));
}

/** On what basis `hospital` may show `record` at `now` (see {@link RecordAccess}). */
export function recordAccess(ledger: ConsentTables, hospital: string, record: RecordState, now: number): RecordAccess {
  if (record.hospital === hospital) return { basis: 'author' };
  const reached = grantsTo(ledger, record.patient, hospital).filter((g) => grantReached(g, record));
  if (reached.length === 0) return { basis: 'none' };
  const live = reached.filter((g) => !g.revoked && g.expiry > now);
  const kept = live.length > 0 ? live : reached.filter((g) => !g.revoked && g.eraseBy > now);
  if (kept.length > 0) {
    const grant = widest(kept);
    return { basis: 'grant', grant, mode: grant.mode, live: live.length > 0, eraseBy: Math.max(...kept.map((g) => g.eraseBy)) };
  }
  return { basis: 'erased-by-terms', since: Math.max(...reached.map(wipeDue)), grants: reached };
}

/** Whether the hospital may offer the record's attachments for download (view-only grants show them, never hand them out). */
export const mayDownload = (a: RecordAccess): boolean => a.basis === 'author' || (a.basis === 'grant' && a.mode === AccessMode.Download);

/**
 * The next time after `now` at which what `hospital` may show of `patient`'s
 * records changes by the clock alone (an expiry or an erase-by time), so the
 * app reads the history again then and drops what it must; null when none is
 * ahead. Revocations come with a new block, which reads it again anyway.
 */
export function nextAccessChange(ledger: ConsentTables, patient: string, hospital: string, now: number): number | null {
  let next: number | null = null;
  for (const g of grantsTo(ledger, patient, hospital)) {
    if (g.revoked) continue;
    for (const t of [g.expiry, g.eraseBy]) if (t > now && (next === null || t < next)) next = t;
  }
  return next;
}
