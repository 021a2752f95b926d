/**
 * The patient's access log (SPEC §4, §7): every grant (with its terms),
 * revocation, refusal, referral, request and record about them on the active
 * chain, with who did it and when, newest first — and each request that went
 * unanswered past its answer-by time, as an event at that time. Read from the
 * chain (a revocation's or refusal's time is its transaction's), so every
 * device shows the same log: from the view's per-patient index, never a walk
 * over every block.
 */
import { toHex } from '../../core/bytes';
import type { LedgerView } from '../../core/ledger';
import type { Category } from '../../core/payloads';
import { type Tx, TxKind } from '../../core/tx';
import { payloadOf } from '../../core/ledger-rules';
import type { ChainView } from '../chain-view';
import { type ConsentTerms, termsOf } from './consent';

export interface LogEntry {
  readonly id: string;
  readonly kind: 'grant' | 'revocation' | 'refusal' | 'referral' | 'request' | 'request-expired' | 'record';
  /** Seconds since 1970. */
  readonly time: number;
  /** Who acted: a hospital (and staff member); null for the patient. */
  readonly by: string | null;
  /** The other side: the hospital given, refused or asking access, or referred to. */
  readonly hospital: string | null;
  readonly category?: Category;
  /** What a grant gave or a request asked. */
  readonly terms?: ConsentTerms;
  /** A refusal's or expiry's subject: a referral rather than a request. */
  readonly referral?: boolean;
}

const LOGGED: ReadonlySet<TxKind> = new Set([
  TxKind.GrantConsent,
  TxKind.RevokeConsent,
  TxKind.RefuseRequest,
  TxKind.Referral,
  TxKind.RequestAccess,
  TxKind.AddRecord,
]);

/**
 * The log at `now`, newest first: chain order reversed (so entries of one
 * block keep their order), with each request unanswered past its answer-by
 * time placed by that time.
 */
export function accessLog(chain: ChainView, ledger: LedgerView, patient: string, now: number): LogEntry[] {
  const name = (h: string) => ledger.hospitals.get(h)?.name ?? 'Unknown hospital';
  const actor = (author: string, hospital: string) => {
    const s = ledger.staff.get(author);
    return s ? `${s.name}, ${name(hospital)}` : name(hospital);
  };
  const out: LogEntry[] = [];
  const expired: LogEntry[] = [];
  for (const { tx, id } of chain.ofPatient(patient)) {
    if (!LOGGED.has(tx.kind)) continue;
    const time = tx.time;
    const g = ledger.grants.get(id);
    if (g?.patient === patient) out.push({ id, kind: 'grant', time, by: null, hospital: name(g.hospital), terms: termsOf(g) });
    const r = ledger.records.get(id);
    if (r?.patient === patient)
      out.push({
        id,
        kind: 'record',
        time,
        by: r.hospital ? actor(r.author, r.hospital) : null,
        hospital: r.hospital ? name(r.hospital) : null,
        category: r.category,
      });
    const f = ledger.referrals.get(id);
    if (f?.patient === patient) out.push({ id, kind: 'referral', time, by: name(f.from), hospital: name(f.to) });
    const q = ledger.requests.get(id);
    if (q?.patient === patient) {
      out.push({ id, kind: 'request', time, by: name(q.hospital), hospital: name(q.hospital), terms: termsOf(q) });
      if (q.answerBy <= now && !ledger.answers.has(id))
        expired.push({ id, kind: 'request-expired', time: q.answerBy, by: name(q.hospital), hospital: name(q.hospital) });
    }
    if (tx.kind === TxKind.RevokeConsent || tx.kind === TxKind.RefuseRequest) out.push(...answerEntry(ledger, patient, id, tx, name));
  }
  return merge(out.reverse(), expired);
}

/** A revocation's or refusal's entry (the grant or ask it ends, found from its payload). */
function answerEntry(ledger: LedgerView, patient: string, id: string, tx: Tx, name: (h: string) => string): LogEntry[] {
  const p = payloadOf(tx);
  if (p.kind === TxKind.RevokeConsent) {
    const revoked = ledger.grants.get(toHex(p.grant));
    return revoked?.patient === patient ? [{ id, kind: 'revocation', time: tx.time, by: null, hospital: name(revoked.hospital) }] : [];
  }
  if (p.kind !== TxKind.RefuseRequest) return [];
  const regarding = toHex(p.regarding);
  const request = ledger.requests.get(regarding);
  const referral = ledger.referrals.get(regarding);
  const hospital = request?.hospital ?? referral?.to;
  if ((request ?? referral)?.patient !== patient || hospital === undefined) return [];
  return [{ id, kind: 'refusal', time: tx.time, by: null, hospital: name(hospital), referral: !request }];
}

/** Places each event (newest first) before the first entry of `log` older than it, leaving the log's own order alone. */
function merge(log: LogEntry[], events: LogEntry[]): LogEntry[] {
  const out: LogEntry[] = [];
  const rest = [...events].sort((a, b) => b.time - a.time);
  for (const e of log) {
    while (rest.length > 0 && rest[0]!.time > e.time) out.push(rest.shift()!);
    out.push(e);
  }
  return [...out, ...rest];
}
