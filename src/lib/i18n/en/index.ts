/**
 * Every English message of the app, by area. Its type is the contract of
 * every other language (`Messages`): a language that lacks a key, has an
 * extra one or takes other arguments fails the type check.
 */
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

export const en = {
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
  rules,
};

export type Messages = typeof en;
