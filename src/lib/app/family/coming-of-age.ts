/**
 * The day a minor's profile passes to them (SPEC §2 "Family", issue 15),
 * from their date of birth: the 18th birthday, rounded up to the first day
 * of the next month. The day is public on the chain (AttestGuardian), so the
 * rounding keeps the exact birth date off it at the cost of at most a month
 * more under the guardian's passphrase (docs/threat-model.md).
 */
import type { Day } from '../../core/payloads';
import { parseRecordDay } from '../../core/record';

/** Years until a minor is an adult (Indian Majority Act 1875, s.3). */
export const AGE_OF_MAJORITY = 18;

/** The first day of the month after `date` (YYYY-MM-DD), or `date` when it is already the first; as a day number. */
function firstOfMonthFrom(year: number, month: number, day: number): Day {
  // Date.UTC rolls a 29 February into 1 March in a common year, and month 12 into January of the next year.
  const at = Date.UTC(year, month - 1, day);
  const d = new Date(at);
  const first = d.getUTCDate() === 1 ? at : Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return first / 86_400_000;
}

/** The coming-of-age day for a birth date typed as YYYY-MM-DD; null when it is not a real date. */
export function comingOfAge(birth: string): Day | null {
  if (parseRecordDay(birth) === null) return null;
  const [y, m, d] = birth.split('-').map(Number) as [number, number, number];
  return firstOfMonthFrom(y + AGE_OF_MAJORITY, m, d);
}
