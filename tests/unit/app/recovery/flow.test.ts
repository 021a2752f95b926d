/**
 * Recovery through people end to end on the app's in-memory node (issue 15):
 * the patient chooses a friend and a hospital and prints a share; someone
 * who forgot the passphrase asks with new keys; the friend sees the ask and
 * releases by hand; with the threshold the seed comes back, signs the
 * passphrase change to the new keys, and the old setting goes stale. Wrong
 * holders and a wrong passphrase are coded problems, nothing signed.
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
import { askProgress, askToRecover, openAsk } from '../../../../src/lib/app/recovery/asks';
import { asksToAnswer, releaseToAsk } from '../../../../src/lib/app/recovery/holding';
import { askedNotices, holderNotices } from '../../../../src/lib/app/recovery/notices';
import { recoveryStatus, setUpRecovery } from '../../../../src/lib/app/recovery/setup';
import { openedReleases, recoveredSeed } from '../../../../src/lib/app/recovery/shares';
import { world } from '../patient/patient-world';

type W = Awaited<ReturnType<typeof world>>;

/** A patient whose keys derive from a seed, as the app's do, registered. */
async function seeded(w: W, seed: Uint8Array): Promise<PatientContext> {
  const k = deriveKeys(seed);
  const ctx = { node: w.node, random: w.random, me: rawPatientKeys(toHex(patientIdOf(k.signPublic)), k.signSecret, k.signPublic, k.boxSecret) };
  expect(await registerOnChain(ctx)).toMatchObject({ ok: true });
  w.node.mine();
  return ctx;
}

async function scene(name: string) {
  const w = await world(`recovery-flow/${name}`);
  const seed = w.random(32);
  const P = await seeded(w, seed.slice());
  const friend = w.ctx;
  const form = { people: [shortId(patientIdOf(friend.me.signer.publicKey))], hospitals: [w.bId], threshold: 2, paper: true };
  return { w, seed, P, friend, form };
}

describe('setting it up', () => {
  it('sends the setting for a friend and a hospital with a printed share; the screen sees it live', async () => {
    const { w, seed, P, form, friend } = await scene('setup');
    const r = await setUpRecovery(P, seed, form);
    expect(r.result).toMatchObject({ ok: true });
    expect(r.paperShare).toHaveLength(33);
    w.node.mine();
    const s = recoveryStatus(w.node.ledger()!, P.me.patientId);
    expect(s.status).toBe('live');
    if (s.status !== 'none') expect(s.holders.map((h) => h.role).sort()).toEqual(['hospital', 'patient']);
    expect(friend.me.patientId).not.toBe(P.me.patientId);
  });

  it('refuses another seed, the patient themself, an unknown id and too high a threshold, signing nothing', async () => {
    const { w, seed, P, form } = await scene('refuse');
    const pending = () => w.node.chain()!.pendingTxs().length;
    expect((await setUpRecovery(P, w.random(32), form)).result).toEqual({ ok: false, setup: 'WRONG_SECRET' });
    const mine = shortId(patientIdOf(P.me.signer.publicKey));
    expect((await setUpRecovery(P, seed, { ...form, people: [mine] })).result).toMatchObject({ ok: false, index: 0, code: 'SELF' });
    expect((await setUpRecovery(P, seed, { ...form, people: ['', '0000-0000-00'] })).result).toMatchObject({ ok: false, index: 1 });
    expect((await setUpRecovery(P, seed, { ...form, threshold: 4 })).result).toEqual({ ok: false, setup: 'BAD_THRESHOLD' });
    expect(pending()).toBe(0);
  });
});

describe('asking, releasing and finishing', () => {
  it('the friend releases by hand; one share is not enough, with the printed one the seed returns and the rotation to the new keys goes through', async () => {
    const { w, seed, P, friend, form } = await scene('flow');
    const { paperShare } = await setUpRecovery(P, seed, form);
    w.node.mine();
    // Someone who forgot the passphrase: new keys (here raw) from the Aadhaar number and a new passphrase.
    const newSecret = w.random(32);
    const newSigner = rawSigner(newSecret, publicKeyOf(newSecret));
    const newBox = w.random(32);
    const box = secretReader(newBox);
    expect(await askToRecover({ node: w.node, random: w.random }, newSigner, P.me.patientId, box.publicKey)).toMatchObject({ ok: true });
    w.node.mine();
    const ledger = () => w.node.ledger()!;
    const ask = openAsk(ledger(), P.me.patientId, toHex(newSigner.publicKey), w.node.now())!;
    expect(ask).not.toBeNull();
    // The friend's app lists the ask; nothing is released until they press the button.
    const friendId = friend.me.patientId;
    const [item] = asksToAnswer(ledger(), friendId, w.node.now());
    expect(item?.ask.id).toBe(ask.id);
    expect(asksToAnswer(ledger(), w.aId, w.node.now())).toEqual([]);
    // The friend's inbox tells them; the patient's own inbox warns them someone asked.
    expect(holderNotices(ledger(), friendId, w.node.now()).map((n) => n.kind)).toEqual(['recovery-ask']);
    expect(askedNotices(ledger(), P.me.patientId, w.node.now()).map((n) => n.kind)).toEqual(['recovery-asked']);
    expect(await releaseToAsk(friend, friend.me.signer, friendId, [friend.me.box], item!)).toMatchObject({ ok: true });
    w.node.mine();
    expect(asksToAnswer(ledger(), friendId, w.node.now())).toEqual([]);
    expect(holderNotices(ledger(), friendId, w.node.now())).toEqual([]);
    const now = openAsk(ledger(), P.me.patientId, toHex(newSigner.publicKey), w.node.now())!;
    expect(askProgress(ledger(), now)).toMatchObject({ threshold: 2, paper: true, released: 1 });
    // One share alone recovers nothing; with the printed share it does.
    expect(await recoveredSeed(ledger(), P.me.patientId, await openedReleases(now, box))).toBeNull();
    const got = await recoveredSeed(ledger(), P.me.patientId, [...(await openedReleases(now, box)), paperShare!.slice()]);
    expect(got && toHex(got)).toBe(toHex(seed));
    // The recovered keys sign the passphrase change to the new keys (the same code as any change).
    const old = deriveKeys(got!);
    const recovered: PatientContext = { node: w.node, random: w.random, me: rawPatientKeys(P.me.patientId, old.signSecret, old.signPublic, old.boxSecret) };
    expect(await startRotation(recovered, { signer: newSigner, boxPublic: box.publicKey }, memoryPlanStore())).toMatchObject({ ok: true });
    w.node.mine();
    expect(ledger().patients.get(P.me.patientId)?.signKey).toBe(toHex(newSigner.publicKey));
    expect(recoveryStatus(ledger(), P.me.patientId).status).toBe('stale');
    // The ask that recovered the profile no longer warns its owner.
    expect(askedNotices(ledger(), P.me.patientId, w.node.now())).toEqual([]);
  });

  it('a hospital holder releases with its data key; an ask for a patient without recovery is refused before signing', async () => {
    const { w, seed, P, form } = await scene('hospital');
    await setUpRecovery(P, seed, form);
    w.node.mine();
    const newSecret = w.random(32);
    const signer = rawSigner(newSecret, publicKeyOf(newSecret));
    const box = secretReader(w.random(32));
    expect(await askToRecover({ node: w.node, random: w.random }, signer, w.patientId, box.publicKey)).toMatchObject({ ok: false, code: 'NO_RECOVERY' });
    expect(await askToRecover({ node: w.node, random: w.random }, signer, P.me.patientId, box.publicKey)).toMatchObject({ ok: true });
    w.node.mine();
    const [item] = asksToAnswer(w.node.ledger()!, w.bId, w.node.now());
    expect(await releaseToAsk(w.hctx, w.b, w.bId, [secretReader(w.bData.secret)], item!)).toMatchObject({ ok: true });
    w.node.mine();
    expect(await openedReleases(w.node.ledger()!.recoveryAsks.get(item!.ask.id)!, box)).toHaveLength(1);
  });
});
