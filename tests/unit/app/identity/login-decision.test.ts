/**
 * Logging in never registers (issue 13): log in opens only a patient this
 * device's node knows — on its ledger, or registered from this device and
 * waiting in its pool. A wrong passphrase derives keys of no one: unknown.
 * A node that has not synced (no ledger, nothing past genesis, a peer with a
 * longer chain) cannot tell: syncing. Keys a passphrase change replaced:
 * rotated.
 */
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../../src/lib/core/bytes';
import { patientIdOf } from '../../../../src/lib/core/ids';
import { Prng } from '../../../../src/lib/core/prng';
import { rawSigner } from '../../../../src/lib/app/clinician/sign';
import { type LoginView, decideLogin, forProfile } from '../../../../src/lib/app/identity/login-decision';
import { rawPatientKeys } from '../../../../src/lib/app/patient/keys';
import { registerOnChain } from '../../../../src/lib/app/patient/register';
import { memoryPlanStore } from '../../../../src/lib/app/patient/settings/rewrap-plan';
import { startRotation } from '../../../../src/lib/app/patient/settings/rotation';
import { patientKeys, settingsWorld } from '../patient/settings-world';

type World = Awaited<ReturnType<typeof settingsWorld>>;

/** What the node shows, as the session reads it; `peerHeight` is the best tip a peer told of. */
function viewOf(w: World, peerHeight = 0): LoginView {
  const chain = w.node.state;
  const height = w.node.status().height;
  return { ledger: w.node.ledger(), height, bestHeight: Math.max(height, peerHeight), pending: chain.pending.list().map((e) => e.tx) };
}

/** Keys a mistyped passphrase would derive: valid, and no one's. */
const strangerKeys = () => patientKeys((n) => new Prng('a wrong passphrase').bytes(n));

describe('decideLogin', () => {
  it("opens a registered patient, under the ledger's id", async () => {
    const w = await settingsWorld('login-open');
    expect(decideLogin(viewOf(w), w.first.signPublic)).toEqual({ kind: 'open', patient: w.patientId });
  });

  it('a wrong passphrase on a synced node: unknown, never opened', async () => {
    const w = await settingsWorld('login-unknown');
    expect(w.node.status().height).toBeGreaterThan(0);
    expect(decideLogin(viewOf(w), strangerKeys().signPublic)).toEqual({ kind: 'unknown' });
  });

  it('a node that cannot tell yet: no ledger, nothing past genesis, or a peer ahead — syncing', async () => {
    const w = await settingsWorld('login-syncing');
    const stranger = strangerKeys().signPublic;
    expect(decideLogin({ ...viewOf(w), ledger: null }, w.first.signPublic)).toEqual({ kind: 'syncing' });
    expect(decideLogin({ ...viewOf(w), height: 0, bestHeight: 0 }, stranger)).toEqual({ kind: 'syncing' });
    expect(decideLogin(viewOf(w, w.node.status().height + 1), stranger)).toEqual({ kind: 'syncing' });
    // A patient the node already knows opens even while it syncs.
    expect(decideLogin(viewOf(w, w.node.status().height + 1), w.first.signPublic)).toMatchObject({ kind: 'open' });
  });

  it("a registration of these keys still waiting in this device's pool opens; another's does not", async () => {
    const w = await settingsWorld('login-pending');
    const newcomer = patientKeys(w.random);
    const id = toHex(patientIdOf(newcomer.signPublic));
    const ctx = { node: w.node, random: w.random, me: rawPatientKeys(id, newcomer.signSecret, newcomer.signPublic, newcomer.boxSecret) };
    expect(decideLogin(viewOf(w), newcomer.signPublic)).toEqual({ kind: 'unknown' });
    expect(await registerOnChain(ctx)).toMatchObject({ ok: true });
    expect(decideLogin(viewOf(w), newcomer.signPublic)).toEqual({ kind: 'open', patient: id });
    expect(decideLogin(viewOf(w), strangerKeys().signPublic)).toEqual({ kind: 'unknown' });
  });

  it('keys a passphrase change replaced: rotated (the new keys open the same patient)', async () => {
    const w = await settingsWorld('login-rotated');
    const fresh = patientKeys(w.random);
    expect(await startRotation(w.ctx, { signer: rawSigner(fresh.signSecret, fresh.signPublic), boxPublic: fresh.boxPublic }, memoryPlanStore())).toMatchObject({
      ok: true,
    });
    w.node.mine();
    expect(decideLogin(viewOf(w), w.first.signPublic)).toEqual({ kind: 'rotated', patient: w.patientId });
    expect(decideLogin(viewOf(w), fresh.signPublic)).toEqual({ kind: 'open', patient: w.patientId });
  });
});

/**
 * A profile chosen on a shared device (issue 15): keys that open another
 * patient are refused with their own answer, never opened in its place.
 */
describe('forProfile', () => {
  it('keys of another patient than the profile chosen: other-profile, not opened', async () => {
    const w = await settingsWorld('login-profile');
    const sibling = patientKeys(w.random);
    const siblingId = toHex(patientIdOf(sibling.signPublic));
    const ctx = { node: w.node, random: w.random, me: rawPatientKeys(siblingId, sibling.signSecret, sibling.signPublic, sibling.boxSecret) };
    expect(await registerOnChain(ctx)).toMatchObject({ ok: true });
    w.node.mine();
    const decided = decideLogin(viewOf(w), sibling.signPublic);
    expect(decided).toEqual({ kind: 'open', patient: siblingId });
    // The daughter's profile was chosen, the son's number and passphrase typed.
    expect(forProfile(decided, w.patientId)).toEqual({ kind: 'other-profile', patient: siblingId });
    // The chosen profile's own keys open it; with no profile chosen, anyone the node knows opens.
    expect(forProfile(decideLogin(viewOf(w), w.first.signPublic), w.patientId)).toEqual({ kind: 'open', patient: w.patientId });
    expect(forProfile(decided, null)).toEqual(decided);
  });

  it("another patient's replaced keys are other-profile too; unknown and syncing keep their answer", () => {
    const [chosen, other] = ['a1'.repeat(32), 'b2'.repeat(32)];
    expect(forProfile({ kind: 'rotated', patient: chosen }, chosen)).toEqual({ kind: 'rotated', patient: chosen });
    expect(forProfile({ kind: 'rotated', patient: other }, chosen)).toEqual({ kind: 'other-profile', patient: other });
    expect(forProfile({ kind: 'unknown' }, chosen)).toEqual({ kind: 'unknown' });
    expect(forProfile({ kind: 'syncing' }, chosen)).toEqual({ kind: 'syncing' });
  });
});
