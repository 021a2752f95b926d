/** The patient's settings in English: passphrase change, recovery kit, where erasing is. */
import { formatNumber } from '../format';

const n = (x: number) => formatNumber('en', x);

export const settings = {
  title: 'Settings',
  fromKit:
    'You logged in with your recovery kit. If you have forgotten your passphrase, choose a new one below; your kit then stops working, so make a new kit afterwards.',
  eraseTitle: 'Erase a record',
  eraseAbout:
    'You can erase any of your records (the right to be forgotten): open it from your records and choose “Erase this record”. You will see exactly what erasure does and does not do before anything happens.',
  toRecords: 'Go to your records',
  changeTitle: 'Change your passphrase',
  changeAbout:
    'Your keys are made from your Aadhaar number and passphrase, so a new passphrase means new keys. They take over your patient id once the change is in a block; then each of your records is re-wrapped to them. Your old passphrase stops working for anything new. Hospitals you gave consent to keep their access.',
  current: 'Current passphrase',
  newOne: 'New passphrase',
  newAgain: 'New passphrase again',
  change: 'Change passphrase',
  preparing: 'Preparing your records for the new keys',
  preparingCount: (done: number, total: number) => ` (${n(done)} of ${n(total)})`,
  stepDone: ' — done',
  waitingNext: 'Waiting for the change to be in a block',
  waiting: 'Saved on this device; waiting for the change to be in a block (usually within a minute)…',
  inBlock: 'The change is in a block: your new passphrase is the one that works now',
  rewrapping: (remaining: number) => `Re-wrapping your records to the new keys: ${n(remaining)} to go…`,
  rewrapped: 'Every record is re-wrapped to your new keys',
  rewrapNext: 'Re-wrapping your records to the new keys',
  changed: 'Your passphrase is changed. Use the new one from now on.',
  close: 'Close',
  keepUsing: 'You can keep using the app. If you close it now, nothing is lost: log in with your new passphrase on this device and the change finishes.',
  kitTitle: 'Recovery kit',
  printKit: 'Print the kit',
  closeKit: 'Close the kit',
  closingWipes: 'Closing it wipes the kit from this device’s memory. It is never stored.',
  kitAbout:
    'A printed sheet that logs you in without your passphrase — for when you forget it. It is made on this device only when you ask, after you enter your Aadhaar number and current passphrase again, and it is never stored.',
  notYourKeys: 'That Aadhaar number and passphrase do not give the keys you are signed in with. Use your current passphrase.',
  kitFailed: 'The kit could not be made. Nothing was stored; please try again.',
  makeKit: 'Make a recovery kit',
  sheetTitle: 'medchain recovery kit',
  warningStrong: 'Anyone holding this sheet can act as you:',
  warning:
    'read all your records, give or revoke consent, and change your passphrase. Keep it locked away like a passport; never photograph, email or share it.',
  kitQr: 'QR code of your recovery kit',
  code: 'Recovery code',
  aadhaar: 'Aadhaar',
  patientId: 'Patient id',
  network: 'Network',
  madeOn: 'Made on',
  howToUse:
    'To use it, choose “Log in with a recovery kit” on the log-in page and type the code (case, spaces and dashes do not matter; a typo is detected). It stays valid until you change your passphrase; then make a new kit and destroy this one.',
  // Emergency access (issue 15; EmergencySettings.svelte).
  emergency: {
    title: 'Emergency access',
    about:
      'If you are brought to a hospital unable to answer — unconscious, for example — a doctor there could open the records you choose here without asking you. It is off unless you turn it on.',
    off: 'Emergency access is off: no one can open your records without your consent.',
    onSince: (date: string) => `Emergency access is on (since ${date}).`,
    opens: (kinds: string) => `It opens: ${kinds}.`,
    quorum: (needed: number, hospitals: number) =>
      `No single hospital can open them; any ${n(needed)} of the ${n(hospitals)} hospitals on the network, acting together, can.`,
    toldNominee: (id: string) => `Patient ${id} is told of every emergency access, as you are.`,
    toldYou: 'You are told of every emergency access in your access log.',
    outdated:
      'Hospitals have joined or left the network since you turned it on: a hospital that joined cannot help open it, and one that left still holds its part. Update it so that the hospitals on the network now share it.',
    update: 'Update',
    turnOnAsk: 'Turn on…',
    changeAsk: 'Change what it opens or who is told…',
    turnOffAsk: 'Turn off…',
    tooFew: 'Emergency access is not possible on this network yet: it needs at least two hospitals, so that no single hospital can open your records alone.',
    formLabel: 'Turn on emergency access',
    whichKinds: 'Which records may be opened in an emergency?',
    summary: (kinds: string) => `My emergency summary (recommended): ${kinds}`,
    onlyKinds: 'Only these kinds:',
    nominee: 'Someone to be told (optional): their patient id',
    nomineeHint:
      'Another patient on this network, such as a family member. They see every emergency access to your records in their own access log. Leave it empty to name no one.',
    nomineeSelf: 'That is your own patient id; name someone else, or leave it empty.',
    beforeTitle: 'Before you turn it on',
    warnNoSingle: 'No single hospital can open these records.',
    warnQuorum: (needed: number, hospitals: number) =>
      `But any ${n(needed)} of the ${n(hospitals)} hospitals on the network, acting together, could open them — even when there is no emergency. That is the price of not needing you in an emergency.`,
    warnRecorded: (hours: number) =>
      `Every emergency access is recorded and shown to you (and to the person you name). The hospital must review each one within ${n(hours)} hours; your access log flags any it has not.`,
    confirmOn: 'Turn on emergency access',
    confirmChange: 'Save the change',
    cancel: 'Cancel',
    offWarning: 'Turning it off stops any new emergency access. What a doctor has already opened stays opened.',
    confirmOff: 'Turn off emergency access',
    keepOn: 'Keep it on',
    pending:
      'Your change is saved on this device and takes effect once it is confirmed (usually within a minute). Your records of the chosen kinds are then prepared for emergency access.',
  },
};
