/**
 * Consent as the patient gives it (SPEC §4, §7): the requests inbox, a grant
 * (all or chosen categories, a purpose, an expiry; answering a request or a
 * referral), revocation, and the re-wrapping of existing records' keys to
 * newly consented hospitals. The re-wrap is a ShareKeys per record, sent once
 * the grant is in a block (the ledger allows new readers only under live
 * consent); the screens call {@link shareDueKeys} on every chain change.
 * Revocation stops future records and re-wraps; it cannot un-read.
 */
import { hexToBytes } from '../../core/bytes';
import type { GrantState, LedgerView, ReferralState, RequestState } from '../../core/ledger';
import { type Purpose, SCOPE_ALL } from '../../core/payloads';
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

/** Open requests and referrals to the patient, newest first; `dismissed` are ids the patient refused on this device. */
export function inbox(ledger: LedgerView, patient: string, dismissed: ReadonlySet<string> = new Set()): InboxItem[] {
  const ids = ledger.byPatient.get(patient) ?? [];
  const answered = new Set<string>();
  for (const id of ids) {
    const g = ledger.grants.get(id);
    if (g?.regarding) answered.add(g.regarding);
  }
  const out: InboxItem[] = [];
  for (const id of ids) {
    if (answered.has(id) || dismissed.has(id)) continue;
    const request = ledger.requests.get(id);
    if (request) out.push({ kind: 'request', request, hospitalName: nameOf(ledger, request.hospital) });
    const referral = ledger.referrals.get(id);
    if (referral) out.push({ kind: 'referral', referral, hospitalName: nameOf(ledger, referral.to), fromName: nameOf(ledger, referral.from) });
  }
  return out.reverse();
}

export interface GrantChoice {
  readonly hospital: string;
  /** Category bits; {@link SCOPE_ALL} for every category. */
  readonly scope: number;
  readonly purpose: Purpose;
  /** Expiry, seconds since 1970. */
  readonly expiry: number;
  /** The request or referral it answers, if any. */
  readonly regarding?: string;
}

/** Gives consent; existing records in scope are re-wrapped by {@link shareDueKeys} once it is in a block. */
export function grantConsent(ctx: PatientContext, c: GrantChoice): Promise<ActionResult> {
  if (hasPending(ctx, RECORD_KINDS)) return Promise.resolve(refusal('WAIT_FOR_RECORD'));
  if ((c.scope & SCOPE_ALL) === 0) return Promise.resolve(refusal('BAD_SCOPE'));
  if (c.expiry <= ctx.node.now()) return Promise.resolve(refusal('BAD_EXPIRY'));
  return submitPayload(ctx, ctx.me.signer, {
    kind: TxKind.GrantConsent,
    grantee: hexToBytes(c.hospital),
    scope: c.scope & SCOPE_ALL,
    purpose: c.purpose,
    expiry: c.expiry,
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
