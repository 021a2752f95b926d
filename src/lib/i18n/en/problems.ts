/**
 * Why a form, a typed code or a file is refused, in English, keyed by the
 * codes the checks return (app/identity/form.ts, core/record.ts,
 * core/file-type.ts, core/recovery-kit.ts, core/ids.ts,
 * app/clinician/patients.ts, app/patient/import-file.ts): the checks give
 * codes and values, the screens word them here (i18n/say.ts).
 */
import { rules } from './rules';
import { formatNumber } from '../format';
import { identity } from './identity';

const n = (x: number) => formatNumber('en', x);

/** Register, log-in, founding and passphrase-change fields (form.ts `FormCode`). */
export const form = {
  NAME_EMPTY: 'Enter the name you want hospitals to see.',
  TOO_LONG: (max: number) => `Use at most ${n(max)} characters.`,
  UNPRINTABLE: 'The name contains characters that cannot be shown.',
  CHOOSE_PASSPHRASE: 'Choose a passphrase.',
  TOO_WEAK: (guessesLog10: number) => `Too weak. ${rules.passphraseReason(guessesLog10)}`,
  DIFFER: 'The two passphrases differ.',
  ENTER_PASSPHRASE: 'Enter your passphrase.',
  ENTER_CURRENT: 'Enter your current passphrase.',
  SAME_AS_CURRENT: 'Choose a passphrase different from the current one.',
  OTHER_AADHAAR: (masked: string) => `This is not the Aadhaar number you logged in with (${masked}).`,
  NETWORK_NAME_EMPTY: 'Enter a name for the network.',
  HOSPITAL_NAME_EMPTY: 'Enter the hospital’s name.',
  NAME_TOO_LONG_BYTES: (max: number) => `The name is too long (at most ${n(max)} bytes).`,
  CHECK_UNAVAILABLE: identity.checkUnavailable,
};

/** The record form (core/record.ts `RecordProblemCode`, core/file-type.ts `FileTypeRefusal`). */
export const recordForm = {
  BROKEN_CHARACTER: 'This contains a broken character (half of an emoji or symbol); please retype it.',
  TITLE_EMPTY: 'Give the record a title.',
  TITLE_TOO_LONG: (max: number) => `The title is too long (at most ${n(max)} bytes).`,
  BAD_DATE: 'Enter a real date (YYYY-MM-DD).',
  FUTURE_DATE: 'The date is in the future.',
  DATE_TOO_OLD: 'Records dated before 1970 cannot be added.',
  AUTHOR_TOO_LONG: 'The author name is too long.',
  TOO_MANY_FIELDS: (max: number) => `At most ${n(max)} structured fields.`,
  FIELD_NAME: 'Each field needs a short name.',
  FIELD_VALUE_TOO_LONG: (max: number) => `A field value is at most ${n(max)} bytes.`,
  TEXT_TOO_LONG: 'The text is too long; attach longer documents as files.',
  TOO_MANY_ATTACHMENTS: (max: number) => `At most ${n(max)} attachments.`,
  ATTACHMENT_NAME: (max: number) => `Each attachment needs a file name of at most ${n(max)} bytes.`,
  ATTACHMENT_TYPE: (name: string) => `${name}: only PDF, images and plain text can be attached.`,
  ATTACHMENT_EMPTY: (name: string) => `${name} is empty or its size is unknown.`,
  ATTACHMENT_TOO_LARGE: (name: string) => `${name} is larger than 10 MB.`,
  FILES_CHANGED: 'The attached files do not match their descriptions; choose them again.',
  NOT_ALLOWED: (name: string) => `“${name}” cannot be attached: only PDF, PNG, JPEG, WebP, GIF and plain text files can.`,
  UNRECOGNISED: (name: string, claimed: string) => `“${name}” is not ${kindNoun(claimed)} (its contents are not PDF, PNG, JPEG, WebP, GIF or plain text).`,
  MISMATCH: (name: string, claimed: string, actual: string, ending: string) =>
    `“${name}” is not ${kindNoun(claimed)}: its contents are ${kindNoun(actual)}. Choose the right file${ending ? `, or rename it to end in .${ending}` : ''}.`,
};

/** How people call each attachment type (core/file-type.ts `AttachmentType`). */
const KIND_NOUNS: Readonly<Record<string, string>> = {
  'application/pdf': 'a PDF file',
  'image/png': 'a PNG image',
  'image/jpeg': 'a JPEG image',
  'image/webp': 'a WebP image',
  'image/gif': 'a GIF image',
  'text/plain': 'a plain text file',
};
function kindNoun(mime: string): string {
  return KIND_NOUNS[mime] ?? mime;
}

/** The recovery kit's code (core/recovery-kit.ts `KitErrorCode`). */
export const kitCode = {
  EMPTY: 'Type or paste the code printed on your recovery kit.',
  BAD_CHARACTER: (position: number, character: string) =>
    `Character ${n(position)} (“${character}”) cannot be in a recovery kit: it uses digits and the letters A–Z without I, L, O and U.`,
  BAD_LENGTH: (expected: number, got: number) => `A recovery kit code has ${n(expected)} characters; this has ${n(got)}.`,
  TYPO: 'This code has a typo: check each group of four against your kit.',
  NOT_A_KIT: 'This is not a medchain recovery kit code (they start with M1).',
  UNKNOWN_VERSION: 'This recovery kit was made by a newer version of the app.',
};

/** Finding a patient by short id or QR code (app/clinician/patients.ts `FindProblem`). */
export const findPatient = {
  ID_LENGTH: 'A patient id has 11 characters, like ABCDE-FGHJK-Z.',
  ID_CHARACTERS: 'A patient id uses only digits and the letters A–Z without I, L, O and U.',
  ID_TYPO: 'This patient id has a typo: its last character does not match.',
  OTHER_NETWORK: 'This QR code is for another medchain network.',
  NOT_FOUND: 'No registered patient has this id on this network (yet: a new registration appears once it is in a block).',
  SHARED_ID: 'Two patients share this short id; scan their QR code instead.',
};

/** A FHIR file to import (app/patient/import-file.ts `ImportFileCode`). */
export const importFile = {
  TOO_LARGE: (megabytes: number, maxMegabytes: number) =>
    `The file is ${n(megabytes)} MB; a FHIR Bundle to import can be at most ${n(maxMegabytes)} MB. Export fewer records per file.`,
  EMPTY: 'The file is empty.',
  NOT_TEXT: 'The file is not text (UTF-8); a FHIR Bundle is a JSON text file.',
  NOT_JSON: 'The file is not valid JSON; choose the .json file of a FHIR Bundle.',
  NOT_BUNDLE: (resourceType: string) => `The file is ${resourceType ? `a FHIR ${resourceType}` : 'JSON of another kind'}, not a FHIR Bundle.`,
  NO_ENTRIES: 'The FHIR Bundle has no entries: there is nothing to import.',
  TOO_MANY_ENTRIES: (count: number, max: number) => `The FHIR Bundle has ${n(count)} entries; at most ${n(max)} can be imported from one file.`,
  NOTHING_TO_IMPORT: (skipped: number) => `The FHIR Bundle holds no record medchain can import (${n(skipped)} entries skipped).`,
  /** Why one entry was skipped (core/fhir.ts `SkippedEntry`); FORM is followed by the record checks' words. */
  skip: {
    BAD_BINARY: (id: string) => `Binary ${id}: its data is not base64.`,
    NO_RESOURCE: (entry: number) => `Entry ${n(entry)}: no resource.`,
    NOT_KEPT: (entry: number, type: string) => `Entry ${n(entry)}: ${type} is not a kind of record medchain keeps.`,
    ATTACHMENT_MISSING: (entry: number, attachment: number) => `Entry ${n(entry)}: attachment ${n(attachment)} is missing.`,
    ATTACHMENT_SIZE: (entry: number, attachment: number) => `Entry ${n(entry)}: attachment ${n(attachment)} is not the size its record says.`,
    FORM: (entry: number, type: string) => `Entry ${n(entry)} (${type}):`,
    CONSENT: (entry: number) => `Entry ${n(entry)}: a consent is not imported. Consent is given only on the network: give it again under “Consent”.`,
  },
};
