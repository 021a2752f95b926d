/**
 * The tab's inboxes (issue 15) on a family's shared device: one per person
 * while signed in, none kept in memory after sign-out, so the next person
 * holds nothing of the last one's notices.
 */
import { describe, expect, it } from 'vitest';
import { forgetInboxes, inboxOf } from '../../../../src/lib/app/notify/inbox.svelte';

describe('the tab’s inboxes', () => {
  it('are one per person until forgotten at sign-out', () => {
    const mother = inboxOf('aa'.repeat(32));
    expect(inboxOf('aa'.repeat(32))).toBe(mother);
    expect(inboxOf('bb'.repeat(32))).not.toBe(mother);
    forgetInboxes();
    expect(inboxOf('aa'.repeat(32))).not.toBe(mother);
  });
});
