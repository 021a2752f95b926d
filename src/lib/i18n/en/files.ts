/** The patient's file screens in English: adding a record, export, FHIR import. */
import { formatNumber } from '../format';

const n = (x: number) => formatNumber('en', x);
const plural = (count: number, word: string) => `${n(count)} ${word}${count === 1 ? '' : 's'}`;

export const upload = {
  title: 'Add a record',
  intro: 'It is encrypted on this device for you and the hospitals you have given consent for this kind of record.',
  kind: 'Kind of record',
  recordTitle: 'Title',
  date: 'Date of the record',
  author: 'Doctor or lab (optional)',
  values: 'Values (optional)',
  name: 'Name',
  value: 'Value',
  remove: 'Remove',
  removeValue: (i: number) => `Remove value ${n(i)}`,
  removeFile: (name: string) => `Remove ${name}`,
  addValue: 'Add a value',
  notes: 'Notes',
  attachments: 'Attachments (PDF, PNG, JPEG, WebP, GIF or plain text, up to 10 MB each)',
  kb: (kb: number) => `${n(kb)} KB`,
  reading: (name: string) => `Reading ${name}`,
  unreadable: (name: string) => `${name} could not be read`,
  sealing: 'Encrypting on this device',
  storing: 'Storing the encrypted files',
  sending: 'Sending',
  saving: 'Saving…',
  save: 'Save record',
  saved: 'Saved on this device; it will sync and appear on your timeline once it is in a block.',
  fix: 'Please fix the marked fields; nothing was saved.',
};

export const exporting = {
  title: 'Export',
  intro: 'A FHIR R4 Bundle other health systems can import, or a paper copy. Both are made on this device; keep them safe.',
  download: 'Download FHIR Bundle (JSON)',
  printable: 'Printable view',
  exported: (count: number, missing: number) =>
    `Exported ${plural(count, 'record')}.` + (missing ? ` ${n(missing)} could not be opened on this device yet and were left out.` : ''),
  failed: (why: string) => `The export failed: ${why}`,
  recordsOf: (name: string) => `Health records of ${name}`,
  attachments: (names: string) => `Attachments: ${names}`,
};

export const importing = {
  title: 'Import a FHIR Bundle',
  intro: (mb: number) =>
    `Add records from a FHIR R4 Bundle (a .json file of at most ${n(mb)} MB, such as another account’s export). Each record you choose becomes your own, encrypted on this device like a record you add. Records already in your history are marked and left unticked.`,
  file: 'FHIR Bundle file (JSON)',
  reading: (name: string) => `Reading ${name}…`,
  refused: (name: string, why: string) => `${name}: ${why} Nothing was imported.`,
  unreadable: (name: string, why: string) => `${name} could not be read: ${why}. Nothing was imported.`,
  stopped: (why: string) => `The import stopped: ${why}`,
  choose: (name: string) => `Records in ${name}: choose which to import`,
  unopened: (count: number) => `${plural(count, 'record')} of yours could not be opened on this device yet, so they could not be checked for duplicates.`,
  noAttachments: 'no attachments',
  duplicate: 'Already in your history',
  skipped: (count: number) => `${count === 1 ? `${n(count)} entry` : `${n(count)} entries`} of the file cannot be imported`,
  progress: (done: number, total: number, title: string, stage: string) => `Importing record ${n(done)} of ${n(total)} (${title}): ${stage}`,
  sealing: 'encrypting on this device',
  storing: 'storing the encrypted files',
  sending: 'sending',
  importingNow: 'Importing…',
  run: (count: number) => `Import ${plural(count, 'record')}`,
  cancel: 'Cancel',
  imported: (count: number, titles: string) =>
    `Imported ${plural(count, 'record')}: ${titles}. Saved on this device; they will sync and appear on your timeline once they are in a block.`,
  notImported: (title: string, why: string) => `“${title}” was not imported: ${why}`,
  notTried: (titles: string) => `Not imported either (the import stopped there): ${titles}.`,
  again: 'Choose the file again to import the rest; what was imported is marked.',
};
