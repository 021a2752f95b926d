/**
 * The device's list of profiles (issue 15, SPEC §2 "Family"): public data
 * only (label, patient id, network, last used, guardian flag); adding an id
 * already listed updates its label; forgetting removes it from this list
 * only; a damaged stored list reads as empty and never throws; another
 * network's entries are kept but not listed here.
 */
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../../../src/lib/app/notify/read-state';
import { MAX_LABEL, MAX_PROFILES, PROFILES_KEY, forgetProfile, listProfiles, rememberProfile } from '../../../../src/lib/app/identity/profiles';

const A = 'a1'.repeat(32);
const B = 'b2'.repeat(32);
const NET = 'medchain-demo-1';
const OTHER = 'medchain-elsewhere';

describe('profiles on this device', () => {
  it('adds a profile with public data only, most recently used first', () => {
    const store = memoryStore();
    rememberProfile(store, { patient: A, network: NET, label: 'Ravi' }, 1000);
    rememberProfile(store, { patient: B, network: NET, label: ' Asha (daughter) ', guardian: true }, 2000);
    expect(listProfiles(store, NET)).toEqual([
      { label: 'Asha (daughter)', patient: B, network: NET, lastUsed: 2000, guardian: true },
      { label: 'Ravi', patient: A, network: NET, lastUsed: 1000, guardian: false },
    ]);
    const stored = JSON.parse(store.get(PROFILES_KEY)!) as Record<string, unknown>[];
    for (const entry of stored) expect(Object.keys(entry).sort()).toEqual(['guardian', 'label', 'lastUsed', 'network', 'patient']);
  });

  it('adding an id already listed updates its label and last use, keeping one entry and its guardian flag', () => {
    const store = memoryStore();
    rememberProfile(store, { patient: A, network: NET, label: 'Asha', guardian: true }, 1000);
    rememberProfile(store, { patient: B, network: NET, label: 'Ravi' }, 2000);
    rememberProfile(store, { patient: A, network: NET, label: 'Asha (daughter)' }, 3000);
    expect(listProfiles(store, NET)).toEqual([
      { label: 'Asha (daughter)', patient: A, network: NET, lastUsed: 3000, guardian: true },
      { label: 'Ravi', patient: B, network: NET, lastUsed: 2000, guardian: false },
    ]);
    // A log in that asks for no new label keeps the one it has.
    rememberProfile(store, { patient: B, network: NET, label: null }, 4000);
    expect(listProfiles(store, NET)[0]).toEqual({ label: 'Ravi', patient: B, network: NET, lastUsed: 4000, guardian: false });
    // A new profile with no label is kept with an empty one (the screen shows its short id).
    rememberProfile(store, { patient: 'c3'.repeat(32), network: NET, label: null }, 5000);
    expect(listProfiles(store, NET)[0]?.label).toBe('');
  });

  it('keeps labels to their limit, and at most MAX_PROFILES profiles (the least recently used go)', () => {
    const store = memoryStore();
    expect(rememberProfile(store, { patient: A, network: NET, label: 'x'.repeat(MAX_LABEL + 20) }, 1).label).toHaveLength(MAX_LABEL);
    for (let i = 0; i < MAX_PROFILES + 3; i++) rememberProfile(store, { patient: i.toString(16).padStart(64, '0'), network: NET, label: `p${i}` }, 10 + i);
    const kept = listProfiles(store, NET);
    expect(kept).toHaveLength(MAX_PROFILES);
    expect(kept.some((p) => p.patient === A)).toBe(false);
    expect(kept[0]?.label).toBe(`p${MAX_PROFILES + 2}`);
  });

  it('refuses an id that is not a hex patient id, storing nothing', () => {
    const store = memoryStore();
    expect(() => rememberProfile(store, { patient: '1234 5678 9012', network: NET, label: 'x' }, 1)).toThrow(TypeError);
    expect(store.entries.size).toBe(0);
  });

  it('forgets a profile on this device only, and says whether it was listed', () => {
    const store = memoryStore();
    rememberProfile(store, { patient: A, network: NET, label: 'Ravi' }, 1000);
    rememberProfile(store, { patient: B, network: NET, label: 'Asha' }, 2000);
    rememberProfile(store, { patient: A, network: OTHER, label: 'Ravi there' }, 3000);
    expect(forgetProfile(store, A, NET)).toBe(true);
    expect(listProfiles(store, NET).map((p) => p.patient)).toEqual([B]);
    expect(listProfiles(store, OTHER).map((p) => p.label)).toEqual(['Ravi there']);
    expect(forgetProfile(store, A, NET)).toBe(false);
  });

  it('does not list entries of another network on this one', () => {
    const store = memoryStore();
    rememberProfile(store, { patient: A, network: OTHER, label: 'Ravi elsewhere' }, 1000);
    rememberProfile(store, { patient: B, network: NET, label: 'Asha' }, 2000);
    expect(listProfiles(store, NET).map((p) => p.label)).toEqual(['Asha']);
    expect(listProfiles(store, OTHER).map((p) => p.label)).toEqual(['Ravi elsewhere']);
  });

  it('reads damaged storage as an empty list, never throwing, and drops entries of the wrong shape', () => {
    for (const text of ['{not json', '', 'null', '42', '{"profiles":[]}', '"a string"']) {
      const store = memoryStore();
      store.set(PROFILES_KEY, text);
      expect(listProfiles(store, NET), text).toEqual([]);
      rememberProfile(store, { patient: A, network: NET, label: 'Ravi' }, 1);
      expect(
        listProfiles(store, NET).map((p) => p.label),
        text,
      ).toEqual(['Ravi']);
    }
    const store = memoryStore();
    const good = { label: 'Asha', patient: B, network: NET, lastUsed: 5, guardian: false };
    const bad = [
      null,
      'x',
      { ...good, patient: 'not hex' },
      { ...good, patient: B.toUpperCase() },
      { ...good, label: 7 },
      { ...good, network: '' },
      { ...good, lastUsed: 1.5 },
      { ...good, guardian: 'yes' },
    ];
    store.set(PROFILES_KEY, JSON.stringify([...bad, good]));
    expect(listProfiles(store, NET)).toEqual([good]);
  });
});
