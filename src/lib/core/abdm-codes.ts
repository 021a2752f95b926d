/**
 * ABDM's words for what medchain keeps (SPEC §3, §4; issue 15): each record
 * category as ABDM's health-information (HI) type, and each purpose of
 * consent as ABDM's purpose code, so a FHIR export (fhir.ts) and the
 * `medchain inspect` report speak the terms of India's consent manager.
 *
 * Where the codes come from (checked 2026-12-07):
 * - HI types: the `hiTypes` enumeration of ABDM's consent manager API
 *   (HIE-CM v3 consent request, `permission`/`hiTypes`; ABDM developer docs,
 *   "Consent", table "Health information types"): Prescription,
 *   DiagnosticReport, OPConsultation, DischargeSummary, ImmunizationRecord,
 *   HealthDocumentRecord, WellnessRecord (ABDM's M2 error text adds
 *   Invoice, which no category here is). NRCeS's FHIR Implementation Guide
 *   for ABDM (https://nrces.in/ndhm/fhir/r4/) defines one Composition
 *   profile per HI type and fixes the SNOMED CT code of its
 *   `Composition.type` (listed below as `snomed`; WellnessRecord has none,
 *   only the text "Wellness Record").
 * - Purposes: ABDM takes six codes of HL7 v3 PurposeOfUse (value set
 *   http://terminology.hl7.org/ValueSet/v3-PurposeOfUse), whose codes are
 *   defined in the code system {@link PURPOSE_SYSTEM}
 *   (http://terminology.hl7.org/CodeSystem/v3-ActReason): CAREMGT,
 *   BTG, PUBHLTH, HPAYMT, DSRCH, PATRQT, with ABDM's display texts.
 *
 * Not confirmed: a FHIR code system URL for the HI types. Neither ABDM nor
 * NRCeS publishes one (ABDM's API carries them as bare strings; NRCeS names
 * them only through its profiles' URLs), so {@link HI_TYPE_SYSTEM} is
 * medchain's own URN, not an ABDM address.
 */
import { Category, Purpose } from './payload-fields';

/** ABDM's health-information types (consent manager `hiTypes`). */
export type HiType =
  'Prescription' | 'DiagnosticReport' | 'OPConsultation' | 'DischargeSummary' | 'ImmunizationRecord' | 'HealthDocumentRecord' | 'WellnessRecord';

/** One HI type: ABDM's display text and the SNOMED CT code NRCeS fixes on its Composition's type (null: none). */
export interface HiTypeInfo {
  readonly code: HiType;
  readonly display: string;
  readonly snomed: string | null;
}

/** The code system of an HI type coding: medchain's URN (no ABDM or NRCeS URL exists to confirm; see the module's note). */
export const HI_TYPE_SYSTEM = 'urn:medchain:abdm:hi-type';

/** Every HI type, in ABDM's order. */
export const HI_TYPES: Readonly<Record<HiType, HiTypeInfo>> = {
  Prescription: { code: 'Prescription', display: 'Prescription', snomed: '440545006' },
  DiagnosticReport: { code: 'DiagnosticReport', display: 'Diagnostic Report', snomed: '721981007' },
  OPConsultation: { code: 'OPConsultation', display: 'OP Consultation', snomed: '371530004' },
  DischargeSummary: { code: 'DischargeSummary', display: 'Discharge Summary', snomed: '373942005' },
  ImmunizationRecord: { code: 'ImmunizationRecord', display: 'Immunization Record', snomed: '41000179103' },
  HealthDocumentRecord: { code: 'HealthDocumentRecord', display: 'Record artifact', snomed: '419891008' },
  WellnessRecord: { code: 'WellnessRecord', display: 'Wellness Record', snomed: null },
};

/**
 * The HI type of each category: the closest one. Lab reports and imaging
 * are both diagnostic reports in ABDM (radiology and laboratory alike);
 * allergies and other documents have no HI type of their own, so they are
 * health documents (ABDM's "record artifact").
 */
export const HI_TYPE_OF: Readonly<Record<Category, HiType>> = {
  [Category.Consultation]: 'OPConsultation',
  [Category.Prescription]: 'Prescription',
  [Category.LabReport]: 'DiagnosticReport',
  [Category.Imaging]: 'DiagnosticReport',
  [Category.DischargeSummary]: 'DischargeSummary',
  [Category.Immunization]: 'ImmunizationRecord',
  [Category.Allergy]: 'HealthDocumentRecord',
  [Category.Other]: 'HealthDocumentRecord',
};

/**
 * The category a record of an HI type becomes when nothing else tells
 * (fhir.ts reads the resource first): a diagnostic report is a lab report
 * unless its own coding says imaging, a health document or wellness record is
 * "other".
 */
export const CATEGORY_OF_HI: Readonly<Record<HiType, Category>> = {
  OPConsultation: Category.Consultation,
  Prescription: Category.Prescription,
  DiagnosticReport: Category.LabReport,
  DischargeSummary: Category.DischargeSummary,
  ImmunizationRecord: Category.Immunization,
  HealthDocumentRecord: Category.Other,
  WellnessRecord: Category.Other,
};

/** Whether a string is one of ABDM's HI types (a code read from a file). */
export function isHiType(code: unknown): code is HiType {
  return typeof code === 'string' && Object.hasOwn(HI_TYPES, code);
}

/** The HI type whose NRCeS SNOMED CT document code is `snomed`, if any. */
export function hiTypeOfSnomed(snomed: string): HiType | undefined {
  return Object.values(HI_TYPES).find((t) => t.snomed === snomed)?.code;
}

/** ABDM's purpose codes (HL7 v3 PurposeOfUse). */
export type PurposeCode = 'CAREMGT' | 'BTG' | 'PUBHLTH' | 'HPAYMT' | 'DSRCH' | 'PATRQT';

/** The HL7 code system the purpose codes are defined in (FHIR R4 `Consent.provision.purpose`). */
export const PURPOSE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';

/** A purpose code with ABDM's display text. */
export interface PurposeInfo {
  readonly code: PurposeCode;
  readonly display: string;
}

const CARE: PurposeInfo = { code: 'CAREMGT', display: 'Care Management' };

/**
 * ABDM's purpose code of each purpose. ABDM has one code for all care
 * (CAREMGT), so treatment, referral and second opinion share it; an
 * emergency is "break the glass", research is ABDM's only research code
 * (disease-specific healthcare research), and a patient's own request is
 * "self requested".
 */
export const PURPOSE_CODE: Readonly<Record<Purpose, PurposeInfo>> = {
  [Purpose.Treatment]: CARE,
  [Purpose.Referral]: CARE,
  [Purpose.SecondOpinion]: CARE,
  [Purpose.Emergency]: { code: 'BTG', display: 'Break the Glass' },
  [Purpose.Payment]: { code: 'HPAYMT', display: 'Healthcare Payment' },
  [Purpose.PublicHealth]: { code: 'PUBHLTH', display: 'Public Health' },
  [Purpose.Research]: { code: 'DSRCH', display: 'Disease Specific Healthcare Research' },
  [Purpose.PatientRequest]: { code: 'PATRQT', display: 'Self Requested' },
};
