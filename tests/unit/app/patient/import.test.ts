/**
 * FHIR Bundle import into the patient's own history (SPEC §3, §9) over the
 * app's in-memory node twin and a real ChainState: a round trip from one
 * patient's export into another patient's account, the duplicate rule
 * (own export, the same file twice, repeats within a file), every kind of
 * bad file refused with its code and nothing written, and a failure midway
 * naming what was and was not imported, each record all-or-nothing.
 */
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../../src/lib/core/bytes';
import { ChainState } from '../../../../src/lib/core/chain';
import { patientIdOf } from '../../../../src/lib/core/ids';
import { Category } from '../../../../src/lib/core/payloads';
import { toFhirBundle } from '../../../../src/lib/core/fhir';
import { TEST_PARAMS } from '../../../../src/lib/core/params';
import { Prng } from '../../../../src/lib/core/prng';
import { publicKeyOf } from '../../../../src/lib/core/signature';
import { TxKind } from '../../../../src/lib/core/tx';
import { hospitalDataKey } from '../../../../src/lib/app/clinician/data-key';
import { rawSigner } from '../../../../src/lib/app/clinician/sign';
import { foundingGenesis } from '../../../../src/lib/app/node/demo-network';
import { MemoryNodeAccess } from '../../../../src/lib/app/node/memory';
import { exportFhir } from '../../../../src/lib/app/patient/export';
import { type ImportCandidate, type ImportProgress, importRecords, previewImport } from '../../../../src/lib/app/patient/import';
import { type ImportFile, MAX_IMPORT_BYTES, MAX_IMPORT_ENTRIES, checkImportSize, readImportFile } from '../../../../src/lib/app/patient/import-file';
import { type PatientContext, rawPatientKeys } from '../../../../src/lib/app/patient/keys';
import { registerOnChain } from '../../../../src/lib/app/patient/register';
import { openFull, readTimeline } from '../../../../src/lib/app/patient/timeline';
import { uploadRecord } from '../../../../src/lib/app/patient/upload';
import { ledgerRules } from '../../../../src/lib/core/rules';

const T0 = 1_767_225_600;
const TODAY = '2026-01-01';

async function world(seed: string) {
  const prng = new Prng(`import-test/${seed}`);
  const random = (n: number) => prng.bytes(n);
  const hSecret = random(32);
  const hospital = rawSigner(hSecret, publicKeyOf(hSecret));
  const data = await hospitalDataKey(hospital, 0);
  const genesis = foundingGenesis(TEST_PARAMS, { secret: hSecret, pub: hospital.publicKey }, data.publicKey, T0);
  const node = new MemoryNodeAccess(new ChainState(TEST_PARAMS, genesis, T0, { rules: ledgerRules }), { minerKey: hospital.publicKey });
  const patient = async (): Promise<PatientContext> => {
    const signSecret = random(32);
    const signPublic = publicKeyOf(signSecret);
    const ctx = { node, random, me: rawPatientKeys(toHex(patientIdOf(signPublic)), signSecret, signPublic, random(32)) };
    expect(await registerOnChain(ctx)).toMatchObject({ ok: true });
    return ctx;
  };
  const asha = await patient();
  const ravi = await patient();
  node.mine();
  /** Everything written: blobs stored and transactions waiting. */
  let puts = 0;
  const put = node.putBlob.bind(node);
  node.putBlob = (ref, bytes) => (puts++, put(ref, bytes));
  const writes = () => ({ puts, pending: node.state.pending.size });
  return { node, asha, ravi, writes };
}

const bytesOf = (json: unknown) => new TextEncoder().encode(JSON.stringify(json));
/** The leading bytes that make a file of each type used here what it claims to be. */
const HEADERS: Record<string, number[]> = {
  'application/pdf': [...'%PDF-1.4\n'].map((c) => c.charCodeAt(0)),
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
};
/** A file of `n` bytes: its type's header, then filler (printable letters for text). */
const file = (n: number, mime = 'application/pdf', name = 'report.pdf') => ({
  meta: { name, mime, size: n },
  bytes: new Uint8Array(n).map((_, i) => HEADERS[mime]?.[i] ?? (mime === 'text/plain' ? 0x61 + ((i * 13 + n) % 26) : (i * 13 + n) & 255)),
});
const body = (title: string, date: string, text: string, fields: { name: string; value: string }[] = []) => ({
  title,
  date,
  authorName: 'Dr. Iyer',
  fields,
  text,
});

/** Asha's history: three records of different kinds, two with attachments, a minute apart (the export lists them oldest first). */
async function ashaHistory(w: Awaited<ReturnType<typeof world>>) {
  expect(
    await uploadRecord(
      w.asha,
      Category.LabReport,
      body('Blood count', '2025-11-02', 'Hb low; iron.', [{ name: 'Hb', value: '11.2 g/dL' }]),
      [file(3000), file(40, 'image/png', 'smear.png')],
      TODAY,
    ),
  ).toMatchObject({ ok: true });
  w.node.clock += 60;
  expect(await uploadRecord(w.asha, Category.Immunization, body('Tetanus booster', '2025-06-15', ''), [], TODAY)).toMatchObject({ ok: true });
  w.node.clock += 60;
  expect(
    await uploadRecord(
      w.asha,
      Category.Prescription,
      body('Iron tablets', '2025-11-03', 'Twice daily for 30 days.'),
      [file(12, 'text/plain', 'dose.txt')],
      TODAY,
    ),
  ).toMatchObject({ ok: true });
  w.node.mine();
  const timeline = await readTimeline(w.node, w.asha.me.patientId, w.asha.me.box);
  const { bundle, missing } = await exportFhir(w.node, w.asha.me.patientId, w.asha.me.box, timeline, '2026-01-01T08:00:00Z');
  expect(missing).toBe(0);
  return bundle;
}

/** What a patient's timeline holds, comparable across accounts: category, body and attachment bytes, by title. */
async function contents(ctx: PatientContext) {
  const out = [];
  for (const e of await readTimeline(ctx.node, ctx.me.patientId, ctx.me.box)) {
    const o = await openFull(ctx.node, e, ctx.me.box);
    out.push({ category: e.category, body: o!.body, attachments: o!.attachments.map((a) => toHex(a)), ownRecord: e.hospitalName === null });
  }
  return out.sort((a, b) => (a.body.title < b.body.title ? -1 : 1));
}

const records = (f: ImportFile) => {
  if (!f.ok) throw new Error(`expected a readable file, got ${f.code}`);
  return f.records;
};

describe('FHIR Bundle import', () => {
  it('imports another patient’s export as the importer’s own records: same titles, kinds, dates, bodies and attachments, with progress', async () => {
    const w = await world('round-trip');
    const bundle = await ashaHistory(w);
    const { candidates, unopened } = await previewImport(w.ravi, records(readImportFile(bytesOf(bundle), TODAY)));
    expect(unopened).toBe(0);
    expect(candidates.map((c) => [c.body.title, c.duplicate])).toEqual([
      ['Blood count', false],
      ['Tetanus booster', false],
      ['Iron tablets', false],
    ]);
    const steps: ImportProgress[] = [];
    const outcome = await importRecords(w.ravi, candidates, TODAY, (p) => steps.push(p));
    expect(outcome.failed).toBeNull();
    expect(outcome.imported.map((r) => r.candidate.body.title)).toEqual(['Blood count', 'Tetanus booster', 'Iron tablets']);
    expect(steps.map((s) => s.done)).toEqual([...steps.map((s) => s.done)].sort());
    expect(steps.every((s, i) => s.fraction >= 0 && s.fraction <= 1 && (i === 0 || s.fraction >= steps[i - 1]!.fraction))).toBe(true);
    w.node.mine();
    expect(await contents(w.ravi)).toEqual(await contents(w.asha));
    expect((await contents(w.ravi)).every((r) => r.ownRecord)).toBe(true);
    // Ravi's records are his: sealed to his key, not Asha's.
    expect((await readTimeline(w.node, w.ravi.me.patientId, w.asha.me.box)).map((e) => e.body)).toEqual([null, null, null]);
  });

  it('marks duplicates: one’s own export, the same file while it is still waiting for a block, and repeats within a file', async () => {
    const w = await world('duplicates');
    const bundle = await ashaHistory(w);
    const own = await previewImport(w.asha, records(readImportFile(bytesOf(bundle), TODAY)));
    expect(own.candidates.map((c) => c.duplicate)).toEqual([true, true, true]);

    const first = await previewImport(w.ravi, records(readImportFile(bytesOf(bundle), TODAY)));
    await importRecords(w.ravi, first.candidates.slice(0, 1), TODAY);
    // Not in a block yet: the waiting record counts too.
    const again = await previewImport(w.ravi, records(readImportFile(bytesOf(bundle), TODAY)));
    expect(again.candidates.map((c) => [c.body.title, c.duplicate])).toEqual([
      ['Blood count', true],
      ['Tetanus booster', false],
      ['Iron tablets', false],
    ]);
    w.node.mine();
    expect((await previewImport(w.ravi, records(readImportFile(bytesOf(bundle), TODAY)))).candidates.map((c) => c.duplicate)).toEqual([true, false, false]);

    // The same record twice in one file: the second is marked. A changed text is not a duplicate.
    const entries = (bundle.entry as unknown[]).slice();
    const twice = { ...bundle, entry: [...entries, ...entries] };
    const dup = await previewImport(w.ravi, records(readImportFile(bytesOf(twice), TODAY)));
    expect(dup.candidates.map((c) => c.duplicate)).toEqual([true, false, false, true, true, true]);
    const changed = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          resource: {
            resourceType: 'Immunization',
            vaccineCode: { text: 'Tetanus booster' },
            occurrenceDateTime: '2025-06-15',
            text: { status: 'generated', div: '<div>Left arm.</div>' },
          },
        },
      ],
    };
    expect((await previewImport(w.ravi, records(readImportFile(bytesOf(changed), TODAY)))).candidates.map((c) => c.duplicate)).toEqual([false]);
  });

  it('refuses each kind of bad file with its code and the numbers its sentence names, writing nothing', async () => {
    const w = await world('bad-files');
    const before = w.writes();
    const cases: [string, Uint8Array, string, (number | string)[] | undefined][] = [
      ['empty', new Uint8Array(0), 'EMPTY', undefined],
      ['oversize', new Uint8Array(MAX_IMPORT_BYTES + 1), 'TOO_LARGE', [40, 40]],
      ['binary', Uint8Array.of(0x25, 0x50, 0x44, 0x46, 0xff, 0xfe, 0x00), 'NOT_TEXT', undefined],
      ['bad JSON', new TextEncoder().encode('{"resourceType": "Bundle", "entry": ['), 'NOT_JSON', undefined],
      ['a JSON array', bytesOf([1, 2]), 'NOT_BUNDLE', ['']],
      ['another resource', bytesOf({ resourceType: 'Patient', id: 'x' }), 'NOT_BUNDLE', ['Patient']],
      ['no entries', bytesOf({ resourceType: 'Bundle', type: 'collection' }), 'NO_ENTRIES', undefined],
      [
        'too many entries',
        bytesOf({ resourceType: 'Bundle', entry: Array.from({ length: MAX_IMPORT_ENTRIES + 1 }, () => ({})) }),
        'TOO_MANY_ENTRIES',
        [10_001, MAX_IMPORT_ENTRIES],
      ],
      [
        'unsupported resources only',
        bytesOf({
          resourceType: 'Bundle',
          entry: [{ resource: { resourceType: 'Observation', id: 'o1' } }, { resource: { resourceType: 'Patient', id: 'p' } }],
        }),
        'NOTHING_TO_IMPORT',
        [1],
      ],
      [
        'records that fail the form checks',
        bytesOf({
          resourceType: 'Bundle',
          entry: [{ resource: { resourceType: 'Immunization', vaccineCode: { text: 'Flu' }, occurrenceDateTime: '2099-01-01' } }],
        }),
        'NOTHING_TO_IMPORT',
        [1],
      ],
    ];
    for (const [name, bytes, code, args] of cases) expect(readImportFile(bytes, TODAY), name).toEqual(args ? { ok: false, code, args } : { ok: false, code });
    expect(checkImportSize(MAX_IMPORT_BYTES + 1)).toMatchObject({ ok: false, code: 'TOO_LARGE' });
    expect(checkImportSize(1000)).toBeNull();
    expect(w.writes()).toEqual(before);
  });

  it('refuses an imported attachment whose contents are not the type it claims, with FILE_TYPE naming it and nothing written', async () => {
    const w = await world('file-type');
    const noise = new Prng('import-test/noise').bytes(2048);
    const entry = {
      id: 'fixture-ct',
      category: Category.Imaging,
      body: {
        title: 'CT head',
        date: '2025-09-01',
        authorName: 'Hill Clinic',
        fields: [],
        text: '',
        attachments: [{ name: 'ct.pdf', mime: 'application/pdf', size: noise.length }],
      },
      attachments: [noise],
      source: 'Hill Clinic',
    };
    const { candidates } = await previewImport(w.ravi, records(readImportFile(bytesOf(toFhirBundle('fixture', [entry], '2026-01-01T00:00:00Z')), TODAY)));
    const before = w.writes();
    const outcome = await importRecords(w.ravi, candidates, TODAY);
    expect(outcome).toMatchObject({
      imported: [],
      failed: { failure: { code: 'FILE_TYPE', problems: [{ field: 'attachments.0', code: 'UNRECOGNISED', args: ['ct.pdf', 'application/pdf'] }] } },
    });
    expect(w.writes()).toEqual(before);
  });

  it('imports the good records of a file with some unsupported entries and lists what it skipped', async () => {
    const w = await world('partial');
    const bundle = {
      resourceType: 'Bundle',
      entry: [
        { resource: { resourceType: 'Observation', id: 'o1' } },
        { resource: { resourceType: 'AllergyIntolerance', code: { text: 'Penicillin' }, recordedDate: '2024-02-29' } },
      ],
    };
    const f = readImportFile(bytesOf(bundle), TODAY);
    expect(f).toMatchObject({ ok: true, skipped: [{ code: 'NOT_KEPT', args: [0, 'Observation'] }] });
    const { candidates } = await previewImport(w.ravi, records(f));
    expect(await importRecords(w.ravi, candidates, TODAY)).toMatchObject({ failed: null, notTried: [] });
    w.node.mine();
    expect((await readTimeline(w.node, w.ravi.me.patientId, w.ravi.me.box)).map((e) => [e.category, e.body?.title, e.body?.date])).toEqual([
      [Category.Allergy, 'Penicillin', '2024-02-29'],
    ]);
  });

  it('a failure midway names what was imported and what was not; the failed record leaves no transaction', async () => {
    const w = await world('midway');
    const bundle = await ashaHistory(w);
    const { candidates } = await previewImport(w.ravi, records(readImportFile(bytesOf(bundle), TODAY)));
    // The device's store refuses the second record's key blob, its last (the first record stores body, two attachments and keys; the second body, keys).
    let puts = 0;
    const put = w.node.putBlob.bind(w.node);
    w.node.putBlob = (ref, bytes) => (++puts === 6 ? Promise.resolve({ ok: false as const, reason: 'the disk is full' }) : put(ref, bytes));
    const outcome = await importRecords(w.ravi, candidates, TODAY);
    const titles = (cs: readonly ImportCandidate[]) => cs.map((c) => c.body.title);
    expect(titles(outcome.imported.map((r) => r.candidate))).toEqual(['Blood count']);
    expect(outcome.failed).toMatchObject({ candidate: { body: { title: 'Tetanus booster' } }, failure: { code: 'STORE_FAILED', args: ['the disk is full'] } });
    expect(titles(outcome.notTried)).toEqual(['Iron tablets']);
    const waiting = w.node.state.pending.list().filter((e) => e.tx.kind === TxKind.AddRecord);
    expect(waiting.map((e) => e.key)).toEqual(outcome.imported.map((r) => r.id));
    w.node.mine();
    expect((await readTimeline(w.node, w.ravi.me.patientId, w.ravi.me.box)).map((e) => e.body?.title)).toEqual(['Blood count']);
    // Trying the rest again: what was imported is marked, the others are not.
    w.node.putBlob = put;
    const retry = await previewImport(w.ravi, records(readImportFile(bytesOf(bundle), TODAY)));
    expect(retry.candidates.map((c) => c.duplicate)).toEqual([true, false, false]);
  });
});
