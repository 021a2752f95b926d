/**
 * Recovery through people with real keys (issue 15): the patient's app
 * splits the master seed and seals a share to each holder; holders re-seal
 * theirs to the box key of an ask; the person recovering gets the seed back
 * only with a threshold of shares that give the signing key on the chain —
 * never with fewer, never from one holder alone (a hospital included), not
 * fooled by a wrong share — and the rotation signed with it is accepted.
 */
import { describe, expect, it } from 'vitest';
import { bytesEqual, toHex } from '../../../../src/lib/core/bytes';
import { deriveKeys } from '../../../../src/lib/core/keys';
import { encodePayload } from '../../../../src/lib/core/payloads';
import { recoveryReleaseContext, liveRecovery } from '../../../../src/lib/core/recovery';
import { secretReader } from '../../../../src/lib/core/record-crypto';
import { sealTo } from '../../../../src/lib/core/sealed-box';
import { TxKind } from '../../../../src/lib/core/tx';
import { hexToBytes } from '../../../../src/lib/core/bytes';
import { openedReleases, recoveredSeed, recoveryRelease, recoverySetup } from '../../../../src/lib/app/recovery/shares';
import { type Hospital, Patient, World } from '../../core/ledger-world';
import { askRecovery } from '../../core/recovery-world';

/** A patient whose keys derive from `seed`, as the app's do. */
function seededPatient(name: string, seed: Uint8Array): Patient {
  const k = deriveKeys(seed);
  return new Patient(
    name,
    { secret: k.signSecret, pub: k.signPublic, hex: toHex(k.signPublic) },
    { secret: k.boxSecret, pub: k.boxPublic, hex: toHex(k.boxPublic) },
  );
}

/** P (seeded) sets up 2 of {friend F, hospital H1, paper}; someone asks with new keys. */
async function scene(name: string, paper = true) {
  const w = new World(`recovery-shares/${name}`);
  const [H1, H2] = ['H1', 'H2'].map((n) => w.hospital(n)) as [Hospital, Hospital];
  w.ok(w.found(H1), w.found(H2));
  const seed = w.random(32);
  const P = seededPatient('P', seed.slice());
  const F = w.patient('F');
  w.ok(w.registerPatient(P), w.registerPatient(F));
  const choice = {
    holders: [
      { role: 'patient' as const, id: F.id },
      { role: 'hospital' as const, id: H1.id },
    ],
    threshold: 2,
    paper,
  };
  const set = await recoverySetup(w.ledger, w.network, P.idBytes, seed, choice, (n) => w.random(n));
  if (typeof set === 'string') throw new Error(set);
  w.ok(w.raw(TxKind.SetRecovery, encodePayload(set.payload), P.sign));
  const newSign = w.signKey();
  const newBox = w.boxKey();
  const ask = askRecovery(w, P, newSign, { box: newBox });
  w.ok(ask);
  const state = () => w.ledger.recoveryAsks.get(ask.id)!;
  const setting = () => w.ledger.recoverySettings.get(P.id)!;
  const readersOf = {
    F: () => [secretReader(F.box.secret)],
    H1: () => H1.dataKeys.map((k) => secretReader(k.secret)),
    H2: () => H2.dataKeys.map((k) => secretReader(k.secret)),
  };
  const ids = { F: F.id, H1: H1.id, H2: H2.id };
  const signers = { F: F.sign, H1: H1.sign, H2: H2.sign };
  /** Holder `who` releases (as the button does), or null when they cannot. */
  const release = async (who: 'F' | 'H1' | 'H2') => {
    const p = await recoveryRelease(w.network, state(), setting(), ids[who], readersOf[who](), (n) => w.random(n));
    if (p) w.ok(w.raw(TxKind.ReleaseRecoveryShare, encodePayload(p), signers[who]));
    return p;
  };
  /** What the asker's device gets from the releases (and the paper share, if typed). */
  const recover = async (withPaper: boolean) => {
    const shares = await openedReleases(state(), secretReader(newBox.secret));
    if (withPaper && set.paperShare) shares.push(set.paperShare.slice());
    return recoveredSeed(w.ledger, P.id, shares);
  };
  return { w, P, F, H1, H2, seed, set, newSign, newBox, ask: ask.id, state, release, recover };
}

describe('splitting and sealing the seed', () => {
  it('one sealed share per holder and one printed share, accepted by the ledger as 2 of 3 for the current key', async () => {
    const { w, P, set } = await scene('split');
    expect(set.payload.shares).toHaveLength(2);
    expect(set.paperShare).toHaveLength(33);
    expect(liveRecovery(w.ledger, P.id)).toMatchObject({ threshold: 2, paper: 1, signKey: P.sign.hex });
  });

  it('refuses a threshold below two or above the shares, and a holder the ledger does not know', async () => {
    const w = new World('recovery-shares/refuse');
    const H = w.hospital('H');
    w.ok(w.found(H));
    const one = [{ role: 'hospital' as const, id: H.id }];
    const args = [w.ledger, w.network, new Uint8Array(32), w.random(32)] as const;
    expect(await recoverySetup(...args, { holders: one, threshold: 1, paper: true }, (n) => w.random(n))).toBe('BAD_THRESHOLD');
    expect(await recoverySetup(...args, { holders: one, threshold: 3, paper: true }, (n) => w.random(n))).toBe('BAD_THRESHOLD');
    expect(await recoverySetup(...args, { holders: [{ role: 'patient', id: toHex(w.random(32)) }], threshold: 2, paper: true }, (n) => w.random(n))).toBe(
      'UNKNOWN_HOLDER',
    );
  });
});

describe('recovering: the threshold, and no one alone', () => {
  it('fewer than the threshold recovers nothing; the threshold gives the seed back, and the rotation it signs is accepted', async () => {
    const s = await scene('threshold');
    await s.release('F');
    expect(await s.recover(false)).toBeNull();
    await s.release('H1');
    const seed = await s.recover(false);
    expect(seed && bytesEqual(seed, s.seed)).toBe(true);
    // The recovered key signs the passphrase change to the asker's new keys; every node checks it as usual.
    const recovered = seededPatient('P again', seed!);
    s.w.ok(s.w.rotateKeys(recovered, { newSign: s.newSign, newBox: s.newBox }));
    expect(s.w.ledger.patients.get(s.P.id)).toMatchObject({ signKey: s.newSign.hex, boxKey: s.newBox.hex });
    // The old setting no longer recovers the patient: its seed no longer acts.
    expect(liveRecovery(s.w.ledger, s.P.id)).toBeNull();
  });

  it('one holder and the paper share recover (2 of 3)', async () => {
    const s = await scene('paper');
    await s.release('H1');
    const seed = await s.recover(true);
    expect(seed && bytesEqual(seed, s.seed)).toBe(true);
  });

  it('a single holder alone cannot, a hospital included, nor a holder with a share that is not theirs', async () => {
    for (const who of ['F', 'H1'] as const) {
      const s = await scene(`alone/${who}`, false);
      await s.release(who);
      expect(await s.recover(false)).toBeNull();
    }
    const s = await scene('not-a-holder');
    expect(await s.release('H2')).toBeNull();
  });

  it('a wrong share released by a holder does not fool the asker: the other shares still recover, and what is combined is checked', async () => {
    const s = await scene('wrong-share');
    const box = hexToBytes(s.state().box);
    const junk = new Uint8Array(33).fill(7);
    junk[32] = 1;
    const sealed = sealTo(box, junk, recoveryReleaseContext(hexToBytes(s.ask), box), (n) => s.w.random(n));
    s.w.ok(
      s.w.raw(
        TxKind.ReleaseRecoveryShare,
        encodePayload({ kind: TxKind.ReleaseRecoveryShare, patientId: s.P.idBytes, ask: hexToBytes(s.ask), sealed }),
        s.F.sign,
      ),
    );
    expect(await s.recover(false)).toBeNull();
    await s.release('H1');
    const seed = await s.recover(true);
    expect(seed && bytesEqual(seed, s.seed)).toBe(true);
  });

  it('released shares open only with the ask’s box key', async () => {
    const s = await scene('box');
    await s.release('F');
    await s.release('H1');
    expect(await openedReleases(s.state(), secretReader(s.w.boxKey().secret))).toEqual([]);
    expect(await openedReleases(s.state(), secretReader(s.newBox.secret))).toHaveLength(2);
  });
});
