/**
 * The patient's consents in a FHIR R4 export (SPEC §4, issue 15): one
 * `Consent` resource per grant the patient gave (active, or inactive once
 * revoked or expired) and per request or referral the patient refused
 * (rejected), in ABDM's terms (abdm-codes.ts). They are a record of what the
 * chain holds, for the patient and for other systems; they are never
 * imported back (fhir.ts), because consent is given only on the network, by
 * the patient signing a grant.
 *
 * Where each part of the consent artefact goes, and why:
 * - the record date range (ABDM's `permission.dateRange`) is
 *   `provision.dataPeriod` ("timeframe for data controlled by this rule");
 *   the grant's own validity, from its time to its expiry, is
 *   `provision.period` ("timeframe for this rule"), as R4 defines them;
 * - the purpose is `provision.purpose`, a Coding of HL7 v3 ActReason,
 *   the code system of ABDM's purpose codes;
 * - the categories are `provision.class`, one Coding per HI type they map to;
 * - the hospital receiving the records is a `provision.actor` with role
 *   IRCP ("information recipient"), named and identified by its medchain
 *   id. It is neither the `performer` (who agrees: the patient) nor the
 *   `organization` (the custodian of the consent: here the chain);
 * - view or download is `provision.action` (access; access and collect);
 * - the erase-by time, which R4 has no element for, is an extension.
 */
import { HI_TYPES, HI_TYPE_OF, HI_TYPE_SYSTEM, PURPOSE_CODE, PURPOSE_SYSTEM } from './abdm-codes';
import { asksOf } from './consent-status';
import { isoDay, isoTime } from './iso-time';
import type { LedgerView } from './ledger';
import { ALL_DAYS, AccessMode, CATEGORY_COUNT, type Category, type Day, Purpose, SCOPE_ALL } from './payload-fields';

export const CONSENT_ID_SYSTEM = 'urn:medchain:consent-id';
export const HOSPITAL_ID_SYSTEM = 'urn:medchain:hospital-id';
export const ERASE_BY_EXTENSION = 'urn:medchain:fhir:erase-by';

/** FHIR R4 `Consent.status` of a consent: given and live, given and no longer live, or refused. */
export type ConsentStatus = 'active' | 'inactive' | 'rejected';

/** One grant or refusal of the patient, as the export writes it. */
export interface ConsentEntry {
  /** The grant's or the refusal's transaction id (hex). */
  readonly id: string;
  readonly status: ConsentStatus;
  /** The hospital that would read (its authority key, hex) and its name, when the ledger knows it. */
  readonly hospital: string;
  readonly hospitalName: string | null;
  /** Category bits: what was granted, or what the refused request asked. */
  readonly scope: number;
  readonly purpose: Purpose;
  readonly from: Day;
  readonly to: Day;
  /** When it was given or refused (seconds). */
  readonly time: number;
  /** A grant's expiry and erase-by time (seconds); null for a refusal. */
  readonly expiry: number | null;
  readonly eraseBy: number | null;
  readonly mode: AccessMode;
}

/**
 * Every grant of `patient` (oldest first), then every refusal (oldest
 * first), as of `now`. A refused referral asked for no particular records:
 * it is written as asking every category, every date, for referral.
 */
export function consentsOf(ledger: LedgerView, patient: string, now: number): ConsentEntry[] {
  const name = (h: string) => ledger.hospitals.get(h)?.name ?? null;
  const out: ConsentEntry[] = [];
  for (const id of ledger.byPatient.get(patient) ?? []) {
    const g = ledger.grants.get(id);
    if (!g) continue;
    const status: ConsentStatus = !g.revoked && g.expiry > now ? 'active' : 'inactive';
    const { scope, purpose, from, to, mode, time, expiry, eraseBy } = g;
    out.push({ id, status, hospital: g.hospital, hospitalName: name(g.hospital), scope, purpose, from, to, mode, time, expiry, eraseBy });
  }
  for (const a of asksOf(ledger, patient, now).reverse()) {
    if (a.status !== 'refused' || !a.answer) continue;
    const asked = a.request ?? { scope: SCOPE_ALL, purpose: Purpose.Referral, ...ALL_DAYS, mode: AccessMode.View };
    const { scope, purpose, from, to, mode } = asked;
    out.push({
      id: a.answer.id,
      status: 'rejected',
      hospital: a.hospital,
      hospitalName: name(a.hospital),
      scope,
      purpose,
      from,
      to,
      mode,
      time: a.answer.time,
      expiry: null,
      eraseBy: null,
    });
  }
  return out;
}

type Json = Record<string, unknown>;

/** Drops the keys whose value is undefined or null, so a missing time leaves no empty element. */
const compact = (o: Json): Json => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));

/** The HI types of the categories in `scope`, each once, in ABDM's order. */
export function hiTypesOfScope(scope: number): string[] {
  const wanted = new Set<string>();
  for (let c = 0; c < CATEGORY_COUNT; c++) if (scope & (1 << c)) wanted.add(HI_TYPE_OF[c as Category]);
  return Object.keys(HI_TYPES).filter((t) => wanted.has(t));
}

const ACTION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/consentaction';
const action = (code: string) => ({ coding: [{ system: ACTION_SYSTEM, code }] });

/** The FHIR R4 Consent resource of one grant or refusal; `patientRef` points at the bundle's Patient. */
export function consentResource(c: ConsentEntry, patientRef: Json): Json {
  const purpose = PURPOSE_CODE[c.purpose];
  const provision = compact({
    type: 'permit',
    period: c.expiry === null ? undefined : compact({ start: isoTime(c.time), end: isoTime(c.expiry) }),
    actor: [
      {
        role: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP', display: 'information recipient' }] },
        reference: compact({ identifier: { system: HOSPITAL_ID_SYSTEM, value: c.hospital }, display: c.hospitalName }),
      },
    ],
    action: c.mode === AccessMode.Download ? [action('access'), action('collect')] : [action('access')],
    purpose: [{ system: PURPOSE_SYSTEM, code: purpose.code, display: purpose.display }],
    class: hiTypesOfScope(c.scope).map((t) => ({ system: HI_TYPE_SYSTEM, code: t, display: HI_TYPES[t as keyof typeof HI_TYPES].display })),
    dataPeriod: compact({ start: isoDay(c.from), end: isoDay(c.to) }),
  });
  const eraseBy = c.eraseBy === null ? null : isoTime(c.eraseBy);
  return compact({
    resourceType: 'Consent',
    id: c.id,
    extension: eraseBy ? [{ url: ERASE_BY_EXTENSION, valueDateTime: eraseBy }] : undefined,
    identifier: [{ system: CONSENT_ID_SYSTEM, value: c.id }],
    status: c.status,
    scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy', display: 'Privacy Consent' }] },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0', display: 'Patient Consent' }] }],
    patient: patientRef,
    dateTime: isoTime(c.time),
    performer: [patientRef],
    // R4 asks for a policy or a policy rule (invariant ppc-1): the patient opted in by signing.
    policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN', display: 'opt-in' }] },
    provision,
  });
}
