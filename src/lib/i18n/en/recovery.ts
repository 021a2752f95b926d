/** Recovery through people in English (issue 15): the patient's setting, the holder's ask, and the recovering person's screens. */
import { formatNumber } from '../format';

const n = (x: number) => formatNumber('en', x);

export const recovery = {
  // Settings → Recovery through people.
  title: 'Recovery through people',
  about:
    'If you forget your passphrase, people and places you trust can help you back in: your secret is split into shares, one sealed to each of them (and, if you like, one printed for you). Recovering needs the number of shares you choose — at least two — so no one of them, a hospital included, can recover you alone. Their ids are visible on the chain; your secret is not.',
  none: 'Not set up.',
  live: (threshold: number, holders: number, paper: boolean) =>
    `On: ${n(threshold)} of ${n(holders + (paper ? 1 : 0))} shares recover you${paper ? ' (one of them printed, kept by you)' : ''}.`,
  stale: 'Your passphrase changed since you set this up, so these shares no longer recover you. Set it up again.',
  holding: 'Holding a share:',
  lostPerson: (holder: string, date: string) => `Patient ${holder} changed their passphrase on ${date} and can no longer open their share.`,
  lostHospital: (hospital: string) => `${hospital} is no longer admitted to this network and can no longer open its share.`,
  notEnoughHolders: (able: number, threshold: number) =>
    `Recovery through people no longer works: only ${n(able)} of the shares can still be opened, and ${n(threshold)} are needed. Set it up again below.`,
  people: 'People (the short id on their card)',
  person: (i: number) => `Person ${n(i)}`,
  addPerson: 'Add another person',
  hospitals: 'Hospitals',
  paper: 'Also print a share for me to keep on paper',
  threshold: 'Shares needed to recover',
  thresholdHint: 'At least two: no one holder, a hospital included, can recover you alone.',
  confirmAbout: 'Enter your Aadhaar number and current passphrase again: your secret is made from them on this device, split, and never stored.',
  setUp: 'Set up recovery',
  turnOff: 'Turn off',
  sent: 'Sent. It takes effect once it is in a block.',
  personProblem: {
    SELF: 'That is your own id: choose someone else.',
    TWICE: 'This person is already on the list.',
  },
  setupProblem: {
    WRONG_SECRET: 'That Aadhaar number and passphrase do not give the keys you are signed in with. Use your current passphrase.',
    BAD_THRESHOLD: 'Choose at least two shares, and no more than there are holders (and your printed share).',
    UNKNOWN_HOLDER: 'One of the holders is not registered or admitted on this network any more.',
  },
  failed: 'It could not be set up; nothing was stored. Please try again.',
  paperTitle: 'Your printed recovery share',
  paperAbout:
    'Print this and keep it somewhere safe, apart from your recovery kit. On its own it recovers nothing; with the shares of the people you chose, it does. It is shown once and never stored.',
  printPaper: 'Print the share',
  closePaper: 'Close',
  // The holder's side.
  asksTitle: 'Recovery requests',
  asksFor: (patient: string) => `Patient ${patient} asks to recover their profile through you.`,
  asksWarn:
    'Release your share only after you have spoken to them — in person or on the phone — and are sure it is them. Someone else may be trying to take their profile over.',
  until: (date: string) => `You can answer until ${date}.`,
  release: 'Release my share',
  confirm: 'Have you spoken to them and are you sure it is them? A released share cannot be taken back.',
  yes: 'Yes, release it',
  no: 'Not now',
  released: 'Released.',
  lostTitle: 'Shares you can no longer open',
  lostShare: (patient: string) =>
    `You changed your passphrase: you can no longer open the share you hold for patient ${patient}; ask them to set up recovery again.`,
  cannotOpen: 'Your keys do not open this share (your passphrase changed since they set it up). Ask them to set up recovery again.',
  // The recovering person's side (login → forgot).
  forgot: 'Forgot your passphrase? Recover through people',
  pageTitle: 'Recover through people — medchain',
  heading: 'Recover through people',
  intro:
    'If you set up recovery through people, they can help you back in. Enter your patient id (on your card; the people holding your shares can tell you), your Aadhaar number and a new passphrase. They are asked to release their shares to the new keys; when enough have, you finish here. If you leave, come back and enter the same details: your request is found again.',
  patientId: 'Your patient id',
  newPassphrase: 'New passphrase',
  again: 'New passphrase again',
  ask: 'Ask the people I chose',
  noRecovery:
    'This patient has not set up recovery through people (or changed the passphrase since): the people cannot help. Use your recovery kit if you have one.',
  waitingTitle: 'Waiting for the people you chose',
  progress: (released: number, threshold: number) => `${n(released)} of ${n(threshold)} shares needed`,
  releasedBy: 'released',
  notYet: 'not yet',
  askBy: (date: string) => `They can answer until ${date}. Call them: they should release only once they have spoken to you.`,
  paperShare: 'Your printed share (if you kept one)',
  paperProblem: {
    EMPTY: 'Type the printed share, or leave it out.',
    BAD_CHARACTER: 'The printed share uses only digits and the letters A–Z without I, L, O and U.',
    BAD_LENGTH: 'The printed share is not complete: check you typed every group.',
    TYPO: 'The printed share has a typo: check each group against the paper.',
  },
  finish: 'Finish recovery',
  notEnough: 'These shares do not recover your profile yet: wait for more people to release theirs (or add your printed share).',
  finishing: 'Recovered. Your new passphrase is being put in place…',
  failedToFinish: 'The recovery could not be finished here. Please try again.',
};
