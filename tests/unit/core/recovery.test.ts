/**
 * Recovery through people (issue 15, SPEC §2) on the ledger: who may hold a
 * share and what threshold a setting needs, who may ask and until when, who
 * may release and how often, and that a passphrase change makes a setting
 * stale. The threshold cryptography (splitting, sealing, releasing,
 * combining, the final rotation) is tested with real keys in
 * tests/unit/app/recovery/shares.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { HolderRole } from '../../../src/lib/core/kinds/set-recovery';
import { liveRecovery } from '../../../src/lib/core/recovery';
import { DAY, type Hospital, type Patient, World } from './ledger-world';
import { type Holder, askRecovery, releaseRecovery, setRecovery } from './recovery-world';

/** Two admitted hospitals and an applicant, a patient, two friends (patients) and someone never registered. */
function world(seed: string) {
  const w = new World(`recovery/${seed}`);
  const [H1, H2, H3] = ['H1', 'H2', 'H3'].map((n) => w.hospital(n)) as [Hospital, Hospital, Hospital];
  w.ok(w.found(H1), w.found(H2));
  const [P, F1, F2, nobody] = ['P', 'F1', 'F2', 'Nobody'].map((n) => w.patient(n)) as [Patient, Patient, Patient, Patient];
  w.ok(w.apply(H3), w.registerPatient(P), w.registerPatient(F1), w.registerPatient(F2));
  return { w, H1, H2, H3, P, F1, F2, nobody };
}

type Scene = ReturnType<typeof world>;

describe('setting recovery up: at least two shares, no more than there are, holders the ledger knows', () => {
  const table: readonly { case: string; holders: (s: Scene) => Holder[]; threshold?: number; paper?: number; more?: object; code: string }[] = [
    { case: 'two friends, both needed', holders: (s) => [s.F1, s.F2], code: 'OK' },
    { case: 'a friend and a hospital, with the paper share: 2 of 3', holders: (s) => [s.F1, s.H1], paper: 1, code: 'OK' },
    { case: 'a hospital and the paper share', holders: (s) => [s.H1], paper: 1, code: 'OK' },
    { case: 'off', holders: () => [], threshold: 0, code: 'OK' },
    { case: 'one holder alone (threshold 1)', holders: (s) => [s.H1, s.F1], threshold: 1, code: 'BAD_RECOVERY' },
    { case: 'a hospital alone, threshold 2', holders: (s) => [s.H1], code: 'BAD_RECOVERY' },
    { case: 'more needed than there are shares', holders: (s) => [s.F1, s.F2], threshold: 3, code: 'BAD_RECOVERY' },
    { case: 'the paper share counted twice', holders: (s) => [s.H1], paper: 1, threshold: 3, code: 'BAD_RECOVERY' },
    { case: 'the patient holding their own share', holders: (s) => [s.P, s.F1], code: 'BAD_RECOVERY' },
    { case: 'someone not registered', holders: (s) => [s.nobody, s.F1], code: 'BAD_RECOVERY' },
    { case: 'a hospital not admitted', holders: (s) => [s.H3, s.F1], code: 'BAD_RECOVERY' },
    { case: 'holders out of order', holders: (s) => [s.F1, s.F2], more: { unsorted: true }, code: 'BAD_RECOVERY' },
    { case: 'an empty share', holders: (s) => [s.F1, s.F2], more: { emptyShare: true }, code: 'BAD_RECOVERY' },
    { case: 'a patient named as a hospital', holders: (s) => [s.F1, s.F2], more: { role: () => HolderRole.Hospital }, code: 'BAD_RECOVERY' },
  ];
  it.each(table)('$case → $code', ({ case: name, holders, threshold, paper, more, code }) => {
    const s = world(`set/${name}`);
    let hs = holders(s);
    // "Out of order": sorted descending, so the payload keeps them that way.
    if ((more as { unsorted?: boolean } | undefined)?.unsorted) hs = [...hs].sort((a, b) => Buffer.compare(b.idBytes, a.idBytes));
    const b = setRecovery(s.w, s.P, hs, { ...(threshold === undefined ? {} : { threshold }), ...(paper === undefined ? {} : { paper }), ...more });
    expect(s.w.code(b)).toBe(code);
  });

  it('the setting records the holders, the threshold and the signing key the seed gives; the patient’s log holds it', () => {
    const { w, P, F1, H1 } = world('record');
    const b = setRecovery(w, P, [F1, H1], { paper: 1 });
    w.ok(b);
    const s = w.ledger.recoverySettings.get(P.id)!;
    expect(s).toMatchObject({ id: b.id, threshold: 2, paper: 1, signKey: P.sign.hex });
    expect(s.holders.map((h) => h.id).sort()).toEqual([F1.id, H1.id].sort());
    expect(w.ledger.byPatient.get(P.id)).toContain(b.id);
  });

  it('only the patient sets it up', () => {
    const { w, P, F1, F2, H1 } = world('who-sets');
    expect(w.code(setRecovery(w, P, [F1, F2], { as: w.signKey() }))).toBe('NOT_AUTHORISED');
    expect(w.code(setRecovery(w, P, [F1, F2], { as: H1.sign }))).toBe('NOT_AUTHORISED');
  });
});

/** P set up 2 of {F1, H1, paper}; `asker` is the new key of someone who forgot the passphrase. */
function withSetting(seed: string) {
  const s = world(seed);
  s.w.ok(setRecovery(s.w, s.P, [s.F1, s.H1], { paper: 1 }));
  return { ...s, asker: s.w.signKey() };
}

describe('asking to recover', () => {
  const table: readonly { case: string; code: string; act: (s: ReturnType<typeof withSetting>) => string }[] = [
    { case: 'a new key, answer within the bound', code: 'OK', act: (s) => s.w.code(askRecovery(s.w, s.P, s.asker)) },
    { case: 'a key that already acts for someone', code: 'KEY_IN_USE', act: (s) => s.w.code(askRecovery(s.w, s.P, s.F2.sign)) },
    { case: 'the patient’s own current key', code: 'KEY_IN_USE', act: (s) => s.w.code(askRecovery(s.w, s.P, s.P.sign)) },
    { case: 'a patient without recovery', code: 'NO_RECOVERY', act: (s) => s.w.code(askRecovery(s.w, s.F2, s.asker)) },
    { case: 'someone not registered', code: 'UNKNOWN_PATIENT', act: (s) => s.w.code(askRecovery(s.w, s.nobody, s.asker)) },
    { case: 'answer-by in the past', code: 'BAD_EXPIRY', act: (s) => s.w.code(askRecovery(s.w, s.P, s.asker, { answerIn: -1 })) },
    { case: 'answer-by beyond fourteen days', code: 'BAD_EXPIRY', act: (s) => s.w.code(askRecovery(s.w, s.P, s.asker, { answerIn: 14 * DAY + 1 })) },
    {
      case: 'after the patient turned it off',
      code: 'NO_RECOVERY',
      act: (s) => (s.w.ok(setRecovery(s.w, s.P, [], { threshold: 0 })), s.w.code(askRecovery(s.w, s.P, s.asker))),
    },
    {
      case: 'after a passphrase change (the setting is stale)',
      code: 'NO_RECOVERY',
      act: (s) => (s.w.ok(s.w.rotateKeys(s.P)), s.w.code(askRecovery(s.w, s.P, s.asker))),
    },
  ];
  it.each(table)('$case → $code', ({ case: name, code, act }) => {
    expect(act(withSetting(`ask/${name}`))).toBe(code);
  });

  it('a passphrase change leaves the setting on the ledger but no longer live; setting it up again makes it live', () => {
    const { w, P, F1, H1 } = withSetting('stale');
    expect(liveRecovery(w.ledger, P.id)).not.toBeNull();
    w.ok(w.rotateKeys(P));
    expect(w.ledger.recoverySettings.get(P.id)).toBeDefined();
    expect(liveRecovery(w.ledger, P.id)).toBeNull();
    w.ok(setRecovery(w, P, [F1, H1], { paper: 1 }));
    expect(liveRecovery(w.ledger, P.id)?.signKey).toBe(P.sign.hex);
  });

  it('the ask records the asker, the box key, the setting and no releases; the patient’s log holds it', () => {
    const { w, P, asker } = withSetting('ask-record');
    const box = w.boxKey();
    const ask = askRecovery(w, P, asker, { box });
    w.ok(ask);
    expect(w.ledger.recoveryAsks.get(ask.id)).toMatchObject({
      patient: P.id,
      asker: asker.hex,
      box: box.hex,
      setting: w.ledger.recoverySettings.get(P.id)!.id,
      releases: [],
    });
    expect(w.ledger.byPatient.get(P.id)).toContain(ask.id);
    // The ask claims no key: the rotation that ends the recovery will.
    expect(w.ledger.keys.has(asker.hex)).toBe(false);
  });
});

describe('releasing a share', () => {
  /** An open ask under the setting. */
  function asked(seed: string) {
    const s = withSetting(seed);
    const ask = askRecovery(s.w, s.P, s.asker);
    s.w.ok(ask);
    return { ...s, ask: ask.id };
  }
  const table: readonly { case: string; code: string; act: (s: ReturnType<typeof asked>) => string }[] = [
    { case: 'a holder patient', code: 'OK', act: (s) => s.w.code(releaseRecovery(s.w, s.F1, s.P, s.ask)) },
    { case: 'a holder hospital’s authority', code: 'OK', act: (s) => s.w.code(releaseRecovery(s.w, s.H1, s.P, s.ask)) },
    { case: 'a hospital that holds no share', code: 'NOT_AUTHORISED', act: (s) => s.w.code(releaseRecovery(s.w, s.H2, s.P, s.ask)) },
    { case: 'a patient who holds no share', code: 'NOT_AUTHORISED', act: (s) => s.w.code(releaseRecovery(s.w, s.F2, s.P, s.ask)) },
    { case: 'the patient’s own old key', code: 'NOT_AUTHORISED', act: (s) => s.w.code(releaseRecovery(s.w, s.P, s.P, s.ask)) },
    { case: 'the asker', code: 'NOT_AUTHORISED', act: (s) => s.w.code(releaseRecovery(s.w, s.F1, s.P, s.ask, { as: s.asker })) },
    {
      case: 'the same holder twice',
      code: 'ALREADY_DONE',
      act: (s) => (s.w.ok(releaseRecovery(s.w, s.F1, s.P, s.ask)), s.w.code(releaseRecovery(s.w, s.F1, s.P, s.ask))),
    },
    { case: 'after answer-by', code: 'REQUEST_EXPIRED', act: (s) => (s.w.advance(14 * DAY), s.w.code(releaseRecovery(s.w, s.F1, s.P, s.ask))) },
    { case: 'an empty share', code: 'BAD_RECOVERY', act: (s) => s.w.code(releaseRecovery(s.w, s.F1, s.P, s.ask, { sealed: new Uint8Array(0) })) },
    { case: 'an unknown ask', code: 'UNKNOWN_REFERENCE', act: (s) => s.w.code(releaseRecovery(s.w, s.F1, s.P, s.w.signKey().hex)) },
    { case: 'another patient’s ask', code: 'UNKNOWN_REFERENCE', act: (s) => s.w.code(releaseRecovery(s.w, s.F1, s.F2, s.ask)) },
    {
      case: 'a holder of the patient’s newer setting only',
      code: 'NOT_AUTHORISED',
      act: (s) => (s.w.ok(setRecovery(s.w, s.P, [s.F1, s.H2])), s.w.code(releaseRecovery(s.w, s.H2, s.P, s.ask))),
    },
    {
      case: 'a holder patient whose key a passphrase change replaced',
      code: 'NOT_AUTHORISED',
      act: (s) => {
        const old = s.F1.sign;
        s.w.ok(s.w.rotateKeys(s.F1));
        return s.w.code(releaseRecovery(s.w, s.F1, s.P, s.ask, { as: old }));
      },
    },
    {
      case: 'a holder patient after their passphrase change, with the new key',
      code: 'OK',
      act: (s) => (s.w.ok(s.w.rotateKeys(s.F1)), s.w.code(releaseRecovery(s.w, s.F1, s.P, s.ask))),
    },
  ];
  it.each(table)('$case → $code', ({ case: name, code, act }) => {
    expect(act(asked(`release/${name}`))).toBe(code);
  });

  it('a replayed release or ask is refused: the same transaction applies once', () => {
    const { w, P, F1, ask } = asked('replay');
    const r = releaseRecovery(w, F1, P, ask);
    w.ok(r);
    expect(w.code(r)).toBe('ALREADY_DONE');
    expect(w.ledger.recoveryAsks.get(ask)!.releases.map((x) => x.holder)).toEqual([F1.id]);
  });

  it('a replayed ask is refused by the ledger itself (the chain refuses replays first): it would wipe the shares released to it', () => {
    const { w, P, F1, asker } = withSetting('replay-ask');
    const ask = askRecovery(w, P, asker);
    w.ok(ask);
    w.ok(releaseRecovery(w, F1, P, ask.id));
    expect(w.code(ask)).toBe('ALREADY_DONE');
    expect(w.ledger.recoveryAsks.get(ask.id)!.releases).toHaveLength(1);
  });
});
