/**
 * What became of pending transactions that a later block made invalid
 * (SPEC §5–6: a write is "saved on this device, will sync" only while it can
 * still reach a block). When the active chain changes, the pool is checked
 * again; a transaction that can no longer apply for a permanent reason
 * leaves the pool, and its id is remembered here with the rule's code, so
 * the author's screen says "failed: <reason>" instead of waiting for ever.
 *
 * Which failures are permanent is decided by the rule's code
 * ({@link isPermanentFailure}). The check already applies the pool's own
 * transactions first (so one that waits for another still pending, e.g. a
 * grant for a registration returned by a reorganisation, never fails), and
 * transactions carry random nonces, not sequence numbers, so there is no
 * nonce gap to wait for. What is left is a failure that only a new,
 * separately signed transaction could cure (consent given again, a new
 * record sealed for the new readers): the old one is dead. The exception is
 * a failure that the passing of time alone cures.
 */
import type { RuleCode } from './errors';

/** How many failed transaction ids are remembered (oldest forgotten first). */
export const MAX_FAILED_REMEMBERED = 1024;

/**
 * How many of the pool's oldest transactions (mining order) are checked again
 * per change of the active chain. A bound, so a full pool cannot make every
 * block cost a pass over hundreds of thousands of transactions; the pool
 * drains from its oldest end, so every transaction is checked before a miner
 * would take it. Ties at the boundary (same time) are all checked, so a
 * transaction and one it depends on are never split. Measured: about 25 µs
 * per record transaction, so a full window costs some 30 ms per block.
 */
export const RECHECK_LIMIT = 1024;

/**
 * `permanent`: the transaction can never apply as signed; it leaves the pool.
 * `temporary`: it may apply later with no new write; it stays.
 * Every code is listed, so a new rule cannot be added without deciding.
 * Codes of stages 1 and 2 describe blocks and are never what a pending
 * transaction fails with (the pool's structure and signature checks come
 * first); they are marked permanent only to keep the table whole.
 */
const PERMANENCE: Record<RuleCode, 'permanent' | 'temporary'> = {
  BAD_ENCODING: 'permanent',
  BAD_VERSION: 'permanent',
  BAD_BITS: 'permanent',
  HIGH_HASH: 'permanent',
  BLOCK_TOO_LARGE: 'permanent',
  TOO_MANY_TXS: 'permanent',
  BAD_TX: 'permanent',
  BAD_TX_SIGNATURE: 'permanent',
  DUPLICATE_TX: 'permanent',
  BAD_TX_ROOT: 'permanent',
  BAD_TX_TIME: 'permanent',
  TIME_TOO_NEW: 'permanent',
  BAD_PREV: 'permanent',
  BAD_HEIGHT: 'permanent',
  BAD_DIFFICULTY: 'permanent',
  TIME_TOO_OLD: 'permanent',
  BELOW_FINAL: 'permanent',
  TX_ALREADY_IN_CHAIN: 'permanent',
  BAD_GENESIS: 'permanent',
  // The ledger's rules. The state moved against the transaction: a key claimed, a grant revoked
  // or expired (expiry only comes closer), staff removed, a key rotated, the readers changed.
  BAD_PAYLOAD: 'permanent',
  GENESIS_ONLY: 'permanent',
  KEY_IN_USE: 'permanent',
  UNKNOWN_HOSPITAL: 'permanent',
  UNKNOWN_PATIENT: 'permanent',
  UNKNOWN_STAFF: 'permanent',
  UNKNOWN_REFERENCE: 'permanent',
  NOT_AUTHORISED: 'permanent',
  NO_CONSENT: 'permanent',
  OUT_OF_SCOPE: 'permanent',
  BAD_READERS: 'permanent',
  BAD_KEY_SIZE: 'permanent',
  ALREADY_DONE: 'permanent',
  BAD_EXPIRY: 'permanent',
  BAD_SCOPE: 'permanent',
  BAD_RANGE: 'permanent',
  BAD_ERASE_BY: 'permanent',
  BEYOND_REQUEST: 'permanent',
  // An answer-by time only comes closer; an answered request stays answered.
  REQUEST_EXPIRED: 'permanent',
  // Block times move forward, so a date after its block's day can only become allowed: it waits.
  BAD_RECORD_DATE: 'temporary',
  // A hospital admitted meanwhile changes who must hold shares: the patient's app makes new ones.
  BAD_SHARES: 'permanent',
  // The patient may turn emergency access on later, but the clinician should ask again then.
  EMERGENCY_OFF: 'permanent',
  BAD_GUARDIANSHIP: 'permanent',
  // Time only moves on past the 18th birthday: the profile acts again only after the patient's passphrase change.
  GUARDIANSHIP_ENDED: 'permanent',
  BAD_RECOVERY: 'permanent',
  // A recovery set up later is for the patient's new request, not this one.
  NO_RECOVERY: 'permanent',
  // The patient's other live grants expire (each grant has an expiry), and then this one fits, unchanged.
  TOO_MANY_GRANTS: 'temporary',
  RECORD_ERASED: 'permanent',
  BAD_PROOF: 'permanent',
  BAD_KEY: 'permanent',
  BAD_STAFF_WRAPS: 'permanent',
  BAD_EVIDENCE: 'permanent',
};

/** Whether a pending transaction refused with `code` can never apply as signed (and so leaves the pool). */
export function isPermanentFailure(code: RuleCode): boolean {
  return PERMANENCE[code] === 'permanent';
}

/** A pending transaction dropped from the pool: its id (hex) and the rule it can no longer pass. */
export interface FailedTx {
  readonly key: string;
  readonly code: RuleCode;
}

/** Transaction id (hex) → the code it failed with; bounded, oldest forgotten first. */
export class FailedTxs {
  private readonly byKey = new Map<string, RuleCode>();

  constructor(private readonly max = MAX_FAILED_REMEMBERED) {}

  get size(): number {
    return this.byKey.size;
  }

  remember(key: string, code: RuleCode): void {
    this.byKey.delete(key);
    if (this.byKey.size >= this.max) this.byKey.delete(this.byKey.keys().next().value!);
    this.byKey.set(key, code);
  }

  /** The code a transaction failed with, if it was dropped from the pool (and not yet forgotten). */
  get(key: string): RuleCode | undefined {
    return this.byKey.get(key);
  }

  /** Forgets a failure (the transaction was added to the pool again, or confirmed after all). */
  forget(key: string): void {
    this.byKey.delete(key);
  }
}
