/**
 * The field types and limits the transaction payloads share (SPEC §2 to §4):
 * record categories, purposes, roles, vote phases, the founders' quorum rule,
 * blob references and size limits. Separate from the kinds' codecs
 * (kinds/) so that the ledger and every kind can name them without importing
 * the registry. The numbers of each enumeration are part of the encoding.
 */
import { WRAPPED_KEY_BYTES } from './envelope-sizes';

/** Record categories (SPEC §3); the numbers are part of the encoding. */
export const Category = {
  Consultation: 0,
  Prescription: 1,
  LabReport: 2,
  Imaging: 3,
  DischargeSummary: 4,
  Immunization: 5,
  Allergy: 6,
  Other: 7,
} as const;
export type Category = (typeof Category)[keyof typeof Category];
export const CATEGORY_COUNT = 8;
/** A consent scope: one bit per category; all bits = every category. */
export const SCOPE_ALL = 0xff;
/**
 * What emergency access opens unless the patient chooses otherwise (SPEC §4):
 * the kinds of record an emergency summary is made of — allergies,
 * prescriptions, immunizations and discharge summaries.
 */
export const EMERGENCY_SCOPE = (1 << Category.Allergy) | (1 << Category.Prescription) | (1 << Category.Immunization) | (1 << Category.DischargeSummary);

/**
 * Why access is asked for or given (SPEC §4, as ABDM's consent artefact):
 * codes, never free text on a public chain. abdm-codes.ts maps each to
 * ABDM's purpose code.
 */
export const Purpose = {
  Treatment: 1,
  Referral: 2,
  SecondOpinion: 3,
  Emergency: 4,
  Payment: 5,
  PublicHealth: 6,
  Research: 7,
  PatientRequest: 8,
} as const;
export type Purpose = (typeof Purpose)[keyof typeof Purpose];

/** What a grant lets the hospital do with what it reads (ABDM's access mode): view in the app, or also download and keep a copy. */
export const AccessMode = { View: 0, Download: 1 } as const;
export type AccessMode = (typeof AccessMode)[keyof typeof AccessMode];

/**
 * A calendar day: whole days since 1970-01-01 (UTC), what record dates and
 * the date ranges of grants are written in. {@link OPEN_END} as the end of a
 * range means "and every later record".
 */
export type Day = number;
export const OPEN_END: Day = 0xffff_ffff;
/** The day that contains `seconds` (UTC). */
export function dayOf(seconds: number): Day {
  return Math.floor(seconds / 86_400);
}
/** The span of record dates a grant or request covers, both ends included. */
export interface DayRange {
  readonly from: Day;
  readonly to: Day;
}
/** Every record, whatever its date. */
export const ALL_DAYS: DayRange = { from: 0, to: OPEN_END };

/**
 * The share of the hospitals whose approvals make a block final (SPEC §5),
 * chosen by the founders and recorded in every founding transaction of the
 * genesis block: more than two thirds by default, or the paper's bare
 * majority (quorum-rule.ts says what each means; docs/consensus.md why).
 */
export const QuorumRule = { TwoThirds: 0, Majority: 1 } as const;
export type QuorumRule = (typeof QuorumRule)[keyof typeof QuorumRule];

export const StaffRole = { Clinician: 1, Nurse: 2, Technician: 3, Clerk: 4 } as const;

/** Why a clinician breaks the glass (SPEC §4): codes; any words are sealed to the hospital. */
export const EmergencyReason = { Unconscious: 1, UnableToConsent: 2, LifeThreatening: 3, Other: 4 } as const;
export type EmergencyReason = (typeof EmergencyReason)[keyof typeof EmergencyReason];

/** What the hospital's authority found when it reviewed an emergency access. */
export const ReviewOutcome = { Justified: 1, NotJustified: 2 } as const;
export type ReviewOutcome = (typeof ReviewOutcome)[keyof typeof ReviewOutcome];

/** Hours within which the accessing hospital's authority must review an emergency access (SPEC §4). */
export const REVIEW_HOURS = 72;

/** A sealed share of an emergency key: a 33-byte Shamir share in a sealed box (sealed-box.ts), with room to spare. */
export const MAX_SEALED_SHARE = 256;
export type StaffRole = (typeof StaffRole)[keyof typeof StaffRole];

export const MAX_NAME_BYTES = 100;
export const MAX_ATTACHMENTS = 20;
export const MAX_READERS = 64;
/**
 * Most live grants a patient may hold at once: with the patient and the
 * authoring hospital, a record's readers then always fit {@link MAX_READERS}.
 */
export const MAX_LIVE_GRANTS = MAX_READERS - 4;
export const MAX_STAFF_WRAPS = 500;
export const MAX_SEALED_NOTE = 2048;
/** At most this many hospitals hold shares of one patient's emergency key (every admitted hospital, SPEC §5's validators). */
export const MAX_SHARE_HOLDERS = 64;
/** The two votes of a round (docs/consensus.md): a prevote proposes, a precommit commits. */
export const VotePhase = { Prevote: 1, Precommit: 2 } as const;
export type VotePhase = (typeof VotePhase)[keyof typeof VotePhase];
/** An encoded Approval transaction is about 190 bytes; evidence carries two. */
export const MAX_EVIDENCE_TX = 512;
/** Attachments up to 10 MB each (SPEC §3), plus AEAD overhead. */
export const MAX_BLOB_BYTES = 10 * 1024 * 1024 + 64;

/**
 * Bytes before the wraps in a key blob: none. A key blob is exactly one
 * {@link WRAPPED_KEY_BYTES} wrap per reader, in the readers' order
 * (record-crypto.ts), so its size follows from the readers list alone.
 */
export const KEY_BLOB_HEADER_BYTES = 0;

/**
 * The exact size of the key blob for `readers` readers. The ledger holds
 * every AddRecord and ShareKeys to it (BAD_KEY_SIZE, issue 13): a shorter
 * blob leaves some reader, perhaps the patient, without a key to the record
 * for ever, and readers open only a blob of exactly this size
 * (record-crypto.ts `recordKeyFor`), so a longer one locks out everyone. The
 * blob store refuses bytes whose length is not the declared size, so the
 * declared size is the one to check.
 */
export function keyBlobBytes(readers: number): number {
  return KEY_BLOB_HEADER_BYTES + readers * WRAPPED_KEY_BYTES;
}

/** A content-addressed blob beside the chain: its SHA-256 and size. */
export interface BlobRef {
  readonly hash: Uint8Array;
  readonly size: number;
}
/** Days in the longest guardianship a hospital may attest: a newborn's, until 18 rounded up to the next month (18 years of 366 days and a month: a bound, not a calendar). */
export const MAX_GUARDIAN_DAYS = 18 * 366 + 31;
