/** Words for ledger codes (kinds of record, purposes, staff roles, consent states), in English: the app's own tables. */
import { CATEGORY_LABELS, PURPOSE_LABELS, ROLE_LABELS, STATUS_LABELS } from '../../app/clinician/labels';

export const labels = { category: CATEGORY_LABELS, purpose: PURPOSE_LABELS, role: ROLE_LABELS, consent: STATUS_LABELS };
