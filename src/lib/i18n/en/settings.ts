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
};
