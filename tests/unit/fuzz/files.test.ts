/**
 * Fuzzing what a patient's files reach (issue 13): the recovery-kit text
 * reader, and FHIR import — a Bundle from another hospital, as bytes
 * (readImportFile) and as parsed JSON (fromFhirBundle).
 *
 * Budgets:
 * - decodeKit, readImportFile and fromFhirBundle never throw (coded results);
 * - canonical: a kit that reads is the kit of its seed (up to case, spaces,
 *   dashes and the I/L/O look-alikes);
 * - memory: a kit holds its 32-byte seed; an import holds ≤ 4 × its input
 *   (records, attachments, and the reasons for what it skipped) plus 256
 *   bytes per entry;
 * - CPU: these read text, not through the core Reader, so work is not
 *   counted; every pattern they use is linear (no nested or overlapping
 *   quantifiers). The one that was not (narrative tags) has a regression
 *   test below, at a size where the quadratic pattern needs minutes and the
 *   linear one milliseconds, so the test's timeout is a hang detector, not
 *   a measurement.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../../../src/lib/core/bytes';
import { type HistoryEntry, fromFhirBundle, toFhirBundle } from '../../../src/lib/core/fhir';
import { Category } from '../../../src/lib/core/payloads';
import type { RecordBody } from '../../../src/lib/core/record';
import { decodeKit, encodeKit } from '../../../src/lib/core/recovery-kit';
import { readImportFile } from '../../../src/lib/app/patient/import-file';
import { heldBytes } from './support/budget';
import { mutant } from './support/mutate';

const normal = (s: string) => s.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');

describe('fuzz: decodeKit', () => {
  const kits = [new Uint8Array(32), new Uint8Array(32).fill(0xff), Uint8Array.from({ length: 32 }, (_, i) => i * 7)].map(encodeKit);
  const check = (text: string) => {
    const r = decodeKit(text);
    if (r.ok) {
      expect(r.seed.length).toBe(32);
      expect(normal(encodeKit(r.seed)).replace(/ /g, '')).toBe(normal(text));
    } else expect(typeof r.code).toBe('string');
  };

  it('arbitrary text: a coded refusal or the seed whose kit it is', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 80 }), fc.stringMatching(/^[0-9A-Z -]{0,70}$/)), check),
      { numRuns: 300 },
    );
  });

  it('valid kits with characters changed, added, removed or swapped: a coded refusal or their own seed', () => {
    const edit = fc.tuple(fc.nat(), fc.constantFrom('set', 'insert', 'delete', 'swap'), fc.constantFrom(...'0123456789ABCDEFGHJKMNPQRSTVWXYZiloO -!é'));
    fc.assert(
      fc.property(fc.nat({ max: kits.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 4 }), (k, edits) => {
        const s = [...kits[k]!];
        for (const [at, op, c] of edits) {
          const i = at % s.length;
          if (op === 'set') s[i] = c;
          else if (op === 'insert') s.splice(i, 0, c);
          else if (op === 'delete') s.splice(i, 1);
          else [s[i], s[(i + 1) % s.length]] = [s[(i + 1) % s.length]!, s[i]!];
        }
        check(s.join(''));
      }),
      { numRuns: 500 },
    );
  });
});

const TODAY = '2026-06-15';
const BODY: RecordBody = {
  title: 'Complete blood count',
  date: '2026-03-10',
  authorName: 'Dr. S. Nair',
  fields: [{ name: 'Hb', value: '12.9 g/dL' }],
  text: 'Mild anaemia; iron advised.',
  attachments: [{ name: 'cbc.pdf', mime: 'application/pdf', size: 4 }],
};
const ENTRIES: HistoryEntry[] = [
  { id: 'ab'.repeat(32), category: Category.LabReport, body: BODY, attachments: [Uint8Array.of(1, 2, 3, 4)], source: 'patient' },
  { id: 'cd'.repeat(32), category: Category.Immunization, body: { ...BODY, attachments: [] }, attachments: [], source: 'City Hospital' },
];
const EXPORT = toFhirBundle('LONG-ID', ENTRIES, '2026-06-15T09:30:00Z');
const EXPORT_TEXT = JSON.stringify(EXPORT);

/** An import result's size against the budget. */
function withinImportBudget(result: unknown, inputChars: number, entries: number): void {
  expect(heldBytes(result)).toBeLessThanOrEqual(4 * inputChars + 256 * entries);
}

/** `value` with the member at `path` (indices taken modulo what is there) replaced by `by`. */
function replaceAt(value: unknown, path: readonly number[], by: unknown): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return by;
  const keys = Object.keys(value);
  if (keys.length === 0) return by;
  const k = keys[path[0]! % keys.length]!;
  const copy: Record<string, unknown> = Array.isArray(value) ? ([...value] as unknown as Record<string, unknown>) : { ...value };
  copy[k] = replaceAt((value as Record<string, unknown>)[k], path.slice(1), by);
  return copy;
}

describe('fuzz: FHIR import', () => {
  it('the export imports back (the fixture is right)', () => {
    const r = fromFhirBundle(EXPORT, TODAY);
    expect(r.ok && r.records.map((x) => x.body)).toEqual(ENTRIES.map((e) => e.body));
  });

  it('any JSON value: a reason or records, never a throw, within budget', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.record({ resourceType: fc.constant('Bundle'), entry: fc.array(fc.jsonValue(), { maxLength: 6 }) })), (v) => {
        const r = fromFhirBundle(v, TODAY);
        withinImportBudget(
          r,
          JSON.stringify(v)?.length ?? 0,
          1 + (Array.isArray((v as { entry?: unknown })?.entry) ? (v as { entry: unknown[] }).entry.length : 0),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('an export with any member replaced by any JSON (a narrative, a body extension, a Binary…): never a throw, within budget', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 7 }), fc.jsonValue({ maxDepth: 3 })), { minLength: 1, maxLength: 3 }),
        (edits) => {
          const v = edits.reduce<unknown>((acc, [path, by]) => replaceAt(acc, path, by), EXPORT);
          const r = fromFhirBundle(v, TODAY);
          withinImportBudget(r, JSON.stringify(v).length, 2 + ENTRIES.length * 2);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('an export file with bytes changed, cut or added: a coded result, never a throw', () => {
    const file = utf8(EXPORT_TEXT);
    fc.assert(
      fc.property(
        fc.oneof(
          mutant([file]).map((m) => m.bytes),
          fc.uint8Array({ maxLength: 300 }),
        ),
        (bytes) => {
          const r = readImportFile(bytes, TODAY);
          if (!r.ok) expect(typeof r.code).toBe('string');
          else withinImportBudget(r, bytes.length, 2 + ENTRIES.length * 2);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('an extension body JSON with hostile members (toString, valueOf, huge sizes) is read or skipped, never a throw', () => {
    const hostile = [
      '{"title":{"toString":1,"valueOf":1}}',
      '{"fields":[{"name":{"toString":1}}]}',
      '{"attachments":[{"size":{"valueOf":{}}}]}',
      'null',
      '5',
      '[]',
      '{"attachments":[{"size":1e308}]}',
    ];
    for (const valueString of hostile) {
      const v = structuredClone(EXPORT);
      const entry = (v.entry as { resource: Record<string, unknown> }[])[1]!;
      entry.resource = { ...entry.resource, extension: [{ url: 'urn:medchain:fhir:record-body', valueString }] };
      expect(() => fromFhirBundle(v, TODAY)).not.toThrow();
    }
  });
});

describe('FHIR regression (found by this fuzzer): stripping narrative tags is linear', () => {
  const narrative = (div: string) => ({
    resourceType: 'Bundle',
    entry: [{ resource: { resourceType: 'Encounter', id: 'e1', period: { start: '2026-01-02' }, reasonCode: [{ text: 'Visit' }], text: { div } } }],
  });

  it('300,000 "<" without a ">" (minutes with the old pattern) import in one pass', () => {
    for (const div of ['<'.repeat(300_000), '<a'.repeat(150_000), `<p>${'<'.repeat(300_000)}x</p>`]) {
      const r = fromFhirBundle(narrative(div), TODAY);
      expect(r.ok).toBe(true);
    }
  });

  it('still strips tags and reads entities as before', () => {
    const r = fromFhirBundle(narrative('<div xmlns="http://www.w3.org/1999/xhtml"><p><b>Visit</b> a &lt; b &amp; c</p></div>'), TODAY);
    expect(r.ok && r.records[0]!.body.text).toBe('Visit a < b & c');
  });
});
