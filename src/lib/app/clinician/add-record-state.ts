/**
 * What the "Add a record" form offers at a moment (issue 15): consent can be
 * revoked or run out while a clinician types, and the form must then stay,
 * with what was typed, say what happened and when, and refuse to save until
 * consent returns. Decided from the ledger and the time alone (pure), so the
 * form and the tests agree.
 */
import type { RuleCode } from '../../core/errors';
import type { LedgerView } from '../../core/ledger';
import { Category } from '../../core/payloads';
import type { ChainView } from '../chain-view';
import { grantEnd, grantsTo } from './record-access';
import { writableCategories } from './write';

/** Why the form cannot save now: the patient revoked consent, it expired (each at a time), or none was ever given. */
export type WriteBlock = { readonly why: 'revoked'; readonly at: number } | { readonly why: 'expired'; readonly at: number } | { readonly why: 'never' };

export interface AddRecordState {
  /** Whether the form is shown: consent now, consent this hospital once had, or a kept draft. */
  readonly show: boolean;
  /** The kinds the form offers: those the live consent covers, or every kind while saving waits (the draft keeps its kind). */
  readonly categories: readonly Category[];
  /** The kinds the live consent covers (empty without consent). */
  readonly writable: readonly Category[];
  /** Why Save is disabled, or null when it may save. */
  readonly blocked: WriteBlock | null;
}

const ALL: readonly Category[] = Object.values(Category);

/** The form's state for `hospital` writing about `patient` at `now`; `hasDraft` when something typed is kept. */
export function addRecordState(ledger: LedgerView, hospital: string, patient: string, now: number, hasDraft: boolean): AddRecordState {
  const writable = writableCategories(ledger, patient, hospital, now);
  if (writable.length > 0) return { show: true, categories: writable, writable, blocked: null };
  const grants = grantsTo(ledger, patient, hospital);
  const last = grants.reduce<(typeof grants)[number] | null>((a, g) => (a === null || grantEnd(g) >= grantEnd(a) ? g : a), null);
  const blocked: WriteBlock =
    last === null || grantEnd(last) > now ? { why: 'never' } : last.revoked ? { why: 'revoked', at: grantEnd(last) } : { why: 'expired', at: last.expiry };
  return { show: hasDraft || grants.length > 0, categories: ALL, writable, blocked };
}

/** What became of a record sent from the form: waiting for a block, in the chain, or dropped for good (with the rule, when known). */
export type SentOutcome = { readonly state: 'waiting' } | { readonly state: 'in-chain' } | { readonly state: 'failed'; readonly code: RuleCode | null };

/**
 * Where the AddRecord transaction `id` stands. A record can be accepted on
 * this device and still never reach a block: consent revoked first makes
 * the chain drop it (NO_CONSENT), so the form keeps its draft until it is in
 * the chain and gives it back when it failed. Neither waiting, in the chain
 * nor remembered as failed (a failure before a reload) counts as failed: the
 * pool is restored before the chain is opened, so it will not come back.
 */
export function sentOutcome(chain: Pick<ChainView, 'txHeight' | 'failedTx' | 'pendingTxs'>, id: string): SentOutcome {
  if (chain.txHeight(id) !== undefined) return { state: 'in-chain' };
  const code = chain.failedTx(id);
  if (code) return { state: 'failed', code };
  return chain.pendingTxs().some((e) => e.key === id) ? { state: 'waiting' } : { state: 'failed', code: null };
}
