/**
 * A holder's passphrase change puts their recovery share out of reach (issue
 * 15), on the app's in-memory node: the patient's settings name the holder
 * and the date and say whether the rest still reach the threshold, the
 * patient's inbox tells them, and the holder's Family section tells them
 * whose share they can no longer open. Setting recovery up again ends it.
 */
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../../src/lib/core/bytes';
import { patientIdOf, shortId } from '../../../../src/lib/core/ids';
import { deriveKeys } from '../../../../src/lib/core/keys';
import { secretReader } from '../../../../src/lib/core/record-crypto';
import { publicKeyOf } from '../../../../src/lib/core/signature';
import { rawSigner } from '../../../../src/lib/app/clinician/sign';
import { type PatientContext, rawPatientKeys } from '../../../../src/lib/app/patient/keys';
import { registerOnChain } from '../../../../src/lib/app/patient/register';
import { memoryPlanStore } from '../../../../src/lib/app/patient/settings/rewrap-plan';
import { startRotation } from '../../../../src/lib/app/patient/settings/rotation';
import { lostShareNotices } from '../../../../src/lib/app/recovery/notices';
import { setUpRecovery } from '../../../../src/lib/app/recovery/setup';
import { lostShares, settingReach } from '../../../../src/lib/app/recovery/standing';
import { patientNotices } from '../../../../src/lib/app/notify/patient-notices';
import { noticeText } from '../../../../src/lib/app/notify/words';
import { en } from '../../../../src/lib/i18n/en';
import { hi } from '../../../../src/lib/i18n/hi';
import { world } from '../patient/patient-world';

type W = Awaited<ReturnType<typeof world>>;

/** P (keys from a seed, as the app's) chose the world's patient as a friend and hospital B; the friend is the holder here. */
async function scene(name: string, paper: boolean) {
  const w = await world(`recovery-standing/${name}`);
  const seed = w.random(32);
  const k = deriveKeys(seed.slice());
  const P: PatientContext = { node: w.node, random: w.random, me: rawPatientKeys(toHex(patientIdOf(k.signPublic)), k.signSecret, k.signPublic, k.boxSecret) };
  expect(await registerOnChain(P)).toMatchObject({ ok: true });
  w.node.mine();
  const friend = w.ctx;
  const form = { people: [shortId(patientIdOf(friend.me.signer.publicKey))], hospitals: [w.bId], threshold: 2, paper };
  expect((await setUpRecovery(P, seed, form)).result).toMatchObject({ ok: true });
  w.node.mine();
  return { w, seed, P, friend, form };
}

/** The friend changes their passphrase (the app's own change, to new keys); returns its time. */
async function friendChanges(w: W, friend: PatientContext): Promise<number> {
  const secret = w.random(32);
  const box = secretReader(w.random(32));
  expect(await startRotation(friend, { signer: rawSigner(secret, publicKeyOf(secret)), boxPublic: box.publicKey }, memoryPlanStore())).toMatchObject({
    ok: true,
  });
  w.node.mine();
  return w.node.ledger()!.patients.get(friend.me.patientId)!.keysSince;
}

describe('a holder who changed their passphrase', () => {
  const table = [
    { case: 'with the printed share the rest still reach 2', paper: true, enough: true },
    { case: 'without it the hospital alone does not', paper: false, enough: false },
  ];
  it.each(table)('$case: the patient’s settings and inbox say so, the holder is told whose share', async ({ case: name, paper, enough }) => {
    const { w, P, friend } = await scene(name, paper);
    const ledger = () => w.node.ledger()!;
    // Before the change nobody has lost anything.
    expect(settingReach(ledger(), P.me.patientId)).toMatchObject({ lost: [], enough: true });
    expect(lostShareNotices(ledger(), P.me.patientId)).toEqual([]);
    expect(lostShares(ledger(), friend.me.patientId)).toEqual([]);

    const when = await friendChanges(w, friend);
    const friendShort = shortId(patientIdOf(friend.me.signer.publicKey));
    const reach = settingReach(ledger(), P.me.patientId)!;
    expect(reach.lost.map((h) => ({ role: h.role, label: h.label, since: h.since }))).toEqual([{ role: 'patient', label: friendShort, since: when }]);
    expect(reach.enough).toBe(enough);
    // The hospital's share and, when kept, the printed one.
    expect(reach.openable).toBe(paper ? 2 : 1);

    const notices = lostShareNotices(ledger(), P.me.patientId);
    expect(notices).toMatchObject([{ kind: 'recovery-share-lost', holder: friendShort, enough, time: when }]);
    expect(patientNotices(ledger(), [], P.me.patientId, w.node.now()).filter((n) => n.kind === 'recovery-share-lost')).toEqual(notices);

    const mine = lostShares(ledger(), friend.me.patientId);
    expect(mine.map((s) => ({ patient: s.patientShortId, since: s.since }))).toEqual([{ patient: shortId(patientIdOf(P.me.signer.publicKey)), since: when }]);
    // The hospital keeps its share: it is no holder patient, and nothing lost is listed for it.
    expect(lostShares(ledger(), w.bId)).toEqual([]);
  });

  it('setting recovery up again (sealed to the holder’s new key) ends the warnings on both sides', async () => {
    const { w, seed, P, friend, form } = await scene('again', false);
    await friendChanges(w, friend);
    expect(lostShareNotices(w.node.ledger()!, P.me.patientId)).toHaveLength(1);
    expect((await setUpRecovery(P, seed, form)).result).toMatchObject({ ok: true });
    w.node.mine();
    expect(settingReach(w.node.ledger()!, P.me.patientId)).toMatchObject({ lost: [], enough: true });
    expect(lostShareNotices(w.node.ledger()!, P.me.patientId)).toEqual([]);
    expect(lostShares(w.node.ledger()!, friend.me.patientId)).toEqual([]);
  });

  it('after the patient’s own passphrase change the setting is stale: no holder warnings (the settings say “set it up again” already)', async () => {
    const { w, P, friend } = await scene('stale', true);
    await friendChanges(w, friend);
    await friendChanges(w, P);
    expect(settingReach(w.node.ledger()!, P.me.patientId)).toBeNull();
    expect(lostShareNotices(w.node.ledger()!, P.me.patientId)).toEqual([]);
    expect(lostShares(w.node.ledger()!, friend.me.patientId)).toEqual([]);
  });
});

describe('the notice’s words', () => {
  it.each([
    ['en', en],
    ['hi', hi],
  ] as const)('%s: the holder, the date, and whether recovery still works', (_, m) => {
    const date = (s: number) => `<${s}>`;
    const line = (enough: boolean) => noticeText(m, { id: 'x', time: 42, kind: 'recovery-share-lost', holder: 'ABCDE-FGHJK-M', enough }, date);
    for (const enough of [true, false]) {
      expect(line(enough)).toContain('ABCDE-FGHJK-M');
      expect(line(enough)).toContain('<42>');
      expect(line(enough)).not.toMatch(/block|chain|transaction|hash|ब्लॉक|चेन/i);
    }
    expect(line(true)).not.toBe(line(false));
    expect(m.notify.system.recoveryShareLost.length).toBeGreaterThan(0);
  });
});
