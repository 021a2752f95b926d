/**
 * Patient mode's actions (SPEC §3, §4, §7) against the app's in-memory node
 * twin over a real ChainState with the ledger rules: registration, upload
 * (sealed for exactly the right readers), the timeline, the requests inbox,
 * grant with re-wrap to the hospital, revocation, the access log and the
 * FHIR export. Hospitals read with the clinician actions' own code.
 */
import { describe, expect, it } from 'vitest';
import { x25519 } from '@noble/curves/ed25519.js';
import { Category, Purpose, SCOPE_ALL } from '../../../../src/lib/core/payloads';
import { Prng } from '../../../../src/lib/core/prng';
import { requestAccess } from '../../../../src/lib/app/clinician/patients';
import { addRecord, refer } from '../../../../src/lib/app/clinician/write';
import { accessLog } from '../../../../src/lib/app/patient/access-log';
import { activeGrants, grantConsent, inbox, revokeConsent, shareDueKeys } from '../../../../src/lib/app/patient/consent';
import { exportFhir } from '../../../../src/lib/app/patient/export';
import { webCryptoReader } from '../../../../src/lib/app/patient/keys';
import { filterTimeline, openFull, readTimeline } from '../../../../src/lib/app/patient/timeline';
import { type UploadProgress, uploadRecord } from '../../../../src/lib/app/patient/upload';
import { DAY, TODAY, note, world } from './patient-world';

const PDF_HEADER = new TextEncoder().encode('%PDF-1.4\n');
/** A PDF of `n` bytes: a real header, then arbitrary bytes (only the header is checked). */
const pdf = (n: number) => ({ meta: { name: 'report.pdf', mime: 'application/pdf', size: n }, bytes: new Uint8Array(n).map((_, i) => PDF_HEADER[i] ?? i * 7) });
/** A file described as `name` / `mime` holding `bytes`. */
const described = (name: string, mime: string, bytes: Uint8Array) => ({ meta: { name, mime, size: bytes.length }, bytes });

describe('patient actions over a real chain', () => {
  it('uploads a sealed record with an attachment that only the patient can read, with progress', async () => {
    const w = await world('upload');
    const steps: UploadProgress[] = [];
    const r = await uploadRecord(w.ctx, Category.LabReport, note('Blood count'), [pdf(3000)], TODAY, (p) => steps.push(p));
    expect(r).toMatchObject({ ok: true });
    expect(steps[0]!.stage).toBe('sealing');
    expect(steps.some((s) => s.stage === 'storing')).toBe(true);
    expect(steps.at(-1)).toEqual({ stage: 'sending', fraction: 1 });
    w.node.mine();

    const timeline = await readTimeline(w.node, w.patientId, w.ctx.me.box);
    expect(timeline.map((e) => [e.body?.title, e.hospitalName, e.category])).toEqual([['Blood count', null, Category.LabReport]]);
    const opened = await openFull(w.node, timeline[0]!, w.ctx.me.box);
    expect(opened!.attachments[0]).toEqual(pdf(3000).bytes);
    expect(opened!.body.attachments).toEqual([pdf(3000).meta]);
    // Neither hospital holds a key: no consent was given.
    expect(await w.seenBy(w.aData.secret)).toEqual({ opens: [], closed: 1 });
    expect(await w.seenBy(w.bData.secret)).toEqual({ opens: [], closed: 1 });
  });

  it('refuses a bad form with problems per field and stores nothing', async () => {
    const w = await world('form');
    let stored = 0;
    const put = w.node.putBlob.bind(w.node);
    w.node.putBlob = (ref, bytes) => (stored++, put(ref, bytes));
    const r = await uploadRecord(
      w.ctx,
      Category.Other,
      { ...note(''), date: '2099-01-01' },
      [{ meta: { name: 'x.exe', mime: 'application/x-msdownload', size: 4 }, bytes: new Uint8Array(4) }],
      TODAY,
    );
    expect(r.ok).toBe(false);
    if (r.ok || r.code !== 'FORM') throw new Error('expected a form error');
    expect((r.problems ?? []).map((p) => [p.field, p.code]).sort()).toEqual([
      ['attachments.0', 'ATTACHMENT_TYPE'],
      ['date', 'FUTURE_DATE'],
      ['title', 'TITLE_EMPTY'],
    ]);
    expect(stored).toBe(0);
    const big = await uploadRecord(
      w.ctx,
      Category.Other,
      note('Scan'),
      [{ meta: { name: 'big.pdf', mime: 'application/pdf', size: 10 * 1024 * 1024 + 1 }, bytes: new Uint8Array(10 * 1024 * 1024 + 1) }],
      TODAY,
    );
    expect(big).toMatchObject({ ok: false, code: 'FORM' });
    expect(stored).toBe(0);
  });

  it('refuses a file that is not what it claims with FILE_TYPE, naming it, and writes nothing; a real PDF still uploads', async () => {
    const w = await world('file-type');
    let stored = 0;
    const put = w.node.putBlob.bind(w.node);
    w.node.putBlob = (ref, bytes) => (stored++, put(ref, bytes));
    const pending = () => w.node.state.pending.size;
    const before = pending();
    // 5 MB of random bytes called scan.pdf (issue 13), beside a good PDF: the whole record is refused.
    const noise = described('scan.pdf', 'application/pdf', new Prng('patient-test/noise').bytes(5 * 1024 * 1024));
    const r = await uploadRecord(w.ctx, Category.Imaging, note('Chest scan'), [pdf(100), noise], TODAY);
    expect(r).toEqual({
      ok: false,
      code: 'FILE_TYPE',
      problems: [{ field: 'attachments.1', code: 'UNRECOGNISED', args: ['scan.pdf', 'application/pdf'] }],
    });
    // A PNG renamed .pdf: refused, saying what it is.
    const png = described('photo.pdf', 'application/pdf', Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d));
    expect(await uploadRecord(w.ctx, Category.Imaging, note('Photo'), [png], TODAY)).toMatchObject({
      ok: false,
      code: 'FILE_TYPE',
      problems: [{ field: 'attachments.0', code: 'MISMATCH', args: ['photo.pdf', 'application/pdf', 'image/png', 'png'] }],
    });
    // With a form problem too, both are listed at once, under FORM.
    const both = await uploadRecord(w.ctx, Category.Imaging, note(''), [noise], TODAY);
    if (both.ok || both.code !== 'FORM') throw new Error('expected a form error');
    expect((both.problems ?? []).map((p) => p.field).sort()).toEqual(['attachments.0', 'title']);
    expect(stored).toBe(0);
    expect(pending()).toBe(before);

    // A real small PDF (the browser stories' buffer) goes through, stored under its detected type.
    const story = described(
      'cbc.pdf',
      'application/pdf',
      new TextEncoder().encode('%PDF-1.4\n% medchain story report\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
    );
    expect(await uploadRecord(w.ctx, Category.LabReport, note('Blood count'), [story], TODAY)).toMatchObject({ ok: true });
    expect(stored).toBeGreaterThan(0);
    expect(pending()).toBe(before + 1);
    w.node.mine();
    const [entry] = await readTimeline(w.node, w.patientId, w.ctx.me.box);
    const opened = await openFull(w.node, entry!, w.ctx.me.box);
    expect(opened!.body.attachments).toEqual([story.meta]);
    expect(opened!.attachments).toEqual([story.bytes]);
  });

  it('refuses a clinician’s attachment that is not what it claims, writing nothing', async () => {
    const w = await world('clinician-file-type');
    await grantConsent(w.ctx, { hospital: w.aId, scope: SCOPE_ALL, purpose: Purpose.Treatment, expiry: w.node.now() + DAY * 30 });
    w.node.mine();
    let stored = 0;
    const put = w.node.putBlob.bind(w.node);
    w.node.putBlob = (ref, bytes) => (stored++, put(ref, bytes));
    const before = w.node.state.pending.size;
    const noise = new Prng('patient-test/clinician-noise').bytes(4096);
    const record = (name: string, mime: string, bytes: Uint8Array) => ({
      ...note('Discharge summary'),
      authorName: 'Dr Rao',
      attachments: [{ name, mime, size: bytes.length }],
    });
    const r = await addRecord(w.hctx, w.a, w.aId, w.patientId, Category.DischargeSummary, record('summary.pdf', 'application/pdf', noise), [noise], TODAY);
    expect(r).toEqual({ ok: false, code: 'FILE_TYPE', problems: [{ field: 'attachments.0', code: 'UNRECOGNISED', args: ['summary.pdf', 'application/pdf'] }] });
    // Descriptions and files that do not pair up are refused too.
    expect(await addRecord(w.hctx, w.a, w.aId, w.patientId, Category.DischargeSummary, record('summary.pdf', 'application/pdf', noise), [], TODAY)).toEqual({
      ok: false,
      code: 'FILE_TYPE',
      problems: [{ field: 'attachments', code: 'FILES_CHANGED' }],
    });
    expect(stored).toBe(0);
    expect(w.node.state.pending.size).toBe(before);
    const real = pdf(64).bytes;
    expect(
      await addRecord(w.hctx, w.a, w.aId, w.patientId, Category.DischargeSummary, record('summary.pdf', 'application/pdf', real), [real], TODAY),
    ).toMatchObject({ ok: true });
  });

  it('a grant in answer to a request re-wraps the records in scope to that hospital only; revocation stops new ones', async () => {
    const w = await world('grant');
    await uploadRecord(w.ctx, Category.LabReport, note('Lipids'), [], TODAY);
    await uploadRecord(w.ctx, Category.Prescription, note('Own list of medicines'), [], TODAY);
    w.node.mine();
    expect(await requestAccess(w.hctx, w.a, w.aId, w.patientId, SCOPE_ALL, Purpose.Treatment)).toMatchObject({ ok: true });
    w.node.mine();
    const items = inbox(w.node.ledger()!, w.patientId, w.node.now());
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'request', hospitalName: w.node.ledger()!.hospitals.get(w.aId)!.name });
    const request = items[0]!.kind === 'request' ? items[0]!.request : null;
    const requestId = request!.id;

    expect(await grantConsent(w.ctx, { hospital: w.aId, scope: 1 << Category.LabReport, purpose: Purpose.Treatment, expiry: w.node.now() - 1 })).toMatchObject({
      ok: false,
      code: 'BAD_EXPIRY',
    });
    expect(await grantConsent(w.ctx, { hospital: w.aId, scope: 0, purpose: Purpose.Treatment, expiry: w.node.now() + DAY })).toMatchObject({
      ok: false,
      code: 'BAD_SCOPE',
    });
    const g = await grantConsent(w.ctx, {
      hospital: w.aId,
      scope: 1 << Category.LabReport,
      purpose: Purpose.Treatment,
      expiry: request!.expiry, // what was asked: no later
      regarding: requestId,
    });
    expect(g).toMatchObject({ ok: true });
    expect(await shareDueKeys(w.ctx)).toEqual({ sent: 0, failed: null }); // not in a block yet
    w.node.mine();
    expect(inbox(w.node.ledger()!, w.patientId, w.node.now())).toHaveLength(0);
    expect(activeGrants(w.node.ledger()!, w.patientId, w.node.now()).map((x) => [x.hospital, x.scope])).toEqual([[w.aId, 1 << Category.LabReport]]);

    expect(await shareDueKeys(w.ctx)).toEqual({ sent: 1, failed: null });
    expect(await shareDueKeys(w.ctx)).toEqual({ sent: 0, failed: null }); // already waiting in the pool
    w.node.mine();
    expect(await w.seenBy(w.aData.secret)).toEqual({ opens: ['Lipids'], closed: 1 });
    expect(await w.seenBy(w.bData.secret)).toEqual({ opens: [], closed: 2 });

    // A new lab report is sealed to the consented hospital at once.
    await uploadRecord(w.ctx, Category.LabReport, note('Thyroid'), [], TODAY);
    w.node.mine();
    expect(await w.seenBy(w.aData.secret)).toEqual({ opens: ['Lipids', 'Thyroid'], closed: 1 });

    expect(await revokeConsent(w.ctx, (g as { id: string }).id)).toMatchObject({ ok: true });
    w.node.mine();
    expect(activeGrants(w.node.ledger()!, w.patientId, w.node.now())).toEqual([]);
    await uploadRecord(w.ctx, Category.LabReport, note('After revocation'), [], TODAY);
    w.node.mine();
    // What was read stays read; nothing new reaches the hospital.
    expect(await w.seenBy(w.aData.secret)).toEqual({ opens: ['Lipids', 'Thyroid'], closed: 2 });
    expect(await shareDueKeys(w.ctx)).toEqual({ sent: 0, failed: null });
    const titles = (await readTimeline(w.node, w.patientId, w.ctx.me.box)).map((e) => e.body?.title);
    // Newest first; the first two records were added at the same second (their order is by transaction id).
    expect([...titles.slice(0, 2), ...titles.slice(2).sort()]).toEqual(['After revocation', 'Thyroid', 'Lipids', 'Own list of medicines']);
  });

  it('a record and a consent change never wait in the pool together, so neither is sealed for stale readers', async () => {
    const w = await world('pool');
    expect(await uploadRecord(w.ctx, Category.Allergy, note('Penicillin'), [], TODAY)).toMatchObject({ ok: true });
    const choice = { hospital: w.aId, scope: SCOPE_ALL, purpose: Purpose.Treatment, expiry: w.node.now() + 30 * DAY };
    expect(await grantConsent(w.ctx, choice)).toEqual({ ok: false, code: 'WAIT_FOR_RECORD' });
    w.node.mine();
    const g = await grantConsent(w.ctx, choice);
    expect(g).toMatchObject({ ok: true });
    expect(await uploadRecord(w.ctx, Category.Allergy, note('Latex'), [], TODAY)).toEqual({ ok: false, code: 'WAIT_FOR_CONSENT' });
    w.node.mine();
    expect(await uploadRecord(w.ctx, Category.Allergy, note('Latex'), [], TODAY)).toMatchObject({ ok: true });
    expect(await revokeConsent(w.ctx, (g as { id: string }).id)).toEqual({ ok: false, code: 'WAIT_FOR_RECORD' });
    w.node.mine();
    // Both records are in blocks; the second was sealed to the consented hospital.
    expect((await readTimeline(w.node, w.patientId, w.ctx.me.box)).map((e) => e.body?.title)).toEqual(['Latex', 'Penicillin']);
    expect((await w.seenBy(w.aData.secret)).opens).toEqual(['Latex']);
  });

  it("filters the timeline by category and shows hospital records beside the patient's own", async () => {
    const w = await world('filter');
    await uploadRecord(w.ctx, Category.Allergy, note('Penicillin'), [], TODAY);
    w.node.mine();
    await grantConsent(w.ctx, { hospital: w.aId, scope: SCOPE_ALL, purpose: Purpose.Treatment, expiry: w.node.now() + DAY * 30 });
    w.node.mine();
    expect(
      await addRecord(
        w.hctx,
        w.a,
        w.aId,
        w.patientId,
        Category.Prescription,
        { ...note('Amoxicillin stopped'), authorName: 'Dr Rao', attachments: [] },
        [],
        TODAY,
      ),
    ).toMatchObject({ ok: true });
    w.node.mine();
    const all = await readTimeline(w.node, w.patientId, w.ctx.me.box);
    expect(all.map((e) => [e.body?.title, e.hospitalName])).toEqual([
      ['Amoxicillin stopped', w.node.ledger()!.hospitals.get(w.aId)!.name],
      ['Penicillin', null],
    ]);
    expect(filterTimeline(all, new Set([Category.Allergy])).map((e) => e.body?.title)).toEqual(['Penicillin']);
    expect(filterTimeline(all, new Set())).toHaveLength(2);
  });

  it('the access log lists every grant, revocation, referral, request and record with who and when', async () => {
    const w = await world('log');
    const g = await grantConsent(w.ctx, { hospital: w.aId, scope: SCOPE_ALL, purpose: Purpose.Treatment, expiry: w.node.now() + 30 * DAY });
    w.node.mine();
    expect(
      await addRecord(w.hctx, w.a, w.aId, w.patientId, Category.Consultation, { ...note('Visit'), authorName: 'Dr Rao', attachments: [] }, [], TODAY),
    ).toMatchObject({ ok: true });
    w.node.mine();
    expect(await refer(w.hctx, w.a, w.aId, w.bId, w.patientId, 'Please see for cardiology.')).toMatchObject({ ok: true });
    w.node.mine();
    expect(await requestAccess(w.hctx, w.b, w.bId, w.patientId, SCOPE_ALL, Purpose.Referral)).toMatchObject({ ok: true });
    w.node.mine();
    expect(await revokeConsent(w.ctx, (g as { id: string }).id)).toMatchObject({ ok: true });
    w.node.mine();
    const log = accessLog(w.node.chain(), w.node.ledger()!, w.patientId, w.node.now());
    const aName = w.node.ledger()!.hospitals.get(w.aId)!.name;
    expect(log.map((e) => [e.kind, e.by, e.hospital])).toEqual([
      ['revocation', null, aName],
      ['request', 'Hill Clinic', 'Hill Clinic'],
      ['referral', aName, 'Hill Clinic'],
      ['record', aName, aName],
      ['grant', null, aName],
    ]);
    expect(log.every((e, i) => i === 0 || log[i - 1]!.time >= e.time)).toBe(true);
    // The referral shows in the inbox as a consent to give to the receiving hospital.
    expect(inbox(w.node.ledger()!, w.patientId, w.node.now()).map((i) => i.kind)).toEqual(['request', 'referral']);
  });

  it('exports the timeline as a FHIR Bundle with attachments as Binary resources', async () => {
    const w = await world('fhir');
    await uploadRecord(w.ctx, Category.LabReport, note('Blood count'), [pdf(10)], TODAY);
    await uploadRecord(w.ctx, Category.Immunization, note('Tetanus'), [], TODAY);
    w.node.mine();
    const timeline = await readTimeline(w.node, w.patientId, w.ctx.me.box);
    const { bundle, missing } = await exportFhir(w.node, w.patientId, w.ctx.me.box, timeline, '2026-01-02T00:00:00Z');
    expect(missing).toBe(0);
    const types = (bundle.entry as { resource: { resourceType: string } }[]).map((e) => e.resource.resourceType).sort();
    expect(types).toEqual(['Binary', 'DiagnosticReport', 'Immunization', 'Patient']);
    expect(JSON.stringify(bundle)).toContain('Blood count');
  });

  it('opens records with a non-extractable WebCrypto X25519 key as the browser holds it', async () => {
    const w = await world('webcrypto');
    await uploadRecord(w.ctx, Category.LabReport, note('Blood count'), [], TODAY);
    w.node.mine();
    const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');
    const pub = x25519.getPublicKey(w.boxSecret);
    const key = await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'X25519', d: b64(w.boxSecret), x: b64(pub) }, { name: 'X25519' }, false, [
      'deriveBits',
    ]);
    const reader = webCryptoReader(key, pub);
    expect((await readTimeline(w.node, w.patientId, reader)).map((e) => e.body?.title)).toEqual(['Blood count']);
    const stranger = x25519.utils.randomSecretKey();
    const other = await crypto.subtle
      .importKey('jwk', { kty: 'OKP', crv: 'X25519', d: b64(stranger), x: b64(pub) }, { name: 'X25519' }, false, ['deriveBits'])
      .catch(() => null);
    if (other) expect((await readTimeline(w.node, w.patientId, webCryptoReader(other, pub))).map((e) => e.body)).toEqual([null]);
  });
});
