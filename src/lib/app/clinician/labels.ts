/** Words the clinician screens show for ledger codes (SPEC §3, §4). */
import { Category, Purpose, StaffRole } from '../../core/payload-fields';
import type { ConsentStatus } from './patients';

export const CATEGORY_LABELS: Record<Category, string> = {
  [Category.Consultation]: 'Consultation note',
  [Category.Prescription]: 'Prescription',
  [Category.LabReport]: 'Lab report',
  [Category.Imaging]: 'Imaging',
  [Category.DischargeSummary]: 'Discharge summary',
  [Category.Immunization]: 'Immunization',
  [Category.Allergy]: 'Allergy',
  [Category.Other]: 'Other',
};

export const PURPOSE_LABELS: Record<Purpose, string> = {
  [Purpose.Treatment]: 'Treatment',
  [Purpose.Referral]: 'Referral',
  [Purpose.SecondOpinion]: 'Second opinion',
  [Purpose.Emergency]: 'Emergency',
  [Purpose.Payment]: 'Payment (insurance, billing)',
  [Purpose.PublicHealth]: 'Public health',
  [Purpose.Research]: 'Research',
  [Purpose.PatientRequest]: 'Patient’s own request',
};

export const ROLE_LABELS: Record<StaffRole, string> = {
  [StaffRole.Clinician]: 'Clinician',
  [StaffRole.Nurse]: 'Nurse',
  [StaffRole.Technician]: 'Technician',
  [StaffRole.Clerk]: 'Clerk',
};

export const STATUS_LABELS: Record<ConsentStatus, string> = {
  granted: 'Consent given',
  requested: 'Access requested, no answer yet',
  referred: 'Referral, no consent yet',
  refused: 'Request refused by the patient',
  unanswered: 'Request expired unanswered',
  expired: 'Consent expired',
  revoked: 'Consent revoked',
};

/** A date (seconds) as the reader's local calendar date. */
export const dateOf = (seconds: number): string => new Date(seconds * 1000).toLocaleDateString();
