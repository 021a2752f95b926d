/**
 * The hospital's request form (issue 15): a good form gives the scope and
 * terms requestAccess sends; a wrong one names each field's problem.
 */
import { describe, expect, it } from 'vitest';
import { AccessMode, Category, OPEN_END, Purpose } from '../../../../src/lib/core/payloads';
import { recordDay } from '../../../../src/lib/core/record';
import { MAX_ANSWER_DAYS, MAX_ASK_DAYS, type RequestFormInput, checkRequestForm } from '../../../../src/lib/app/clinician/request-form';
import { en } from '../../../../src/lib/i18n/en';
import { hi } from '../../../../src/lib/i18n/hi';
import { say } from '../../../../src/lib/i18n/say';

const NOW = 1_767_225_600;
const DAY = 86_400;
const form: RequestFormInput = {
  kinds: [Category.LabReport, Category.Prescription],
  purpose: Purpose.Payment,
  allDates: true,
  from: '',
  to: '',
  days: 30,
  mode: AccessMode.View,
  answerDays: 7,
};
const problems = (f: Partial<RequestFormInput>) => {
  const r = checkRequestForm({ ...form, ...f }, NOW);
  return r.ok ? [] : r.problems.map((p) => [p.field, p.code, ...(p.args ?? [])]);
};

describe('request form', () => {
  it('gives the scope, purpose and terms of a good form', () => {
    expect(checkRequestForm(form, NOW)).toEqual({
      ok: true,
      scope: (1 << Category.LabReport) | (1 << Category.Prescription),
      purpose: Purpose.Payment,
      terms: { from: 0, to: OPEN_END, expiry: NOW + 30 * DAY, mode: AccessMode.View, answerBy: NOW + 7 * DAY },
    });
    const dated = checkRequestForm({ ...form, allDates: false, from: '2025-01-01', to: '2025-12-31' }, NOW);
    expect(dated.ok && [dated.terms.from, dated.terms.to]).toEqual([recordDay('2025-01-01'), recordDay('2025-12-31')]);
    // An empty end means every later record too; an empty start, every earlier one.
    const open = checkRequestForm({ ...form, allDates: false, from: '2025-01-01' }, NOW);
    expect(open.ok && [open.terms.from, open.terms.to]).toEqual([recordDay('2025-01-01'), OPEN_END]);
    const upTo = checkRequestForm({ ...form, allDates: false, to: '2025-12-31' }, NOW);
    expect(upTo.ok && [upTo.terms.from, upTo.terms.to]).toEqual([0, recordDay('2025-12-31')]);
    // Dates typed while "all records" is chosen are ignored.
    const all = checkRequestForm({ ...form, from: 'rubbish' }, NOW);
    expect(all.ok && [all.terms.from, all.terms.to]).toEqual([0, OPEN_END]);
  });

  it('names every problem beside its field', () => {
    expect(problems({ kinds: [] })).toEqual([['kinds', 'NO_KIND']]);
    expect(problems({ allDates: false })).toEqual([['from', 'NO_DATES']]);
    expect(problems({ allDates: false, from: '2026-02-30', to: '1969-12-31' })).toEqual([
      ['from', 'BAD_DATE'],
      ['to', 'DATE_TOO_OLD', '1970-01-01'],
    ]);
    expect(problems({ allDates: false, from: '2025-12-31', to: '2025-01-01' })).toEqual([['to', 'TO_BEFORE_FROM']]);
    for (const days of [0, 1.5, MAX_ASK_DAYS + 1, Number.NaN]) expect(problems({ days })).toEqual([['days', 'BAD_DAYS', MAX_ASK_DAYS]]);
    expect(problems({ answerDays: MAX_ANSWER_DAYS + 1 })).toEqual([['answerDays', 'BAD_DAYS', MAX_ANSWER_DAYS]]);
    expect(problems({ days: 3, answerDays: 4 })).toEqual([['answerDays', 'ANSWER_AFTER_END']]);
    expect(problems({ days: 3, answerDays: 3 })).toEqual([]);
  });

  it('words each problem in English and Hindi', () => {
    const r = checkRequestForm({ ...form, kinds: [], days: 0 }, NOW);
    if (r.ok) throw new Error('expected problems');
    expect(r.problems.map((p) => say(en.care.ask.problem, p))).toEqual([
      'Choose at least one kind of record.',
      'Enter a whole number of days from 1 to 3,650.',
    ]);
    expect(r.problems.map((p) => say(hi.care.ask.problem, p))).toEqual(['कम से कम एक प्रकार का रिकॉर्ड चुनें।', '1 से 3,650 तक दिनों की पूरी संख्या भरें।']);
  });
});
