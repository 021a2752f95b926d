/**
 * Emergency access end to end in the hospital's app (issue 15) over a real
 * ChainState with the ledger rules and real keys: the patient turns it on,
 * a clinician breaks the glass, each holder's authority releases its share
 * only once the access is final, and the clinician opens the patient's
 * allergy record only with a quorum of releases; the authority reviews it.
 */
import { describe, expect, it, vi } from 'vitest';
import { render } from 'svelte/server';
import { hexToBytes, toHex } from '../../../../src/lib/core/bytes';
import { patientIdOf } from '../../../../src/lib/core/ids';
import { Category, EMERGENCY_SCOPE, EmergencyReason, ReviewOutcome, StaffRole, decodePayload } from '../../../../src/lib/core/payloads';
import { TxKind } from '../../../../src/lib/core/tx';
import { recordDay, type RecordBody } from '../../../../src/lib/core/record';
import { sealNewRecord, secretReader } from '../../../../src/lib/core/record-crypto';
import { hospitalDataKey } from '../../../../src/lib/app/clinician/data-key';
import { applyToJoin, approveApplication } from '../../../../src/lib/app/clinician/hospital';
import { type ClinicianContext, type Signer, signDraft, submitPayload } from '../../../../src/lib/app/clinician/sign';
import { authorityDataSecrets, certifyStaff, enrolmentCode, parseEnrolment } from '../../../../src/lib/app/clinician/staff';
import { emergencyOn } from '../../../../src/lib/app/emergency/key-shares';
import { accessProgress, breakGlass, latestAccess, mayBreakGlass, openEmergencyRecords } from '../../../../src/lib/app/emergency/break-glass';
import { releasesDue } from '../../../../src/lib/app/emergency/release-plan';
import { releaseDueShares, releaseWhileSignedIn } from '../../../../src/lib/app/emergency/release-service';
import type { ClinicianSession } from '../../../../src/lib/app/clinician/session.svelte';
import { screensReady, setLang } from '../../../../src/lib/app/i18n/locale.svelte';
import EmergencyPanel from '../../../../src/routes/clinician/EmergencyPanel.svelte';
import { hospitalAccesses, reviewAccess } from '../../../../src/lib/app/emergency/reviews';
import { openWords } from '../../../../src/lib/app/emergency/notes';
import { DAY, foundedNode, keyMaker, mineOrThrow, seededRandom } from '../clinician/chain-node';

const random = seededRandom('break-glass-test');
const { person, boxPair } = keyMaker(random);
const id = (s: Signer) => toHex(s.publicKey);
const allergyBody: RecordBody = {
  title: 'Penicillin allergy',
  date: '2026-01-01',
  authorName: 'Self',
  fields: [],
  text: 'Rash and swelling.',
  attachments: [],
};

/** Three admitted hospitals (a quorum of three under two thirds), a clinician and a nurse of the first, and a registered patient with an allergy record. */
async function scene() {
  const a = person();
  const node = foundedNode({ secret: a.secret, pub: a.publicKey }, (await hospitalDataKey(a, 0)).publicKey);
  const ctx: ClinicianContext = { node, random };
  const mine = () => mineOrThrow(node);
  const ok = async (p: Promise<{ ok: boolean }>) => expect(await p).toMatchObject({ ok: true });
  const b = person();
  const c = person();
  await ok(applyToJoin(ctx, b, 'City Hospital'));
  mine();
  await ok(approveApplication(ctx, a, id(b)));
  mine();
  await ok(applyToJoin(ctx, c, 'Town Hospital'));
  mine();
  await ok(approveApplication(ctx, a, id(c)));
  await ok(approveApplication(ctx, b, id(c)));
  mine();
  const staff = async (name: string, role: StaffRole) => {
    const s = person();
    const box = boxPair();
    const parsed = parseEnrolment(await enrolmentCode(node.state.genesis.hash, s, box.pub, a.publicKey));
    if (!parsed.ok) throw new Error(parsed.code);
    await ok(certifyStaff(ctx, a, parsed.enrolment, name, role));
    return { signer: s, box };
  };
  const doctor = await staff('Dr Rao', StaffRole.Clinician);
  const nurse = await staff('Nurse Iyer', StaffRole.Nurse);
  const patient = person();
  const patientBox = boxPair();
  const pidBytes = patientIdOf(patient.publicKey);
  const pid = toHex(pidBytes);
  await ok(submitPayload(ctx, patient, { kind: TxKind.RegisterPatient, boxKey: patientBox.pub }));
  mine();
  // The patient turns emergency access on (their app splits the key among the three hospitals).
  const on = await emergencyOn(node.ledger()!, pidBytes, EMERGENCY_SCOPE, null, random);
  if (typeof on === 'string') throw new Error(on);
  await ok(submitPayload(ctx, patient, on));
  mine();
  // Then records an allergy: the ledger requires it wrapped to the emergency key too.
  const readers = node.ledger()!.requiredReaders(pid, null, Category.Allergy, recordDay(allergyBody.date), node.now());
  expect(readers).toContain(toHex(on.key));
  const sealed = sealNewRecord(
    {
      patientId: pidBytes,
      hospital: new Uint8Array(32),
      author: patient.publicKey,
      category: Category.Allergy,
      body: allergyBody,
      attachments: [],
      readers: readers.map(hexToBytes),
      time: node.now(),
    },
    random,
  );
  for (const blob of sealed.blobs) await node.putBlob(blob.ref, blob.bytes);
  expect((await node.submit(await signDraft(node.state.genesis.hash, patient, sealed.draft))).status).toBe('added');
  mine();
  /** Each hospital's authority releases what is due at the node's final height, as its signed-in session does on every change. */
  const sent = new Map<string, Set<string>>();
  const releaseBy = async (h: Signer) => {
    const mine = sent.get(id(h)) ?? new Set<string>();
    sent.set(id(h), mine);
    return releaseDueShares(ctx, h, id(h), () => authorityDataSecrets(h, node.ledger()!.hospitals.get(id(h))!.dataEpoch), mine);
  };
  return { a, b, c, node, ctx, mine, ok, doctor, nurse, patient, pid, releaseBy };
}

describe('breaking the glass in the hospital app', () => {
  it('a clinician’s access is released only once final, once per holder; a quorum opens the allergy record, fewer open nothing', async () => {
    const s = await scene();
    const ledger = () => s.node.ledger()!;
    expect(mayBreakGlass(ledger(), id(s.doctor.signer), s.pid)).toBe(true);
    expect(mayBreakGlass(ledger(), id(s.nurse.signer), s.pid)).toBe(false);
    expect(mayBreakGlass(ledger(), id(s.a), s.pid)).toBe(false);

    await s.ok(breakGlass(s.ctx, s.doctor.signer, id(s.a), s.pid, EmergencyReason.Unconscious, 'Brought in unconscious after a fall.'));
    s.mine();
    const access = () => latestAccess(ledger(), id(s.doctor.signer), s.pid)!;
    expect(access()).not.toBeNull();
    expect(accessProgress(ledger(), access(), s.node.status().finalHeight)).toEqual({ state: 'waiting-final' });
    // Not final yet: no holder releases.
    for (const h of [s.a, s.b, s.c]) expect(await s.releaseBy(h)).toEqual([]);
    s.node.finalize(access().height);

    const reader = secretReader(s.doctor.box.secret);
    const open = () => openEmergencyRecords(s.node.chain(), ledger(), access(), reader, (r) => s.node.getBlob(r));
    expect(await s.releaseBy(s.a)).toMatchObject([{ ok: true }]);
    expect(await s.releaseBy(s.b)).toMatchObject([{ ok: true }]);
    // Once per access: a second change before the block sends nothing again.
    expect(await s.releaseBy(s.a)).toEqual([]);
    s.mine();
    expect(accessProgress(ledger(), access(), s.node.status().finalHeight)).toEqual({ state: 'releasing', released: 2, needed: 3, holders: 3 });
    expect(await open()).toBeNull();

    expect(await s.releaseBy(s.c)).toMatchObject([{ ok: true }]);
    s.mine();
    for (const h of [s.a, s.b, s.c]) expect(await s.releaseBy(h)).toEqual([]);
    const opened = await open();
    expect(opened).not.toBeNull();
    expect(opened!.entries).toHaveLength(1);
    expect(opened!.entries[0]).toMatchObject({ category: Category.Allergy, body: { title: 'Penicillin allergy', text: 'Rash and swelling.' } });
    opened!.secret.fill(0);
    // The nurse's box opens none of the releases.
    expect(await openEmergencyRecords(s.node.chain(), ledger(), access(), secretReader(s.nurse.box.secret), (r) => s.node.getBlob(r))).toBeNull();

    // The authority sees it, with the clinician's words, and reviews it; then it is no longer overdue.
    const secrets = await authorityDataSecrets(s.a, 0);
    const due = access().time + 72 * 3600;
    s.node.clock = due + DAY;
    let [row] = hospitalAccesses(s.node.chain(), ledger(), id(s.a), secrets, s.node.now());
    expect(row).toMatchObject({
      clinician: 'Dr Rao',
      reason: EmergencyReason.Unconscious,
      words: 'Brought in unconscious after a fall.',
      released: 3,
      needed: 3,
      review: null,
      overdue: true,
    });
    expect(hospitalAccesses(s.node.chain(), ledger(), id(s.b), await authorityDataSecrets(s.b, 0), s.node.now())).toEqual([]);
    await s.ok(reviewAccess(s.ctx, s.a, id(s.a), s.pid, access().id, ReviewOutcome.Justified, 'Appropriate.'));
    s.mine();
    [row] = hospitalAccesses(s.node.chain(), ledger(), id(s.a), secrets, s.node.now());
    expect(row).toMatchObject({ review: { outcome: ReviewOutcome.Justified }, overdue: false });
    const review = s.node.chain().ofPatient(s.pid).at(-1)!;
    expect(openWords(decodeNote(review.tx.payload), { of: 'review', access: access().id }, secrets)).toBe('Appropriate.');
    expect(openWords(decodeNote(review.tx.payload), { of: 'review', access: access().id }, await authorityDataSecrets(s.b, 0))).toBeNull();
  });

  it('a WebCrypto-style reader (the box secret never handed out) combines the releases as raw bytes do', async () => {
    const s = await scene();
    await s.ok(breakGlass(s.ctx, s.doctor.signer, id(s.a), s.pid, EmergencyReason.LifeThreatening, ''));
    s.mine();
    const access = latestAccess(s.node.ledger()!, id(s.doctor.signer), s.pid)!;
    s.node.finalize(access.height);
    for (const h of [s.a, s.b, s.c]) await s.releaseBy(h);
    s.mine();
    const inner = secretReader(s.doctor.box.secret);
    const opaque = { publicKey: inner.publicKey, unwrap: (w: Uint8Array, c: Uint8Array) => inner.unwrap(w, c) };
    const opened = await openEmergencyRecords(s.node.chain(), s.node.ledger()!, latestAccess(s.node.ledger()!, id(s.doctor.signer), s.pid)!, opaque, (r) =>
      s.node.getBlob(r),
    );
    expect(opened?.entries.map((e) => e.body?.title)).toEqual(['Penicillin allergy']);
  });
});

describe('the holders’ release service and the break-glass panel', () => {
  it('each signed-in authority releases on its own once the access is final, and stops when signed out', async () => {
    const s = await scene();
    const stops = [s.a, s.b].map((h) => releaseWhileSignedIn(s.node, h, id(h), 0, random));
    await s.ok(breakGlass(s.ctx, s.doctor.signer, id(s.a), s.pid, EmergencyReason.UnableToConsent, ''));
    s.mine();
    const access = () => latestAccess(s.node.ledger()!, id(s.doctor.signer), s.pid)!;
    // Changes before finality (the block, the pool) release nothing.
    s.mine();
    expect(s.node.state.pending.list().filter((e) => e.tx.kind === TxKind.ReleaseShare)).toEqual([]);
    s.node.finalize(access().height);
    await vi.waitFor(() => expect(s.node.state.pending.list().filter((e) => e.tx.kind === TxKind.ReleaseShare)).toHaveLength(2));
    s.mine();
    expect(
      access()
        .releases.map((r) => r.hospital)
        .sort(),
    ).toEqual([id(s.a), id(s.b)].sort());
    stops.forEach((stop) => stop());
    // Signed out: a later final access gets no release from this device.
    await s.ok(breakGlass(s.ctx, s.doctor.signer, id(s.a), s.pid, EmergencyReason.Other, 'Second look.'));
    s.mine();
    const second = access();
    expect(second.releases).toEqual([]);
    s.node.finalize(second.height);
    s.mine();
    expect(s.node.state.pending.list().filter((e) => e.tx.kind === TxKind.ReleaseShare)).toEqual([]);
    expect(releasesDue(s.node.ledger()!, id(s.a), s.node.status().finalHeight, new Set()).map((d) => d.access.id)).toEqual([second.id]);
  });

  it('shows the clinician the warning and the reasons in English and Hindi, and nothing to a nurse', async () => {
    await screensReady();
    const s = await scene();
    const session = (who: { signer: Signer; box: { secret: Uint8Array; pub: Uint8Array } }): ClinicianSession => ({
      signer: who.signer,
      id: id(who.signer),
      boxPublic: who.box.pub,
      box: secretReader(who.box.secret),
      boxSecret: who.box.secret,
      validatorSecret: null,
      networkId: 'test',
    });
    const html = (who: typeof s.doctor) =>
      render(EmergencyPanel, { props: { node: s.node, me: session(who), hospital: id(s.a), patient: s.pid, version: 0 } }).body.replace(/<!--[^>]*-->/g, '');
    const en = html(s.doctor);
    expect(en).toContain('your hospital’s authority must review it within 72 hours');
    expect(en).toContain('The patient is unconscious');
    expect(html(s.nurse)).not.toContain('data-testid="emergency"');
    await setLang('hi');
    try {
      expect(html(s.doctor)).toContain('72 घंटे के भीतर इसकी समीक्षा करनी होगी');
    } finally {
      await setLang('en');
    }
  });
});

/** The sealed note of a ReviewEmergency payload (its last field). */
function decodeNote(payload: Uint8Array): Uint8Array {
  const p = decodePayload(TxKind.ReviewEmergency, payload);
  if (p.kind !== TxKind.ReviewEmergency) throw new Error('not a review');
  return p.sealedNote;
}
