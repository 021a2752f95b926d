/**
 * The consent artefact (issue 15, SPEC §4) on the ledger: who can decrypt
 * which record after each event — a grant with a date range, a narrowed grant
 * answering a request, a refusal, a request left to expire, a grant that
 * expires — and the rule codes that guard each term. The states both sides
 * see (core/consent-status.ts) are checked on the same worlds.
 */
import { describe, expect, it } from 'vitest';
import { askStatus, asksBy, asksOf } from '../../../src/lib/core/consent-status';
import { AccessMode, Category, OPEN_END, Purpose, SCOPE_ALL, dayOf } from '../../../src/lib/core/payloads';
import { recordDay } from '../../../src/lib/core/record';
import { DAY, T0, World, type Party, scopeOf } from './ledger-world';

const LAB = scopeOf(Category.LabReport);

/** A network of two hospitals with staff, and a patient. */
function world(seed: string) {
  const w = new World(`artefact/${seed}`);
  const [H1, H2] = [w.hospital('H1'), w.hospital('H2')];
  const S1 = w.staffOf(H1, 'S1');
  const P = w.patient('P');
  w.ok(w.found(H1), w.found(H2));
  w.ok(w.certifyStaff(H1, S1), w.registerPatient(P));
  const everyone: Party[] = [P, H1, S1, H2];
  /** Adds the patient's own record of `category` dated `date`; its id. */
  const own = (category: Category, date: string) => {
    const b = w.addRecord(P, P, category, { day: recordDay(date) });
    w.ok(b);
    return b.id;
  };
  /** The patient re-wraps every record to every reader the ledger now allows (what the app does after a grant). */
  const shareDue = (ids: readonly string[]) => {
    for (const id of ids) if (w.newReaders(id).length > 0) w.ok(w.shareKeys(P, id));
  };
  const readers = (id: string) => w.readersOf(id, everyone);
  return { w, H1, H2, S1, P, own, shareDue, readers };
}

describe('who can decrypt which record after each event', () => {
  // T0 is 2026-01-01; the patient holds records of 2024, 2025 and 2026 before consenting.
  type Event = 'range-2025' | 'narrowed' | 'refused' | 'request-expired' | 'grant-expired' | 'open-range';
  const table: readonly { event: Event; lab2024: string[]; lab2025: string[]; note2025: string[]; lab2026: string[]; newLab2025: string[] }[] = [
    // Consent to H1 for every category, for records of 2025 only.
    { event: 'range-2025', lab2024: ['P'], lab2025: ['P', 'H1', 'S1'], note2025: ['P', 'H1', 'S1'], lab2026: ['P'], newLab2025: ['P', 'H1', 'S1'] },
    // H1 asked for everything; the patient granted lab reports from 2025-06-01 on (the new record is of March 2025).
    { event: 'narrowed', lab2024: ['P'], lab2025: ['P', 'H1', 'S1'], note2025: ['P'], lab2026: ['P', 'H1', 'S1'], newLab2025: ['P'] },
    // H1 asked; the patient refused: nothing is shared.
    { event: 'refused', lab2024: ['P'], lab2025: ['P'], note2025: ['P'], lab2026: ['P'], newLab2025: ['P'] },
    // H1 asked; nobody answered before the answer-by time: nothing is shared, and a late grant for it is refused.
    { event: 'request-expired', lab2024: ['P'], lab2025: ['P'], note2025: ['P'], lab2026: ['P'], newLab2025: ['P'] },
    // A grant for everything, then it expired: what H1 read stays read, what is added later is not wrapped to it.
    {
      event: 'grant-expired',
      lab2024: ['P', 'H1', 'S1'],
      lab2025: ['P', 'H1', 'S1'],
      note2025: ['P', 'H1', 'S1'],
      lab2026: ['P', 'H1', 'S1'],
      newLab2025: ['P'],
    },
    // Every record, every category: the old behaviour.
    {
      event: 'open-range',
      lab2024: ['P', 'H1', 'S1'],
      lab2025: ['P', 'H1', 'S1'],
      note2025: ['P', 'H1', 'S1'],
      lab2026: ['P', 'H1', 'S1'],
      newLab2025: ['P', 'H1', 'S1'],
    },
  ];

  it.each(table)('$event', ({ event, ...want }) => {
    const { w, H1, S1, P, own, shareDue, readers } = world(event);
    const ids = {
      lab2024: own(Category.LabReport, '2024-05-10'),
      lab2025: own(Category.LabReport, '2025-07-01'),
      note2025: own(Category.Consultation, '2025-08-01'),
      lab2026: own(Category.LabReport, '2026-01-01'),
    };
    const all = Object.values(ids);
    if (event === 'range-2025') w.ok(w.grant(P, H1, SCOPE_ALL, { from: recordDay('2025-01-01'), to: recordDay('2025-12-31') }));
    else if (event === 'open-range') w.ok(w.grant(P, H1, SCOPE_ALL));
    else {
      const request = w.request(S1, P, SCOPE_ALL, { answerBy: w.nextTime + DAY });
      w.ok(request);
      if (event === 'narrowed') w.ok(w.grant(P, H1, LAB, { regarding: request.id, from: recordDay('2025-06-01'), mode: AccessMode.View }));
      if (event === 'refused') w.ok(w.refuse(P, request.id));
      if (event === 'request-expired') {
        w.advance(2 * DAY);
        expect(w.code(w.grant(P, H1, SCOPE_ALL, { regarding: request.id }))).toBe('REQUEST_EXPIRED');
      }
      if (event === 'grant-expired') {
        w.ok(w.grant(P, H1, SCOPE_ALL, { regarding: request.id, days: 2 }));
        shareDue(all);
        w.advance(3 * DAY);
      }
    }
    shareDue(all);
    const fresh = own(Category.LabReport, '2025-03-03');
    shareDue([fresh]);
    expect({
      lab2024: readers(ids.lab2024),
      lab2025: readers(ids.lab2025),
      note2025: readers(ids.note2025),
      lab2026: readers(ids.lab2026),
      newLab2025: readers(fresh),
    }).toEqual(want);
  });
});

describe('the terms of a grant and a request are rules every node checks', () => {
  it('a date range ends on or after it starts (BAD_RANGE); copies are erased at or after the expiry (BAD_ERASE_BY)', () => {
    const { w, H1, S1, P } = world('terms');
    expect(w.code(w.grant(P, H1, SCOPE_ALL, { from: 20_000, to: 19_999 }))).toBe('BAD_RANGE');
    expect(w.code(w.grant(P, H1, SCOPE_ALL, { from: 20_000, to: 20_000 }))).toBe('OK');
    const expiry = w.nextTime + DAY;
    expect(w.code(w.grant(P, H1, SCOPE_ALL, { expiry, eraseBy: expiry - 1 }))).toBe('BAD_ERASE_BY');
    expect(w.code(w.grant(P, H1, SCOPE_ALL, { expiry, eraseBy: expiry }))).toBe('OK');
    expect(w.code(w.request(S1, P, SCOPE_ALL, { from: 5, to: 4 }))).toBe('BAD_RANGE');
    expect(w.code(w.request(S1, P, SCOPE_ALL, { answerBy: w.nextTime }))).toBe('BAD_EXPIRY');
    expect(w.code(w.request(S1, P, SCOPE_ALL, { expiry: w.nextTime - 1 }))).toBe('BAD_EXPIRY');
  });

  it('a grant answering a request gives no more than it asked (BEYOND_REQUEST), term by term', () => {
    const { w, H1, S1, P } = world('beyond');
    const expiry = w.nextTime + 10 * DAY;
    const from = recordDay('2025-01-01');
    const to = recordDay('2025-12-31');
    const request = w.request(S1, P, LAB, { from, to, expiry, mode: AccessMode.View, purpose: Purpose.SecondOpinion });
    w.ok(request);
    const answer = (scope: number, terms: Parameters<World['grant']>[3] = {}) => w.code(w.grant(P, H1, scope, { regarding: request.id, ...terms }));
    expect(answer(SCOPE_ALL)).toBe('BEYOND_REQUEST');
    expect(answer(LAB, { from: from - 1 })).toBe('BEYOND_REQUEST');
    expect(answer(LAB, { to: to + 1 })).toBe('BEYOND_REQUEST');
    expect(answer(LAB, { to: OPEN_END })).toBe('BEYOND_REQUEST');
    expect(answer(LAB, { expiry: expiry + 1 })).toBe('BEYOND_REQUEST');
    expect(answer(LAB, { mode: AccessMode.Download })).toBe('BEYOND_REQUEST');
    expect(answer(LAB, { purpose: Purpose.Treatment })).toBe('BEYOND_REQUEST');
    // Narrower on every term is fine, and the grant keeps what was granted.
    const narrowed = w.grant(P, H1, LAB, { regarding: request.id, from: from + 100, to: to - 100, expiry: expiry - DAY });
    w.ok(narrowed);
    expect(w.ledger.grants.get(narrowed.id)).toMatchObject({ scope: LAB, from: from + 100, to: to - 100, expiry: expiry - DAY, mode: AccessMode.View });
    // A request is answered once.
    expect(answer(LAB)).toBe('ALREADY_DONE');
    expect(w.code(w.refuse(P, request.id))).toBe('ALREADY_DONE');
  });

  it('a refusal is the patient’s, of a request or referral to them, once, before the request expires', () => {
    const { w, H1, H2, S1, P } = world('refusal');
    const Q = w.patient('Q');
    w.ok(w.registerPatient(Q));
    const request = w.request(S1, P, SCOPE_ALL, { answerBy: w.nextTime + DAY });
    w.ok(request);
    expect(w.code(w.refuse(Q, request.id))).toBe('UNKNOWN_REFERENCE');
    expect(w.code(w.refuse(P, request.id, { as: S1.sign }))).toBe('NOT_AUTHORISED');
    expect(
      w.code(
        w.refuse(
          P,
          w.random(32).reduce((s, b) => s + b.toString(16).padStart(2, '0'), ''),
        ),
      ),
    ).toBe('UNKNOWN_REFERENCE');
    const refusal = w.refuse(P, request.id);
    w.ok(refusal);
    expect(w.ledger.answers.get(request.id)).toEqual({ kind: 'refusal', id: refusal.id, time: refusal.tx.time });
    expect(w.ledger.byPatient.get(P.id)).toContain(refusal.id);
    expect(w.code(w.refuse(P, request.id))).toBe('ALREADY_DONE');
    expect(w.code(w.grant(P, H1, SCOPE_ALL, { regarding: request.id }))).toBe('ALREADY_DONE');
    // A referral may be refused too.
    w.ok(w.grant(P, H1, SCOPE_ALL));
    const referral = w.referral(S1, H2, P);
    w.ok(referral);
    w.ok(w.refuse(P, referral.id));
    expect(w.code(w.grant(P, H2, SCOPE_ALL, { regarding: referral.id }))).toBe('ALREADY_DONE');
    // A request past its answer-by time can no longer be refused either: it has expired.
    const late = w.request(S1, P, SCOPE_ALL, { answerBy: w.nextTime + DAY });
    w.ok(late);
    w.advance(2 * DAY);
    expect(w.code(w.refuse(P, late.id))).toBe('REQUEST_EXPIRED');
  });

  it('a record is dated no later than the day after its block (BAD_RECORD_DATE)', () => {
    const { w, P } = world('record-date');
    const today = dayOf(w.nextTime);
    expect(w.code(w.addRecord(P, P, Category.LabReport, { day: today + 2 }))).toBe('BAD_RECORD_DATE');
    expect(w.code(w.addRecord(P, P, Category.LabReport, { day: today + 1 }))).toBe('OK');
    expect(w.code(w.addRecord(P, P, Category.LabReport, { day: 0 }))).toBe('OK');
  });

  it('a hospital writes in its grant’s categories whatever the record’s date: the range limits what it reads', () => {
    const { w, H1, S1, P, readers } = world('write-range');
    w.ok(w.grant(P, H1, LAB, { from: recordDay('2025-01-01'), to: recordDay('2025-01-31') }));
    const written = w.addRecord(S1, P, Category.LabReport, { day: dayOf(w.nextTime) });
    w.ok(written);
    expect(readers(written.id)).toEqual(['P', 'H1', 'S1']);
    expect(w.code(w.addRecord(S1, P, Category.Prescription))).toBe('OUT_OF_SCOPE');
  });
});

describe('each request’s state, as both sides see it', () => {
  it('requested, granted, refused, expired (unanswered and after a grant) and revoked, with the time of each', () => {
    const { w, H1, S1, P } = world('states');
    const ask = () => {
      const r = w.request(S1, P, SCOPE_ALL, { answerBy: w.nextTime + DAY });
      w.ok(r);
      return r;
    };
    const [open, granted, refused, unanswered, lapsed, revoked] = [ask(), ask(), ask(), ask(), ask(), ask()];
    const g = w.grant(P, H1, SCOPE_ALL, { regarding: granted.id });
    const f = w.refuse(P, refused.id);
    const l = w.grant(P, H1, SCOPE_ALL, { regarding: lapsed.id, expiry: w.nextTime + 3600 });
    const r = w.grant(P, H1, SCOPE_ALL, { regarding: revoked.id });
    w.ok(g, f, l, r);
    const rv = w.revoke(P, r.id);
    w.ok(rv);
    const now = w.time;
    const state = (id: string, at = now) => {
      const v = askStatus(w.ledger, id, at)!;
      return [v.status, v.since];
    };
    expect(state(open.id)).toEqual(['requested', open.tx.time]);
    expect(state(granted.id)).toEqual(['granted', g.tx.time]);
    expect(state(refused.id)).toEqual(['refused', f.tx.time]);
    expect(state(revoked.id)).toEqual(['revoked', rv.tx.time]);
    const later = now + 2 * DAY;
    expect(state(open.id, later)).toEqual(['expired', w.ledger.requests.get(open.id)!.answerBy]);
    expect(state(unanswered.id, later)).toEqual(['expired', w.ledger.requests.get(unanswered.id)!.answerBy]);
    expect(state(lapsed.id, later)).toEqual(['expired', w.ledger.grants.get(l.id)!.expiry]);
    expect(askStatus(w.ledger, g.id, now)).toBeNull();
    // The patient's list and the hospital's list say the same, newest first.
    const mine = asksOf(w.ledger, P.id, now).map((a) => [a.id, a.status]);
    const theirs = asksBy(w.ledger, H1.id, now, P.id).map((a) => [a.id, a.status]);
    expect(mine).toEqual(theirs);
    expect(mine.map(([id]) => id)).toEqual([revoked.id, lapsed.id, unanswered.id, refused.id, granted.id, open.id]);
    // What was granted sits beside what was asked.
    const v = askStatus(w.ledger, granted.id, now)!;
    expect(v.request?.scope).toBe(SCOPE_ALL);
    expect(v.grant?.id).toBe(g.id);
    expect(T0).toBeLessThan(now);
  });
});

describe('a caregiver the patient delegates to (SPEC §2, family)', () => {
  it('reads the records of the delegation’s kinds and dates while it lasts; expiry and revocation end it', () => {
    const { w, P, own, shareDue } = world('caregiver');
    const C = w.patient('Carer');
    w.ok(w.registerPatient(C));
    const everyone: Party[] = [P, C];
    const readers = (id: string) => w.readersOf(id, everyone);
    const lab2025 = own(Category.LabReport, '2025-02-02');
    const note2025 = own(Category.Consultation, '2025-02-03');
    const lab2023 = own(Category.LabReport, '2023-02-02');
    const d = w.delegate(P, C, LAB, { from: recordDay('2024-01-01'), days: 2 });
    w.ok(d);
    expect(w.ledger.delegations.get(d.id)).toMatchObject({ patient: P.id, caregiver: C.id, scope: LAB, revoked: false });
    expect(w.ledger.byPatient.get(C.id)).toContain(d.id);
    shareDue([lab2025, note2025, lab2023]);
    expect([lab2025, note2025, lab2023].map(readers)).toEqual([['P', 'Carer'], ['P'], ['P']]);
    // While it lasts, a new lab report is wrapped to the caregiver at once.
    const fresh = own(Category.LabReport, '2025-12-01');
    expect(readers(fresh)).toEqual(['P', 'Carer']);
    // Once it expires, new records are not.
    w.advance(3 * DAY);
    expect(readers(own(Category.LabReport, '2025-12-02'))).toEqual(['P']);
    // A second delegation, revoked: the same.
    const again = w.delegate(P, C, LAB);
    w.ok(again);
    expect(readers(own(Category.LabReport, '2025-12-03'))).toEqual(['P', 'Carer']);
    w.ok(w.revoke(P, again.id));
    expect(w.ledger.delegations.get(again.id)).toMatchObject({ revoked: true });
    expect(readers(own(Category.LabReport, '2025-12-04'))).toEqual(['P']);
    expect(w.code(w.revoke(P, again.id))).toBe('ALREADY_DONE');
  });

  it('the caregiver is another registered patient; the terms are checked like a grant’s', () => {
    const { w, P, H1 } = world('caregiver-rules');
    const C = w.patient('Carer');
    expect(w.code(w.delegate(P, C, LAB))).toBe('UNKNOWN_PATIENT');
    w.ok(w.registerPatient(C));
    expect(w.code(w.delegate(P, P, LAB))).toBe('UNKNOWN_PATIENT');
    expect(w.code(w.delegate(P, C, 0))).toBe('BAD_SCOPE');
    expect(w.code(w.delegate(P, C, LAB, { from: 9, to: 8 }))).toBe('BAD_RANGE');
    expect(w.code(w.delegate(P, C, LAB, { expiry: w.nextTime - 1 }))).toBe('BAD_EXPIRY');
    expect(w.code(w.delegate(C, P, LAB, { as: H1.sign }))).toBe('NOT_AUTHORISED');
  });
});
