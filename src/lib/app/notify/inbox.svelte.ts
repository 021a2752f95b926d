/**
 * One person's inbox on this device (issue 15), shared by the screen that
 * lists it and the navigation that counts it: the notices derived last
 * (patient-notices.ts or hospital-notices.ts), which of them are read
 * (read-state.ts, kept in localStorage under a hash of the id) and whether
 * system notifications are allowed (system.ts). Each refresh announces the
 * new unread notices (announce.ts). One instance per person and tab.
 */
import { SvelteSet } from 'svelte/reactivity';
import type { Messages } from '../../i18n/catalogue';
import { announce } from './announce';
import type { Notice } from './notice';
import { type KeyValueStore, ReadState, browserStore } from './read-state';
import { type NotifyPermission, type SystemNotifier, browserNotifier } from './system';
import { type DateWords, announceWords } from './words';

export class Inbox {
  /** The notices of the last refresh, newest first. */
  notices = $state.raw<readonly Notice[]>([]);
  /** Ids marked read in this tab (reactive, so screens re-render; the store keeps them all). */
  private readonly read = new SvelteSet<string>();
  permission = $state<NotifyPermission>('unsupported');
  private readonly state: ReadState;

  constructor(
    person: string,
    store: KeyValueStore,
    private readonly notifier: SystemNotifier,
  ) {
    this.state = new ReadState(store, person);
    this.permission = notifier.permission();
  }

  /** How many of the notices are unread. */
  get unread(): number {
    return this.notices.filter((n) => !this.isRead(n.id)).length;
  }

  isRead(id: string): boolean {
    return this.read.has(id) || this.state.isRead(id);
  }

  /** Takes the notices derived now and raises a system notification for the new unread ones (words in `m`'s language). */
  refresh(notices: readonly Notice[], m: Messages, date: DateWords): void {
    this.notices = notices;
    this.permission = this.notifier.permission();
    announce(notices, this.state, this.notifier, announceWords(m, date));
  }

  markRead(ids: readonly string[]): void {
    if (this.state.markRead(ids)) for (const id of ids) this.read.add(id);
  }

  markAllRead(): void {
    this.markRead(this.notices.map((n) => n.id));
  }

  /** Asks for permission (from the inbox's button only); the notices shown so far are not announced afterwards. */
  async allow(): Promise<void> {
    this.permission = await this.notifier.request();
  }
}

/** This tab's inbox of each person who signed in (a plain record: nothing re-renders when one is added). */
const open: Record<string, Inbox> = {};

/** The inbox of `person` in this tab (the browser's storage and Notifications API). */
export function inboxOf(person: string): Inbox {
  return (open[person] ??= new Inbox(person, browserStore(), browserNotifier()));
}

/** Drops every inbox of this tab (at sign-out: the next person on a shared device holds none of the last one's notices in memory). */
export function forgetInboxes(): void {
  for (const person of Object.keys(open)) delete open[person];
}
