/** Guardians and the handover at 18 in English (SPEC §2 "Family", app/family). */
import { findPatient } from './problems';

export const family = {
  /** The hospital's attestation (clinician app, one patient). */
  attest: {
    title: 'Guardian of a child',
    intro:
      'A parent or guardian who registered this child’s profile manages it until the child turns 18. Attest it only after seeing proof: a birth certificate, or a court order.',
    guardianId: 'The guardian’s id (on their card)',
    birth: 'The child’s date of birth',
    birthHint: 'The chain keeps only the month the child turns 18, not the date of birth.',
    proof: 'I have seen proof that this person is the child’s parent or guardian.',
    submit: 'Attest guardianship',
    saved: 'Saved on this device; it will sync. The guardianship shows here once it is confirmed.',
    current: (guardian: string, hospital: string, date: string) =>
      `Guardian: ${guardian}, attested by ${hospital}. The profile passes to the patient on ${date}.`,
    awaiting: (date: string) => `The patient came of age on ${date} and has not yet chosen their own passphrase: until then the profile can only do that.`,
    handedOver: (date: string) => `The patient took control of this profile on ${date}.`,
    /** Why the form cannot be sent (app/family/guardian-form.ts GuardianFormCode). */
    problem: {
      ...findPatient,
      GUARDIAN_SELF: 'That is the child’s own id. Enter the guardian’s id, from their own card.',
      BAD_DATE: 'Enter the child’s date of birth.',
      BORN_LATER: 'That date of birth is in the future.',
      ALREADY_ADULT: (date: string) => `This patient came of age on ${date}: an adult has no guardian here.`,
      NO_PROOF: 'Confirm that you have seen proof of the guardianship.',
    },
  },
  /** The child's own profile. */
  child: {
    title: 'Your guardian',
    minor: (guardian: string, hospital: string, date: string) =>
      `Your guardian (${guardian}) manages this profile, as ${hospital} attested. It passes to you on ${date}: then you choose your own passphrase.`,
    awaiting: (date: string) =>
      `Since ${date} this profile is yours. Choose your own passphrase to take control: until you do, it cannot share or add records, and anyone who knows the old passphrase can read what it holds.`,
    takeControl: 'Choose my own passphrase',
    handedOver: (date: string) => `You took control of this profile on ${date}. Your guardian’s old passphrase opens nothing new.`,
    keepGuardian: 'If you want your guardian to go on reading your records, share them with your guardian as a caregiver, below.',
  },
  /** The guardian's own profile. */
  children: {
    title: 'Children in your care',
    minor: (child: string, date: string) => `${child}: in your care until ${date}.`,
    awaiting: (child: string, date: string) => `${child}: came of age on ${date}. Give them the passphrase so they can choose their own.`,
    handedOver: (child: string, date: string) => `${child}: took control of their profile on ${date}.`,
  },
};
