/**
 * Switching profiles on a shared device signs the current person out
 * (issue 15, SPEC §2 "Family"): what else held their secrets in memory is
 * wiped too — a passphrase change waiting for its block is forgotten, so the
 * next profile neither sees it nor could adopt its keys.
 */
import { describe, expect, it } from 'vitest';
import { onSignOut, signOut } from '../../../../src/lib/app/identity/session.svelte';
import { change, switching } from '../../../../src/lib/app/patient/settings/passphrase-change.svelte';

describe('signOut', () => {
  it('runs every hook registered, each time', () => {
    let wiped = 0;
    onSignOut(() => wiped++);
    signOut();
    signOut();
    expect(wiped).toBe(2);
  });

  it("resets a passphrase change in progress, so the next profile's settings start idle", () => {
    change.current = { phase: 'waiting' };
    signOut();
    expect(change.current).toEqual({ phase: 'idle' });
    expect(switching()).toBe(false);
  });
});
