/**
 * Read state on the device (issue 15): per person, under a hash of the
 * person's id (never the id), surviving a reload through the storage
 * interface, with "mark all read"; a damaged entry starts afresh.
 */
import { describe, expect, it } from 'vitest';
import { ReadState, inboxKey, memoryStore } from '../../../../src/lib/app/notify/read-state';
import { Inbox } from '../../../../src/lib/app/notify/inbox.svelte';
import { memoryNotifier } from '../../../../src/lib/app/notify/system';
import { notice } from '../../../../src/lib/app/notify/notice';
import { en } from '../../../../src/lib/i18n/en';

const alice = 'a1'.repeat(32);
const bob = 'b2'.repeat(32);
const date = (s: number) => `day ${s}`;

describe('read state', () => {
  it('is kept per person under a hash of the id, and survives a reload', () => {
    const store = memoryStore();
    const mine = new ReadState(store, alice);
    expect(mine.markRead(['x:record', 'y:request'])).toBe(true);
    expect(mine.markRead(['x:record'])).toBe(false);
    expect([...store.entries.keys()]).toEqual([inboxKey(alice)]);
    expect(inboxKey(alice)).not.toContain(alice.slice(0, 16));
    expect(inboxKey(alice)).not.toBe(inboxKey(bob));
    expect(store.entries.get(inboxKey(alice))).not.toContain(alice);
    const reloaded = new ReadState(store, alice);
    expect(reloaded.isRead('x:record')).toBe(true);
    expect(reloaded.isRead('z:record')).toBe(false);
    expect(new ReadState(store, bob).isRead('x:record')).toBe(false);
  });

  it('a damaged entry starts the inbox afresh', () => {
    const store = memoryStore();
    store.set(inboxKey(alice), '{not json');
    expect(new ReadState(store, alice).isRead('x:record')).toBe(false);
    store.set(inboxKey(alice), JSON.stringify({ read: ['x:record', 7] }));
    expect(new ReadState(store, alice).isRead('x:record')).toBe(true);
  });

  it('the inbox counts unread notices; "mark all read" clears the count, for this person only, after a reload too', () => {
    const store = memoryStore();
    const notices = [notice('x', 10, { kind: 'emergency', hospital: 'H' }), notice('y', 5, { kind: 'request', hospital: 'H' })];
    const inbox = new Inbox(alice, store, memoryNotifier().notifier);
    inbox.refresh(notices, en, date);
    expect(inbox.unread).toBe(2);
    inbox.markRead(['y:request']);
    expect(inbox.unread).toBe(1);
    inbox.markAllRead();
    expect(inbox.unread).toBe(0);
    const again = new Inbox(alice, store, memoryNotifier().notifier);
    again.refresh(notices, en, date);
    expect(again.unread).toBe(0);
    const other = new Inbox(bob, store, memoryNotifier().notifier);
    other.refresh(notices, en, date);
    expect(other.unread).toBe(2);
  });
});
