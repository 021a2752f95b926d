/**
 * Guardians and the handover at 18 (SPEC §2 "Family", issue 15): a hospital
 * attests that a registered adult is the guardian of a minor's profile until
 * the day the minor comes of age; from that day the profile signs only a
 * passphrase change, which hands it over; the guardian's passphrase then
 * reads nothing new, unless the patient lets them read as a caregiver. Who
 * can decrypt which record is asked of the real record keys on the chain.
 */
import { describe, expect, it } from 'vitest';
import { Category, SCOPE_ALL, dayOf } from '../../../src/lib/core/payloads';
import { DAY, World } from './ledger-world';

/** Two founders with staff, a guardian and the minor's profile the guardian registered. */
function world(seed: string) {
  const w = new World(`guardian/${seed}`);
  const [H1, H2] = [w.hospital('H1'), w.hospital('H2')];
  const S1 = w.staffOf(H1, 'S1');
  const G = w.patient('Guardian');
  const M = w.patient('Minor');
  w.ok(w.found(H1), w.found(H2));
  w.ok(w.certifyStaff(H1, S1), w.registerPatient(G), w.registerPatient(M));
  return { w, H1, H2, S1, G, M };
}

describe('a guardianship attested by a hospital', () => {
  it('is recorded for the minor and indexed for both; a hospital actor attests it, once', () => {
    const { w, H1, H2, S1, G, M } = world('attest');
    const until = dayOf(w.nextTime) + 400;
    const a = w.attestGuardian(S1, M, G, { until });
    w.ok(a);
    expect(w.ledger.guardianships.get(M.id)).toMatchObject({ minor: M.id, guardian: G.id, hospital: H1.id, attestedBy: S1.id, until, handedOver: null });
    expect(w.ledger.byPatient.get(M.id)).toContain(a.id);
    expect(w.ledger.byPatient.get(G.id)).toContain(a.id);
    expect(w.code(w.attestGuardian(H2, M, G))).toBe('ALREADY_DONE');
    // Staff of one hospital do not attest for another.
    const N = w.patient('N');
    w.ok(w.registerPatient(N));
    expect(w.code(w.attestGuardian(S1, N, G, { hospital: H2 }))).toBe('NOT_AUTHORISED');
    expect(w.code(w.attestGuardian(H1, N, M, { as: G.sign }))).toBe('NOT_AUTHORISED');
  });

  it.each([
    ['their own guardian', 'self', 'BAD_GUARDIANSHIP'],
    ['already an adult (coming of age today)', 'today', 'BAD_GUARDIANSHIP'],
    ['coming of age more than 18 years ahead', 'far', 'BAD_GUARDIANSHIP'],
    ['an unregistered minor', 'unknown-minor', 'UNKNOWN_PATIENT'],
    ['a guardian who is a minor under guardianship', 'minor-guardian', 'BAD_GUARDIANSHIP'],
  ] as const)('refuses %s', (_name, the, code) => {
    const { w, H1, G, M } = world(the);
    const today = dayOf(w.nextTime);
    if (the === 'self') expect(w.code(w.attestGuardian(H1, M, M))).toBe(code);
    if (the === 'today') expect(w.code(w.attestGuardian(H1, M, G, { until: today }))).toBe(code);
    if (the === 'far') expect(w.code(w.attestGuardian(H1, M, G, { until: today + 18 * 366 + 32 }))).toBe(code);
    if (the === 'unknown-minor') expect(w.code(w.attestGuardian(H1, w.patient('Nobody'), G))).toBe(code);
    if (the === 'minor-guardian') {
      w.ok(w.attestGuardian(H1, M, G));
      const Baby = w.patient('Baby');
      w.ok(w.registerPatient(Baby));
      expect(w.code(w.attestGuardian(H1, Baby, M))).toBe(code);
    }
  });
});

describe('the handover at 18: who can decrypt which record after each event', () => {
  it('the guardian acts for the minor until the day of coming of age; then only a passphrase change, which ends the guardian’s reading', () => {
    const { w, H1, S1, G, M } = world('handover');
    const until = dayOf(w.nextTime) + 10;
    w.ok(w.attestGuardian(S1, M, G, { until }));
    // The guardian, knowing the minor's passphrase, holds the minor's keys: what they can read is what those keys open.
    const guardianKnows = [M.box.secret];
    const guardianReads = (id: string) => w.recoverDataKey(guardianKnows, id) !== null;
    const childhood = w.addRecord(M, M, Category.Immunization);
    w.ok(childhood);
    w.ok(w.grant(M, H1, SCOPE_ALL));
    expect(guardianReads(childhood.id)).toBe(true);

    // The day of coming of age: the old passphrase no longer acts for the patient, whoever types it.
    w.advance(11 * DAY);
    expect(w.code(w.addRecord(M, M, Category.Consultation))).toBe('GUARDIANSHIP_ENDED');
    expect(w.code(w.grant(M, H1, SCOPE_ALL))).toBe('GUARDIANSHIP_ENDED');
    expect(w.code(w.delegate(M, G, SCOPE_ALL))).toBe('GUARDIANSHIP_ENDED');
    // Hospitals with consent still write for the patient: their care does not wait for the handover.
    const visit = w.addRecord(S1, M, Category.Consultation);
    w.ok(visit);

    // The patient chooses a new passphrase: the handover.
    const handover = w.rotateKeys(M);
    w.ok(handover);
    expect(w.ledger.guardianships.get(M.id)?.handedOver).toEqual({ id: handover.id, time: handover.tx.time });
    // The new keys act; the patient re-wraps their records to themselves as after any passphrase change.
    const adult = w.addRecord(M, M, Category.LabReport);
    w.ok(adult);
    expect(w.canDecrypt(M, adult.id, { onlyCurrent: true })).toBe(true);
    // What the guardian read stays read; what is added after the handover, by the patient or a hospital, is not theirs.
    expect(guardianReads(childhood.id)).toBe(true);
    expect(guardianReads(adult.id)).toBe(false);
    const later = w.addRecord(S1, M, Category.Prescription);
    w.ok(later);
    expect(guardianReads(later.id)).toBe(false);
    expect(w.readersOf(later.id, [M, G, H1])).toEqual(['Minor', 'H1']);

    // Unless the patient lets the guardian read, as a caregiver, with the guardian's own keys.
    w.ok(w.delegate(M, G, SCOPE_ALL));
    const shared = w.addRecord(M, M, Category.LabReport);
    w.ok(shared);
    expect(w.readersOf(shared.id, [M, G])).toEqual(['Minor', 'Guardian']);
  });

  it('a passphrase change before coming of age is the guardian’s, not a handover; one after the handover is an adult’s own', () => {
    const { w, H1, G, M } = world('early-rotation');
    w.ok(w.attestGuardian(H1, M, G, { until: dayOf(w.nextTime) + 10 }));
    w.ok(w.rotateKeys(M));
    expect(w.ledger.guardianships.get(M.id)?.handedOver).toBeNull();
    w.advance(11 * DAY);
    expect(w.code(w.grant(M, H1, SCOPE_ALL))).toBe('GUARDIANSHIP_ENDED');
    const handover = w.rotateKeys(M);
    w.ok(handover);
    w.ok(w.rotateKeys(M));
    expect(w.ledger.guardianships.get(M.id)?.handedOver?.id).toBe(handover.id);
    w.ok(w.grant(M, H1, SCOPE_ALL));
  });

  it('a profile without an attested guardianship is never held to one', () => {
    const { w, H1, M } = world('none');
    w.advance(40 * 366 * DAY);
    w.ok(w.grant(M, H1, SCOPE_ALL));
  });
});
