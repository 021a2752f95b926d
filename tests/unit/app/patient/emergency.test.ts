/**
 * Emergency access, the patient's side (issue 15, SPEC §4), over the app's
 * in-memory node twin, a real ChainState with the ledger rules and real keys:
 * turning it on sends a SetEmergencyAccess the ledger accepts, with the
 * numbers the warning shows; uploads wait for it; earlier records of its
 * kinds are re-wrapped to the emergency key by shareDueKeys (a quorum's
 * released shares then open them, and nothing else); off keeps the nominee
 * and stops wrapping; a hospital admitted since is noticed and "Update" makes
 * a new key for all; a one-hospital network cannot have it. The access log
 * shows each access (reason, shares released, review) and flags one left
 * unreviewed past REVIEW_HOURS; a nominee sees the accesses made while they
 * were named, and whose records they were.
 */
import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import { x25519 } from '@noble/curves/ed25519.js';
import { hexToBytes, toHex } from '../../../../src/lib/core/bytes';
import { patientIdOf, shortId } from '../../../../src/lib/core/ids';
import type { LedgerView } from '../../../../src/lib/core/ledger';
import { Category, EMERGENCY_SCOPE, EmergencyReason, REVIEW_HOURS, ReviewOutcome, StaffRole } from '../../../../src/lib/core/payloads';
import { publicKeyOf } from '../../../../src/lib/core/signature';
import { TxKind } from '../../../../src/lib/core/tx';
import { hospitalDataKey } from '../../../../src/lib/app/clinician/data-key';
import { applyToJoin, approveApplication } from '../../../../src/lib/app/clinician/hospital';
import { type Signer, rawSigner, submitPayload } from '../../../../src/lib/app/clinician/sign';
import { certifyStaff, enrolmentCode, parseEnrolment } from '../../../../src/lib/app/clinician/staff';
import { emergencySecret, releaseFor } from '../../../../src/lib/app/emergency/key-shares';
import { accessLog } from '../../../../src/lib/app/patient/access-log';
import { shareDueKeys } from '../../../../src/lib/app/patient/consent';
import {
  DEFAULT_EMERGENCY_SCOPE,
  emergencyStatus,
  myEmergencyStatus,
  nomineeFrom,
  renewEmergency,
  turnEmergencyOff,
  turnEmergencyOn,
} from '../../../../src/lib/app/patient/emergency';
import { type PatientContext, rawPatientKeys } from '../../../../src/lib/app/patient/keys';
import { registerOnChain } from '../../../../src/lib/app/patient/register';
import { uploadRecord } from '../../../../src/lib/app/patient/upload';
import { screensReady, setLang } from '../../../../src/lib/app/i18n/locale.svelte';
import { en } from '../../../../src/lib/i18n/en';
import { hi } from '../../../../src/lib/i18n/hi';
import AccessLog from '../../../../src/routes/patient/AccessLog.svelte';
import EmergencySettings from '../../../../src/routes/patient/EmergencySettings.svelte';
import { foundedNode, seededRandom } from '../clinician/chain-node';
import { TODAY, note, world } from './patient-world';

type World = Awaited<ReturnType<typeof world>>;
const HOUR = 3600;

const ok = async (p: Promise<{ ok: boolean }>) => {
  const r = await p;
  expect(r).toMatchObject({ ok: true });
  return r as { ok: true; id: string };
};

/** Another registered patient on the world's network (a would-be nominee). */
async function anotherPatient(w: World): Promise<PatientContext> {
  const signSecret = w.random(32);
  const signPublic = publicKeyOf(signSecret);
  const id = toHex(patientIdOf(signPublic));
  const ctx: PatientContext = { node: w.node, random: w.random, me: rawPatientKeys(id, signSecret, signPublic, w.random(32)) };
  await ok(registerOnChain(ctx) as Promise<{ ok: boolean }>);
  w.node.mine();
  return ctx;
}

/** A clinician of hospital A, certified by its authority. */
async function clinicianOfA(w: World) {
  const secret = w.random(32);
  const signer: Signer = rawSigner(secret, publicKeyOf(secret));
  const boxSecret = w.random(32);
  const parsed = parseEnrolment(await enrolmentCode(w.node.state.genesis.hash, signer, x25519.getPublicKey(boxSecret), w.a.publicKey));
  if (!parsed.ok) throw new Error(parsed.code);
  await ok(certifyStaff(w.hctx, w.a, parsed.enrolment, 'Dr Rao', StaffRole.Clinician));
  w.node.mine();
  return { signer, boxSecret };
}

/** The clinician breaks the glass for `patient`; the access once in a block. */
async function breakGlass(w: World, doctor: Signer, patient: string, reason: EmergencyReason = EmergencyReason.Unconscious) {
  const r = await ok(
    submitPayload(w.hctx, doctor, {
      kind: TxKind.EmergencyAccess,
      patientId: hexToBytes(patient),
      hospital: w.a.publicKey,
      reason,
      sealedNote: new Uint8Array(0),
    }),
  );
  w.node.mine();
  return r.id;
}

/** Holder `h` (authority and data secret) releases its share of `access`, as its node does once the access is final. */
async function release(w: World, access: string, h: { signer: Signer; secret: Uint8Array }) {
  const ledger = w.node.ledger()!;
  const e = ledger.emergencies.get(access)!;
  const payload = releaseFor(e, ledger.emergencySettings.get(e.patient)!, toHex(h.signer.publicKey), [h.secret], w.random);
  if (!payload) throw new Error('no share to release');
  await ok(submitPayload(w.hctx, h.signer, payload));
  w.node.mine();
}

const holders = (w: World) => [
  { signer: w.a, secret: w.aData.secret },
  { signer: w.b, secret: w.bData.secret },
];
const logOf = (w: World, patient: string) => accessLog(w.node.chain(), w.node.ledger()!, patient, w.node.now());

describe('turning emergency access on', () => {
  it('is off by default; on sends a setting the ledger accepts; uploads wait for it; earlier summary records are re-wrapped and a quorum’s shares open them', async () => {
    const w = await world('emergency-on');
    const before = myEmergencyStatus(w.ctx)!;
    // Two admitted hospitals: both are needed (two thirds of two), and one alone cannot.
    expect(before).toMatchObject({ on: null, nominee: null, hospitals: 2, threshold: 2, possible: true, outdated: false, pending: false });
    await ok(uploadRecord(w.ctx, Category.Allergy, note('Penicillin allergy'), [], TODAY));
    await ok(uploadRecord(w.ctx, Category.Consultation, note('Cough'), [], TODAY));
    w.node.mine();

    await ok(turnEmergencyOn(w.ctx, DEFAULT_EMERGENCY_SCOPE, null));
    expect(myEmergencyStatus(w.ctx)!.pending).toBe(true);
    // A record sealed now would miss the emergency key once the setting is in a block: it waits.
    expect(await uploadRecord(w.ctx, Category.Allergy, note('Latex'), [], TODAY)).toMatchObject({ ok: false, code: 'WAIT_FOR_CONSENT' });
    w.node.mine();
    const on = myEmergencyStatus(w.ctx)!;
    expect(on).toMatchObject({ pending: false, outdated: false });
    expect(on.on).toMatchObject({ allowed: true, scope: EMERGENCY_SCOPE, threshold: 2, holders: [w.aId, w.bId].sort() });

    // Break the glass and release both shares: before the re-wrap the emergency key opens nothing.
    const doctor = await clinicianOfA(w);
    const access = await breakGlass(w, doctor.signer, w.patientId);
    for (const h of holders(w)) await release(w, access, h);
    const ledger = w.node.ledger()!;
    const secret = await emergencySecret(ledger.emergencies.get(access)!, ledger.emergencySettings.get(w.patientId)!, doctor.boxSecret);
    expect(secret).not.toBeNull();
    expect(await w.seenBy(secret!)).toEqual({ opens: [], closed: 2 });

    // The patient's screens run shareDueKeys on every chain change: the allergy (in the summary) is re-wrapped, the consultation is not.
    expect(await shareDueKeys(w.ctx)).toEqual({ sent: 1, failed: null });
    w.node.mine();
    expect(await shareDueKeys(w.ctx)).toEqual({ sent: 0, failed: null });
    await ok(uploadRecord(w.ctx, Category.Prescription, note('Statin'), [], TODAY));
    w.node.mine();
    expect(await w.seenBy(secret!)).toEqual({ opens: ['Penicillin allergy', 'Statin'], closed: 1 });
  });

  it('may open other kinds the patient chooses, and refuses no kind at all', async () => {
    const w = await world('emergency-kinds');
    expect(await turnEmergencyOn(w.ctx, 0, null)).toMatchObject({ ok: false, code: 'BAD_SCOPE' });
    await ok(turnEmergencyOn(w.ctx, 1 << Category.LabReport, null));
    w.node.mine();
    expect(myEmergencyStatus(w.ctx)!.on).toMatchObject({ scope: 1 << Category.LabReport });
  });

  it('names a nominee by short id: another registered patient, not oneself, nor a typo or an unknown id', async () => {
    const w = await world('emergency-nominee');
    const n = await anotherPatient(w);
    const ledger = w.node.ledger()!;
    const nShort = shortId(hexToBytes(n.me.patientId));
    expect(nomineeFrom(ledger, '  ', w.patientId)).toEqual({ ok: true, nominee: null });
    expect(nomineeFrom(ledger, nShort.toLowerCase(), w.patientId)).toEqual({ ok: true, nominee: n.me.patientId });
    expect(nomineeFrom(ledger, shortId(hexToBytes(w.patientId)), w.patientId)).toEqual({ ok: false, code: 'NOMINEE_SELF' });
    const typo = nShort.slice(0, -1) + (nShort.endsWith('0') ? '1' : '0');
    expect(nomineeFrom(ledger, typo, w.patientId)).toMatchObject({ ok: false, code: 'ID_TYPO' });
    expect(nomineeFrom(ledger, shortId(new Uint8Array(32).fill(7)), w.patientId)).toEqual({ ok: false, code: 'NOT_FOUND' });

    await ok(turnEmergencyOn(w.ctx, DEFAULT_EMERGENCY_SCOPE, n.me.patientId));
    w.node.mine();
    expect(myEmergencyStatus(w.ctx)).toMatchObject({ nominee: nShort, on: { nominee: n.me.patientId } });
  });

  it('cannot be turned on in a network of one hospital', async () => {
    const random = seededRandom('emergency-alone');
    const a = random(32);
    const node = foundedNode({ secret: a, pub: publicKeyOf(a) }, (await hospitalDataKey(rawSigner(a, publicKeyOf(a)), 0)).publicKey);
    const signSecret = random(32);
    const signPublic = publicKeyOf(signSecret);
    const ctx: PatientContext = { node, random, me: rawPatientKeys(toHex(patientIdOf(signPublic)), signSecret, signPublic, random(32)) };
    await ok(registerOnChain(ctx) as Promise<{ ok: boolean }>);
    node.mine();
    expect(myEmergencyStatus(ctx)).toMatchObject({ possible: false, hospitals: 1, on: null });
    expect(await turnEmergencyOn(ctx, DEFAULT_EMERGENCY_SCOPE, null)).toEqual({ ok: false, code: 'TOO_FEW_HOSPITALS' });
    expect(node.state.pending.list()).toHaveLength(0);
  });
});

describe('turning it off and updating it', () => {
  it('off: no key, the nominee kept, later records not wrapped to the old key; off waits for a pending record', async () => {
    const w = await world('emergency-off');
    const n = await anotherPatient(w);
    await ok(turnEmergencyOn(w.ctx, DEFAULT_EMERGENCY_SCOPE, n.me.patientId));
    w.node.mine();
    const key = myEmergencyStatus(w.ctx)!.on!.key;
    await ok(uploadRecord(w.ctx, Category.Allergy, note('Penicillin allergy'), [], TODAY));
    expect(await turnEmergencyOff(w.ctx)).toMatchObject({ ok: false, code: 'WAIT_FOR_RECORD' });
    w.node.mine();
    await ok(turnEmergencyOff(w.ctx));
    w.node.mine();
    const off = myEmergencyStatus(w.ctx)!;
    expect(off).toMatchObject({ on: null, nominee: shortId(hexToBytes(n.me.patientId)), outdated: false });
    expect(w.node.ledger()!.emergencySettings.get(w.patientId)).toMatchObject({ allowed: false, nominee: n.me.patientId, key: '' });
    const later = await ok(uploadRecord(w.ctx, Category.Allergy, note('Latex allergy'), [], TODAY));
    w.node.mine();
    expect(w.node.ledger()!.records.get(later.id)!.readers).not.toContain(key);
    expect(await renewEmergency(w.ctx)).toMatchObject({ ok: false, code: 'EMERGENCY_OFF' });
  });

  it('a hospital admitted since it was set is noticed; Update shares a new key among all, and records are re-wrapped to it', async () => {
    const w = await world('emergency-update');
    await ok(uploadRecord(w.ctx, Category.Allergy, note('Penicillin allergy'), [], TODAY));
    w.node.mine();
    await ok(turnEmergencyOn(w.ctx, DEFAULT_EMERGENCY_SCOPE, null));
    w.node.mine();
    await shareDueKeys(w.ctx);
    w.node.mine();
    const first = myEmergencyStatus(w.ctx)!.on!;

    const cSecret = w.random(32);
    const c = rawSigner(cSecret, publicKeyOf(cSecret));
    await ok(applyToJoin(w.hctx, c, 'River Hospital'));
    w.node.mine();
    await ok(approveApplication(w.hctx, w.a, toHex(c.publicKey)));
    await ok(approveApplication(w.hctx, w.b, toHex(c.publicKey)));
    w.node.mine();
    const status = myEmergencyStatus(w.ctx)!;
    expect(status).toMatchObject({ outdated: true, hospitals: 3, threshold: 3 });
    // What was set stays as it was until the patient updates it.
    expect(status.on).toMatchObject({ id: first.id, threshold: 2, holders: first.holders });
    // The settings screen shows what is in force (two of the two hospitals it was shared among) and offers the update.
    await screensReady();
    const shown = render(EmergencySettings, { props: { ctx: w.ctx } }).body.replace(/<!--[^>]*-->/g, '');
    const words = en.settings.emergency;
    expect(shown).toContain(words.quorum(2, 2));
    expect(shown).toContain(words.outdated);
    expect(shown).toContain(`>${words.update}</button>`);
    expect(shown).toContain(words.toldYou);

    await ok(renewEmergency(w.ctx));
    w.node.mine();
    const renewed = myEmergencyStatus(w.ctx)!;
    expect(renewed).toMatchObject({ outdated: false });
    expect(renewed.on).toMatchObject({ scope: first.scope, threshold: 3, holders: [w.aId, w.bId, toHex(c.publicKey)].sort() });
    expect(renewed.on!.key).not.toBe(first.key);
    expect(await shareDueKeys(w.ctx)).toEqual({ sent: 1, failed: null });
    w.node.mine();
    const allergy = [...w.node.ledger()!.records.values()].find((r) => r.patient === w.patientId)!;
    expect(allergy.readers).toContain(renewed.on!.key);
  });

  it('reads where the setting stands from the ledger alone (another device agrees)', async () => {
    const w = await world('emergency-device');
    await ok(turnEmergencyOn(w.ctx, DEFAULT_EMERGENCY_SCOPE, null));
    w.node.mine();
    const other = w.otherDevice();
    expect(emergencyStatus(other.node.ledger() as LedgerView, w.patientId).on?.id).toBe(myEmergencyStatus(w.ctx)!.on!.id);
  });
});

describe('the access log', () => {
  it('shows each access with its reason, shares released and review, flags one unreviewed past REVIEW_HOURS; the nominee sees it, whose it was', async () => {
    const w = await world('emergency-log');
    const n = await anotherPatient(w);
    const doctor = await clinicianOfA(w);
    await ok(turnEmergencyOn(w.ctx, DEFAULT_EMERGENCY_SCOPE, n.me.patientId));
    w.node.mine();
    const setting = myEmergencyStatus(w.ctx)!.on!;
    const aName = w.node.ledger()!.hospitals.get(w.aId)!.name;
    const access = await breakGlass(w, doctor.signer, w.patientId, EmergencyReason.LifeThreatening);
    await release(w, access, holders(w)[1]!);

    const entryOf = (patient: string, id: string) => logOf(w, patient).find((e) => e.id === id && e.kind === 'emergency');
    expect(logOf(w, w.patientId)[0]).toMatchObject({
      id: access,
      kind: 'emergency',
      by: `Dr Rao, ${aName}`,
      hospital: aName,
      emergency: { reason: EmergencyReason.LifeThreatening, released: 1, threshold: 2, review: null, overdue: false, reviewedLate: false, whose: null },
    });
    expect(logOf(w, w.patientId).find((e) => e.id === setting.id)).toMatchObject({
      kind: 'emergency-setting',
      by: null,
      setting: { allowed: true, scope: EMERGENCY_SCOPE, threshold: 2, holders: 2, nominee: n.me.patientId },
    });

    // The nominee's log: named, and the access to the patient's records.
    const nLog = logOf(w, n.me.patientId);
    expect(nLog.find((e) => e.kind === 'nominated')).toMatchObject({ id: setting.id, by: shortId(hexToBytes(w.patientId)), setting: { allowed: true } });
    expect(entryOf(n.me.patientId, access)).toMatchObject({ by: `Dr Rao, ${aName}`, emergency: { whose: w.patientId, released: 1, overdue: false } });

    // Just before the review is due it is not flagged; past it, it is — in both logs.
    const opened = w.node.ledger()!.emergencies.get(access)!.time;
    w.node.clock = opened + REVIEW_HOURS * HOUR;
    expect(entryOf(w.patientId, access)!.emergency).toMatchObject({ overdue: false, due: opened + REVIEW_HOURS * HOUR });
    w.node.clock = opened + REVIEW_HOURS * HOUR + 1;
    expect(entryOf(w.patientId, access)!.emergency!.overdue).toBe(true);
    expect(entryOf(n.me.patientId, access)!.emergency!.overdue).toBe(true);

    // The log screen says so above the table and marks the row, for the patient and the nominee, in English and Hindi.
    await screensReady();
    const html = (ctx: PatientContext) => render(AccessLog, { props: { ctx, version: 0 } }).body.replace(/<!--[^>]*-->/g, '');
    const mine = html(w.ctx);
    expect(mine).toContain(en.accessLog.overdueAlert(1));
    expect(mine).toContain(en.accessLog.emergency(en.accessLog.reasons[EmergencyReason.LifeThreatening]));
    expect(mine).toContain(en.accessLog.released(1, 2));
    expect(mine).toContain(en.accessLog.overdue(REVIEW_HOURS));
    expect(mine.match(/<tr [^>]*class="[^"]*\bflagged\b/g)).toHaveLength(1);
    const nominee = html(n);
    expect(nominee).toContain(en.accessLog.emergencyOf(shortId(hexToBytes(w.patientId)), en.accessLog.reasons[EmergencyReason.LifeThreatening]));
    expect(nominee).toContain(en.accessLog.overdueAlert(1));
    await setLang('hi');
    try {
      expect(html(w.ctx)).toContain(hi.accessLog.overdueAlert(1));
    } finally {
      await setLang('en');
    }

    // The hospital's authority reviews it late: no longer flagged, but marked late.
    await ok(
      submitPayload(w.hctx, w.a, {
        kind: TxKind.ReviewEmergency,
        patientId: hexToBytes(w.patientId),
        access: hexToBytes(access),
        outcome: ReviewOutcome.Justified,
        sealedNote: new Uint8Array(0),
      }),
    );
    w.node.mine();
    const reviewed = entryOf(w.patientId, access)!.emergency!;
    expect(reviewed).toMatchObject({ overdue: false, reviewedLate: true, review: { outcome: ReviewOutcome.Justified } });
    expect(reviewed.review!.time).toBeGreaterThan(opened + REVIEW_HOURS * HOUR);
  });

  it('a nominee sees only the accesses made while they were named; the patient sees every one', async () => {
    const w = await world('emergency-nominee-log');
    const n = await anotherPatient(w);
    const doctor = await clinicianOfA(w);
    await ok(turnEmergencyOn(w.ctx, DEFAULT_EMERGENCY_SCOPE, n.me.patientId));
    w.node.mine();
    const first = await breakGlass(w, doctor.signer, w.patientId);
    // The patient names no one any more (a new key too): later accesses are not the old nominee's business.
    await ok(turnEmergencyOn(w.ctx, DEFAULT_EMERGENCY_SCOPE, null));
    w.node.mine();
    const second = await breakGlass(w, doctor.signer, w.patientId, EmergencyReason.UnableToConsent);

    const accesses = (patient: string) => logOf(w, patient).filter((e) => e.kind === 'emergency');
    expect(accesses(w.patientId).map((e) => e.id)).toEqual([second, first]);
    expect(accesses(n.me.patientId).map((e) => e.id)).toEqual([first]);
    // Nobody else is told: a patient never named sees nothing of it.
    const stranger = await anotherPatient(w);
    expect(logOf(w, stranger.me.patientId)).toEqual([]);
    // The patient's own log has no "nominated" entry: that is the nominee's.
    expect(logOf(w, w.patientId).some((e) => e.kind === 'nominated')).toBe(false);
  });
});
