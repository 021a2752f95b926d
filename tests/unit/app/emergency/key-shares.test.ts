/**
 * The threshold release of emergency access with real keys (issue 15): the
 * patient's app splits the emergency secret among the admitted hospitals at
 * the quorum and seals each share to a hospital; holders release to the
 * clinician of an access; the clinician opens the records only with a quorum
 * of releases — never with fewer, never with another clinician's, and not
 * fooled by a wrong share.
 */
import { describe, expect, it } from 'vitest';
import { bytesEqual, hexToBytes } from '../../../../src/lib/core/bytes';
import { encodePayload } from '../../../../src/lib/core/payloads';
import { sealTo } from '../../../../src/lib/core/sealed-box';
import { releaseContext } from '../../../../src/lib/core/emergency-contexts';
import { Category, StaffRole } from '../../../../src/lib/core/payloads';
import { TxKind } from '../../../../src/lib/core/tx';
import { emergencyOff, emergencyOn, emergencySecret, releaseFor } from '../../../../src/lib/app/emergency/key-shares';
import { World } from '../../core/ledger-world';

async function scene(seed: string) {
  const w = new World(`key-shares/${seed}`);
  const hs = ['H1', 'H2', 'H3', 'H4'].map((n) => w.hospital(n));
  w.ok(...hs.map((h) => w.found(h)));
  const doctor = w.staffOf(hs[0]!, 'Dr');
  const other = w.staffOf(hs[1]!, 'Dr2');
  const P = w.patient('P');
  w.ok(w.certifyStaff(hs[0]!, doctor), w.certifyStaff(hs[1]!, other, { role: StaffRole.Clinician }), w.registerPatient(P));
  const allergy = w.addRecord(P, P, Category.Allergy);
  w.ok(allergy);
  const on = await emergencyOn(w.ledger, P.idBytes, 1 << Category.Allergy, null, (n) => w.random(n));
  if (typeof on === 'string') throw new Error(on);
  w.ok(w.raw(TxKind.SetEmergencyAccess, encodePayload(on), P.sign));
  w.ok(w.shareKeys(P, allergy.id));
  const access = w.raw(
    TxKind.EmergencyAccess,
    encodePayload({ kind: TxKind.EmergencyAccess, patientId: P.idBytes, hospital: hs[0]!.idBytes, reason: 1, sealedNote: new Uint8Array(0) }),
    doctor.sign,
  );
  w.ok(access);
  const setting = () => w.ledger.emergencySettings.get(P.id)!;
  const state = () => w.ledger.emergencies.get(access.id)!;
  /** Holder `i` releases its share, as its node does once the access is final. */
  const release = (i: number) => {
    const h = hs[i]!;
    const payload = releaseFor(
      state(),
      setting(),
      h.id,
      h.dataKeys.map((k) => k.secret),
      (n) => w.random(n),
    );
    if (!payload) throw new Error(`${h.name} could not release`);
    w.ok(w.raw(TxKind.ReleaseShare, encodePayload(payload), h.sign));
  };
  return { w, hs, doctor, other, P, allergy: allergy.id, on, setting, state, release };
}

describe('splitting and sealing', () => {
  it('one share per admitted hospital, the quorum as threshold, accepted by the ledger; a network of one hospital cannot', async () => {
    const { on, hs } = await scene('split');
    expect(on.shares.map((s) => s.hospital)).toEqual(hs.map((h) => h.idBytes).sort((a, b) => Buffer.compare(a, b) as number));
    expect(on.threshold).toBe(3);
    const w = new World('alone');
    const H = w.hospital('H');
    w.ok(w.found(H));
    expect(await emergencyOn(w.ledger, new Uint8Array(32), 1, null, (n) => w.random(n))).toBe('TOO_FEW_HOSPITALS');
    expect(emergencyOff(null)).toMatchObject({ allowed: false, shares: [], threshold: 0 });
  });
});

describe('the threshold release', () => {
  it('fewer than the quorum of shares open nothing; the quorum opens the record; the secret matches the key on the chain', async () => {
    const { w, doctor, allergy, setting, state, release } = await scene('quorum');
    release(1);
    release(2);
    expect(await emergencySecret(state(), setting(), doctor.box.secret)).toBeNull();
    release(3);
    const secret = await emergencySecret(state(), setting(), doctor.box.secret);
    expect(secret).not.toBeNull();
    expect(w.recoverDataKey([secret!], allergy)).not.toBeNull();
  });

  it('released shares are the clinician’s alone: another clinician, the patient or a holder cannot combine them', async () => {
    const { hs, other, P, setting, state, release } = await scene('alone');
    release(0);
    release(1);
    release(2);
    expect(await emergencySecret(state(), setting(), other.box.secret)).toBeNull();
    expect(await emergencySecret(state(), setting(), P.box.secret)).toBeNull();
    expect(await emergencySecret(state(), setting(), hs[0]!.dataKeys[0]!.secret)).toBeNull();
  });

  it('a holder cannot release a share it does not hold, nor open another holder’s', async () => {
    const { hs, setting, state } = await scene('holders');
    const s = setting();
    const stranger = new World('stranger').hospital('X');
    expect(
      releaseFor(
        state(),
        s,
        stranger.id,
        stranger.dataKeys.map((k) => k.secret),
        () => new Uint8Array(32),
      ),
    ).toBeNull();
    // H2's data secret does not open H1's share.
    expect(
      releaseFor(
        state(),
        s,
        hs[0]!.id,
        hs[1]!.dataKeys.map((k) => k.secret),
        () => new Uint8Array(32),
      ),
    ).toBeNull();
  });

  it('a wrong share released by one holder does not stop a quorum of right ones, and is not taken for the secret', async () => {
    const { w, hs, doctor, allergy, setting, state, release } = await scene('wrong');
    // H1 releases garbage of the right form, sealed to the clinician.
    const e = state();
    const garbage = sealTo(doctor.box.pub, w.random(33), releaseContext(hexToBytes(e.id), doctor.box.pub), (n) => w.random(n));
    w.ok(
      w.raw(
        TxKind.ReleaseShare,
        encodePayload({ kind: TxKind.ReleaseShare, patientId: hexToBytes(e.patient), access: hexToBytes(e.id), sealed: garbage }),
        hs[0]!.sign,
      ),
    );
    release(1);
    release(2);
    expect(await emergencySecret(state(), setting(), doctor.box.secret)).toBeNull();
    release(3);
    const secret = await emergencySecret(state(), setting(), doctor.box.secret);
    expect(secret && w.recoverDataKey([secret], allergy)).not.toBeNull();
    expect(secret && bytesEqual(secret, new Uint8Array(32))).toBe(false);
  });
});
