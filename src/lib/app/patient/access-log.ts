/**
 * The patient's access log (SPEC §4, §7): every grant, revocation, referral,
 * request and record about them on the active chain, with who did it and
 * when, newest first. Read from the chain (a revocation's time is its
 * transaction's), so every device shows the same log: from the view's
 * per-patient index, never a walk over every block.
 */
import { toHex } from '../../core/bytes';
import type { LedgerView } from '../../core/ledger';
import type { Category } from '../../core/payloads';
import { TxKind } from '../../core/tx';
import { payloadOf } from '../../core/ledger-rules';
import type { ChainView } from '../chain-view';

export interface LogEntry {
  readonly id: string;
  readonly kind: 'grant' | 'revocation' | 'referral' | 'request' | 'record';
  /** Seconds since 1970. */
  readonly time: number;
  /** Who acted: a hospital (and staff member), or "You". */
  readonly by: string;
  /** The other side: the hospital given or asking access, or referred to. */
  readonly hospital: string | null;
  readonly category?: Category;
  readonly scope?: number;
  readonly expiry?: number;
}

const LOGGED: ReadonlySet<TxKind> = new Set([TxKind.GrantConsent, TxKind.RevokeConsent, TxKind.Referral, TxKind.RequestAccess, TxKind.AddRecord]);

/** The log, newest first (chain order reversed, so entries of one block keep their order). */
export function accessLog(chain: ChainView, ledger: LedgerView, patient: string): LogEntry[] {
  const name = (h: string) => ledger.hospitals.get(h)?.name ?? 'Unknown hospital';
  const actor = (author: string, hospital: string) => {
    const s = ledger.staff.get(author);
    return s ? `${s.name}, ${name(hospital)}` : name(hospital);
  };
  const out: LogEntry[] = [];
  for (const { tx, id } of chain.ofPatient(patient)) {
    if (!LOGGED.has(tx.kind)) continue;
    const time = tx.time;
    const g = ledger.grants.get(id);
    if (g?.patient === patient) out.push({ id, kind: 'grant', time, by: 'You', hospital: name(g.hospital), scope: g.scope, expiry: g.expiry });
    const r = ledger.records.get(id);
    if (r?.patient === patient)
      out.push({
        id,
        kind: 'record',
        time,
        by: r.hospital ? actor(r.author, r.hospital) : 'You',
        hospital: r.hospital ? name(r.hospital) : null,
        category: r.category,
      });
    const f = ledger.referrals.get(id);
    if (f?.patient === patient) out.push({ id, kind: 'referral', time, by: name(f.from), hospital: name(f.to) });
    const q = ledger.requests.get(id);
    if (q?.patient === patient) out.push({ id, kind: 'request', time, by: name(q.hospital), hospital: name(q.hospital), scope: q.scope });
    if (tx.kind === TxKind.RevokeConsent) {
      const p = payloadOf(tx);
      const revoked = p.kind === TxKind.RevokeConsent ? ledger.grants.get(toHex(p.grant)) : undefined;
      if (revoked?.patient === patient) out.push({ id, kind: 'revocation', time, by: 'You', hospital: name(revoked.hospital) });
    }
  }
  return out.reverse();
}
