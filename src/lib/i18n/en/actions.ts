/**
 * Why a signed action did not go through, in English (app/clinician/sign.ts
 * `ActionFailure`): the ledger's refusals a person can act on, by rule code,
 * and the app's own checks before anything is signed. A rule code without
 * words here is shown through `other` with its code.
 */
import { rules } from './rules';
import { formatNumber } from '../format';

export const action = {
  // The ledger's refusals (core/errors.ts RuleCode).
  KEY_IN_USE: 'These keys already belong to someone on this network (a patient, a hospital or staff).',
  UNKNOWN_HOSPITAL: 'That hospital is not an admitted member of this network.',
  UNKNOWN_PATIENT: 'That patient is not registered on this network yet.',
  UNKNOWN_STAFF: 'That person is not active staff of your hospital.',
  NOT_AUTHORISED: 'You may not do this: only the hospital’s authority or its active staff may act for it.',
  NO_CONSENT: rules.write.NO_CONSENT,
  OUT_OF_SCOPE: rules.write.OUT_OF_SCOPE,
  ALREADY_DONE: 'This was already done.',
  BAD_PROOF: 'The enrolment code was made for another hospital or was altered; ask for a new one.',
  BAD_READERS: 'Consent changed while the record was being sealed; please add it again.',
  BAD_STAFF_WRAPS: 'The staff list changed meanwhile; please try the removal again.',
  BAD_SCOPE: 'Choose at least one kind of record.',
  BAD_EXPIRY: 'Choose an expiry in the future.',
  TOO_MANY_GRANTS: 'You already share with as many hospitals and caregivers as one person can at once (60); end one you no longer need first.',
  BAD_RANGE: 'Choose real dates, the first no later than the last.',
  BAD_ERASE_BY: 'The hospital’s copies must be deleted when the consent ends or later, not before.',
  BEYOND_REQUEST:
    'You can give less than the hospital asked for, but not more: the same purpose, only the kinds, dates and days asked, and downloads only if asked.',
  REQUEST_EXPIRED: 'This request has expired: it was not answered in time. The hospital can ask again.',
  UNKNOWN_REFERENCE: 'That record is not one of yours on the chain.',
  GUARDIANSHIP_ENDED:
    'This profile’s owner has come of age: until they choose their own passphrase (Settings), it can do nothing else. Hospitals with consent can still add records.',
  BAD_GUARDIANSHIP: 'The guardian must be another registered adult, and the child must come of age within the next 18 years.',
  // The app's own checks (sign.ts AppRefusal).
  NOT_READY: 'This device has not opened its copy of the chain yet.',
  REFUSED: 'This device’s node refused the transaction.',
  POOL_FULL: 'This device holds too many unsent transactions; try again once it has synced.',
  FORM: 'Please fix the marked fields; nothing was saved.',
  FILE_TYPE: 'Nothing was saved.',
  WAIT_FOR_CONSENT:
    'A consent or passphrase change of yours is not in a block yet; add the record once it is (usually within a minute), so it is shared with the right hospitals.',
  WAIT_FOR_RECORD:
    'A record you added is not in a block yet; give or revoke consent once it is (usually within a minute), so it stays readable by the right hospitals.',
  STORE_FAILED: (reason: string) => `The encrypted record could not be stored on this device: ${reason}`,
  KEY_STORE_FAILED: (reason: string) => `A key could not be stored on this device: ${reason}`,
  HOSPITAL_NAME_EMPTY: 'Enter the hospital’s name.',
  NAME_TOO_LONG: (max: number) => `The name is too long (at most ${formatNumber('en', max)} bytes).`,
  ALREADY_APPLIED: 'This authority has already applied.',
  STAFF_NAME: (max: number) => `Enter the staff member’s name (at most ${formatNumber('en', max)} bytes).`,
  ONLY_AUTHORITY_CERTIFIES: 'Only an admitted hospital’s authority certifies staff.',
  ONLY_AUTHORITY_REMOVES: 'Only an admitted hospital’s authority removes staff.',
  OTHER_HOSPITAL: 'Choose another admitted hospital.',
  NOTE_TOO_LONG: 'The note is too long (about 1,900 characters at most).',
  NOT_REGISTERED_YET: 'Your registration is not on the chain yet; wait until it is confirmed.',
  NOT_YOURS: 'That record is not one of yours on the chain.',
  ALREADY_ERASED: 'This record is already erased.',
  NOT_CURRENT_KEYS: 'Your registration is not on the chain yet, or these keys were already replaced; log in again.',
  SAME_PASSPHRASE: 'That is your current passphrase; choose a new one.',
  PASSPHRASE_USED: 'That passphrase was used before on this network and cannot be used again; choose another.',
  ROTATION_UNFINISHED: 'Your previous passphrase change is still being finished; try again once your records are re-wrapped.',
  RECORD_NOT_SYNCED:
    'A record of yours cannot be opened on this device yet (its files have not synced); change the passphrase once it opens, so it is not lost.',
  REWRAP_MISSING: 'A re-wrapped key is missing on this device; finish the passphrase change on the device where you started it.',
  WRITES_PENDING: 'Something you did is not in a block yet; change the passphrase once it is (usually within a minute), so it is not lost.',
  /** A refusal without words of its own: its rule code, for support. */
  other: (code: string) => `The network refused this (${code}).`,
};

/** Why a passphrase change stopped (app/patient/settings/passphrase-change.svelte.ts `ChangeFailure`). */
export const passphraseChange = {
  WRONG_SECRET: 'That Aadhaar number and current passphrase do not give your keys. Nothing was changed.',
  KEYS_FAILED: 'Your new keys could not be made. Nothing was changed; please try again.',
  /** Followed by why the re-wrap failed. */
  REWRAP_FAILED: (why: string) => `Your passphrase changed, but a record that arrived meanwhile could not be re-wrapped: ${why}`,
};
