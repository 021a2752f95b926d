/**
 * FHIR R4 export and import of a patient's history (SPEC §3). Export: a
 * `collection` Bundle with a pseudonymous Patient, one resource per record of
 * its category's FHIR type, a Binary per attachment, and an XSS-safe
 * narrative. Import: a medchain export comes back without loss; foreign
 * bundles import from the standard fields; bad input never throws and gives
 * a reason; bad entries are skipped with a reason while the rest import.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { toHex } from '../../../src/lib/core/bytes';
import { fromBase64, toBase64 } from '../../../src/lib/core/base64';
import { longId, patientIdOf } from '../../../src/lib/core/ids';
import { Category, type Category as CategoryT } from '../../../src/lib/core/payloads';
import { ATTACHMENT_TYPES, MAX_FIELD_NAME, MAX_FIELD_VALUE, MAX_TITLE, type RecordBody, encodeRecordBody } from '../../../src/lib/core/record';
import { BODY_EXTENSION, FHIR_TYPE, type HistoryEntry, PATIENT_ID_SYSTEM, fromFhirBundle, toFhirBundle } from '../../../src/lib/core/fhir';
import { type Json, TODAY, bundleOf, importOk, resources } from './fhir-support';

const GENERATED_AT = '2026-06-15T09:30:00Z';
const LONG = longId(patientIdOf(new Uint8Array(32).fill(0x5a)));
const CATEGORIES = Object.values(Category) as CategoryT[];
/** Record ids: hex of a transaction id, chosen without decimal-digit runs. */
const idOf = (i: number) => toHex(new Uint8Array(32).fill(0xab + (i % 4)));

const BODY: RecordBody = {
  title: 'Complete blood count',
  date: '2026-03-10',
  authorName: 'Dr. S. Nair',
  fields: [
    { name: 'Hb', value: '12.9 g/dL' },
    { name: 'WBC', value: '6.1' },
  ],
  text: 'Mild anaemia; iron advised.',
  attachments: [
    { name: 'cbc.pdf', mime: 'application/pdf', size: 4 },
    { name: 'smear.jpg', mime: 'image/jpeg', size: 3 },
  ],
};
const ATTS = [Uint8Array.of(0x25, 0x50, 0x44, 0x46), Uint8Array.of(0xff, 0xd8, 0xff)];
const entry = (i: number, category: CategoryT, body: RecordBody = BODY, attachments: readonly Uint8Array[] = ATTS): HistoryEntry => ({
  id: idOf(i),
  category,
  body,
  attachments,
  source: 'City Hospital',
});

// --- arbitraries ---------------------------------------------------------------------

const text = (maxBytes: number, minLength = 0) => fc.string({ unit: 'binary', minLength, maxLength: Math.max(minLength, Math.floor(maxBytes / 4)) });
const nonBlank = (maxBytes: number) => text(maxBytes, 1).filter((s) => s.trim() !== '');
const dateArb = fc
  .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date(`${TODAY}T00:00:00Z`), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const attachmentArb = fc.record({
  name: text(255, 1).filter((s) => s.trim() !== ''),
  mime: fc.constantFrom(...ATTACHMENT_TYPES),
  bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }),
});
/** A valid body with its attachment bytes (metadata sizes match the bytes). */
const bodyWithAttachmentsArb = fc
  .record({
    title: fc.oneof(nonBlank(MAX_TITLE), fc.constantFrom('<script>alert(1)</script>', 'A & B "quoted" \'single\'', '</div><img src=x onerror=alert(1)>')),
    date: dateArb,
    authorName: text(MAX_FIELD_NAME),
    fields: fc.array(fc.record({ name: nonBlank(MAX_FIELD_NAME), value: text(MAX_FIELD_VALUE / 4) }), { maxLength: 4 }),
    text: text(1200),
    atts: fc.array(attachmentArb, { maxLength: 3 }),
  })
  .map(({ atts, ...b }) => ({
    body: { ...b, attachments: atts.map((a) => ({ name: a.name, mime: a.mime, size: a.bytes.length })) } as RecordBody,
    attachments: atts.map((a) => a.bytes),
  }));
const historyArb = fc
  .array(fc.tuple(fc.constantFrom(...CATEGORIES), bodyWithAttachmentsArb), { maxLength: 5 })
  .map((xs) => xs.map(([category, { body, attachments }], i): HistoryEntry => ({ id: idOf(i) + i, category, body, attachments, source: 'patient' })));

// --- export ----------------------------------------------------------------------------

describe('toFhirBundle', () => {
  it('FHIR_TYPE maps every category to its FHIR R4 resource type', () => {
    expect(FHIR_TYPE).toEqual({
      [Category.Consultation]: 'Encounter',
      [Category.Prescription]: 'MedicationRequest',
      [Category.LabReport]: 'DiagnosticReport',
      [Category.Imaging]: 'ImagingStudy',
      [Category.DischargeSummary]: 'Composition',
      [Category.Immunization]: 'Immunization',
      [Category.Allergy]: 'AllergyIntolerance',
      [Category.Other]: 'DocumentReference',
    });
  });

  it("is a collection Bundle stamped with the caller's time", () => {
    const b = toFhirBundle(LONG, [entry(0, Category.LabReport)], GENERATED_AT);
    expect(b.resourceType).toBe('Bundle');
    expect(b.type).toBe('collection');
    expect(b.timestamp).toBe(GENERATED_AT);
    expect(Array.isArray(b.entry)).toBe(true);
  });

  it('has one Patient carrying only the pseudonymous id', () => {
    const b = toFhirBundle(LONG, [entry(0, Category.LabReport)], GENERATED_AT);
    const patients = resources(b).filter((r) => r.resourceType === 'Patient');
    expect(patients).toEqual([{ resourceType: 'Patient', id: LONG, identifier: [{ system: PATIENT_ID_SYSTEM, value: LONG }] }]);
    expect(resources(b)[0]).toBe(patients[0]);
  });

  it('no 12-digit number (an Aadhaar number) appears anywhere when the bodies hold none', () => {
    const digitFree = (h: readonly HistoryEntry[]) => !/\d{12}/.test(JSON.stringify(h.map((e) => e.body)));
    fc.assert(
      fc.property(historyArb.filter(digitFree), (history) => {
        const json = JSON.stringify(toFhirBundle(LONG, history, GENERATED_AT));
        expect(json).not.toMatch(/\d{12}/);
      }),
      { numRuns: 50 },
    );
    const all = CATEGORIES.map((c, i) => entry(i, c));
    expect(JSON.stringify(toFhirBundle(LONG, all, GENERATED_AT))).not.toMatch(/\d{12}/);
  });

  it('one resource per record, of FHIR_TYPE[category], in order, then a Binary per attachment with base64 data', () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        const rs = resources(toFhirBundle(LONG, history, GENERATED_AT));
        expect(rs).toHaveLength(1 + history.length + history.reduce((n, e) => n + e.attachments.length, 0));
        let at = 1;
        for (const e of history) {
          const r = rs[at++]!;
          expect(r.resourceType).toBe(FHIR_TYPE[e.category]);
          expect(r.id).toBe(e.id);
          e.attachments.forEach((bytes, i) => {
            const bin = rs[at++]!;
            expect(bin.resourceType).toBe('Binary');
            expect(bin.id).toBe(`${e.id}-a${i}`);
            expect(bin.contentType).toBe(e.body.attachments[i]!.mime);
            expect(bin.data).toBe(Buffer.from(bytes).toString('base64'));
          });
        }
      }),
      { numRuns: 50 },
    );
  });

  it('record resources carry title and date in their standard fields and point at the Patient', () => {
    const rs = resources(
      toFhirBundle(
        LONG,
        CATEGORIES.map((c, i) => entry(i, c, { ...BODY, attachments: [] }, [])),
        GENERATED_AT,
      ),
    ).slice(1);
    const ref = { reference: `Patient/${LONG}` };
    const [enc, med, lab, img, comp, imm, allergy, doc] = rs as [Json, Json, Json, Json, Json, Json, Json, Json];
    expect(enc).toMatchObject({ subject: ref, period: { start: BODY.date }, reasonCode: [{ text: BODY.title }] });
    expect(med).toMatchObject({ subject: ref, authoredOn: BODY.date, medicationCodeableConcept: { text: BODY.title } });
    expect(lab).toMatchObject({ subject: ref, effectiveDateTime: BODY.date, code: { text: BODY.title } });
    expect(img).toMatchObject({ subject: ref, started: BODY.date, description: BODY.title });
    expect(comp).toMatchObject({ subject: ref, date: BODY.date, title: BODY.title, author: [{ display: BODY.authorName }] });
    expect(imm).toMatchObject({ patient: ref, occurrenceDateTime: BODY.date, vaccineCode: { text: BODY.title } });
    expect(allergy).toMatchObject({ patient: ref, recordedDate: BODY.date, code: { text: BODY.title } });
    expect(doc).toMatchObject({ subject: ref, date: BODY.date, description: BODY.title });
    for (const r of rs) expect(r.extension).toEqual([{ url: BODY_EXTENSION, valueString: expect.any(String) }]);
  });

  it('a Composition without an author name credits the source', () => {
    const [, comp] = resources(
      toFhirBundle(LONG, [{ ...entry(0, Category.DischargeSummary, { ...BODY, authorName: '' }), source: 'City Hospital' }], GENERATED_AT),
    );
    expect((comp as Json).author).toEqual([{ display: 'City Hospital' }]);
  });
});

// --- the narrative ----------------------------------------------------------------------

const divOf = (r: Json) => (r.text as Json).div as string;
const TAGS = /<div xmlns="http:\/\/www\.w3\.org\/1999\/xhtml">|<\/div>|<\/?(p|b|ul|li)>/g;
const unescape = (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));

describe('narrative (text.div)', () => {
  it('is generated XHTML', () => {
    const r = resources(toFhirBundle(LONG, [entry(0, Category.LabReport)], GENERATED_AT))[1]!;
    expect((r.text as Json).status).toBe('generated');
    expect(divOf(r).startsWith('<div xmlns="http://www.w3.org/1999/xhtml">')).toBe(true);
    expect(divOf(r).endsWith('</div>')).toBe(true);
  });

  it('a <script> title never appears unescaped', () => {
    const title = '<script>alert(1)</script>';
    const r = resources(toFhirBundle(LONG, [entry(0, Category.LabReport, { ...BODY, title, text: '<img src=x onerror=alert(1)>' })], GENERATED_AT))[1]!;
    const div = divOf(r);
    expect(div).not.toContain('<script');
    expect(div).not.toContain('</script');
    expect(div).not.toContain('<img');
    expect(unescape(div)).toContain(title);
  });

  it('escapes <, >, & and both quotes in every body string: only our own tags remain, every & starts an entity', () => {
    const nasty = fc
      .string({ unit: fc.constantFrom('<', '>', '&', '"', "'", 'a', ' ', '/', ';', '#', 'é'), minLength: 1, maxLength: 30 })
      .filter((s) => s.trim() !== '');
    fc.assert(
      fc.property(nasty, nasty, nasty, nasty, (title, textS, fname, fvalue) => {
        const b: RecordBody = { ...BODY, title, text: textS, fields: [{ name: fname, value: fvalue }] };
        const div = divOf(resources(toFhirBundle(LONG, [entry(0, Category.Other, b)], GENERATED_AT))[1]!);
        const content = div.replace(TAGS, '');
        expect(content).not.toMatch(/[<>"']/);
        expect(content.replace(/&#\d+;/g, '')).not.toContain('&');
        // The escaped strings read back as the originals, each in its place.
        expect(unescape(div.slice(div.indexOf('<b>') + 3, div.indexOf('</b>')))).toBe(title);
        expect(unescape(div.slice(div.indexOf('<li>') + 4, div.indexOf('</li>')))).toBe(`${fname}: ${fvalue}`);
        const lastP = div.lastIndexOf('<p>');
        expect(unescape(div.slice(lastP + 3, div.lastIndexOf('</p>')))).toBe(textS);
      }),
      { numRuns: 200 },
    );
  });
});

// --- round trip -----------------------------------------------------------------------------

describe('fromFhirBundle(toFhirBundle(...))', () => {
  it('gives back every record: category, body and attachment bytes (property)', () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        const bundle = JSON.parse(JSON.stringify(toFhirBundle(LONG, history, GENERATED_AT))) as unknown;
        const r = importOk(bundle);
        expect(r.skipped).toEqual([]);
        expect(r.records).toHaveLength(history.length);
        history.forEach((e, i) => {
          const got = r.records[i]!;
          expect(got.category).toBe(e.category);
          expect(got.body).toEqual(e.body);
          expect(got.attachments).toEqual(e.attachments);
          expect(toHex(encodeRecordBody(got.body))).toBe(toHex(encodeRecordBody(e.body)));
        });
      }),
      { numRuns: 60 },
    );
  });

  it('every category round-trips (example)', () => {
    const history = CATEGORIES.map((c, i) => entry(i, c));
    const r = importOk(toFhirBundle(LONG, history, GENERATED_AT));
    expect(r.records.map((x) => x.category)).toEqual(CATEGORIES);
    for (const x of r.records) {
      expect(x.body).toEqual(BODY);
      expect(x.attachments).toEqual(ATTS);
    }
  });
});

// --- foreign bundles ----------------------------------------------------------------------

describe('importing a foreign bundle (no medchain extension)', () => {
  it('an Observation is skipped with a reason; the other entries import', () => {
    const r = importOk(
      bundleOf(
        { resourceType: 'Patient', id: 'p1' },
        { resourceType: 'Observation', id: 'o1', code: { text: 'Pulse' }, effectiveDateTime: '2025-01-01' },
        { resourceType: 'Immunization', id: 'i1', vaccineCode: { text: 'BCG' }, occurrenceDateTime: '2024-01-10' },
      ),
    );
    expect(r.records).toHaveLength(1);
    expect(r.skipped).toHaveLength(1);
    expect(r.skipped[0]).toMatchObject({ code: 'NOT_KEPT', args: [expect.any(Number), 'Observation'] });
  });

  it('a DiagnosticReport with code.text and effectiveDateTime becomes a LabReport with that title and date', () => {
    const r = importOk(
      bundleOf({
        resourceType: 'DiagnosticReport',
        id: 'dr1',
        status: 'final',
        code: { text: 'HbA1c' },
        effectiveDateTime: '2025-03-04T10:00:00+05:30',
        text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>HbA1c 5.6 &amp; fasting &lt;7&gt;</p></div>' },
      }),
    );
    expect(r.skipped).toEqual([]);
    expect(r.records).toEqual([
      {
        category: Category.LabReport,
        body: { title: 'HbA1c', date: '2025-03-04', authorName: '', fields: [], text: 'HbA1c 5.6 & fasting <7>', attachments: [] },
        attachments: [],
      },
    ]);
  });

  it('an Immunization with vaccineCode.text and occurrenceDateTime', () => {
    const r = importOk(
      bundleOf({ resourceType: 'Immunization', id: 'i1', status: 'completed', vaccineCode: { text: 'Hepatitis B, dose 2' }, occurrenceDateTime: '2024-01-10' }),
    );
    expect(r.records).toHaveLength(1);
    expect(r.records[0]!.category).toBe(Category.Immunization);
    expect(r.records[0]!.body).toMatchObject({ title: 'Hepatitis B, dose 2', date: '2024-01-10', text: '', fields: [], attachments: [] });
  });

  it('a MedicationRequest with medicationCodeableConcept.text and authoredOn', () => {
    const r = importOk(
      bundleOf({
        resourceType: 'MedicationRequest',
        id: 'm1',
        intent: 'order',
        medicationCodeableConcept: { text: 'Metformin 500 mg' },
        authoredOn: '2025-11-01',
      }),
    );
    expect(r.records).toHaveLength(1);
    expect(r.records[0]!.category).toBe(Category.Prescription);
    expect(r.records[0]!.body).toMatchObject({ title: 'Metformin 500 mg', date: '2025-11-01' });
  });

  it('an Encounter with reasonCode[0].text and period.start; an AllergyIntolerance with code.text and recordedDate', () => {
    const r = importOk(
      bundleOf(
        { resourceType: 'Encounter', id: 'e1', status: 'finished', reasonCode: [{ text: 'Follow-up' }], period: { start: '2025-07-07T08:00:00Z' } },
        { resourceType: 'AllergyIntolerance', id: 'a1', code: { text: 'Penicillin' }, recordedDate: '2019-02-03' },
      ),
    );
    expect(r.records.map((x) => [x.category, x.body.title, x.body.date])).toEqual([
      [Category.Consultation, 'Follow-up', '2025-07-07'],
      [Category.Allergy, 'Penicillin', '2019-02-03'],
    ]);
  });

  // BUG (see report): numeric entities are decoded before named ones, so text that
  // was escaped twice ("&#38;lt;" is the escaped form of the literal text "&lt;",
  // which is how medchain's own escapeXml writes it) is unescaped twice.
  it('narrative entities are decoded exactly once ("&#38;lt;" reads as "&lt;", not "<")', () => {
    const r = importOk(
      bundleOf({
        resourceType: 'DiagnosticReport',
        id: 'd',
        code: { text: 'T' },
        effectiveDateTime: '2025-01-01',
        text: { div: '<div><p>a &#38;lt; b &#38;amp; c</p></div>' },
      }),
    );
    expect(r.records[0]!.body.text).toBe('a &lt; b &amp; c');
  });

  it('a medchain export with its extension removed still imports from the standard fields', () => {
    const bundle = toFhirBundle(LONG, [entry(0, Category.Immunization, { ...BODY, attachments: [] }, [])], GENERATED_AT);
    for (const res of resources(bundle)) delete res.extension;
    const r = importOk(bundle);
    expect(r.records).toHaveLength(1);
    expect(r.records[0]!.body).toMatchObject({ title: BODY.title, date: BODY.date, attachments: [] });
    expect(r.records[0]!.body.text).toContain(BODY.text);
  });
});

// --- bad input ---------------------------------------------------------------------------------

describe('bad input never throws', () => {
  it.each<[string, unknown]>([
    ['null', null],
    ['undefined', undefined],
    ['a string', '{"resourceType":"Bundle","entry":[]}'],
    ['a number', 42],
    ['an array', []],
    ['{}', {}],
    ['a Patient', { resourceType: 'Patient' }],
    ['a Bundle without entry', { resourceType: 'Bundle', type: 'collection' }],
    ['a Bundle whose entry is not a list', { resourceType: 'Bundle', entry: { resource: {} } }],
    ['a Bundle with 10,001 entries', { resourceType: 'Bundle', entry: Array.from({ length: 10_001 }, () => ({})) }],
  ])('%s gives ok:false with a reason', (_, input) => {
    const r = fromFhirBundle(input, TODAY);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.length).toBeGreaterThan(0);
  });

  it('10,000 entries is still accepted (the limit is inclusive)', () => {
    const r = fromFhirBundle({ resourceType: 'Bundle', entry: Array.from({ length: 10_000 }, () => ({ resource: { resourceType: 'Patient' } })) }, TODAY);
    expect(r).toEqual({ ok: true, records: [], skipped: [] });
  });

  it('an empty Bundle imports nothing', () => {
    expect(fromFhirBundle({ resourceType: 'Bundle', entry: [] }, TODAY)).toEqual({ ok: true, records: [], skipped: [] });
  });

  it('property: arbitrary values and arbitrary bundles never throw', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        expect(() => fromFhirBundle(x, TODAY)).not.toThrow();
        expect(() => fromFhirBundle({ resourceType: 'Bundle', entry: [x, { resource: x }] }, TODAY)).not.toThrow();
      }),
      { numRuns: 300 },
    );
    const anyValue = fc.jsonValue({ maxDepth: 3 });
    const resourceArb = fc.record(
      {
        resourceType: fc.constantFrom(...Object.values(FHIR_TYPE), 'Binary', 'Patient', 'Observation', ''),
        id: fc.oneof(fc.string({ maxLength: 6 }), anyValue),
        code: anyValue,
        text: fc.oneof(anyValue, fc.record({ div: fc.string() })),
        effectiveDateTime: fc.oneof(dateArb, anyValue),
        reasonCode: anyValue,
        period: anyValue,
        data: fc.oneof(fc.base64String(), anyValue),
        extension: fc.oneof(
          anyValue,
          fc.array(
            fc.record({
              url: fc.constant(BODY_EXTENSION),
              valueString: fc.oneof(
                fc.string(),
                anyValue.map((v) => JSON.stringify(v)),
              ),
            }),
          ),
        ),
      },
      { requiredKeys: ['resourceType'] },
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.record({ resource: resourceArb }), anyValue), { maxLength: 8 }), (entries) => {
        const r = fromFhirBundle({ resourceType: 'Bundle', entry: entries }, TODAY);
        expect(r.ok).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

// --- skipping bad entries -----------------------------------------------------------------------------

describe('bad entries are skipped with a reason while the others import', () => {
  it('an entry with an invalid or future date is skipped', () => {
    const r = importOk(
      bundleOf(
        { resourceType: 'DiagnosticReport', id: 'a', code: { text: 'Bad date' }, effectiveDateTime: '2025-02-30' },
        { resourceType: 'DiagnosticReport', id: 'b', code: { text: 'Good' }, effectiveDateTime: '2025-02-28' },
        { resourceType: 'DiagnosticReport', id: 'c', code: { text: 'Future' }, effectiveDateTime: '2099-01-01' },
        { resourceType: 'DiagnosticReport', id: 'd', code: { text: 'No date' } },
        { resourceType: 'DiagnosticReport', id: 'e', code: { text: 'Partial date' }, effectiveDateTime: '2025-02' },
      ),
    );
    expect(r.records.map((x) => x.body.title)).toEqual(['Good']);
    expect(r.skipped).toHaveLength(4);
    expect(r.skipped.map((s) => [s.code, s.args?.[0]])).toEqual([
      ['FORM', 0],
      ['FORM', 2],
      ['FORM', 3],
      ['FORM', 4],
    ]);
  });

  it('a record whose attachment Binary is missing is skipped; the others import', () => {
    const history = [entry(0, Category.LabReport), entry(1, Category.Imaging), entry(2, Category.Other)];
    const bundle = toFhirBundle(LONG, history, GENERATED_AT);
    const missing = `${history[1]!.id}-a1`;
    bundle.entry = (bundle.entry as Json[]).filter((e) => (e.resource as Json).id !== missing);
    const r = importOk(bundle);
    expect(r.records.map((x) => x.category)).toEqual([Category.LabReport, Category.Other]);
    expect(r.skipped).toHaveLength(1);
    expect(r.skipped[0]).toMatchObject({ code: 'ATTACHMENT_MISSING' });
  });

  it('a Binary with data that is not base64 is skipped (and so is the record that needed it)', () => {
    const history = [entry(0, Category.LabReport), entry(1, Category.Imaging)];
    const bundle = toFhirBundle(LONG, history, GENERATED_AT);
    const bad = `${history[0]!.id}-a0`;
    for (const res of resources(bundle)) if (res.id === bad) res.data = 'not base64!!';
    const r = importOk(bundle);
    expect(r.records.map((x) => x.category)).toEqual([Category.Imaging]);
    expect(r.skipped).toHaveLength(2);
    expect(r.skipped).toContainEqual({ code: 'BAD_BINARY', args: [bad] });
  });

  it.each(['Zg', 'Zh==', '@@@@', 'Zm9v!', '=Zm9'])('a Binary whose data is %j is skipped', (data) => {
    const r = importOk(bundleOf({ resourceType: 'Binary', id: 'b1', contentType: 'application/pdf', data }));
    expect(r.records).toEqual([]);
    expect(r.skipped).toHaveLength(1);
    expect(r.skipped[0]).toEqual({ code: 'BAD_BINARY', args: ['b1'] });
  });

  // BUG (see report): a Binary whose data is missing or not a string is read as
  // base64 of '' (zero bytes), so the record imports with an empty attachment
  // although its metadata says 4 bytes.
  it.each<[string, unknown]>([
    ['missing', undefined],
    ['null', null],
    ['a number', 12345],
  ])('a record whose Binary data is %s is not imported with an empty attachment', (_, data) => {
    const b: RecordBody = { ...BODY, attachments: [BODY.attachments[0]!] };
    const bundle = toFhirBundle(LONG, [entry(0, Category.LabReport, b, [ATTS[0]!])], GENERATED_AT);
    for (const res of resources(bundle)) if (res.resourceType === 'Binary') res.data = data;
    const r = importOk(JSON.parse(JSON.stringify(bundle)));
    expect(r.records).toEqual([]);
    expect(r.skipped.length).toBeGreaterThan(0);
  });

  it('entries without a resource are skipped; an extension body that fails the checks is skipped', () => {
    const good = resources(toFhirBundle(LONG, [entry(0, Category.Other, { ...BODY, attachments: [] }, [])], GENERATED_AT))[1]!;
    const badBody = { ...good, id: 'x', extension: [{ url: BODY_EXTENSION, valueString: JSON.stringify({ ...BODY, title: '', attachments: [] }) }] };
    const r = importOk({ resourceType: 'Bundle', entry: [null, 7, { resource: null }, { resource: good }, { resource: badBody }] });
    expect(r.records).toHaveLength(1);
    expect(r.skipped.map((s) => s.code)).toEqual(['NO_RESOURCE', 'NO_RESOURCE', 'NO_RESOURCE', 'FORM']);
    expect(r.skipped[3]).toMatchObject({ args: [4, expect.any(String)], problems: [{ field: 'title', code: 'TITLE_EMPTY' }] });
  });

  // BUG (see report): checkRecordBody lets through bodies that cannot be encoded,
  // so fromFhirBundle returns records whose sealing then throws.
  it.each<[string, Json]>([
    [
      'an extension attachment size that is not a number',
      {
        resourceType: 'DocumentReference',
        id: 'r',
        extension: [{ url: BODY_EXTENSION, valueString: JSON.stringify({ ...BODY, attachments: [{ name: 'a.pdf', mime: 'application/pdf', size: 'abc' }] }) }],
      },
    ],
    [
      'a lone surrogate from a numeric entity in the narrative',
      { resourceType: 'DiagnosticReport', id: 'r', code: { text: 'T' }, effectiveDateTime: '2025-01-01', text: { div: '<div>x &#55357; y</div>' } },
    ],
  ])('every imported record can be encoded for sealing: %s', (_, resource) => {
    const bundle = bundleOf(resource, { resourceType: 'Binary', id: 'r-a0', data: toBase64(ATTS[0]!) });
    const r = importOk(bundle);
    for (const rec of r.records) expect(() => encodeRecordBody(rec.body)).not.toThrow();
  });

  it('attachment data is decoded from base64 exactly', () => {
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 37) & 0xff);
    const b: RecordBody = { ...BODY, attachments: [{ name: 'x.pdf', mime: 'application/pdf', size: bytes.length }] };
    const bundle = toFhirBundle(LONG, [entry(0, Category.Other, b, [bytes])], GENERATED_AT);
    const bin = resources(bundle).find((x) => x.resourceType === 'Binary')!;
    expect(fromBase64(bin.data as string)).toEqual(bytes);
    expect(bin.data).toBe(toBase64(bytes));
    expect(importOk(bundle).records[0]!.attachments).toEqual([bytes]);
  });
});
