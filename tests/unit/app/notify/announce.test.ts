/**
 * System notifications (issue 15): only new unread notices raise one, once;
 * none without permission, and notices that came before permission are not
 * announced after it; many at once make one summary; words follow the
 * language of the messages passed in.
 */
import { describe, expect, it } from 'vitest';
import { MAX_AT_ONCE, announce } from '../../../../src/lib/app/notify/announce';
import { Inbox } from '../../../../src/lib/app/notify/inbox.svelte';
import { type Notice, notice } from '../../../../src/lib/app/notify/notice';
import { ReadState, memoryStore } from '../../../../src/lib/app/notify/read-state';
import { memoryNotifier } from '../../../../src/lib/app/notify/system';
import { announceWords } from '../../../../src/lib/app/notify/words';
import { en } from '../../../../src/lib/i18n/en';
import { hi } from '../../../../src/lib/i18n/hi';

const me = 'c3'.repeat(32);
const date = (s: number) => `day ${s}`;
const request = (tx: string, time = 1): Notice => notice(tx, time, { kind: 'request', hospital: 'City Hospital' });

describe('announce', () => {
  it('raises one notification per new unread notice, once', () => {
    const { notifier, shown } = memoryNotifier('granted');
    const state = new ReadState(memoryStore(), me);
    const words = announceWords(en, date);
    expect(announce([request('a')], state, notifier, words)).toBe(1);
    expect(shown).toEqual([{ title: en.notify.system.request, body: 'City Hospital asks for access to your records.', tag: 'a:request' }]);
    expect(announce([request('b'), request('a')], state, notifier, words)).toBe(1);
    expect(shown.map((s) => s.tag)).toEqual(['a:request', 'b:request']);
    state.markRead(['c:request']);
    expect(announce([request('c'), request('b'), request('a')], state, notifier, words)).toBe(0);
    expect(shown).toHaveLength(2);
  });

  it('raises none without permission, and none afterwards for what came before it', async () => {
    const { notifier, shown } = memoryNotifier('default', 'granted');
    const inbox = new Inbox(me, memoryStore(), notifier);
    inbox.refresh([request('a')], en, date);
    expect(shown).toEqual([]);
    expect(inbox.permission).toBe('default');
    await inbox.allow();
    expect(inbox.permission).toBe('granted');
    inbox.refresh([request('a')], en, date);
    expect(shown).toEqual([]);
    inbox.refresh([request('b', 2), request('a')], hi, date);
    expect(shown).toEqual([{ title: hi.notify.system.request, body: hi.notify.notice.request('City Hospital'), tag: 'b:request' }]);
  });

  it('a refusal is remembered: denied permission raises nothing', async () => {
    const { notifier, shown } = memoryNotifier('default', 'denied');
    const inbox = new Inbox(me, memoryStore(), notifier);
    await inbox.allow();
    expect(inbox.permission).toBe('denied');
    inbox.refresh([request('a')], en, date);
    expect(shown).toEqual([]);
  });

  it('more than MAX_AT_ONCE new notices make one summary', () => {
    const { notifier, shown } = memoryNotifier('granted');
    const many = Array.from({ length: MAX_AT_ONCE + 1 }, (_, i) => request(`t${i}`));
    expect(announce(many, new ReadState(memoryStore(), me), notifier, announceWords(en, date))).toBe(MAX_AT_ONCE + 1);
    expect(shown).toEqual([{ title: en.notify.summaryTitle, body: en.notify.summary(MAX_AT_ONCE + 1), tag: 'medchain-inbox' }]);
  });
});
