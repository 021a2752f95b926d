/**
 * Clinician mode's actions (SPEC §2, §4, §7) against a real ChainState with
 * the ledger rules: joining by majority approval, staff certification and
 * removal with data-key rotation, finding a patient by short id, access
 * request → grant → readable history, adding a record, referral, and the
 * list of patients in care with consent status and expiry.
 */
import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import { x25519 } from '@noble/curves/ed25519.js';
import { hexToBytes, toHex } from '../../../../src/lib/core/bytes';
import { patientIdOf, patientQrPayload, shortId } from '../../../../src/lib/core/ids';
import { AccessMode, Category, OPEN_END, Purpose, StaffRole, type Payload } from '../../../../src/lib/core/payloads';
import { type RecordBody, recordDay } from '../../../../src/lib/core/record';
import { openRecordAs, sealNewRecord, secretReader, shareRecordKeys } from '../../../../src/lib/core/record-crypto';
import { TxKind } from '../../../../src/lib/core/tx';
import { hospitalDataKey } from '../../../../src/lib/app/clinician/data-key';
import { applyToJoin, approveApplication, membershipOf, openApplications } from '../../../../src/lib/app/clinician/hospital';
import { findPatient, patientsInCare, requestAccess } from '../../../../src/lib/app/clinician/patients';
import { hospitalAsks, narrowing } from '../../../../src/lib/app/clinician/asks';
import { screensReady, setLang } from '../../../../src/lib/app/i18n/locale.svelte';
import AskList from '../../../../src/routes/clinician/AskList.svelte';
import { activeTxs } from '../../../../src/lib/app/clinician/chain-scan';
import { referralsFor } from '../../../../src/lib/app/clinician/referrals';
import { en } from '../../../../src/lib/i18n/en';
import { readHistory, recordsOnChain } from '../../../../src/lib/app/clinician/history';
import { type ClinicianContext, type Signer, signDraft, submitPayload } from '../../../../src/lib/app/clinician/sign';
import {
  authorityDataSecrets,
  certifyStaff,
  enrolmentCode,
  parseEnrolment,
  removeStaff,
  staffDataSecrets,
  staffOf,
} from '../../../../src/lib/app/clinician/staff';
import { addRecord, openNote, refer, writableCategories } from '../../../../src/lib/app/clinician/write';
import { describeFailed } from '../../../../src/lib/app/status/status';
import { blockTemplate, mineBlock } from '../../../../src/lib/core/template';
import { DAY, foundedNode, keyMaker, mineOrThrow, seededRandom } from './chain-node';

const random = seededRandom('clinician-test');
const { person, boxPair } = keyMaker(random);
const body = (title: string): RecordBody => ({
  title,
  date: '2026-01-01',
  authorName: 'Dr Rao',
  fields: [{ name: 'Hb', value: '13.1' }],
  text: 'Within range.',
  attachments: [],
});
const id = (s: Signer) => toHex(s.publicKey);

async function world() {
  const a = person();
  const node = foundedNode({ secret: a.secret, pub: a.publicKey }, (await hospitalDataKey(a, 0)).publicKey);
  const ctx: ClinicianContext = { node, random };
  const mine = () => mineOrThrow(node);
  const ok = async (p: Promise<{ ok: boolean }>) => expect(await p).toMatchObject({ ok: true });
  return { a, node, ctx, mine, ok };
}

/** A second hospital admitted by the founder's approval. */
async function joined(w: Awaited<ReturnType<typeof world>>, name: string): Promise<Signer> {
  const h = person();
  await w.ok(applyToJoin(w.ctx, h, name));
  w.mine();
  await w.ok(approveApplication(w.ctx, w.a, id(h)));
  w.mine();
  expect(membershipOf(w.node.ledger()!, id(h)).state).toBe('member');
  return h;
}

describe('clinician actions over a real chain', () => {
  it('a hospital applies, stays pending until more than half of the members approve, then is a member', async () => {
    const w = await world();
    const b = person();
    await w.ok(applyToJoin(w.ctx, b, 'Second Hospital'));
    w.mine();
    expect(membershipOf(w.node.ledger()!, id(b))).toMatchObject({ state: 'pending', approvals: 0, needed: 1 });
    expect(openApplications(w.node.ledger()!, id(w.a)).map((x) => x.hospital.name)).toEqual(['Second Hospital']);
    await w.ok(approveApplication(w.ctx, w.a, id(b)));
    w.mine();
    expect(membershipOf(w.node.ledger()!, id(b)).state).toBe('member');

    const c = person();
    await w.ok(applyToJoin(w.ctx, c, 'Third Hospital'));
    w.mine();
    await w.ok(approveApplication(w.ctx, w.a, id(c)));
    w.mine();
    expect(membershipOf(w.node.ledger()!, id(c))).toMatchObject({ state: 'pending', approvals: 1, needed: 2 });
    expect(openApplications(w.node.ledger()!, id(w.a))[0]!.approvedByMe).toBe(true);
    const again = await approveApplication(w.ctx, w.a, id(c));
    expect(again).toMatchObject({ ok: false, code: 'ALREADY_DONE' });
    await w.ok(approveApplication(w.ctx, b, id(c)));
    w.mine();
    expect(membershipOf(w.node.ledger()!, id(c)).state).toBe('member');
    // The data key on the ledger is the one the authority derives again for epoch 0.
    expect(w.node.ledger()!.hospitals.get(id(c))!.dataKey).toBe(toHex((await hospitalDataKey(c, 0)).publicKey));
  });

  it('certifies staff, and removal rotates the data key so the removed member cannot read what follows', async () => {
    const w = await world();
    const s1 = person();
    const s2 = person();
    const box1 = boxPair();
    const box2 = boxPair();
    expect(parseEnrolment('not a code').ok).toBe(false);
    for (const [s, box, name] of [
      [s1, box1, 'Nurse One'],
      [s2, box2, 'Dr Two'],
    ] as const) {
      const parsed = parseEnrolment(await enrolmentCode(w.node.state.genesis.hash, s, box.pub, w.a.publicKey));
      if (!parsed.ok) throw new Error(parsed.code);
      await w.ok(certifyStaff(w.ctx, w.a, parsed.enrolment, name, StaffRole.Nurse));
    }
    // An enrolment signed for another hospital is refused by the rules.
    const s3 = person();
    const wrong = parseEnrolment(await enrolmentCode(w.node.state.genesis.hash, s3, boxPair().pub, random(32)));
    if (!wrong.ok) throw new Error(wrong.code);
    expect(await certifyStaff(w.ctx, w.a, wrong.enrolment, 'Mallory', StaffRole.Clerk)).toMatchObject({ ok: false, code: 'BAD_PROOF' });
    // So is one signed for this hospital on another network (another genesis): the agreement does not travel.
    const elsewhere = parseEnrolment(await enrolmentCode(random(32), person(), boxPair().pub, w.a.publicKey));
    if (!elsewhere.ok) throw new Error(elsewhere.code);
    expect(await certifyStaff(w.ctx, w.a, elsewhere.enrolment, 'Elsewhere', StaffRole.Clerk)).toMatchObject({ ok: false, code: 'BAD_PROOF' });
    w.mine();
    expect(staffOf(w.node.ledger()!, id(w.a)).map((s) => s.name)).toEqual(['Dr Two', 'Nurse One']);
    const epoch0 = w.node.ledger()!.hospitals.get(id(w.a))!.dataKey;
    const s1Keys = await staffDataSecrets(w.node.chain(), id(w.a), s1.publicKey, secretReader(box1.secret));
    expect(s1Keys.map((k) => toHex(x25519.getPublicKey(k)))).toEqual([epoch0]);

    await w.ok(removeStaff(w.ctx, w.a, id(s1)));
    w.mine();
    const h = w.node.ledger()!.hospitals.get(id(w.a))!;
    expect(h.dataEpoch).toBe(1);
    expect(h.dataKey).not.toBe(epoch0);
    expect(h.staff).toEqual([id(s2)]);
    expect((await staffDataSecrets(w.node.chain(), id(w.a), s2.publicKey, secretReader(box2.secret))).map((k) => toHex(x25519.getPublicKey(k)))).toEqual([
      epoch0,
      h.dataKey,
    ]);
    expect((await staffDataSecrets(w.node.chain(), id(w.a), s1.publicKey, secretReader(box1.secret))).map((k) => toHex(x25519.getPublicKey(k)))).toEqual([
      epoch0,
    ]);
    expect((await authorityDataSecrets(w.a, 1)).map((k) => toHex(x25519.getPublicKey(k)))).toEqual([epoch0, h.dataKey]);
    expect(await removeStaff(w.ctx, w.a, id(s1))).toMatchObject({ ok: false, code: 'UNKNOWN_STAFF' });
  });

  it('finds a patient, requests access, reads the history once granted, adds a record, refers, and lists patients in care', async () => {
    const w = await world();
    const c = await joined(w, 'City Hospital');
    const staff = person();
    const staffBox = boxPair();
    const parsed = parseEnrolment(await enrolmentCode(w.node.state.genesis.hash, staff, staffBox.pub, w.a.publicKey));
    if (!parsed.ok) throw new Error(parsed.code);
    await w.ok(certifyStaff(w.ctx, w.a, parsed.enrolment, 'Dr Rao', StaffRole.Clinician));

    // The patient registers and uploads a lab report of their own.
    const patient = person();
    const patientBox = boxPair();
    const pid = toHex(patientIdOf(patient.publicKey));
    await w.ok(submitPayload(w.ctx, patient, { kind: TxKind.RegisterPatient, boxKey: patientBox.pub }));
    w.mine();
    const lab = sealNewRecord(
      {
        patientId: patientIdOf(patient.publicKey),
        hospital: new Uint8Array(32),
        author: patient.publicKey,
        category: Category.LabReport,
        body: body('Blood count'),
        attachments: [],
        readers: [patientBox.pub],
        time: w.node.now(),
      },
      random,
    );
    for (const b of lab.blobs) await w.node.putBlob(b.ref, b.bytes);
    await w.ok(w.node.submit(await signDraft(w.node.state.genesis.hash, patient, lab.draft)).then((r) => ({ ok: r.status === 'added' })));
    w.mine();

    // Find by short id; a typo is caught by the check symbol.
    const short = shortId(patientIdOf(patient.publicKey));
    expect(findPatient(w.node.ledger()!, short.toLowerCase())).toMatchObject({ ok: true, shortId: short });
    const typo = short.slice(0, 2) + (short[2] === 'A' ? 'B' : 'A') + short.slice(3);
    expect(findPatient(w.node.ledger()!, typo).ok).toBe(false);
    const qr = patientQrPayload('net-1', patientIdOf(patient.publicKey));
    expect(findPatient(w.node.ledger()!, qr, 'net-1')).toMatchObject({ ok: true, shortId: short });
    expect(findPatient(w.node.ledger()!, qr, 'net-2').ok).toBe(false);
    expect(findPatient(w.node.ledger()!, patientQrPayload('net-1', random(32)), 'net-1').ok).toBe(false);

    // Request; history not readable yet.
    const scope = (1 << Category.LabReport) | (1 << Category.Prescription);
    expect(await requestAccess(w.ctx, staff, id(w.a), pid, 0, Purpose.Treatment)).toMatchObject({ ok: false, code: 'BAD_SCOPE' });
    const req = await requestAccess(w.ctx, staff, id(w.a), pid, scope, Purpose.Treatment);
    if (!req.ok) throw new Error(req.code);
    w.mine();
    expect(patientsInCare(w.node.ledger()!, id(w.a), w.node.now())).toMatchObject([{ patient: pid, status: 'requested', expiry: null }]);
    const secrets = () => staffDataSecrets(w.node.chain(), id(w.a), staff.publicKey, secretReader(staffBox.secret));
    const get = (r: Parameters<typeof w.node.getBlob>[0]) => w.node.getBlob(r);
    expect((await readHistory(w.node.chain(), w.node.ledger()!, pid, await secrets(), get)).map((e) => [e.body, e.unreachable])).toEqual([[null, false]]);
    expect(await addRecord(w.ctx, staff, id(w.a), pid, Category.Prescription, body('Iron'), [], '2026-01-02')).toMatchObject({ ok: false, code: 'NO_CONSENT' });

    // The patient grants (answering the request) and shares the lab report's key.
    // The grant gives what was asked, no more (BEYOND_REQUEST): the expiry asked, 30 days from the request.
    const expiry = w.node.ledger()!.requests.get(req.id)!.expiry;
    const grant: Payload = {
      kind: TxKind.GrantConsent,
      grantee: w.a.publicKey,
      scope,
      purpose: Purpose.Treatment,
      from: 0,
      to: OPEN_END,
      expiry,
      eraseBy: expiry,
      mode: AccessMode.Download,
      regarding: hexToBytes(req.id),
    };
    await w.ok(submitPayload(w.ctx, patient, grant));
    w.mine();
    const [labOnChain] = recordsOnChain(w.node.chain(), pid);
    const dataKey = hexToBytes(w.node.ledger()!.hospitals.get(id(w.a))!.dataKey);
    const share = await shareRecordKeys(labOnChain!.onChain, hexToBytes(labOnChain!.id), patientBox.secret, [dataKey], get, random);
    await w.node.putBlob(share!.blob.ref, share!.blob.bytes);
    await w.ok(submitPayload(w.ctx, patient, share!.payload));
    w.mine();
    const history = await readHistory(w.node.chain(), w.node.ledger()!, pid, await secrets(), get);
    expect(history.map((e) => e.body?.title)).toEqual(['Blood count']);
    expect(history[0]!.hospitalName).toBeNull();
    // A blob that cannot be had now (on a device not connected) is said as such, never as "not shared".
    const offline = await readHistory(w.node.chain(), w.node.ledger()!, pid, await secrets(), async () => null);
    expect(offline.map((e) => [e.body, e.unreachable])).toEqual([[null, true]]);

    // Only the kinds the consent covers are offered; another kind is refused before anything is sealed or stored (issue 13 #8).
    expect(writableCategories(w.node.ledger()!, pid, id(w.a), w.node.now())).toEqual([Category.Prescription, Category.LabReport]);
    const outside = await addRecord(w.ctx, staff, id(w.a), pid, Category.Consultation, body('Outside'), [], '2026-01-02');
    expect(outside).toEqual({ ok: false, code: 'OUT_OF_SCOPE' });
    expect(w.node.state.pending.size).toBe(0);

    // The clinician adds a prescription; the patient and the hospital read it.
    const dose = new TextEncoder().encode('1 tablet twice daily\n');
    await w.ok(
      addRecord(
        w.ctx,
        staff,
        id(w.a),
        pid,
        Category.Prescription,
        { ...body('Iron tablets'), attachments: [{ name: 'dose.txt', mime: 'text/plain', size: dose.length }] },
        [dose],
        '2026-01-02',
      ),
    );
    w.mine();
    const after = await readHistory(w.node.chain(), w.node.ledger()!, pid, await secrets(), get);
    expect(after.map((e) => [e.body?.title, e.hospitalName])).toEqual([
      ['Blood count', null],
      ['Iron tablets', 'Founders Hospital'],
    ]);
    expect(after[1]!.attachments).toEqual([dose]);
    const mine = recordsOnChain(w.node.chain(), pid)[1]!.onChain;
    expect((await openRecordAs(mine, patientBox.secret, get))?.body.title).toBe('Iron tablets');
    // City Hospital has no consent: it reads nothing.
    expect((await readHistory(w.node.chain(), w.node.ledger()!, pid, await authorityDataSecrets(c, 0), get)).map((e) => e.body)).toEqual([null, null]);

    // Referral to City Hospital with a note only City can open.
    expect(await refer(w.ctx, staff, id(w.a), id(w.a), pid, 'x')).toEqual({ ok: false, code: 'OTHER_HOSPITAL' });
    const ref = await refer(w.ctx, staff, id(w.a), id(c), pid, 'Please review anaemia.');
    if (!ref.ok) throw new Error(ref.code);
    w.mine();
    const referrals = [...activeTxs(w.node.chain(), TxKind.Referral)];
    expect(referrals).toHaveLength(1);
    const sealed = referrals[0]!.payload.sealedNote;
    expect(openNote(sealed, pid, await authorityDataSecrets(c, 0))).toBe('Please review anaemia.');
    expect(openNote(sealed, pid, await secrets())).toBeNull();
    const cSecrets = await authorityDataSecrets(c, 0);
    expect(referralsFor(w.node.chain(), w.node.ledger()!, id(c), pid, cSecrets)).toMatchObject([
      { direction: 'received', other: 'Founders Hospital', note: 'Please review anaemia.' },
    ]);
    expect(referralsFor(w.node.chain(), w.node.ledger()!, id(w.a), pid, await secrets())).toMatchObject([
      { direction: 'sent', other: 'City Hospital', note: null },
    ]);
    expect(patientsInCare(w.node.ledger()!, id(c), w.node.now())).toMatchObject([{ patient: pid, status: 'referred' }]);

    // Patients in care: granted with its expiry, then expired.
    expect(patientsInCare(w.node.ledger()!, id(w.a), w.node.now())).toMatchObject([{ patient: pid, status: 'granted', expiry }]);
    expect(patientsInCare(w.node.ledger()!, id(w.a), expiry + 1)).toMatchObject([{ patient: pid, status: 'expired', expiry, grant: null }]);

    // Removing the staff member rotates the data key: a record written afterwards opens for the authority only.
    await w.ok(removeStaff(w.ctx, w.a, id(staff)));
    w.mine();
    await w.ok(addRecord(w.ctx, w.a, id(w.a), pid, Category.Prescription, body('Folic acid'), [], '2026-01-02'));
    w.mine();
    const byStaff = await readHistory(w.node.chain(), w.node.ledger()!, pid, await secrets(), get);
    expect(byStaff.map((e) => e.body?.title ?? null)).toEqual(['Blood count', 'Iron tablets', null]);
    const byAuthority = await readHistory(w.node.chain(), w.node.ledger()!, pid, await authorityDataSecrets(w.a, 1), get);
    expect(byAuthority.map((e) => e.body?.title ?? null)).toEqual(['Blood count', 'Iron tablets', 'Folic acid']);
    expect(await requestAccess(w.ctx, staff, id(w.a), pid, scope, Purpose.Treatment)).toMatchObject({ ok: false, code: 'NOT_AUTHORISED' });

    // The patient revokes while a record of the hospital waits in the pool; a block holding only the revocation
    // arrives: the record can never apply, leaves the pool and is remembered as failed with its reason (issue 13 #8).
    const waiting = await addRecord(w.ctx, w.a, id(w.a), pid, Category.Prescription, body('Waiting'), [], '2026-01-02');
    if (!waiting.ok) throw new Error(waiting.code);
    const live = w.node.ledger()!.liveGrants(pid, w.node.now(), id(w.a));
    await w.ok(submitPayload(w.ctx, patient, { kind: TxKind.RevokeConsent, grant: hexToBytes(live[0]!.id) }));
    const revocation = w.node.state.pending.list().find((e) => e.tx.kind === TxKind.RevokeConsent)!.tx;
    w.node.clock += 60;
    const r = w.node.state.addBlock(mineBlock(blockTemplate(w.node.state, w.node.state.tip, [revocation], w.node.clock, w.a.publicKey)), w.node.clock);
    expect(r.status === 'accepted' && r.reorg?.failedTxs).toEqual([{ key: waiting.id, code: 'NO_CONSENT' }]);
    expect(w.node.state.pending.has(waiting.id)).toBe(false);
    expect(w.node.state.failedTx(waiting.id)).toBe('NO_CONSENT');
    expect(describeFailed([w.node.state.failedTx(waiting.id)!], en.rules)).toBe(
      '1 write failed and will not sync: the patient’s consent was revoked or expired before it reached a block.',
    );
    expect(writableCategories(w.node.ledger()!, pid, id(w.a), w.node.now())).toEqual([]);
    expect(patientsInCare(w.node.ledger()!, id(w.a), w.node.now())).toMatchObject([{ patient: pid, status: 'revoked', grant: null }]);
    expect(await addRecord(w.ctx, w.a, id(w.a), pid, Category.Prescription, body('More'), [], '2026-01-02')).toMatchObject({ ok: false, code: 'NO_CONSENT' });
  });
});

/** A registered patient of the world: their signer and id. */
async function registered(w: Awaited<ReturnType<typeof world>>) {
  const patient = person();
  await w.ok(submitPayload(w.ctx, patient, { kind: TxKind.RegisterPatient, boxKey: boxPair().pub }));
  w.mine();
  return { patient, pid: toHex(patientIdOf(patient.publicKey)) };
}

describe('consent requests as the hospital sees them (issue 15)', () => {
  it('a refusal shows as refused, in the request list and among patients in care; a newer request is open again', async () => {
    const w = await world();
    const { patient, pid } = await registered(w);
    const req = await requestAccess(w.ctx, w.a, id(w.a), pid, 1 << Category.LabReport, Purpose.SecondOpinion);
    if (!req.ok) throw new Error(req.code);
    w.mine();
    expect(hospitalAsks(w.node.ledger()!, id(w.a), pid, w.node.now())).toMatchObject([{ id: req.id, status: 'requested', grant: null }]);
    const refusal = await submitPayload(w.ctx, patient, { kind: TxKind.RefuseRequest, regarding: hexToBytes(req.id) });
    if (!refusal.ok) throw new Error(refusal.code);
    const refusedAt = w.node.now();
    w.mine();
    expect(hospitalAsks(w.node.ledger()!, id(w.a), pid, w.node.now())).toMatchObject([
      { id: req.id, status: 'refused', since: refusedAt, grant: null, narrowed: null },
    ]);
    expect(patientsInCare(w.node.ledger()!, id(w.a), w.node.now())).toMatchObject([{ patient: pid, status: 'refused', grant: null, expiry: null }]);
    expect(en.labels.consent.refused).toBe('Request refused by the patient');

    const again = await requestAccess(w.ctx, w.a, id(w.a), pid, 1 << Category.LabReport, Purpose.SecondOpinion);
    if (!again.ok) throw new Error(again.code);
    w.mine();
    expect(hospitalAsks(w.node.ledger()!, id(w.a), pid, w.node.now()).map((a) => [a.id, a.status])).toEqual([
      [again.id, 'requested'],
      [req.id, 'refused'],
    ]);
    expect(patientsInCare(w.node.ledger()!, id(w.a), w.node.now())).toMatchObject([{ status: 'requested' }]);
  });

  it('a narrowed grant shows the terms granted beside the terms asked, each narrowing marked; an exact one marks none', async () => {
    const w = await world();
    const { patient, pid } = await registered(w);
    const scope = (1 << Category.LabReport) | (1 << Category.Prescription);
    const asked = { from: recordDay('2025-01-01'), to: OPEN_END, expiry: w.node.now() + 30 * DAY, mode: AccessMode.Download };
    const req = await requestAccess(w.ctx, w.a, id(w.a), pid, scope, Purpose.Treatment, asked);
    if (!req.ok) throw new Error(req.code);
    const exact = await requestAccess(w.ctx, w.a, id(w.a), pid, 1 << Category.Imaging, Purpose.Referral);
    if (!exact.ok) throw new Error(exact.code);
    w.mine();
    const given = {
      kind: TxKind.GrantConsent,
      grantee: w.a.publicKey,
      scope: 1 << Category.LabReport,
      purpose: Purpose.Treatment,
      from: recordDay('2025-06-01'),
      to: recordDay('2025-12-31'),
      expiry: w.node.now() + 10 * DAY,
      eraseBy: w.node.now() + 40 * DAY,
      mode: AccessMode.View,
      regarding: hexToBytes(req.id),
    } as const;
    await w.ok(submitPayload(w.ctx, patient, given));
    const e = w.node.ledger()!.requests.get(exact.id)!;
    const same = { ...given, scope: e.scope, purpose: e.purpose, from: e.from, to: e.to, expiry: e.expiry, eraseBy: e.expiry, mode: e.mode };
    await w.ok(submitPayload(w.ctx, patient, { ...same, regarding: hexToBytes(exact.id) }));
    w.mine();
    const asks = hospitalAsks(w.node.ledger()!, id(w.a), pid, w.node.now());
    const narrowed = asks.find((a) => a.id === req.id)!;
    expect(narrowed).toMatchObject({
      status: 'granted',
      request: { scope, from: asked.from, to: OPEN_END, expiry: asked.expiry, mode: AccessMode.Download },
      grant: { scope: given.scope, from: given.from, to: given.to, expiry: given.expiry, eraseBy: given.eraseBy, mode: AccessMode.View },
      narrowed: { kinds: true, dates: true, expiry: true, mode: true },
    });
    expect(asks.find((a) => a.id === exact.id)).toMatchObject({ status: 'granted', narrowed: { kinds: false, dates: false, expiry: false, mode: false } });
    // Each term on its own: only the term that changed is marked.
    const r = narrowed.request!;
    const g = { ...narrowed.grant!, scope: r.scope, from: r.from, to: r.to, expiry: r.expiry, mode: r.mode };
    expect(narrowing(r, { ...g, to: recordDay('2030-01-01') })).toEqual({ kinds: false, dates: true, expiry: false, mode: false });
    expect(narrowing(r, { ...g, expiry: r.expiry - 60 })).toEqual({ kinds: false, dates: false, expiry: true, mode: false });
    expect(narrowing(r, { ...g, scope: r.scope & (1 << Category.LabReport) })).toEqual({ kinds: true, dates: false, expiry: false, mode: false });
    expect(patientsInCare(w.node.ledger()!, id(w.a), w.node.now())).toMatchObject([{ status: 'granted', expiry: e.expiry }]);
  });

  it('a request left unanswered past its answer-by time shows expired, and a late answer is refused', async () => {
    const w = await world();
    const { patient, pid } = await registered(w);
    const req = await requestAccess(w.ctx, w.a, id(w.a), pid, 1 << Category.Allergy, Purpose.Emergency, { answerBy: w.node.now() + 2 * DAY });
    if (!req.ok) throw new Error(req.code);
    w.mine();
    const answerBy = w.node.ledger()!.requests.get(req.id)!.answerBy;
    expect(hospitalAsks(w.node.ledger()!, id(w.a), pid, answerBy - 1)).toMatchObject([{ status: 'requested' }]);
    expect(patientsInCare(w.node.ledger()!, id(w.a), answerBy - 1)).toMatchObject([{ status: 'requested' }]);
    w.node.clock = answerBy + DAY;
    expect(hospitalAsks(w.node.ledger()!, id(w.a), pid, w.node.now())).toMatchObject([{ id: req.id, status: 'expired', since: answerBy, grant: null }]);
    expect(patientsInCare(w.node.ledger()!, id(w.a), w.node.now())).toMatchObject([{ patient: pid, status: 'unanswered', expiry: null }]);
    expect(await submitPayload(w.ctx, patient, { kind: TxKind.RefuseRequest, regarding: hexToBytes(req.id) })).toMatchObject({
      ok: false,
      code: 'REQUEST_EXPIRED',
    });
  });
});

describe('the hospital’s request list (AskList.svelte, issue 15)', () => {
  it('shows each state with its date, and the terms granted beside those asked with each narrowing marked, in English and Hindi', async () => {
    await screensReady();
    const w = await world();
    const { patient, pid } = await registered(w);
    const ask = async (kind: Category, terms = {}) => {
      const r = await requestAccess(w.ctx, w.a, id(w.a), pid, 1 << kind, Purpose.Treatment, terms);
      if (!r.ok) throw new Error(r.code);
      return r.id;
    };
    const narrowed = await ask(Category.LabReport, { from: recordDay('2025-01-01') });
    const refused = await ask(Category.Allergy);
    const unanswered = await ask(Category.Imaging, { answerBy: w.node.now() + DAY });
    w.mine();
    const r = w.node.ledger()!.requests.get(narrowed)!;
    const grant = { kind: TxKind.GrantConsent, grantee: w.a.publicKey, scope: r.scope, purpose: r.purpose, from: recordDay('2025-06-01'), to: r.to } as const;
    await w.ok(submitPayload(w.ctx, patient, { ...grant, expiry: r.expiry, eraseBy: r.expiry, mode: AccessMode.View, regarding: hexToBytes(narrowed) }));
    await w.ok(submitPayload(w.ctx, patient, { kind: TxKind.RefuseRequest, regarding: hexToBytes(refused) }));
    w.mine();
    w.node.clock = w.node.ledger()!.requests.get(unanswered)!.answerBy + 1;
    const html = () => render(AskList, { props: { node: w.node, hospital: id(w.a), patient: pid, version: 0 } }).body.replace(/<!--[^>]*-->/g, '');
    const en = html();
    // Asked in the same second: the order among them is the ids'.
    expect([...en.matchAll(/data-status="(\w+)"/g)].map((m) => m[1]).sort()).toEqual(['expired', 'granted', 'refused']);
    expect(en).toContain('Expired unanswered on');
    expect(en).toContain('Refused by the patient on');
    expect(en).toContain('Granted on');
    // Asked and granted side by side; the dates and the access were narrowed, the kinds and the expiry were not.
    expect(en).toMatch(/<th scope="col"[^>]*>Asked<\/th><th scope="col"[^>]*>Granted<\/th>/);
    expect([...en.matchAll(/class="[^"]*narrowed[^"]*">([^<]*)/g)].map((m) => m[1]!.trim())).toEqual(['records from 1 Jun 2025 and later', 'View only']);
    expect(en).toContain('The patient narrowed this request');
    await setLang('hi');
    try {
      const hi = html();
      expect(hi).toContain('अनुरोध और उनके जवाब');
      expect(hi).toContain('मरीज़ ने यह अनुरोध सीमित किया');
      expect(hi).toContain('केवल देखना');
    } finally {
      await setLang('en');
    }
  });
});
