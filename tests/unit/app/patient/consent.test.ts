/**
 * The patient's side of chain-level consent (issue 15, SPEC §4, like ABDM's
 * consent artefact) over the in-memory node twin and a real ChainState:
 * refusing a request is a signed transaction every device sees; a grant
 * answering a request can be narrowed (kinds, record dates, days, view only,
 * erase-by) but never widened; every request and referral has a state
 * (requested, granted, refused, expired, revoked) and the time it got there;
 * the access log shows refusals, grants' terms and requests that expired.
 */
import { describe, expect, it } from 'vitest';
import { AccessMode, Category, OPEN_END, Purpose, SCOPE_ALL } from '../../../../src/lib/core/payloads';
import type { RequestState } from '../../../../src/lib/core/ledger';
import { recordDay } from '../../../../src/lib/core/record';
import { TxKind } from '../../../../src/lib/core/tx';
import { requestAccess } from '../../../../src/lib/app/clinician/patients';
import { refer } from '../../../../src/lib/app/clinician/write';
import { accessLog } from '../../../../src/lib/app/patient/access-log';
import {
  activeGrants,
  consentHistory,
  grantConsent,
  inbox,
  narrowedTerms,
  refuseRequest,
  revokeConsent,
  shareDueKeys,
  termsOf,
} from '../../../../src/lib/app/patient/consent';
import { datesWords, termsLine } from '../../../../src/lib/app/patient/consent-words';
import { type GrantFormValues, grantChoice, grantLimits } from '../../../../src/lib/app/patient/grant-choice';
import { uploadRecord } from '../../../../src/lib/app/patient/upload';
import { loadCatalogue } from '../../../../src/lib/i18n/catalogue';
import { DAY, TODAY, note, world } from './patient-world';

type World = Awaited<ReturnType<typeof world>>;

/** A asks for the patient's records with `terms`; returns the request once it is in a block. */
async function ask(w: World, scope: number, terms: Parameters<typeof requestAccess>[6] = {}, purpose: Purpose = Purpose.Treatment): Promise<RequestState> {
  const r = await requestAccess(w.hctx, w.a, w.aId, w.patientId, scope, purpose, terms);
  if (!r.ok) throw new Error(`request refused: ${r.code}`);
  w.node.mine();
  return w.node.ledger()!.requests.get(r.id)!;
}

/** Consent to A unasked (a hospital refers only a patient whose records it may read). */
async function consentToA(w: World): Promise<void> {
  expect(await grantConsent(w.ctx, { hospital: w.aId, scope: SCOPE_ALL, purpose: Purpose.Treatment, expiry: w.node.now() + 60 * DAY })).toMatchObject({
    ok: true,
  });
  w.node.mine();
}

const stateOf = (w: World, id: string) => consentHistory(w.node.ledger()!, w.patientId, w.node.now()).find((a) => a.id === id);

describe('refusing a request', () => {
  it('is a signed transaction: once in a block the request leaves the inbox on another device too, and is final', async () => {
    const w = await world('refuse');
    const q = await ask(w, SCOPE_ALL);
    expect(inbox(w.node.ledger()!, w.patientId, w.node.now()).map((i) => i.kind)).toEqual(['request']);
    const before = w.otherDevice();
    expect(inbox(before.node.ledger()!, w.patientId, before.node.now()).map((i) => i.kind)).toEqual(['request']);

    const r = await refuseRequest(w.ctx, q.id);
    expect(r).toMatchObject({ ok: true });
    // Nothing is remembered on the device: until the refusal is in a block, the request is still open.
    expect(inbox(w.node.ledger()!, w.patientId, w.node.now())).toHaveLength(1);
    w.node.mine();
    expect(inbox(w.node.ledger()!, w.patientId, w.node.now())).toEqual([]);

    // Another device of the patient, with nothing of this one's but the blocks, agrees.
    const other = w.otherDevice();
    expect(inbox(other.node.ledger()!, w.patientId, other.node.now())).toEqual([]);
    const refusal = (r as { id: string }).id;
    expect(consentHistory(other.node.ledger()!, w.patientId, other.node.now())).toMatchObject([
      { id: q.id, status: 'refused', hospital: w.aId, answer: { kind: 'refusal', id: refusal }, grant: null },
    ]);
    expect(stateOf(w, q.id)!.since).toBe(w.node.ledger()!.answers.get(q.id)!.time);

    // A refused request cannot be refused again or granted afterwards.
    expect(await refuseRequest(other, q.id)).toMatchObject({ ok: false, code: 'ALREADY_DONE' });
    expect(await grantConsent(w.ctx, { hospital: w.aId, scope: SCOPE_ALL, purpose: Purpose.Treatment, expiry: q.expiry, regarding: q.id })).toMatchObject({
      ok: false,
      code: 'ALREADY_DONE',
    });

    // The log names the refusal, by the patient, of A's request.
    const log = accessLog(w.node.chain(), w.node.ledger()!, w.patientId, w.node.now());
    const aName = w.node.ledger()!.hospitals.get(w.aId)!.name;
    expect(log.slice(0, 2).map((e) => [e.kind, e.by, e.hospital, e.referral])).toEqual([
      ['refusal', null, aName, false],
      ['request', aName, aName, undefined],
    ]);
  });

  it('refuses a referral as well, and nothing that is not an ask to this patient', async () => {
    const w = await world('refuse-referral');
    await consentToA(w);
    expect(await refer(w.hctx, w.a, w.aId, w.bId, w.patientId, 'Please see.')).toMatchObject({ ok: true });
    w.node.mine();
    const [item] = inbox(w.node.ledger()!, w.patientId, w.node.now());
    if (item?.kind !== 'referral') throw new Error('expected a referral');
    expect(await refuseRequest(w.ctx, '00'.repeat(32))).toMatchObject({ ok: false, code: 'UNKNOWN_REFERENCE' });
    expect(await refuseRequest(w.ctx, item.referral.id)).toMatchObject({ ok: true });
    w.node.mine();
    expect(inbox(w.node.ledger()!, w.patientId, w.node.now())).toEqual([]);
    expect(stateOf(w, item.referral.id)).toMatchObject({ status: 'refused', hospital: w.bId });
    expect(accessLog(w.node.chain(), w.node.ledger()!, w.patientId, w.node.now())[0]).toMatchObject({
      kind: 'refusal',
      hospital: 'Hill Clinic',
      referral: true,
    });
  });
});

describe('a grant answering a request', () => {
  /** The form as it opens for request `q`: everything asked. */
  const asAsked = (w: World, q: RequestState): GrantFormValues => ({
    hospital: w.aId,
    regarding: q.id,
    scope: q.scope,
    purpose: q.purpose,
    fromDate: '',
    toDate: '',
    days: grantLimits(q, w.node.now()).maxDays!,
    eraseAfterDays: 0,
    mode: q.mode,
  });

  it('may be narrowed — kinds, record dates, days, view only, a later erase-by — and covers only what it gives', async () => {
    const w = await world('narrow');
    expect(await uploadRecord(w.ctx, Category.LabReport, { ...note('Recent lipids'), date: '2025-12-30' }, [], TODAY)).toMatchObject({ ok: true });
    w.node.mine();
    expect(await uploadRecord(w.ctx, Category.LabReport, { ...note('Old lipids'), date: '2025-03-01' }, [], TODAY)).toMatchObject({ ok: true });
    w.node.mine();
    expect(await uploadRecord(w.ctx, Category.Prescription, { ...note('Statin'), date: '2025-12-30' }, [], TODAY)).toMatchObject({ ok: true });
    w.node.mine();
    const q = await ask(w, (1 << Category.LabReport) | (1 << Category.Prescription), { from: recordDay('2025-01-01'), expiry: w.node.now() + 30 * DAY });
    const limits = grantLimits(q, w.node.now());
    expect(limits).toMatchObject({ scope: q.scope, purpose: Purpose.Treatment, from: recordDay('2025-01-01'), to: OPEN_END, download: true, maxDays: 30 });

    const narrowed: GrantFormValues = {
      ...asAsked(w, q),
      scope: 1 << Category.LabReport,
      fromDate: '2025-06-01',
      toDate: '',
      days: 10,
      eraseAfterDays: 5,
      mode: AccessMode.View,
    };
    const choice = grantChoice(narrowed, q, w.node.now());
    if ('ok' in choice) throw new Error(`form refused: ${choice.code}`);
    const now = w.node.now();
    expect(choice).toEqual({
      hospital: w.aId,
      regarding: q.id,
      scope: 1 << Category.LabReport,
      purpose: Purpose.Treatment,
      from: recordDay('2025-06-01'),
      to: OPEN_END,
      expiry: now + 10 * DAY,
      eraseBy: now + 15 * DAY,
      mode: AccessMode.View,
    });
    const g = await grantConsent(w.ctx, choice);
    expect(g).toMatchObject({ ok: true });
    w.node.mine();

    const [live] = activeGrants(w.node.ledger()!, w.patientId, w.node.now());
    expect(live).toMatchObject({
      id: (g as { id: string }).id,
      hospital: w.aId,
      scope: 1 << Category.LabReport,
      from: recordDay('2025-06-01'),
      to: OPEN_END,
      expiry: now + 10 * DAY,
      eraseBy: now + 15 * DAY,
      mode: AccessMode.View,
      regarding: q.id,
    });
    const h = stateOf(w, q.id)!;
    expect(h).toMatchObject({ status: 'granted', since: w.node.ledger()!.grants.get(live!.id)!.time });
    expect(narrowedTerms(h.request!, h.grant!).sort()).toEqual(['expiry', 'from', 'mode', 'scope']);

    // The hospital gets the key of the lab report dated in the range only.
    expect(await shareDueKeys(w.ctx)).toEqual({ sent: 1, failed: null });
    w.node.mine();
    expect(await w.seenBy(w.aData.secret)).toEqual({ opens: ['Recent lipids'], closed: 2 });

    // The log shows the grant with its terms.
    const entry = accessLog(w.node.chain(), w.node.ledger()!, w.patientId, w.node.now()).find((e) => e.kind === 'grant');
    expect(entry?.terms).toEqual(termsOf(live!));
    const en = await loadCatalogue.en();
    const line = termsLine(en, 'en', entry!.terms!);
    expect(line).toContain('Lab report · for treatment · until ');
    expect(line).toContain(' · records from 1 Jun 2025 and later · view only · copies deleted by ');
  });

  it('given as asked by default, and never more: the form and the ledger both refuse, in words', async () => {
    const w = await world('beyond');
    const q = await ask(w, 1 << Category.LabReport, { from: recordDay('2025-01-01'), to: recordDay('2025-12-31'), mode: AccessMode.View });
    const now = w.node.now();
    const form = asAsked(w, q);
    const full = grantChoice(form, q, now);
    if ('ok' in full) throw new Error(`form refused: ${full.code}`);
    expect(full).toMatchObject({ scope: q.scope, from: q.from, to: q.to, expiry: q.expiry, eraseBy: q.expiry, mode: AccessMode.View });
    const cases: [Partial<GrantFormValues>, string][] = [
      [{ scope: SCOPE_ALL }, 'BEYOND_REQUEST'],
      [{ purpose: Purpose.Research }, 'BEYOND_REQUEST'],
      [{ fromDate: '2024-12-31' }, 'BEYOND_REQUEST'],
      [{ toDate: '2026-01-01' }, 'BEYOND_REQUEST'],
      [{ days: form.days + 1 }, 'BEYOND_REQUEST'],
      [{ mode: AccessMode.Download }, 'BEYOND_REQUEST'],
      [{ fromDate: '2025-08-01', toDate: '2025-07-01' }, 'BAD_RANGE'],
      [{ fromDate: '2025-02-30' }, 'BAD_RANGE'],
      [{ toDate: 'soon' }, 'BAD_RANGE'],
      [{ days: 0 }, 'BAD_EXPIRY'],
      [{ days: 2.5 }, 'BAD_EXPIRY'],
      [{ eraseAfterDays: -1 }, 'BAD_ERASE_BY'],
      [{ scope: 0 }, 'BAD_SCOPE'],
    ];
    for (const [change, code] of cases) expect(grantChoice({ ...form, ...change }, q, now), JSON.stringify(change)).toEqual({ ok: false, code });
    expect(grantChoice(form, q, q.answerBy)).toEqual({ ok: false, code: 'REQUEST_EXPIRED' });

    // Sent anyway, the ledger refuses it with the same code; every code has words in both languages.
    expect(await grantConsent(w.ctx, { ...full, mode: AccessMode.Download })).toMatchObject({
      ok: false,
      code: 'BEYOND_REQUEST',
    });
    for (const lang of ['en', 'hi'] as const) {
      const m = await loadCatalogue[lang]();
      for (const code of ['BAD_RANGE', 'BAD_ERASE_BY', 'BEYOND_REQUEST', 'REQUEST_EXPIRED'] as const)
        expect(Object.hasOwn(m.action, code), `${lang} ${code}`).toBe(true);
    }
    expect(await grantConsent(w.ctx, full)).toMatchObject({ ok: true });
    w.node.mine();
    const h = stateOf(w, q.id)!;
    expect(h.status).toBe('granted');
    expect(narrowedTerms(h.request!, h.grant!)).toEqual([]);
  });

  it('without a request to answer (unasked, or a referral), anything may be given', async () => {
    const limits = grantLimits(null, 1_000);
    expect(limits).toEqual({ scope: SCOPE_ALL, purpose: null, from: 0, to: OPEN_END, expiry: null, maxDays: null, download: true });
    const form: GrantFormValues = {
      hospital: 'h',
      scope: SCOPE_ALL,
      purpose: Purpose.Research,
      fromDate: '',
      toDate: '2020-01-01',
      days: 400,
      eraseAfterDays: 0,
      mode: AccessMode.Download,
    };
    expect(grantChoice(form, null, 1_000)).toEqual({
      hospital: 'h',
      scope: SCOPE_ALL,
      purpose: Purpose.Research,
      from: 0,
      to: recordDay('2020-01-01'),
      expiry: 1_000 + 400 * DAY,
      eraseBy: 1_000 + 400 * DAY,
      mode: AccessMode.Download,
    });
  });
});

describe('requests and answers', () => {
  it('each request and referral has its state and the time it got there: requested, granted, refused, expired, revoked', async () => {
    const w = await world('history');
    await consentToA(w);
    const t0 = w.node.now();
    const revokedAsk = await ask(w, SCOPE_ALL, { answerBy: t0 + 10 * DAY });
    const refusedAsk = await ask(w, SCOPE_ALL, { answerBy: t0 + 10 * DAY });
    const unanswered = await ask(w, SCOPE_ALL, { answerBy: t0 + 2 * DAY });
    const shortAsk = await ask(w, SCOPE_ALL, { expiry: t0 + 3 * DAY, answerBy: t0 + 10 * DAY });
    expect(await refer(w.hctx, w.a, w.aId, w.bId, w.patientId, 'Please see.')).toMatchObject({ ok: true });
    w.node.mine();
    const referral = [...w.node.ledger()!.referrals.values()][0]!;

    const grant = async (q: RequestState) => {
      const r = await grantConsent(w.ctx, { hospital: w.aId, scope: q.scope, purpose: q.purpose, expiry: q.expiry, regarding: q.id });
      if (!r.ok) throw new Error(r.code);
      return r.id;
    };
    const g1 = await grant(revokedAsk);
    const g2 = await grant(shortAsk);
    expect(await refuseRequest(w.ctx, refusedAsk.id)).toMatchObject({ ok: true });
    w.node.mine();
    expect(await revokeConsent(w.ctx, g1)).toMatchObject({ ok: true });
    w.node.mine();
    const ledger = w.node.ledger()!;
    const aName = ledger.hospitals.get(w.aId)!.name;
    const revocation = w.node.chain().ofPatient(w.patientId).at(-1)!;
    expect(revocation.tx.kind).toBe(TxKind.RevokeConsent);

    const states = () => consentHistory(ledger, w.patientId, w.node.now()).map((a) => [a.id, a.status, a.since]);
    expect(states()).toEqual([
      [referral.id, 'requested', referral.time],
      [shortAsk.id, 'granted', ledger.grants.get(g2)!.time],
      [unanswered.id, 'requested', unanswered.time],
      [refusedAsk.id, 'refused', ledger.answers.get(refusedAsk.id)!.time],
      [revokedAsk.id, 'revoked', ledger.grants.get(g1)!.revokedAt],
    ]);
    expect(ledger.grants.get(g1)!.revokedAt).toBe(revocation.tx.time);
    expect(accessLog(w.node.chain(), ledger, w.patientId, w.node.now()).some((e) => e.kind === 'request-expired')).toBe(false);

    // The clock passes the unanswered request's answer-by, then the short grant's expiry.
    w.node.clock = t0 + 4 * DAY;
    expect(states().slice(1, 3)).toEqual([
      [shortAsk.id, 'expired', shortAsk.expiry],
      [unanswered.id, 'expired', unanswered.answerBy],
    ]);
    // An expired request leaves the inbox; the referral stays.
    expect(inbox(ledger, w.patientId, w.node.now()).map((i) => i.kind)).toEqual(['referral']);
    expect(await refuseRequest(w.ctx, unanswered.id)).toMatchObject({ ok: false, code: 'REQUEST_EXPIRED' });
    // The log shows the expiry as an event at the answer-by time, in time order.
    const log = accessLog(w.node.chain(), ledger, w.patientId, w.node.now());
    expect(log.filter((e) => e.kind === 'request-expired')).toEqual([
      { id: unanswered.id, kind: 'request-expired', time: unanswered.answerBy, by: aName, hospital: aName },
    ]);
    expect(log[0]!.kind).toBe('request-expired');
    expect(log.every((e, i) => i === 0 || log[i - 1]!.time >= e.time)).toBe(true);
  });
});

describe('the terms in words', () => {
  it('names the dates of records: all, from a day on, up to a day, between two', async () => {
    const en = await loadCatalogue.en();
    const hi = await loadCatalogue.hi();
    const d1 = recordDay('2025-01-15');
    const d2 = recordDay('2025-03-31');
    expect([datesWords(en, 'en', 0, OPEN_END), datesWords(en, 'en', d1, OPEN_END), datesWords(en, 'en', 0, d2), datesWords(en, 'en', d1, d2)]).toEqual([
      'records of any date',
      'records from 15 Jan 2025 and later',
      'records up to 31 Mar 2025',
      'records from 15 Jan 2025 to 31 Mar 2025',
    ]);
    expect(datesWords(hi, 'hi', d1, d2)).toMatch(/^15 जन॰ 2025 से 31 मार्च 2025 तक के रिकॉर्ड$/);
  });
});
