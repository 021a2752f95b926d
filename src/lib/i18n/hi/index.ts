/** Every Hindi message of the app, by area, held to the English contract. */
import type { Messages } from '../en';
import { rules } from './rules';
import { home, network } from './home';
import { shell, status } from './shell';
import { patient, record, timeline } from './patient';
import { labels } from './labels';
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

export const hi: Messages = {
  shell,
  status,
  home,
  network,
  labels,
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
  rules,
};
