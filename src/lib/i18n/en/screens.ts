/** The English areas of the patient, clinician and explorer screens: a chunk of their own (entry.ts). */
import { patient, record, timeline } from './patient';
import { identity } from './identity';
import { settings } from './settings';
import { care, clinician } from './clinician';
import { explorer } from './explorer';
import { accessLog, consent } from './consent';
import { exporting, importing, upload } from './files';
import { findPatient, form, importFile, kitCode, recordForm } from './problems';
import { action, passphraseChange } from './actions';
import { notify } from './notify';
import { family } from './family';
import { profiles } from './profiles';
import { recovery } from './recovery';

export const screens = {
  patient,
  timeline,
  record,
  consent,
  accessLog,
  upload,
  exporting,
  importing,
  identity,
  settings,
  clinician,
  care,
  explorer,
  form,
  recordForm,
  kitCode,
  findPatient,
  importFile,
  action,
  passphraseChange,
  notify,
  family,
  profiles,
  recovery,
};
