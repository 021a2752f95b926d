/**
 * Errors for bad data. A {@link DecodeError} says bytes are not a canonical
 * encoding; a {@link RuleError} says a well-formed block breaks a consensus
 * rule. Both carry a machine-readable code (tests assert codes, not text) and
 * are thrown only inside the core's checking functions, which the node turns
 * into results: a peer's garbage never throws through the node.
 */
import { toHex } from './bytes';

/** Why bytes were refused by a decoder (SPEC §5: canonical, versioned encoding). */
export type DecodeCode =
  | 'TRUNCATED' // the input ends inside a field
  | 'TRAILING_BYTES' // bytes left after a complete value
  | 'NON_CANONICAL' // a value with a shorter or other accepted encoding
  | 'OVERSIZE' // a length or count above its explicit limit
  | 'OUT_OF_RANGE' // a number outside the field's range
  | 'BAD_VERSION' // an encoding version this code does not know
  | 'BAD_MAGIC' // a file that is not what it claims to be
  | 'BAD_CHECKSUM' // a file whose checksum does not match its bytes
  | 'UNKNOWN_KIND'; // a tagged value with an unknown tag

export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  constructor(
    readonly code: DecodeCode,
    message: string,
    /** Byte offset where the problem was found. */
    readonly offset: number,
  ) {
    super(`${message} (${code} at byte ${offset})`);
  }
}

/**
 * The consensus rules a block can break, one code per rule, grouped by the
 * stage that checks them (btcd's validate.go order).
 */
export type RuleCode =
  // Stage 1: the block alone.
  | 'BAD_ENCODING' // the block's bytes do not decode canonically
  | 'BAD_VERSION' // unknown header version
  | 'BAD_BITS' // compact target negative, overflowing, zero or above the network limit
  | 'HIGH_HASH' // the header hash is above the target its bits claim
  | 'BLOCK_TOO_LARGE' // encoded block above params.maxBlockBytes
  | 'TOO_MANY_TXS' // more than params.maxTxPerBlock transactions
  | 'BAD_TX' // a transaction breaks its own structural rules
  | 'BAD_TX_SIGNATURE' // a transaction's signature does not verify
  | 'DUPLICATE_TX' // the same transaction twice in one block
  | 'BAD_TX_ROOT' // the header's root does not commit to the transactions
  | 'BAD_TX_TIME' // a transaction dated after its block's time plus the allowed drift
  | 'TIME_TOO_NEW' // timestamp beyond the injected clock plus params.maxFutureSeconds
  // Stage 2: against the parent.
  | 'BAD_PREV' // the previous-hash link does not name the parent
  | 'BAD_HEIGHT' // height is not the parent's plus one
  | 'BAD_DIFFICULTY' // bits differ from the retarget rule's result
  | 'TIME_TOO_OLD' // timestamp not after the median of the last 11 blocks
  | 'BELOW_FINAL' // builds on a block that is not a descendant of the last final block
  // Stage 3: against chain state.
  | 'TX_ALREADY_IN_CHAIN' // a transaction already confirmed on this branch (replay)
  | 'BAD_GENESIS' // a first block that is not this network's genesis
  // Stage 3, the ledger (identity and consent rules, SPEC §2 to §4).
  | 'BAD_PAYLOAD' // a payload that does not decode for its transaction kind
  | 'GENESIS_ONLY' // founding a network anywhere but in the genesis block
  | 'KEY_IN_USE' // a signing key that already holds a role
  | 'UNKNOWN_HOSPITAL' // names a hospital that is not admitted
  | 'UNKNOWN_PATIENT' // names a patient who is not registered
  | 'UNKNOWN_STAFF' // names a staff member who is not active at that hospital
  | 'UNKNOWN_REFERENCE' // names an application, record, grant, referral or request that does not exist or is not the patient's
  | 'NOT_AUTHORISED' // the author may not do this (not the patient, not the hospital, not its staff)
  | 'NO_CONSENT' // a hospital acts for a patient without live consent
  | 'OUT_OF_SCOPE' // a hospital adds a record in a category none of its live consents from the patient covers
  | 'BAD_READERS' // a key list not ascending and unique, or not exactly the readers the rules require
  | 'BAD_KEY_SIZE' // a key blob whose declared size is not exactly one wrapped key per reader
  | 'ALREADY_DONE' // approving, revoking or erasing twice
  | 'BAD_EXPIRY' // a grant that expires at or before its block's time
  | 'BAD_SCOPE' // a grant or request for no category
  | 'BAD_RANGE' // a grant or request whose date range ends before it starts
  | 'BAD_ERASE_BY' // a grant whose erase-by date is before its expiry
  | 'BEYOND_REQUEST' // a grant answering a request that gives more than was asked (categories, dates, expiry, download, another purpose)
  | 'REQUEST_EXPIRED' // answering a request after its answer-by time
  | 'BAD_RECORD_DATE' // a record dated after the day of its block
  | 'BAD_SHARES' // emergency-key shares not one per admitted hospital with the quorum as threshold, or an empty share
  | 'EMERGENCY_OFF' // breaking the glass for a patient who has not allowed emergency access
  | 'BAD_GUARDIANSHIP' // a guardianship of a patient by themselves, of someone already an adult, or ending more than 18 years ahead
  | 'GUARDIANSHIP_ENDED' // a minor's profile acting after its 18th birthday before the patient took control (a passphrase change)
  | 'BAD_RECOVERY' // recovery shares with a threshold below two, more needed than there are holders, or a holder who is not a patient or admitted hospital
  | 'NO_RECOVERY' // asking to recover a patient who has set up no recovery through people
  | 'TOO_MANY_GRANTS' // a grant beyond the live grants a patient may hold
  | 'RECORD_ERASED' // sharing the keys of an erased record
  | 'BAD_PROOF' // a key rotation not signed by the new key, or a staff certification not signed by the staff key
  | 'BAD_KEY' // an X25519 key of low order, with which no key agreement is possible
  | 'BAD_STAFF_WRAPS' // a data-key rotation that does not reach exactly the remaining staff
  | 'BAD_EVIDENCE'; // evidence that does not prove an equivocation by an admitted hospital

/** A block that breaks a rule: names the block and the rule. */
export class RuleError extends Error {
  override readonly name = 'RuleError';
  constructor(
    readonly code: RuleCode,
    message: string,
    readonly height: number | null = null,
    readonly blockHash: Uint8Array | null = null,
  ) {
    super(message);
  }

  /** The block named as `height <h> <hash>` where known. */
  describeBlock(): string {
    const h = this.height === null ? '?' : String(this.height);
    return this.blockHash ? `block ${h} ${toHex(this.blockHash)}` : `block ${h}`;
  }
}
