/**
 * Chain times and days as ISO 8601 text, for exports and reports. A
 * transaction may carry any 53-bit time and any 32-bit day, most of them
 * beyond the years a JavaScript `Date` can hold (where `toISOString`
 * throws), so these say "none" instead of throwing.
 */
import { type Day, OPEN_END } from './payload-fields';

/** The last instant a `Date` holds: 8.64e15 ms after 1970. */
const MAX_MS = 8.64e15;

/** `seconds` since 1970 as `YYYY-MM-DDTHH:MM:SSZ`; null when out of a `Date`'s range. */
export function isoTime(seconds: number): string | null {
  const ms = seconds * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_MS) return null;
  // eslint-disable-next-line no-restricted-globals -- formats a given instant, reads no clock
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** A day number as `YYYY-MM-DD`; null for {@link OPEN_END} ("every later record") or a day out of a `Date`'s range. */
export function isoDay(day: Day): string | null {
  if (day === OPEN_END) return null;
  return isoTime(day * 86_400)?.slice(0, 10) ?? null;
}
