/**
 * A patient delegates limited, expiring access to a caregiver (issue 15, SPEC
 * §2 "Family"), over the in-memory node twin and a real ChainState: the
 * delegation is sent and accepted; earlier records of its kinds and dates are
 * re-wrapped to the caregiver (shareDueKeys) and open with the caregiver's
 * own key, others do not; expiry and revocation end it for new records and
 * in the caregiver's view; a wrong short id is a coded problem and nothing
 * is signed.
 */
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../../src/lib/core/bytes';
import { patientIdOf, shortId } from '../../../../src/lib/core/ids';
import { Category, SCOPE_ALL } from '../../../../src/lib/core/payloads';
import { recordDay } from '../../../../src/lib/core/record';
import { publicKeyOf } from '../../../../src/lib/core/signature';
import { TxKind } from '../../../../src/lib/core/tx';
import {
  type DelegationFormValues,
  delegate,
  delegationChoice,
  delegationStatus,
  delegationsToMe,
  myDelegations,
  nextDelegationEnd,
  sharedWithMe,
} from '../../../../src/lib/app/patient/caregivers';
import { delegationState, delegationTerms } from '../../../../src/lib/app/patient/caregiver-words';
import { revokeConsent, shareDueKeys } from '../../../../src/lib/app/patient/consent';
import { type PatientContext, rawPatientKeys, readerHex } from '../../../../src/lib/app/patient/keys';
import { CONSENT_KINDS } from '../../../../src/lib/app/patient/pool';
import { accessLog } from '../../../../src/lib/app/patient/access-log';
import { registerOnChain } from '../../../../src/lib/app/patient/register';
import { readTimeline } from '../../../../src/lib/app/patient/timeline';
import { uploadRecord } from '../../../../src/lib/app/patient/upload';
import { loadCatalogue } from '../../../../src/lib/i18n/catalogue';
import { say } from '../../../../src/lib/i18n/say';
import { DAY, TODAY, note, world } from './patient-world';

type World = Awaited<ReturnType<typeof world>>;

const LAB = 1 << Category.LabReport;

/** A second patient registers on the same network: the caregiver. */
async function caregiverIn(w: World): Promise<PatientContext & { short: string }> {
  const signSecret = w.random(32);
  const signPublic = publicKeyOf(signSecret);
  const id = toHex(patientIdOf(signPublic));
  const c: PatientContext = { node: w.node, random: w.random, me: rawPatientKeys(id, signSecret, signPublic, w.random(32)) };
  expect(await registerOnChain(c)).toMatchObject({ ok: true });
  w.node.mine();
  return { ...c, short: shortId(patientIdOf(signPublic)) };
}

/** The patient uploads a record of `category` dated `date`, in a block. */
async function upload(w: World, category: Category, title: string, date = '2025-12-30'): Promise<string> {
  const r = await uploadRecord(w.ctx, category, { ...note(title), date }, [], TODAY);
  if (!r.ok) throw new Error(`upload refused: ${r.code}`);
  w.node.mine();
  return r.id;
}

/** The form for lab reports dated 2025-06-01 and later, for ten days. */
const labForm = (caregiver: string): DelegationFormValues => ({ caregiver, scope: LAB, fromDate: '2025-06-01', toDate: '', days: 10 });

/** Delegates as `v` says, in a block; returns the delegation id. */
async function delegated(w: World, v: DelegationFormValues): Promise<string> {
  const r = await delegate(w.ctx, v);
  if (!r.ok) throw new Error(`delegation refused: ${r.code}`);
  w.node.mine();
  return r.id;
}

/** What the caregiver's view shows: the titles of records opened, per patient short id, and how many wait. */
async function seenByCaregiver(c: PatientContext) {
  return (await sharedWithMe(c)).map((s) => ({
    patient: s.shortId,
    opens: s.records.flatMap((e) => (e.body ? [e.body.title] : [])).sort(),
    waiting: s.waiting,
    states: s.delegations.map((d) => d.status),
  }));
}

const readersOf = (w: World, record: string) => w.node.ledger()!.records.get(record)!.readers;

describe('delegating to a caregiver', () => {
  it('is sent and accepted; earlier records in its kinds and dates are re-wrapped to the caregiver and open with their key, others do not', async () => {
    const w = await world('caregiver');
    const c = await caregiverIn(w);
    const inScope = await upload(w, Category.LabReport, 'Lab in range');
    const otherKind = await upload(w, Category.Prescription, 'Prescription');
    const tooEarly = await upload(w, Category.LabReport, 'Old lab', '2025-01-15');
    const patientShort = shortId(patientIdOf(w.ctx.me.signer.publicKey));

    const id = await delegated(w, labForm(c.short.toLowerCase().replace(/-/g, ' ')));
    const d = w.node.ledger()!.delegations.get(id)!;
    expect(d).toMatchObject({ patient: w.patientId, caregiver: c.me.patientId, scope: LAB, from: recordDay('2025-06-01'), revoked: false });
    expect(d.expiry).toBe(d.time + 10 * DAY);
    expect(myDelegations(w.node.ledger()!, w.patientId, w.node.now())).toMatchObject([{ status: 'live', shortId: c.short, since: d.time }]);
    expect(delegationsToMe(w.node.ledger()!, c.me.patientId, w.node.now())).toMatchObject([{ status: 'live', shortId: patientShort }]);

    // In force but not yet shared: the caregiver's view counts the record as waiting, and opens nothing.
    expect(await seenByCaregiver(c)).toEqual([{ patient: patientShort, opens: [], waiting: 1, states: ['live'] }]);

    // The patient's device re-wraps the one earlier record in scope, and only that one.
    expect(await shareDueKeys(w.ctx)).toEqual({ sent: 1, failed: null });
    w.node.mine();
    const key = readerHex(c.me.box);
    expect(readersOf(w, inScope)).toContain(key);
    expect(readersOf(w, otherKind)).not.toContain(key);
    expect(readersOf(w, tooEarly)).not.toContain(key);
    expect(await seenByCaregiver(c)).toEqual([{ patient: patientShort, opens: ['Lab in range'], waiting: 0, states: ['live'] }]);
    // Not just hidden: the caregiver's key opens nothing else of the patient's.
    const all = await readTimeline(c.node, w.patientId, c.me.box);
    expect(all.filter((e) => e.body).map((e) => e.id)).toEqual([inScope]);

    // A new record in scope is sealed to the caregiver at once; one outside it is not.
    const later = await upload(w, Category.LabReport, 'New lab');
    const laterOther = await upload(w, Category.Imaging, 'X-ray');
    expect(readersOf(w, later)).toContain(key);
    expect(readersOf(w, laterOther)).not.toContain(key);
    expect((await seenByCaregiver(c))[0]!.opens).toEqual(['Lab in range', 'New lab']);
    // The patient sees nobody else's: a caregiver's records are theirs alone.
    expect(await sharedWithMe(w.ctx)).toEqual([]);
  });

  it('makes a new record wait while it is pending, as a grant does', async () => {
    const w = await world('caregiver-pending');
    const c = await caregiverIn(w);
    expect(CONSENT_KINDS).toContain(TxKind.DelegateAccess);
    expect(await delegate(w.ctx, labForm(c.short))).toMatchObject({ ok: true });
    expect(await uploadRecord(w.ctx, Category.LabReport, note('Too soon'), [], TODAY)).toMatchObject({ ok: false, code: 'WAIT_FOR_CONSENT' });
    w.node.mine();
    // Once it is in a block, the record is sealed to the caregiver from the start.
    const r = await upload(w, Category.LabReport, 'After');
    expect(readersOf(w, r)).toContain(readerHex(c.me.box));
  });

  it('ends at its expiry: new records are not shared, and the caregiver’s view shows none', async () => {
    const w = await world('caregiver-expiry');
    const c = await caregiverIn(w);
    const id = await delegated(w, { ...labForm(c.short), fromDate: '' });
    const before = await upload(w, Category.LabReport, 'Within');
    expect(readersOf(w, before)).toContain(readerHex(c.me.box));

    const d = w.node.ledger()!.delegations.get(id)!;
    w.node.clock = d.expiry + 1;
    expect(delegationStatus(d, w.node.now())).toEqual({ status: 'expired', since: d.expiry });
    const after = await upload(w, Category.LabReport, 'After expiry');
    expect(readersOf(w, after)).not.toContain(readerHex(c.me.box));
    expect(await shareDueKeys(w.ctx)).toEqual({ sent: 0, failed: null });
    expect(await seenByCaregiver(c)).toEqual([{ patient: expect.any(String), opens: [], waiting: 0, states: ['expired'] }]);
  });

  it('names the next moment a live delegation ends, for the screens to wake with no new block; none once all have ended or been revoked', async () => {
    const w = await world('caregiver-next-end');
    const [c1, c2, c3] = [await caregiverIn(w), await caregiverIn(w), await caregiverIn(w)];
    const long = await delegated(w, { ...labForm(c1.short), days: 10 });
    const short = await delegated(w, { ...labForm(c2.short), days: 3 });
    const revoked = await delegated(w, { ...labForm(c3.short), days: 1 });
    expect(await revokeConsent(w.ctx, revoked)).toMatchObject({ ok: true });
    w.node.mine();
    const ledger = w.node.ledger()!;
    const end = (id: string) => ledger.delegations.get(id)!.expiry;
    const mine = () => myDelegations(ledger, w.patientId, w.node.now());
    expect(nextDelegationEnd(mine())).toBe(end(short));
    expect(nextDelegationEnd(delegationsToMe(ledger, c2.me.patientId, w.node.now()))).toBe(end(short));
    expect(nextDelegationEnd(delegationsToMe(ledger, c3.me.patientId, w.node.now()))).toBeNull();
    w.node.clock = end(short);
    expect(nextDelegationEnd(mine())).toBe(end(long));
    w.node.clock = end(long);
    expect(nextDelegationEnd(mine())).toBeNull();
  });

  it('ends when revoked: new records are not shared, and the caregiver’s view shows none', async () => {
    const w = await world('caregiver-revoke');
    const c = await caregiverIn(w);
    const id = await delegated(w, { ...labForm(c.short), scope: SCOPE_ALL, fromDate: '' });
    await upload(w, Category.Allergy, 'Penicillin');
    expect((await seenByCaregiver(c))[0]!.opens).toEqual(['Penicillin']);

    expect(await revokeConsent(w.ctx, id)).toMatchObject({ ok: true });
    w.node.mine();
    const d = w.node.ledger()!.delegations.get(id)!;
    expect(myDelegations(w.node.ledger()!, w.patientId, w.node.now())).toMatchObject([{ status: 'revoked', since: d.revokedAt }]);
    const after = await upload(w, Category.Allergy, 'Latex');
    expect(readersOf(w, after)).not.toContain(readerHex(c.me.box));
    expect(await seenByCaregiver(c)).toEqual([{ patient: expect.any(String), opens: [], waiting: 0, states: ['revoked'] }]);
    expect(await revokeConsent(w.ctx, id)).toMatchObject({ ok: false, code: 'ALREADY_DONE' });
  });
});

describe('the delegation form', () => {
  it('names a wrong, unknown or own short id as a coded problem of the caregiver field, and signs nothing', async () => {
    const w = await world('caregiver-ids');
    const c = await caregiverIn(w);
    const ledger = w.node.ledger()!;
    const now = w.node.now();
    const typo = c.short.slice(0, -1) + (c.short.endsWith('0') ? '1' : '0');
    const stranger = shortId(w.random(32));
    const own = shortId(patientIdOf(w.ctx.me.signer.publicKey));
    const cases: [string, string][] = [
      ['ABCDE', 'ID_LENGTH'],
      ['ABCDE-FGHJU-Z', 'ID_CHARACTERS'],
      [typo, 'ID_TYPO'],
      [stranger, 'NOT_FOUND'],
      [own, 'CAREGIVER_SELF'],
    ];
    for (const [typed, code] of cases) {
      expect(delegationChoice(ledger, labForm(typed), w.patientId, now)).toEqual({ ok: false, field: 'caregiver', code });
      expect(await delegate(w.ctx, labForm(typed))).toEqual({ ok: false, field: 'caregiver', code });
    }
    // The other terms are checked before anything is signed too.
    expect(delegationChoice(ledger, { ...labForm(c.short), scope: 0 }, w.patientId, now)).toEqual({ ok: false, code: 'BAD_SCOPE' });
    expect(delegationChoice(ledger, { ...labForm(c.short), toDate: '2025-01-01' }, w.patientId, now)).toEqual({ ok: false, code: 'BAD_RANGE' });
    expect(delegationChoice(ledger, { ...labForm(c.short), fromDate: '2025-02-30' }, w.patientId, now)).toEqual({ ok: false, code: 'BAD_RANGE' });
    expect(delegationChoice(ledger, { ...labForm(c.short), days: 0 }, w.patientId, now)).toEqual({ ok: false, code: 'BAD_EXPIRY' });
    expect(delegationChoice(ledger, { ...labForm(c.short), days: 1.5 }, w.patientId, now)).toEqual({ ok: false, code: 'BAD_EXPIRY' });
    expect(w.node.chain()!.pendingTxs()).toEqual([]);
  });

  it('words a delegation’s terms and state the same on both sides, in English and Hindi', async () => {
    const w = await world('caregiver-words');
    const c = await caregiverIn(w);
    const id = await delegated(w, labForm(c.short));
    const en = await loadCatalogue.en();
    const hi = await loadCatalogue.hi();
    const [mine] = myDelegations(w.node.ledger()!, w.patientId, w.node.now());
    const [theirs] = delegationsToMe(w.node.ledger()!, c.me.patientId, w.node.now());
    expect(delegationTerms(en, 'en', mine!)).toBe(`${en.labels.category[Category.LabReport]} · records from 1 Jun 2025 and later`);
    expect(delegationTerms(en, 'en', theirs!)).toBe(delegationTerms(en, 'en', mine!));
    expect(delegationState(en, 'en', mine!)).toMatch(/^Can read until /);
    expect(delegationState(hi, 'hi', mine!)).toMatch(/तक पढ़ सकते हैं$/);
    expect(await revokeConsent(w.ctx, id)).toMatchObject({ ok: true });
    w.node.mine();
    const [revoked] = myDelegations(w.node.ledger()!, w.patientId, w.node.now());
    expect(delegationState(en, 'en', revoked!)).toMatch(/^Revoked on /);
    w.node.clock += 30 * DAY;
    const [later] = myDelegations(w.node.ledger()!, w.patientId, w.node.now());
    expect(later!.status).toBe('revoked');
  });

  it('words every caregiver problem in English and Hindi', async () => {
    const codes = ['ID_LENGTH', 'ID_CHARACTERS', 'ID_TYPO', 'OTHER_NETWORK', 'NOT_FOUND', 'SHARED_ID', 'CAREGIVER_SELF'] as const;
    for (const lang of ['en', 'hi'] as const) {
      const m = await loadCatalogue[lang]();
      for (const code of codes) expect(say(m.consent.caregivers.problem, { code })).toMatch(/\S/);
    }
  });
});

describe('the access logs of both sides', () => {
  it('the patient’s log shows the delegation and its end; the caregiver’s shows who shared with them', async () => {
    const w = await world('caregiver-log');
    const c = await caregiverIn(w);
    const id = await delegated(w, labForm(c.short));
    const chain = w.node.chain()!;
    const ledger = w.node.ledger()!;
    const mine = accessLog(chain, ledger, w.ctx.me.patientId, w.node.now());
    expect(mine.find((e) => e.id === id)).toMatchObject({ kind: 'delegation', caregiver: c.short, shared: { scope: LAB, from: recordDay('2025-06-01') } });
    const theirs = accessLog(chain, ledger, c.me.patientId, w.node.now());
    expect(theirs.find((e) => e.id === id)).toMatchObject({ kind: 'delegated-to-me', caregiver: shortId(patientIdOf(w.ctx.me.signer.publicKey)) });
    expect(await revokeConsent(w.ctx, id)).toMatchObject({ ok: true });
    w.node.mine();
    const after = accessLog(w.node.chain()!, w.node.ledger()!, w.ctx.me.patientId, w.node.now());
    expect(after[0]).toMatchObject({ kind: 'delegation-ended', caregiver: c.short });
  });
});
