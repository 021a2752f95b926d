/**
 * FHIR R4 export and import of a patient's history (SPEC §3). Export makes a
 * `collection` Bundle: a Patient (pseudonymous id only, never the Aadhaar
 * number), one resource per record of the FHIR type its category maps to,
 * and a Binary per attachment, then a Consent per grant and refusal of the
 * patient (fhir-consent.ts). Each record resource also carries the record
 * body in a medchain extension, so an export imports back without loss;
 * bundles from elsewhere import from the standard fields. Import never
 * throws: it returns records or a clear reason, and says what it skipped.
 *
 * Each record resource carries its ABDM health-information type
 * (abdm-codes.ts) as a `meta.tag`: every R4 resource has `meta.tag` (a
 * Coding list with no required binding), while the resources' own
 * `category`/`type` elements differ or are missing (Encounter, ImagingStudy
 * and Immunization have no category; AllergyIntolerance's is a required code
 * of four values), so the tag is the one place that stays valid R4 for every
 * type.
 */
import { CATEGORY_OF_HI, HI_TYPES, HI_TYPE_OF, HI_TYPE_SYSTEM, type HiType, hiTypeOfSnomed, isHiType } from './abdm-codes';
import { fromBase64, toBase64 } from './base64';
import { type ConsentEntry, consentResource } from './fhir-consent';
import { Category } from './payloads';
import { type Problem, problem } from './problem';
import { type FieldProblem, type RecordBody, type RecordField, checkRecordBody } from './record';

/** The FHIR resource type of each category. */
export const FHIR_TYPE: Readonly<Record<Category, string>> = {
  [Category.Consultation]: 'Encounter',
  [Category.Prescription]: 'MedicationRequest',
  [Category.LabReport]: 'DiagnosticReport',
  [Category.Imaging]: 'ImagingStudy',
  [Category.DischargeSummary]: 'Composition',
  [Category.Immunization]: 'Immunization',
  [Category.Allergy]: 'AllergyIntolerance',
  [Category.Other]: 'DocumentReference',
};
const CATEGORY_OF = new Map(Object.entries(FHIR_TYPE).map(([c, t]) => [t, Number(c) as Category]));

export const BODY_EXTENSION = 'urn:medchain:fhir:record-body';
export const PATIENT_ID_SYSTEM = 'urn:medchain:patient-id';

export interface HistoryEntry {
  /** Record id (hex of its transaction id). */
  readonly id: string;
  readonly category: Category;
  readonly body: RecordBody;
  readonly attachments: readonly Uint8Array[];
  /** Who wrote it, for display: a hospital's name or "patient". */
  readonly source: string;
}

type Json = Record<string, unknown>;

const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes XML character references in one pass (so `&#38;lt;` stays `&lt;`). */
function unescapeXml(s: string): string {
  return s.replace(/&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,6});/g, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED[ref] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1));
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function narrative(b: RecordBody): Json {
  const fields = b.fields.map((f) => `<li>${escapeXml(f.name)}: ${escapeXml(f.value)}</li>`).join('');
  const div = `<div xmlns="http://www.w3.org/1999/xhtml"><p><b>${escapeXml(b.title)}</b> (${escapeXml(b.date)})</p>${fields ? `<ul>${fields}</ul>` : ''}<p>${escapeXml(b.text)}</p></div>`;
  return { status: 'generated', div };
}

/** The ABDM HI type of a category as a tag. */
function hiTag(category: Category): Json {
  const t = HI_TYPES[HI_TYPE_OF[category]];
  return { system: HI_TYPE_SYSTEM, code: t.code, display: t.display };
}

const SNOMED = 'http://snomed.info/sct';

function resourceFor(e: HistoryEntry, patientRef: Json): Json {
  const b = e.body;
  const common: Json = {
    id: e.id,
    meta: { tag: [hiTag(e.category)] },
    text: narrative(b),
    extension: [{ url: BODY_EXTENSION, valueString: JSON.stringify(b) }],
  };
  switch (e.category) {
    case Category.Consultation:
      return {
        resourceType: 'Encounter',
        ...common,
        status: 'finished',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
        subject: patientRef,
        period: { start: b.date },
        reasonCode: [{ text: b.title }],
      };
    case Category.Prescription:
      return {
        resourceType: 'MedicationRequest',
        ...common,
        status: 'active',
        intent: 'order',
        subject: patientRef,
        authoredOn: b.date,
        medicationCodeableConcept: { text: b.title },
      };
    case Category.LabReport:
      return {
        resourceType: 'DiagnosticReport',
        ...common,
        status: 'final',
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'LAB' }] }],
        code: { text: b.title },
        subject: patientRef,
        effectiveDateTime: b.date,
      };
    case Category.Imaging:
      return { resourceType: 'ImagingStudy', ...common, status: 'available', subject: patientRef, started: b.date, description: b.title };
    case Category.DischargeSummary:
      return {
        resourceType: 'Composition',
        ...common,
        status: 'final',
        type: { coding: [{ system: SNOMED, code: HI_TYPES.DischargeSummary.snomed, display: 'Discharge summary' }], text: 'Discharge summary' },
        subject: patientRef,
        date: b.date,
        author: [{ display: b.authorName || e.source }],
        title: b.title,
      };
    case Category.Immunization:
      return { resourceType: 'Immunization', ...common, status: 'completed', vaccineCode: { text: b.title }, patient: patientRef, occurrenceDateTime: b.date };
    case Category.Allergy:
      return { resourceType: 'AllergyIntolerance', ...common, patient: patientRef, code: { text: b.title }, recordedDate: b.date };
    case Category.Other:
      return { resourceType: 'DocumentReference', ...common, status: 'current', subject: patientRef, date: b.date, description: b.title };
  }
}

/**
 * The patient's history as a FHIR R4 Bundle (JSON object), with the
 * patient's consents (`consentsOf` in fhir-consent.ts) after the records.
 * `generatedAt` is an ISO time from the caller's clock.
 */
export function toFhirBundle(patientLongId: string, entries: readonly HistoryEntry[], generatedAt: string, consents: readonly ConsentEntry[] = []): Json {
  const patientRef = { reference: `Patient/${patientLongId}` };
  const entry: Json[] = [
    {
      fullUrl: `urn:medchain:patient:${patientLongId}`,
      resource: { resourceType: 'Patient', id: patientLongId, identifier: [{ system: PATIENT_ID_SYSTEM, value: patientLongId }] },
    },
  ];
  for (const e of entries) {
    entry.push({ fullUrl: `urn:medchain:record:${e.id}`, resource: resourceFor(e, patientRef) });
    e.attachments.forEach((bytes, i) =>
      entry.push({
        fullUrl: `urn:medchain:record:${e.id}:attachment:${i}`,
        resource: {
          resourceType: 'Binary',
          id: `${e.id}-a${i}`,
          contentType: e.body.attachments[i]?.mime ?? 'application/octet-stream',
          data: toBase64(bytes),
        },
      }),
    );
  }
  for (const c of consents) entry.push({ fullUrl: `urn:medchain:consent:${c.id}`, resource: consentResource(c, patientRef) });
  return { resourceType: 'Bundle', type: 'collection', timestamp: generatedAt, entry };
}

export interface ImportedRecord {
  readonly category: Category;
  readonly body: RecordBody;
  readonly attachments: Uint8Array[];
}

/**
 * Why an entry was not imported, with the values its sentence names (the
 * app words it, `importFile.skip` in src/lib/i18n): BAD_BINARY (the Binary's
 * id: its data is not base64), NO_RESOURCE (entry), NOT_KEPT (entry, resource
 * type: not a kind of record medchain keeps), ATTACHMENT_MISSING and
 * ATTACHMENT_SIZE (entry, attachment), FORM (entry, resource type; `problems`
 * says which record checks failed), CONSENT (entry: a Consent is never
 * imported, consent is given only on the network).
 */
export interface SkippedEntry extends Problem<'BAD_BINARY' | 'NO_RESOURCE' | 'NOT_KEPT' | 'ATTACHMENT_MISSING' | 'ATTACHMENT_SIZE' | 'FORM' | 'CONSENT'> {
  readonly problems?: readonly FieldProblem[];
}

export type FhirImport =
  { readonly ok: true; readonly records: ImportedRecord[]; readonly skipped: SkippedEntry[] } | { readonly ok: false; readonly error: string };

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const obj = (v: unknown): Json | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);

function bodyFromExtension(r: Json): RecordBody | null {
  const ext = Array.isArray(r.extension) ? r.extension.map(obj).find((x) => x?.url === BODY_EXTENSION) : undefined;
  const raw = str(ext?.valueString);
  if (!raw) return null;
  try {
    const b = JSON.parse(raw) as Json;
    const fields = Array.isArray(b.fields)
      ? b.fields
          .map(obj)
          .filter((f): f is Json => !!f)
          .map((f) => ({ name: String(f.name ?? ''), value: String(f.value ?? '') }))
      : [];
    const attachments = Array.isArray(b.attachments)
      ? b.attachments
          .map(obj)
          .filter((a): a is Json => !!a)
          .map((a) => ({ name: String(a.name ?? ''), mime: String(a.mime ?? ''), size: Number(a.size ?? 0) }))
      : [];
    return {
      title: String(b.title ?? ''),
      date: String(b.date ?? ''),
      authorName: String(b.authorName ?? ''),
      fields,
      text: String(b.text ?? ''),
      attachments,
    };
  } catch {
    return null;
  }
}

/**
 * A markup tag in a narrative. Not `<[^>]*>`: on text with many `<` and no
 * `>` that pattern tries every `<` to the end of the text, quadratic work:
 * 40,000 of them took over a second, the 40 MB an import accepts would take
 * days (issue 13, found by tests/unit/fuzz/files.test.ts). A tag cannot contain `<`, so each `<` is
 * tried only up to the next one: linear. (Well-formed XHTML escapes `<` in
 * text, so its narratives strip the same either way.)
 */
const TAG = /<[^<>]*>/g;

function bodyFromStandardFields(r: Json): RecordBody {
  const title =
    str(obj(r.code)?.text) ??
    str(obj(r.medicationCodeableConcept)?.text) ??
    str(obj(r.vaccineCode)?.text) ??
    str(r.description) ??
    str(r.title) ??
    str(obj((r.reasonCode as unknown[] | undefined)?.[0])?.text) ??
    String(r.resourceType);
  const date = (
    str(r.effectiveDateTime) ??
    str(r.authoredOn) ??
    str(r.occurrenceDateTime) ??
    str(r.recordedDate) ??
    str(r.date) ??
    str(r.started) ??
    str(obj(r.period)?.start) ??
    ''
  ).slice(0, 10);
  const div = str(obj(r.text)?.div) ?? '';
  const text = unescapeXml(div.replace(TAG, ' ')).replace(/\s+/g, ' ').trim();
  const fields: RecordField[] = [];
  return { title, date, authorName: '', fields, text, attachments: [] };
}

const codings = (concepts: unknown): Json[] =>
  (Array.isArray(concepts) ? concepts : [concepts]).flatMap((c) => {
    const list = obj(c)?.coding;
    return Array.isArray(list) ? list.map(obj).filter((x): x is Json => !!x) : [];
  });

/** The ABDM HI type a resource is tagged with (this module's export), if any. */
function hiTypeTag(r: Json): HiType | undefined {
  const tags = obj(r.meta)?.tag;
  const tag = Array.isArray(tags) ? tags.map(obj).find((t) => t?.system === HI_TYPE_SYSTEM) : undefined;
  const code = tag?.code;
  return isHiType(code) ? code : undefined;
}

/**
 * Diagnostic service sections (HL7 v2 table 0074) of imaging, and LOINC's
 * radiology class (US Core's DiagnosticReport category).
 */
const IMAGING_SECTIONS = new Set(['RAD', 'RX', 'CT', 'NMR', 'NMS', 'VUS', 'CUS', 'OUS']);
const isImagingReport = (r: Json) =>
  codings(r.category).some(
    (c) =>
      (c.system === 'http://terminology.hl7.org/CodeSystem/v2-0074' && IMAGING_SECTIONS.has(String(c.code))) ||
      (c.system === 'http://loinc.org' && c.code === 'LP29684-5'),
  );

/**
 * The category of a resource. Its type decides, as in export ({@link
 * FHIR_TYPE}); where one type holds several categories, the resource's own
 * codes choose: a DiagnosticReport is imaging when its category says
 * radiology, else a lab report; a Composition or DocumentReference (a
 * container of any document: every ABDM HI type is a Composition) is the
 * category of its HI type tag, else of the NRCeS SNOMED CT document code in
 * its type (a diagnostic report again by its category), else what export
 * makes of it. An HI type tag that disagrees with
 * a clinical resource type (an Encounter tagged Prescription) is ignored.
 */
function categoryOf(r: Json, type: string): Category | undefined {
  if (type === 'DiagnosticReport') return isImagingReport(r) ? Category.Imaging : Category.LabReport;
  if (type === 'Composition' || type === 'DocumentReference') {
    const snomed = codings(r.type).find((c) => c.system === SNOMED);
    const hi = hiTypeTag(r) ?? (snomed ? hiTypeOfSnomed(String(snomed.code)) : undefined);
    if (hi === 'DiagnosticReport' && isImagingReport(r)) return Category.Imaging;
    if (hi) return CATEGORY_OF_HI[hi];
  }
  return CATEGORY_OF.get(type);
}

/**
 * Reads a FHIR R4 Bundle into records to add (each is then sealed and signed
 * like any new record). `today` is YYYY-MM-DD from the caller's clock.
 */
export function fromFhirBundle(input: unknown, today: string): FhirImport {
  const bundle = obj(input);
  if (!bundle || bundle.resourceType !== 'Bundle') return { ok: false, error: 'This file is not a FHIR Bundle.' };
  if (!Array.isArray(bundle.entry)) return { ok: false, error: 'The Bundle has no entries.' };
  if (bundle.entry.length > 10_000) return { ok: false, error: 'The Bundle has more than 10,000 entries.' };
  const binaries = new Map<string, Uint8Array>();
  const skipped: SkippedEntry[] = [];
  for (const e of bundle.entry) {
    const r = obj(obj(e)?.resource);
    if (r?.resourceType === 'Binary' && typeof r.id === 'string') {
      const data = typeof r.data === 'string' ? fromBase64(r.data) : null;
      if (data) binaries.set(r.id, data);
      else skipped.push(problem('BAD_BINARY', r.id));
    }
  }
  const records: ImportedRecord[] = [];
  bundle.entry.forEach((e, i) => {
    const r = obj(obj(e)?.resource);
    const type = str(r?.resourceType);
    if (!r || !type) return void skipped.push(problem('NO_RESOURCE', i));
    if (type === 'Binary' || type === 'Patient') return;
    if (type === 'Consent') return void skipped.push(problem('CONSENT', i));
    const category = categoryOf(r, type);
    if (category === undefined) return void skipped.push(problem('NOT_KEPT', i, type));
    const id = str(r.id) ?? '';
    const body = bodyFromExtension(r) ?? bodyFromStandardFields(r);
    const attachments: Uint8Array[] = [];
    for (let a = 0; a < body.attachments.length; a++) {
      const bytes = binaries.get(`${id}-a${a}`);
      if (!bytes) return void skipped.push(problem('ATTACHMENT_MISSING', i, a));
      if (bytes.length !== body.attachments[a]!.size) return void skipped.push(problem('ATTACHMENT_SIZE', i, a));
      attachments.push(bytes);
    }
    const problems = checkRecordBody(body, today);
    if (problems.length > 0) return void skipped.push({ ...problem('FORM', i, type), problems });
    records.push({ category, body, attachments });
  });
  return { ok: true, records, skipped };
}
