/** The patient's screens in English: the way in, the sections, the timeline, one record and its erasure. */
import { formatNumber } from '../format';

/** What erasure does and does not do, in the words the confirm step shows. */
export const ERASURE_EXPLAINED = {
  does: [
    'The record’s encrypted contents, attachments and keys are deleted from this device now.',
    'Every device on the network stops sharing them and deletes its copy once the erasure is final.',
    'No one can be given this record again, by you or by any hospital.',
  ],
  doesNot: [
    'The chain keeps a hash of the record and the fact that you erased it (nothing readable).',
    'Hospitals that already opened the record may have kept a copy; erasure cannot un-read it.',
    'It cannot be undone.',
  ],
} as const;

/** Why a passphrase replaced by a passphrase change no longer logs in (also the error the session throws). */
export const ROTATED_MESSAGE =
  'This passphrase was replaced by a passphrase change: it can no longer act for you. Log in with your new passphrase (or your recovery kit).';

const n = (x: number) => formatNumber('en', x);

export const patient = {
  title: 'Patient',
  pageTitle: 'Patient · medchain',
  rotated: ROTATED_MESSAGE as string,
  notRegistered: 'This patient is not on this network’s chain, so nothing can be added here. Nothing was registered: sign out, and register if you are new.',
  registerFailed: (why: string) => `You could not be registered on the network: ${why}`,
  rewrapFailed: (why: string) => `Your records could not be re-wrapped to your new passphrase yet: ${why}`,
  shareFailed: (why: string) => `Your records could not be shared with a hospital you gave consent to: ${why}`,
  starting: 'Starting this device’s node…',
  nodeFailed: (why: string) => `This device’s node failed to start: ${why}`,
  noNetwork: 'This device is not on a network yet: found or join one from the start page, then your records appear here.',
  sameId: 'The same Aadhaar number and passphrase always give you this same patient id.',
  registering: 'Registering you on the network: saved on this device, it will sync. You can add records once it is in a block.',
  fromKit: 'You logged in with your recovery kit. If you forgot your passphrase, choose a new one now.',
  changePassphrase: 'Change passphrase',
  sectionsLabel: 'Your records',
  sections: {
    timeline: 'Records',
    upload: 'Add a record',
    requests: 'Requests',
    grants: 'Consent',
    caregivers: 'Family',
    shared: 'Shared with me',
    log: 'Access log',
    export: 'Export',
    card: 'My card',
    settings: 'Settings',
  },
  recordSaved: 'Record saved on this device; it will sync and appear here once it is in a block.',
  signOut: 'Sign out',
  intro: 'Your records follow you: log in on any device with your Aadhaar number and passphrase — no file to carry.',
  register: 'Register',
  logIn: 'Log in',
};

export const timeline = {
  title: 'Your records',
  readFailed: (why: string) => `Your records could not be read on this device: ${why}`,
  showOnly: 'Show only',
  opening: 'Opening your records on this device…',
  none: 'No records yet. Upload one, or a hospital you consent to will add them.',
  noneOfKinds: 'No records of the chosen kinds.',
  addedByYou: 'Added by you',
  erasedOn: (date: string) => `Erased on ${date}: only a hash of it remains on the chain.`,
  attachments: (count: number) => `${n(count)} attachment${count > 1 ? 's' : ''}`,
  erasing: 'Erased from this device; the erasure is saved and will sync.',
  notSynced: 'Not on this device yet: it opens once its encrypted files have synced.',
};

export const record = {
  back: 'Back to your records',
  opening: 'Opening the record on this device…',
  unavailable: 'Record not available',
  notSynced: 'This record cannot be opened on this device yet: its encrypted files have not synced here.',
  kind: 'Kind',
  date: 'Date',
  from: 'From',
  since: 'On the chain since',
  attachments: 'Attachments',
  download: 'Download',
  downloadNamed: (name: string) => `Download ${name}`,
  print: 'Print',
  thisRecord: 'this record',
  erase: 'Erase this record…',
  eraseTitle: (title: string) => `Erase “${title}”?`,
  does: 'Erasing does:',
  doesNot: 'Erasing does not:',
  doesList: ERASURE_EXPLAINED.does as readonly string[],
  doesNotList: ERASURE_EXPLAINED.doesNot as readonly string[],
  notErased: (why: string) => `The record was not erased: ${why}`,
  erased: (title: string) =>
    `“${title}” is erased from this device; the erasure is saved and will sync. The timeline shows it as erased once it is in a block.`,
  eraseForGood: 'Erase for good',
  keep: 'Keep the record',
};
