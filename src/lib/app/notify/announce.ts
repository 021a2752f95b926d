/**
 * Which notices raise a system notification (issue 15): only new unread
 * ones, once, and only with the person's permission. A notice present before
 * permission was given is marked as passed over, so allowing notifications
 * never floods the screen with the past; more than {@link MAX_AT_ONCE} new
 * at once (a device catching up after days offline) make one summary.
 */
import type { Notice } from './notice';
import type { ReadState } from './read-state';
import type { SystemNotice, SystemNotifier } from './system';

/** More new notices than this at once are announced as one summary. */
export const MAX_AT_ONCE = 3;

/** The words of the system notifications, in the language being shown (words.ts). */
export interface AnnounceWords {
  one(n: Notice): SystemNotice;
  summary(count: number): SystemNotice;
}

/** Raises the notifications `notices` call for; returns how many notices it announced. */
export function announce(notices: readonly Notice[], state: ReadState, notifier: SystemNotifier, words: AnnounceWords): number {
  const fresh = notices.filter((n) => !state.isRead(n.id) && !state.isTold(n.id));
  if (fresh.length === 0) return 0;
  state.markTold(fresh.map((n) => n.id));
  if (notifier.permission() !== 'granted') return 0;
  if (fresh.length > MAX_AT_ONCE) notifier.show(words.summary(fresh.length));
  else for (const n of fresh) notifier.show(words.one(n));
  return fresh.length;
}
