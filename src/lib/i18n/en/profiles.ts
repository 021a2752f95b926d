/** Several profiles on one device in English (issue 15, SPEC §2 "Family"): the switcher, the login page's list, the register page's label and guardian choice. */
export const profiles = {
  /** The patient page's header: whose records are open. */
  openNow: 'Profile open now',
  /** A profile with no label is shown by its short id. */
  unnamed: (short: string) => `Profile ${short}`,
  switchProfile: 'Switch profile',
  switchHint: 'Choosing a profile signs this one out. Each profile opens only with its own Aadhaar number and passphrase.',
  someoneElse: 'Someone else',
  registerAnother: 'Register a new profile',
  /** The login page's list. */
  onDevice: 'Profiles on this device',
  onDeviceHint: 'This list holds only names and public patient ids. Each person still logs in with their own Aadhaar number and passphrase.',
  logInAs: (label: string) => `Log in as ${label}`,
  lastUsed: (date: string) => `Last used here on ${date}`,
  forget: 'Forget on this device',
  forgetHint: 'Forgetting removes a profile from this list only: its records and consents stay on the chain, and it can log in again.',
  /** The log-in form once a profile was chosen. */
  loggingInAs: (label: string, short: string) => `Logging in as ${label} (${short})`,
  notThisProfile: 'Log in as someone else',
  otherProfile:
    'This Aadhaar number and passphrase open another profile, not the one you chose. Nothing was opened. Choose that profile instead, or check the number and passphrase.',
  /** The label asked for at register and log in. */
  label: 'Name for this profile on this device',
  labelHint: 'For example “Asha (daughter)”. Kept on this device only, so a family can tell its profiles apart.',
  labelOptional: 'Optional. For example “Asha (daughter)”. Kept on this device only.',
  /** The register page's guardian choice. */
  forChild: 'This profile is for a child in my care',
  childLabel: (name: string) => `${name} (child)`,
  guardianNote:
    'A hospital of the network must attest that you are this child’s guardian before you can act for them as guardian. Until then this is the child’s own profile, opened with the child’s Aadhaar number and the passphrase you choose here.',
  guardianBadge: 'child in my care',
};
