/**
 * Every kind of notice has words in English and Hindi (issue 15), built from
 * its parameters, with no blockchain words on the patient's screens.
 */
import { describe, expect, it } from 'vitest';
import { type Notice, notice } from '../../../../src/lib/app/notify/notice';
import { announceWords, noticeText } from '../../../../src/lib/app/notify/words';
import { Category } from '../../../../src/lib/core/payloads';
import { en } from '../../../../src/lib/i18n/en';
import { hi } from '../../../../src/lib/i18n/hi';

const every: Notice[] = [
  notice('1', 1, { kind: 'request', hospital: 'City Hospital' }),
  notice('2', 1, { kind: 'referral', from: 'City Hospital', hospital: 'Hill Clinic' }),
  notice('3', 1, { kind: 'request-expiring', hospital: 'City Hospital', answerBy: 99 }),
  notice('4', 1, { kind: 'record', hospital: 'City Hospital', category: Category.Allergy }),
  notice('5', 1, { kind: 'grant-expiring', hospital: 'Hill Clinic', expiry: 77 }),
  notice('6', 1, { kind: 'keys-shared', hospital: 'Hill Clinic', records: 3 }),
  notice('7', 1, { kind: 'emergency', hospital: 'City Hospital' }),
  notice('8', 1, { kind: 'nominee-emergency', hospital: 'City Hospital', patient: 'ABCDE-FGHJK-M' }),
  notice('9', 1, { kind: 'review-overdue', clinician: 'Dr Rao', patient: 'ABCDE-FGHJK-M' }),
  notice('10', 1, { kind: 'request-granted', patient: 'ABCDE-FGHJK-M' }),
  notice('11', 1, { kind: 'request-refused', patient: 'ABCDE-FGHJK-M' }),
];
const date = (s: number) => `<${s}>`;

describe('notice words', () => {
  it.each([
    ['en', en],
    ['hi', hi],
  ] as const)('every kind in %s: its names, dates and counts, and a system title', (_, m) => {
    const lines = every.map((n) => noticeText(m, n, date));
    expect(new Set(lines).size).toBe(every.length);
    expect(lines[0]).toContain('City Hospital');
    expect(lines[1]).toContain('Hill Clinic');
    expect(lines[2]).toContain('<99>');
    expect(lines[3]).toContain(m.labels.category[Category.Allergy]);
    expect(lines[4]).toContain('<77>');
    expect(lines[7]).toContain('ABCDE-FGHJK-M');
    expect(lines[8]).toContain('Dr Rao');
    for (const line of lines) expect(line).not.toMatch(/block|chain|transaction|hash|ब्लॉक|चेन/i);
    for (const n of every) expect(announceWords(m, date).one(n).title.length).toBeGreaterThan(0);
  });

  it('an unknown hospital or clinician is worded, not left blank', () => {
    expect(noticeText(en, notice('1', 1, { kind: 'emergency', hospital: '' }), date)).toBe(
      'A clinician at Unknown hospital opened your records in an emergency.',
    );
    expect(noticeText(en, notice('1', 1, { kind: 'review-overdue', clinician: '', patient: 'X' }), date)).toContain(en.notify.aClinician);
  });
});
