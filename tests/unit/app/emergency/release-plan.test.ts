/**
 * When a holder hospital's node releases its share (issue 15,
 * docs/emergency-access.md step 4), and when an access is overdue for
 * review: never before the access is final, once per access, only for a
 * setting this hospital holds a share of, not after the patient changed the
 * setting; overdue only unreviewed past REVIEW_HOURS.
 */
import { describe, expect, it } from 'vitest';
import { encodePayload, Category, REVIEW_HOURS, ReviewOutcome, StaffRole } from '../../../../src/lib/core/payloads';
import { TxKind } from '../../../../src/lib/core/tx';
import { emergencyOff, emergencyOn, releaseFor } from '../../../../src/lib/app/emergency/key-shares';
import { releasesDue } from '../../../../src/lib/app/emergency/release-plan';
import { isOverdue, overdueAccesses } from '../../../../src/lib/app/emergency/overdue';
import { unreviewedRows } from '../../../../src/lib/app/explorer/unreviewed';
import { shortId } from '../../../../src/lib/core/ids';
import { hexToBytes } from '../../../../src/lib/core/bytes';
import { World } from '../../core/ledger-world';

async function scene(seed: string) {
  const w = new World(`release-plan/${seed}`);
  const hs = ['H1', 'H2', 'H3', 'H4'].map((n) => w.hospital(n));
  w.ok(...hs.map((h) => w.found(h)));
  const doctor = w.staffOf(hs[0]!, 'Dr');
  const P = w.patient('P');
  w.ok(w.certifyStaff(hs[0]!, doctor, { role: StaffRole.Clinician }), w.registerPatient(P));
  const turnOn = async () => {
    const on = await emergencyOn(w.ledger, P.idBytes, 1 << Category.Allergy, null, (n) => w.random(n));
    if (typeof on === 'string') throw new Error(on);
    w.ok(w.raw(TxKind.SetEmergencyAccess, encodePayload(on), P.sign));
  };
  await turnOn();
  const breakGlass = () => {
    const access = w.raw(
      TxKind.EmergencyAccess,
      encodePayload({ kind: TxKind.EmergencyAccess, patientId: P.idBytes, hospital: hs[0]!.idBytes, reason: 1, sealedNote: new Uint8Array(0) }),
      doctor.sign,
    );
    w.ok(access);
    return access.id;
  };
  const release = (i: number, access: string) => {
    const h = hs[i]!;
    const payload = releaseFor(
      w.ledger.emergencies.get(access)!,
      w.ledger.emergencySettings.get(P.id)!,
      h.id,
      h.dataKeys.map((k) => k.secret),
      (n) => w.random(n),
    );
    w.ok(w.raw(TxKind.ReleaseShare, encodePayload(payload!), h.sign));
  };
  return { w, hs, P, turnOn, breakGlass, release };
}

const due = (w: World, hospital: string, final: number, sent: ReadonlySet<string> = new Set()) =>
  releasesDue(w.ledger, hospital, final, sent).map((d) => d.access.id);

describe('releasesDue', () => {
  it('never before the access is final; then for every holder', async () => {
    const { w, hs, breakGlass } = await scene('final');
    const access = breakGlass();
    const height = w.ledger.emergencies.get(access)!.height;
    for (const h of hs) expect(due(w, h.id, height - 1)).toEqual([]);
    for (const h of hs) expect(due(w, h.id, height)).toEqual([access]);
  });

  it('once per access: not when already released on the chain, nor when already sent', async () => {
    const { w, hs, breakGlass, release } = await scene('once');
    const access = breakGlass();
    release(0, access);
    expect(due(w, hs[0]!.id, w.height)).toEqual([]);
    expect(due(w, hs[1]!.id, w.height)).toEqual([access]);
    expect(due(w, hs[1]!.id, w.height, new Set([access]))).toEqual([]);
  });

  it('not for a hospital that holds no share of the setting (admitted after it, or not a member)', async () => {
    const { w, hs, breakGlass } = await scene('holder');
    const late = w.hospital('Late');
    w.ok(w.apply(late));
    w.ok(...hs.slice(0, 3).map((h) => w.approve(h, late)));
    expect(w.ledger.hospitals.get(late.id)?.member).toBe(true);
    const access = breakGlass();
    expect(due(w, late.id, w.height)).toEqual([]);
    expect(due(w, new World('other').hospital('X').id, w.height)).toEqual([]);
    expect(due(w, hs[2]!.id, w.height)).toEqual([access]);
  });

  it('not after the patient turned the setting off or made a new key', async () => {
    const { w, hs, P, turnOn, breakGlass } = await scene('changed');
    const first = breakGlass();
    w.ok(w.raw(TxKind.SetEmergencyAccess, encodePayload(emergencyOff(null)), P.sign));
    expect(due(w, hs[1]!.id, w.height)).toEqual([]);
    await turnOn();
    expect(due(w, hs[1]!.id, w.height)).toEqual([]);
    const second = breakGlass();
    expect(due(w, hs[1]!.id, w.height)).toEqual([second]);
    expect(first).not.toBe(second);
  });
});

describe('overdue reviews', () => {
  it('an access is overdue only when unreviewed past REVIEW_HOURS; the explorer lists it by short id and hospital', async () => {
    const { w, hs, breakGlass } = await scene('overdue');
    const access = breakGlass();
    const e = w.ledger.emergencies.get(access)!;
    const limit = e.time + REVIEW_HOURS * 3600;
    expect(isOverdue(e, limit)).toBe(false);
    expect(isOverdue(e, limit + 1)).toBe(true);
    expect(isOverdue({ ...e, review: { id: 'r', outcome: ReviewOutcome.NotJustified, time: limit + 1 } }, limit + 10)).toBe(false);
    expect(overdueAccesses(w.ledger, limit)).toEqual([]);
    expect(unreviewedRows(w.ledger, limit + 1)).toEqual([{ access: shortId(hexToBytes(access)), hospital: 'H1', due: limit }]);
    w.ok(
      w.raw(
        TxKind.ReviewEmergency,
        encodePayload({
          kind: TxKind.ReviewEmergency,
          patientId: hexToBytes(e.patient),
          access: hexToBytes(access),
          outcome: ReviewOutcome.Justified,
          sealedNote: new Uint8Array(0),
        }),
        hs[0]!.sign,
      ),
    );
    expect(unreviewedRows(w.ledger, limit + 1)).toEqual([]);
  });
});
