/**
 * ABDM's codes in the FHIR export and import (issue 15): every category has
 * an ABDM health-information type and every purpose an ABDM purpose code;
 * each exported record carries its HI type as a tag and imports back to its
 * category; a foreign resource's HI type or coding picks among the
 * categories its resource type can hold; the patient's grants and refusals
 * are exported as R4 Consent resources with ABDM's purpose code, the record
 * date range and the validity, and are never imported.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CATEGORY_OF_HI, HI_TYPES, HI_TYPE_OF, HI_TYPE_SYSTEM, PURPOSE_CODE, PURPOSE_SYSTEM, isHiType } from '../../../src/lib/core/abdm-codes';
import { toHex } from '../../../src/lib/core/bytes';
import type { ChainState } from '../../../src/lib/core/chain';
import { demoChain } from '../../../src/lib/core/demo';
import { ERASE_BY_EXTENSION, type ConsentEntry, consentResource, consentsOf, hiTypesOfScope } from '../../../src/lib/core/fhir-consent';
import { type HistoryEntry, toFhirBundle } from '../../../src/lib/core/fhir';
import { longId, patientIdOf } from '../../../src/lib/core/ids';
import { isoDay, isoTime } from '../../../src/lib/core/iso-time';
import type { LedgerView } from '../../../src/lib/core/ledger';
import { AccessMode, Category, OPEN_END, Purpose, SCOPE_ALL } from '../../../src/lib/core/payload-fields';
import type { RecordBody } from '../../../src/lib/core/record';
import { TEST_PARAMS } from '../../../src/lib/core/params';
import { type Json, bundleOf, importOk, resources } from './fhir-support';

const LONG = longId(patientIdOf(new Uint8Array(32).fill(0x5a)));
const CATEGORIES = Object.values(Category);
const PURPOSES = Object.values(Purpose);
const BODY: RecordBody = { title: 'Chest X-ray', date: '2026-03-10', authorName: 'Dr. S. Nair', fields: [], text: 'Clear.', attachments: [] };
const entry = (i: number, category: Category): HistoryEntry => ({
  id: toHex(new Uint8Array(32).fill(0xa0 + i)),
  category,
  body: BODY,
  attachments: [],
  source: 'City Hospital',
});

describe('ABDM codes', () => {
  it('maps every category to the closest HI type', () => {
    expect(HI_TYPE_OF).toEqual({
      [Category.Consultation]: 'OPConsultation',
      [Category.Prescription]: 'Prescription',
      [Category.LabReport]: 'DiagnosticReport',
      [Category.Imaging]: 'DiagnosticReport',
      [Category.DischargeSummary]: 'DischargeSummary',
      [Category.Immunization]: 'ImmunizationRecord',
      [Category.Allergy]: 'HealthDocumentRecord',
      [Category.Other]: 'HealthDocumentRecord',
    });
    for (const c of CATEGORIES) expect(isHiType(HI_TYPE_OF[c])).toBe(true);
    expect(Object.keys(HI_TYPES)).toEqual([
      'Prescription',
      'DiagnosticReport',
      'OPConsultation',
      'DischargeSummary',
      'ImmunizationRecord',
      'HealthDocumentRecord',
      'WellnessRecord',
    ]);
    for (const [code, info] of Object.entries(HI_TYPES)) expect(info.code).toBe(code);
    expect(isHiType('Invoice')).toBe(false);
    expect(isHiType('toString')).toBe(false);
  });

  it('every HI type leads back to a category, and the category of its own HI type is itself where the mapping is one to one', () => {
    for (const t of Object.keys(HI_TYPES)) expect(CATEGORIES).toContain(CATEGORY_OF_HI[t as keyof typeof CATEGORY_OF_HI]);
    for (const c of [Category.Consultation, Category.Prescription, Category.LabReport, Category.DischargeSummary, Category.Immunization, Category.Other])
      expect(CATEGORY_OF_HI[HI_TYPE_OF[c]]).toBe(c);
  });

  it("maps every purpose to ABDM's purpose code (HL7 v3 ActReason) with its display text", () => {
    expect(PURPOSE_SYSTEM).toBe('http://terminology.hl7.org/CodeSystem/v3-ActReason');
    expect(Object.fromEntries(PURPOSES.map((p) => [p, PURPOSE_CODE[p].code]))).toEqual({
      [Purpose.Treatment]: 'CAREMGT',
      [Purpose.Referral]: 'CAREMGT',
      [Purpose.SecondOpinion]: 'CAREMGT',
      [Purpose.Emergency]: 'BTG',
      [Purpose.Payment]: 'HPAYMT',
      [Purpose.PublicHealth]: 'PUBHLTH',
      [Purpose.Research]: 'DSRCH',
      [Purpose.PatientRequest]: 'PATRQT',
    });
    const codes = new Set(PURPOSES.map((p) => PURPOSE_CODE[p].code));
    expect([...codes].sort()).toEqual(['BTG', 'CAREMGT', 'DSRCH', 'HPAYMT', 'PATRQT', 'PUBHLTH']);
    for (const p of PURPOSES) expect(PURPOSE_CODE[p].display).toMatch(/^[A-Z][A-Za-z ]+$/);
  });
});

describe('export carries the HI type', () => {
  it('every record resource has a meta.tag of its HI type, and nothing else changed in it', () => {
    const rs = resources(
      toFhirBundle(
        LONG,
        CATEGORIES.map((c, i) => entry(i, c)),
        '2026-06-15T09:30:00Z',
      ),
    ).slice(1);
    expect(rs).toHaveLength(CATEGORIES.length);
    rs.forEach((r, i) => {
      const t = HI_TYPES[HI_TYPE_OF[CATEGORIES[i]!]];
      expect(r.meta).toEqual({ tag: [{ system: HI_TYPE_SYSTEM, code: t.code, display: t.display }] });
    });
  });

  it("a discharge summary's Composition is typed with NRCeS's SNOMED CT code", () => {
    const [, comp] = resources(toFhirBundle(LONG, [entry(0, Category.DischargeSummary)], 'x'));
    expect((comp as Json).type).toEqual({
      coding: [{ system: 'http://snomed.info/sct', code: '373942005', display: 'Discharge summary' }],
      text: 'Discharge summary',
    });
  });

  it('imports back to the same categories (round trip of every category)', () => {
    const all = CATEGORIES.map((c, i) => entry(i, c));
    const back = importOk(JSON.parse(JSON.stringify(toFhirBundle(LONG, all, 'x'))));
    expect(back.skipped).toEqual([]);
    expect(back.records.map((r) => r.category)).toEqual(CATEGORIES);
  });
});

describe('import reads HI types and codings to pick among categories', () => {
  const tagged = (resourceType: string, hi: string | null, extra: Json = {}): Json => ({
    resourceType,
    ...(hi ? { meta: { tag: [{ system: HI_TYPE_SYSTEM, code: hi }] } } : {}),
    status: 'final',
    title: 'A record',
    description: 'A record',
    code: { text: 'A record' },
    date: '2026-01-05',
    effectiveDateTime: '2026-01-05',
    ...extra,
  });
  const categoryOf = (r: Json) => {
    const out = importOk(bundleOf(r));
    expect(out.skipped).toEqual([]);
    return out.records[0]!.category;
  };
  const v20074 = (code: string) => ({ category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code }] }] });

  const typed = (code: string) => ({ type: { coding: [{ system: 'http://snomed.info/sct', code }] } });
  const cases: Record<string, [Json, Category][]> = {
    'a DiagnosticReport is imaging when its category says radiology, else a lab report (with or without an HI type)': [
      [tagged('DiagnosticReport', 'DiagnosticReport', v20074('RAD')), Category.Imaging],
      [tagged('DiagnosticReport', null, v20074('CT')), Category.Imaging],
      [tagged('DiagnosticReport', null, { category: [{ coding: [{ system: 'http://loinc.org', code: 'LP29684-5' }] }] }), Category.Imaging],
      [tagged('DiagnosticReport', 'DiagnosticReport', v20074('LAB')), Category.LabReport],
      [tagged('DiagnosticReport', null), Category.LabReport],
    ],
    'a Composition or DocumentReference takes the category of its HI type tag': [
      [tagged('Composition', 'OPConsultation'), Category.Consultation],
      [tagged('Composition', 'Prescription'), Category.Prescription],
      [tagged('Composition', 'ImmunizationRecord'), Category.Immunization],
      [tagged('Composition', 'WellnessRecord'), Category.Other],
      [tagged('Composition', 'DiagnosticReport', v20074('RAD')), Category.Imaging],
      [tagged('DocumentReference', 'DischargeSummary'), Category.DischargeSummary],
      [tagged('DocumentReference', 'HealthDocumentRecord'), Category.Other],
    ],
    "without a tag, a Composition's NRCeS SNOMED CT type decides, else it stays a discharge summary": [
      [tagged('Composition', null, typed('440545006')), Category.Prescription],
      [tagged('Composition', null, typed('371530004')), Category.Consultation],
      [tagged('Composition', null, typed('721981007')), Category.LabReport],
      [tagged('Composition', null, typed('1234')), Category.DischargeSummary],
      [tagged('Composition', null), Category.DischargeSummary],
      [tagged('DocumentReference', null), Category.Other],
    ],
    'an HI type that disagrees with a clinical resource type is ignored: the resource type decides': [
      [tagged('Encounter', 'Prescription'), Category.Consultation],
      [tagged('MedicationRequest', 'OPConsultation'), Category.Prescription],
      [tagged('AllergyIntolerance', 'DischargeSummary'), Category.Allergy],
      [tagged('ImagingStudy', 'Prescription'), Category.Imaging],
      [tagged('Immunization', 'HealthDocumentRecord', { occurrenceDateTime: '2026-01-05' }), Category.Immunization],
    ],
    'a tag of an unknown HI type or another system changes nothing': [
      [tagged('Composition', 'Invoice'), Category.DischargeSummary],
      [{ ...tagged('Composition', null), meta: { tag: [{ system: 'urn:other', code: 'Prescription' }] } }, Category.DischargeSummary],
      [{ ...tagged('Composition', null), meta: { tag: 'Prescription' } }, Category.DischargeSummary],
    ],
  };
  for (const [name, list] of Object.entries(cases))
    it(name, () => {
      for (const [resource, category] of list) expect([resource.resourceType, categoryOf(resource)]).toEqual([resource.resourceType, category]);
    });
});

// --- consents ----------------------------------------------------------------------------

const GRANT: ConsentEntry = {
  id: 'ab'.repeat(32),
  status: 'active',
  hospital: 'cd'.repeat(32),
  hospitalName: 'City Hospital',
  scope: (1 << Category.LabReport) | (1 << Category.Imaging) | (1 << Category.Allergy),
  purpose: Purpose.Emergency,
  from: 20_000,
  to: 20_100,
  time: 1_767_225_600,
  expiry: 1_769_817_600,
  eraseBy: 1_769_904_000,
  mode: AccessMode.Download,
};

describe('Consent resources', () => {
  it("a grant becomes an R4 Consent: ABDM's purpose code, the record dates, the validity, HI types, the hospital as recipient", () => {
    const patientRef = { reference: `Patient/${LONG}` };
    const c = consentResource(GRANT, patientRef);
    expect(c).toMatchObject({
      resourceType: 'Consent',
      id: GRANT.id,
      status: 'active',
      scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
      category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
      patient: patientRef,
      performer: [patientRef],
      dateTime: '2026-01-01T00:00:00Z',
      extension: [{ url: ERASE_BY_EXTENSION, valueDateTime: '2026-02-01T00:00:00Z' }],
    });
    expect(c.policyRule).toBeDefined();
    const p = c.provision as Json;
    expect(p.type).toBe('permit');
    expect(p.purpose).toEqual([{ system: PURPOSE_SYSTEM, code: 'BTG', display: 'Break the Glass' }]);
    expect(p.dataPeriod).toEqual({ start: '2024-10-04', end: '2025-01-12' });
    expect(p.period).toEqual({ start: '2026-01-01T00:00:00Z', end: '2026-01-31T00:00:00Z' });
    expect(p.class).toEqual([
      { system: HI_TYPE_SYSTEM, code: 'DiagnosticReport', display: 'Diagnostic Report' },
      { system: HI_TYPE_SYSTEM, code: 'HealthDocumentRecord', display: 'Record artifact' },
    ]);
    expect(p.actor).toEqual([
      {
        role: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP', display: 'information recipient' }] },
        reference: { identifier: { system: 'urn:medchain:hospital-id', value: GRANT.hospital }, display: 'City Hospital' },
      },
    ]);
    expect((p.action as Json[]).map((a) => ((a.coding as Json[])[0] as Json).code)).toEqual(['access', 'collect']);
  });

  it('an open-ended range has no end, a view-only grant only access, a refusal no validity and no erase-by', () => {
    const open = consentResource({ ...GRANT, to: OPEN_END, mode: AccessMode.View }, {});
    expect((open.provision as Json).dataPeriod).toEqual({ start: '2024-10-04' });
    expect(((open.provision as Json).action as Json[]).length).toBe(1);
    const refused = consentResource({ ...GRANT, status: 'rejected', expiry: null, eraseBy: null }, {});
    expect(refused.status).toBe('rejected');
    expect(refused.extension).toBeUndefined();
    expect((refused.provision as Json).period).toBeUndefined();
  });

  it('times beyond what a Date holds are left out, never thrown on', () => {
    const far = consentResource({ ...GRANT, expiry: 2 ** 53 - 1, eraseBy: 2 ** 53 - 1, from: 0xffff_fffe, to: 0xffff_fffe }, {});
    expect(far.extension).toBeUndefined();
    expect((far.provision as Json).period).toEqual({ start: '2026-01-01T00:00:00Z' });
    expect((far.provision as Json).dataPeriod).toEqual({});
    expect(isoTime(2 ** 53)).toBeNull();
    expect(isoDay(OPEN_END)).toBeNull();
  });

  it('every category alone gives its own HI type; all categories give six HI types (no wellness record)', () => {
    for (const c of CATEGORIES) expect(hiTypesOfScope(1 << c)).toEqual([HI_TYPE_OF[c]]);
    expect(hiTypesOfScope(SCOPE_ALL)).toEqual([
      'Prescription',
      'DiagnosticReport',
      'OPConsultation',
      'DischargeSummary',
      'ImmunizationRecord',
      'HealthDocumentRecord',
    ]);
  });

  it('the bundle holds one Consent per consent after the records; import skips each with CONSENT and keeps the records', () => {
    const bundle = toFhirBundle(LONG, [entry(0, Category.LabReport)], 'x', [
      GRANT,
      { ...GRANT, id: 'ef'.repeat(32), status: 'rejected', expiry: null, eraseBy: null },
    ]);
    const rs = resources(bundle);
    expect(rs.map((r) => r.resourceType)).toEqual(['Patient', 'DiagnosticReport', 'Consent', 'Consent']);
    expect((bundle.entry as Json[])[2]!.fullUrl).toBe(`urn:medchain:consent:${GRANT.id}`);
    const back = importOk(JSON.parse(JSON.stringify(bundle)));
    expect(back.records.map((r) => r.category)).toEqual([Category.LabReport]);
    expect(back.skipped).toEqual([
      { code: 'CONSENT', args: [2] },
      { code: 'CONSENT', args: [3] },
    ]);
  });
});

describe('consentsOf (a demo chain)', () => {
  let chain: ChainState;
  let ledger: LedgerView;
  let now: number;
  beforeAll(() => {
    chain = demoChain({ blocks: 120, seed: 'fhir-abdm', params: TEST_PARAMS }).chain;
    ledger = chain.ledger!;
    now = chain.tip.header.time;
  }, 60_000);

  it('one entry per grant and per refusal of the patient, with the ledger’s terms and statuses', () => {
    let grants = 0;
    let refusals = 0;
    for (const patient of ledger.patients.values()) {
      const entries = consentsOf(ledger, patient.id, now);
      const own = [...ledger.grants.values()].filter((g) => g.patient === patient.id);
      const refused = [...ledger.answers.entries()].filter(
        ([ask, a]) => a.kind === 'refusal' && (ledger.requests.get(ask) ?? ledger.referrals.get(ask))?.patient === patient.id,
      );
      expect(entries.filter((e) => e.status !== 'rejected')).toHaveLength(own.length);
      expect(entries.filter((e) => e.status === 'rejected')).toHaveLength(refused.length);
      for (const g of own) {
        const e = entries.find((x) => x.id === g.id)!;
        expect(e).toMatchObject({
          hospital: g.hospital,
          scope: g.scope,
          purpose: g.purpose,
          from: g.from,
          to: g.to,
          expiry: g.expiry,
          eraseBy: g.eraseBy,
          mode: g.mode,
          time: g.time,
        });
        expect(e.status).toBe(!g.revoked && g.expiry > now ? 'active' : 'inactive');
        expect(e.hospitalName).toBe(ledger.hospitals.get(g.hospital)!.name);
        const c = consentResource(e, {});
        expect(((c.provision as Json).purpose as Json[])[0]!.code).toBe(PURPOSE_CODE[g.purpose].code);
      }
      grants += own.length;
      refusals += refused.length;
    }
    // The demo chain has both, or this test proves nothing.
    expect(grants).toBeGreaterThan(0);
    expect(refusals).toBeGreaterThan(0);
  });
});
