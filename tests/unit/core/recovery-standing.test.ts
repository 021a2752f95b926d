/**
 * Who can still open their recovery share (issue 15, docs/recovery-through-people.md):
 * SetRecovery records the key each share was sealed to, a holder patient's
 * passphrase change puts their share out of reach (with its date), a
 * hospital's new data key does not (it keeps its old ones), and whether the
 * holders still able to answer, with the printed share, reach the threshold.
 */
import { describe, expect, it } from 'vitest';
import { holderStanding } from '../../../src/lib/core/recovery';
import { type Patient, World } from './ledger-world';
import { type Holder, setRecovery } from './recovery-world';

/** An admitted hospital with one staff member, a patient and two friends, all registered. */
function world(seed: string) {
  const w = new World(`recovery-standing/${seed}`);
  const H1 = w.hospital('H1');
  const nurse = w.staffOf(H1, 'nurse');
  w.ok(w.found(H1));
  w.ok(w.certifyStaff(H1, nurse));
  const [P, F1, F2] = ['P', 'F1', 'F2'].map((n) => w.patient(n)) as [Patient, Patient, Patient];
  w.ok(w.registerPatient(P), w.registerPatient(F1), w.registerPatient(F2));
  return { w, H1, nurse, P, F1, F2 };
}

type Scene = ReturnType<typeof world>;

/** What happens after setup, and what each holder's standing and the whole should be then. */
const table: readonly {
  case: string;
  holders: (s: Scene) => Holder[];
  paper?: number;
  threshold?: number;
  before?: (s: Scene) => void;
  after?: (s: Scene) => void;
  /** Holders (by scene name) who can no longer open their share. */
  lost: readonly ('F1' | 'F2' | 'H1')[];
  enough: boolean;
}[] = [
  { case: 'nobody changed anything', holders: (s) => [s.F1, s.F2], lost: [], enough: true },
  { case: 'a friend changed their passphrase: 2 of 2', holders: (s) => [s.F1, s.F2], after: (s) => s.w.ok(s.w.rotateKeys(s.F1)), lost: ['F1'], enough: false },
  {
    case: 'a friend changed their passphrase: 2 of 3 with the printed share',
    holders: (s) => [s.F1, s.F2],
    paper: 1,
    after: (s) => s.w.ok(s.w.rotateKeys(s.F1)),
    lost: ['F1'],
    enough: true,
  },
  {
    case: 'both friends changed theirs, the printed share alone is not enough',
    holders: (s) => [s.F1, s.F2],
    paper: 1,
    after: (s) => s.w.ok(s.w.rotateKeys(s.F1), s.w.rotateKeys(s.F2)),
    lost: ['F1', 'F2'],
    enough: false,
  },
  {
    case: 'a friend changed their passphrase before the setup (sealed to the new key)',
    holders: (s) => [s.F1, s.F2],
    before: (s) => s.w.ok(s.w.rotateKeys(s.F1)),
    lost: [],
    enough: true,
  },
  {
    case: 'a friend changed it twice since',
    holders: (s) => [s.F1, s.H1],
    after: (s) => (s.w.ok(s.w.rotateKeys(s.F1)), s.w.advance(86_400), s.w.ok(s.w.rotateKeys(s.F1))),
    lost: ['F1'],
    enough: false,
  },
  {
    case: 'the hospital got a new data key (a staff removal): it keeps its old ones',
    holders: (s) => [s.F1, s.H1],
    after: (s) => s.w.ok(s.w.removeStaff(s.H1, s.nurse)),
    lost: [],
    enough: true,
  },
  {
    case: 'the patient changed their own passphrase: the holders still open their shares (the setting is stale, liveRecovery says so)',
    holders: (s) => [s.F1, s.F2],
    after: (s) => s.w.ok(s.w.rotateKeys(s.P)),
    lost: [],
    enough: true,
  },
];

describe('holderStanding', () => {
  it.each(table)('$case', ({ case: name, holders, paper, threshold, before, after, lost, enough }) => {
    const s = world(name);
    before?.(s);
    s.w.ok(setRecovery(s.w, s.P, holders(s), { ...(paper === undefined ? {} : { paper }), ...(threshold === undefined ? {} : { threshold }) }));
    after?.(s);
    const setting = s.w.ledger.recoverySettings.get(s.P.id)!;
    const standing = holderStanding(s.w.ledger, setting);
    const named = { F1: s.F1.id, F2: s.F2.id, H1: s.H1.id };
    expect(standing.holders.filter((h) => !h.open).map((h) => h.holder.id)).toEqual(
      setting.holders.filter((h) => lost.some((n) => named[n] === h.id)).map((h) => h.id),
    );
    expect(standing.able).toBe(setting.holders.length - lost.length);
    expect(standing.enough).toBe(enough);
    for (const h of standing.holders) {
      // The date is the holder's latest passphrase change, for a holder who lost their share only.
      const patient = s.w.ledger.patients.get(h.holder.id);
      expect(h.changedAt).toBe(h.open ? null : patient!.keysSince);
    }
  });

  it('the setting records the key each share was sealed to: a friend’s box key, the hospital’s data key, as they were at setup', () => {
    const { w, P, F1, H1, nurse } = world('keys');
    w.ok(setRecovery(w, P, [F1, H1]));
    const setupBox = F1.box.hex;
    const setupData = w.ledger.hospitals.get(H1.id)!.dataKey;
    w.ok(w.rotateKeys(F1), w.removeStaff(H1, nurse));
    const keys = Object.fromEntries(w.ledger.recoverySettings.get(P.id)!.holders.map((h) => [h.id, h.key]));
    expect(keys).toEqual({ [F1.id]: setupBox, [H1.id]: setupData });
    expect(w.ledger.patients.get(F1.id)!.boxKey).not.toBe(setupBox);
    expect(w.ledger.hospitals.get(H1.id)!.dataKey).not.toBe(setupData);
  });

  it('a passphrase change is dated by its transaction: the date the holder is told', () => {
    const { w, P, F1, F2 } = world('date');
    w.ok(setRecovery(w, P, [F1, F2]));
    w.advance(3 * 86_400);
    const rotation = w.rotateKeys(F1);
    w.ok(rotation);
    const [first] = holderStanding(w.ledger, w.ledger.recoverySettings.get(P.id)!).holders.filter((h) => !h.open);
    expect(first?.changedAt).toBe(rotation.tx.time);
  });
});
