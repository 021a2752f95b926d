/**
 * Consent as the patient gives it (SPEC §4, §7): the requests inbox and the
 * history of requests and answers, a grant (all or chosen categories, the
 * dates of records, a purpose, an expiry, an erase-by date, view or
 * download; answering a request — no more than it asked — or a referral),
 * refusal, revocation, and the re-wrapping of existing records' keys to
 * newly consented hospitals. The re-wrap is a ShareKeys per record, sent once
 * the grant is in a block (the ledger allows new readers only under live
 * consent); the screens call {@link shareDueKeys} on every chain change.
 * Revocation stops future records and re-wraps; it cannot un-read.
 */
import { hexToBytes } from '../../core/bytes';
import { type AskView, asksOf } from '../../core/consent-status';
import type { GrantState, LedgerView, ReferralState, RequestState } from '../../core/ledger';
import { AccessMode, type Day, OPEN_END, type Purpose, SCOPE_ALL } from '../../core/payloads';
import { shareRecordKeys } from '../../core/record-crypto';
import { TxKind } from '../../core/tx';
import { recordsOnChain } from '../clinician/history';
import { type ActionResult, refusal, submitPayload } from '../clinician/sign';
import type { PatientContext } from './keys';
import { RECORD_KINDS, hasPending, pendingShares } from './pool';

/** A request or a referral the patient has not answered with a grant. */
export type InboxItem =
  | { readonly kind: 'request'; readonly request: RequestState; readonly hospitalName: string }
  | { readonly kind: 'referral'; readonly referral: ReferralState; readonly hospitalName: string; readonly fromName: string };

const nameOf = (ledger: LedgerView, h: string) => ledger.hospitals.get(h)?.name ?? 'Unknown hospital';

/**
 * Requests and referrals to the patient still waiting for an answer at
 * `now`, newest first (answered ones, refused ones included, are on the
 * chain: every device of the patient and the hospital see them answered).
 */
export function inbox(ledger: LedgerView, patient: string, now: number): InboxItem[] {
  const out: InboxItem[] = [];
  for (const a of asksOf(ledger, patient, now)) {
    if (a.status !== 'requested') continue;
    if (a.request) out.push({ kind: 'request', request: a.request, hospitalName: nameOf(ledger, a.request.hospital) });
    else if (a.referral)
      out.push({ kind: 'referral', referral: a.referral, hospitalName: nameOf(ledger, a.referral.to), fromName: nameOf(ledger, a.referral.from) });
  }
  return out;
}

/** Every request and referral to the patient with its state (requested, granted, refused, expired, revoked) and hospital names, newest first. */
export function consentHistory(ledger: LedgerView, patient: string, now: number): (AskView & { hospitalName: string })[] {
  return asksOf(ledger, patient, now).map((a) => ({ ...a, hospitalName: nameOf(ledger, a.hospital) }));
}

/**
 * The terms of a request or a grant, side by side (what was asked, what was
 * given): which categories, why, records of which dates, until when, view or
 * download, and — for a grant — when the hospital's copies are wiped.
 */
export type ConsentTerms = Pick<GrantState, 'scope' | 'purpose' | 'from' | 'to' | 'expiry' | 'mode'> & {
  /** A grant's erase-by time; null for a request (it asks none). */
  readonly eraseBy: number | null;
};

/** The terms a request asks or a grant gives. */
export function termsOf(x: RequestState | GrantState): ConsentTerms {
  return { scope: x.scope, purpose: x.purpose, from: x.from, to: x.to, expiry: x.expiry, mode: x.mode, eraseBy: 'eraseBy' in x ? x.eraseBy : null };
}

/** Which terms a grant narrowed from what its request asked (erase-by is the patient's alone); empty when given as asked. */
export function narrowedTerms(asked: RequestState, given: GrantState): (keyof ConsentTerms)[] {
  const keys = ['scope', 'purpose', 'from', 'to', 'expiry', 'mode'] as const;
  return keys.filter((k) => asked[k] !== given[k]);
}

/** Refuses a request or referral: a signed transaction, so the hospital sees "refused" on every device. */
export function refuseRequest(ctx: PatientContext, regarding: string): Promise<ActionResult> {
  return submitPayload(ctx, ctx.me.signer, { kind: TxKind.RefuseRequest, regarding: hexToBytes(regarding) });
}

export interface GrantChoice {
  readonly hospital: string;
  /** Category bits; {@link SCOPE_ALL} for every category. */
  readonly scope: number;
  readonly purpose: Purpose;
  /** Expiry, seconds since 1970. */
  readonly expiry: number;
  /** First and last clinical day of the records shared (default: every record). */
  readonly from?: Day;
  readonly to?: Day;
  /** When the hospital's copies must be wiped (default: at the expiry). */
  readonly eraseBy?: number;
  /** View only, or download too (default). */
  readonly mode?: AccessMode;
  /** The request or referral it answers, if any. */
  readonly regarding?: string;
}

/** Gives consent; existing records in scope are re-wrapped by {@link shareDueKeys} once it is in a block. */
export function grantConsent(ctx: PatientContext, c: GrantChoice): Promise<ActionResult> {
  if (hasPending(ctx, RECORD_KINDS)) return Promise.resolve(refusal('WAIT_FOR_RECORD'));
  if ((c.scope & SCOPE_ALL) === 0) return Promise.resolve(refusal('BAD_SCOPE'));
  if (c.expiry <= ctx.node.now()) return Promise.resolve(refusal('BAD_EXPIRY'));
  const from = c.from ?? 0;
  const to = c.to ?? OPEN_END;
  const eraseBy = c.eraseBy ?? c.expiry;
  if (from > to) return Promise.resolve(refusal('BAD_RANGE'));
  if (eraseBy < c.expiry) return Promise.resolve(refusal('BAD_ERASE_BY'));
  return submitPayload(ctx, ctx.me.signer, {
    kind: TxKind.GrantConsent,
    grantee: hexToBytes(c.hospital),
    scope: c.scope & SCOPE_ALL,
    purpose: c.purpose,
    from,
    to,
    expiry: c.expiry,
    eraseBy,
    mode: c.mode ?? AccessMode.Download,
    regarding: c.regarding ? hexToBytes(c.regarding) : new Uint8Array(32),
  });
}

/** Revokes a grant: no new records or re-wraps for that hospital; what it already read stays read. */
export function revokeConsent(ctx: PatientContext, grantId: string): Promise<ActionResult> {
  if (hasPending(ctx, RECORD_KINDS)) return Promise.resolve(refusal('WAIT_FOR_RECORD'));
  return submitPayload(ctx, ctx.me.signer, { kind: TxKind.RevokeConsent, grant: hexToBytes(grantId) });
}

/** The patient's live grants, soonest expiry first, with hospital names. */
export function activeGrants(ledger: LedgerView, patient: string, now: number): (GrantState & { hospitalName: string })[] {
  return ledger
    .liveGrants(patient, now)
    .map((g) => ({ ...g, hospitalName: nameOf(ledger, g.hospital) }))
    .sort((a, b) => a.expiry - b.expiry);
}

/**
 * Sends a ShareKeys for every record of the patient whose key the ledger now
 * allows to readers that lack it (skipping records with a re-wrap already
 * waiting in the pool). Returns how many were sent and the first failure.
 */
export async function shareDueKeys(ctx: PatientContext): Promise<{ sent: number; failed: ActionResult | null }> {
  const chain = ctx.node.chain();
  const ledger = ctx.node.ledger();
  if (!chain || !ledger) return { sent: 0, failed: null };
  const waiting = pendingShares(chain);
  const now = ctx.node.now();
  let sent = 0;
  for (const { id, onChain } of recordsOnChain(chain, ctx.me.patientId)) {
    const r = ledger.records.get(id);
    if (!r || r.erased || waiting.has(id)) continue;
    const fresh = [...ledger.allowedReaders(r, now)].filter((k) => !r.readers.includes(k)).sort();
    if (fresh.length === 0) continue;
    const shared = await shareRecordKeys(onChain, hexToBytes(id), ctx.me.box, fresh.map(hexToBytes), (ref) => ctx.node.getBlob(ref), ctx.random);
    if (!shared) continue;
    const stored = await ctx.node.putBlob(shared.blob.ref, shared.blob.bytes);
    if (!stored.ok) return { sent, failed: refusal('KEY_STORE_FAILED', stored.reason) };
    const r2 = await submitPayload(ctx, ctx.me.signer, shared.payload);
    if (!r2.ok) return { sent, failed: r2 };
    sent++;
  }
  return { sent, failed: null };
}
