/**
 * Emergency access (break-glass, issue 15, SPEC §4) on the ledger: what the
 * patient's setting opens and to whom, who may break the glass, release a
 * share and review, and the codes each rule refuses with. The threshold
 * cryptography (splitting, sealing, releasing, combining) is tested with real
 * keys in tests/unit/app/emergency/key-shares.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/lib/core/bytes';
import { Category, EMERGENCY_SCOPE, QuorumRule, StaffRole } from '../../../src/lib/core/payloads';
import { type Party, World } from './ledger-world';

/** Four admitted hospitals (the two-thirds quorum: three of them), a clinician and a nurse of H1, a patient and a would-be nominee. */
function world(seed: string) {
  const w = new World(`emergency/${seed}`);
  const [H1, H2, H3, H4] = ['H1', 'H2', 'H3', 'H4'].map((n) => w.hospital(n));
  w.ok(w.found(H1!), w.found(H2!), w.found(H3!), w.found(H4!));
  const doctor = w.staffOf(H1!, 'Dr');
  const nurse = w.staffOf(H1!, 'Nurse');
  const P = w.patient('P');
  const N = w.patient('N');
  w.ok(w.certifyStaff(H1!, doctor), w.certifyStaff(H1!, nurse, { role: StaffRole.Nurse }), w.registerPatient(P), w.registerPatient(N));
  return { w, H1: H1!, H2: H2!, H3: H3!, H4: H4!, doctor, nurse, P, N };
}

/** Whether the emergency key of the patient's current setting opens the record (the oracle holds the combined secret). */
function emergencyOpens(w: World, patient: string, record: string): boolean {
  const s = w.ledger.emergencySettings.get(patient);
  const key = s?.key ? w.emergencyKeys.get(s.key) : undefined;
  return key ? w.recoverDataKey([key.secret], record) !== null : false;
}

describe('what emergency access opens', () => {
  it('records of its kinds — earlier ones once re-wrapped, later ones as they are added — and nothing else', () => {
    const { w, P, H1, doctor } = world('scope');
    const allergy = w.addRecord(P, P, Category.Allergy);
    const note = w.addRecord(P, P, Category.Consultation);
    w.ok(allergy, note);
    w.ok(w.setEmergency(P));
    expect(w.ledger.emergencySettings.get(P.id)).toMatchObject({ allowed: true, scope: EMERGENCY_SCOPE, threshold: 3 });
    // The patient's app re-wraps the earlier records of its kinds (as after a grant).
    expect(w.newReaders(note.id)).toEqual([]);
    w.ok(w.shareKeys(P, allergy.id));
    const prescription = w.addRecord(P, P, Category.Prescription);
    w.ok(prescription, w.grant(P, H1, 1 << Category.Prescription));
    const written = w.addRecord(doctor, P, Category.Prescription);
    w.ok(written);
    expect([allergy, note, prescription, written].map((r) => emergencyOpens(w, P.id, r.id))).toEqual([true, false, true, true]);
  });

  it('off: no emergency access, and records added afterwards are not wrapped to the old key', () => {
    const { w, P, doctor } = world('off');
    w.ok(w.setEmergency(P));
    const key = w.ledger.emergencySettings.get(P.id)!.key;
    w.ok(w.setEmergency(P, { off: true }));
    expect(w.code(w.emergencyAccess(doctor, P))).toBe('EMERGENCY_OFF');
    const later = w.addRecord(P, P, Category.Allergy);
    w.ok(later);
    expect(w.ledger.records.get(later.id)!.readers).not.toContain(key);
  });
});

describe('who may break the glass', () => {
  const table: readonly { who: string; allowed: boolean; code: string }[] = [
    { who: 'doctor', allowed: true, code: 'OK' },
    { who: 'doctor', allowed: false, code: 'EMERGENCY_OFF' },
    { who: 'nurse', allowed: true, code: 'NOT_AUTHORISED' },
    { who: 'authority', allowed: true, code: 'NOT_AUTHORISED' },
    { who: 'other hospital', allowed: true, code: 'NOT_AUTHORISED' },
  ];
  it.each(table)('$who, patient allowed: $allowed → $code', ({ who, allowed, code }) => {
    const { w, P, H1, H2, doctor, nurse } = world(`who/${who}/${allowed}`);
    if (allowed) w.ok(w.setEmergency(P));
    const actor = { doctor, nurse, authority: H1, 'other hospital': H2 }[who]!;
    expect(w.code(w.emergencyAccess(actor, P, { hospital: H1 }))).toBe(code);
  });

  it('an access records the clinician, the box key shares go to, the setting and the time; the patient’s log holds it', () => {
    const { w, P, H1, doctor } = world('record');
    w.ok(w.setEmergency(P));
    const access = w.emergencyAccess(doctor, P);
    w.ok(access);
    expect(w.ledger.emergencies.get(access.id)).toMatchObject({
      patient: P.id,
      hospital: H1.id,
      clinician: doctor.id,
      clinicianBox: doctor.box.hex,
      setting: w.ledger.emergencySettings.get(P.id)!.id,
      releases: [],
      review: null,
    });
    expect(w.ledger.byPatient.get(P.id)).toContain(access.id);
  });
});

describe('the shares: every admitted hospital holds one, the quorum is needed', () => {
  it('refuses shares that miss a hospital, add one, lower the threshold, or are empty (BAD_SHARES)', () => {
    const { w, P, H1, H2, H3, H4 } = world('shares');
    const all = [H1, H2, H3, H4].map((h) => h.id).sort();
    expect(w.code(w.setEmergency(P, { holders: all.slice(1) }))).toBe('BAD_SHARES');
    expect(w.code(w.setEmergency(P, { holders: [...all, toHex(w.random(32))].sort() }))).toBe('BAD_SHARES');
    expect(w.code(w.setEmergency(P, { threshold: 2 }))).toBe('BAD_SHARES');
    expect(w.code(w.setEmergency(P, { threshold: 4 }))).toBe('BAD_SHARES');
    expect(w.code(w.setEmergency(P, { emptyShare: true }))).toBe('BAD_SHARES');
    expect(w.code(w.setEmergency(P, { scope: 0 }))).toBe('BAD_SCOPE');
    expect(w.code(w.setEmergency(P))).toBe('OK');
  });

  it('the threshold is the quorum the genesis chose: three of four for two thirds, three of four for a majority', () => {
    for (const quorum of [QuorumRule.TwoThirds, QuorumRule.Majority]) {
      const w = new World(`quorum/${quorum}`);
      const hs = ['A', 'B', 'C', 'D'].map((n) => w.hospital(n));
      w.ok(...hs.map((h) => w.found(h, { quorum })));
      const P = w.patient('P');
      w.ok(w.registerPatient(P));
      w.ok(w.setEmergency(P));
      expect(w.ledger.emergencySettings.get(P.id)!.threshold).toBe(3);
    }
  });

  it('a network of one hospital cannot turn it on: that hospital would open it alone', () => {
    const w = new World('alone');
    const H = w.hospital('H');
    w.ok(w.found(H));
    const P = w.patient('P');
    w.ok(w.registerPatient(P));
    expect(w.code(w.setEmergency(P, { threshold: 1 }))).toBe('BAD_SHARES');
  });

  it('a nominee is another registered patient (UNKNOWN_PATIENT)', () => {
    const { w, P, N } = world('nominee');
    expect(w.code(w.setEmergency(P, { nominee: P }))).toBe('UNKNOWN_PATIENT');
    expect(w.code(w.setEmergency(P, { nominee: w.patient('Unregistered') }))).toBe('UNKNOWN_PATIENT');
    w.ok(w.setEmergency(P, { nominee: N }));
    expect(w.ledger.emergencySettings.get(P.id)!.nominee).toBe(N.id);
  });
});

describe('releases and reviews', () => {
  function opened(seed: string) {
    const s = world(seed);
    s.w.ok(s.w.setEmergency(s.P));
    const access = s.w.emergencyAccess(s.doctor, s.P);
    s.w.ok(access);
    return { ...s, access: access.id, built: access };
  }

  it('each holder releases once; no one else releases; a setting changed since stops releases', () => {
    const { w, P, H1, H2, H3, access } = opened('release');
    const applicant = w.hospital('H5');
    w.ok(w.apply(applicant));
    expect(w.code(w.releaseShare(applicant, P, access))).toBe('NOT_AUTHORISED');
    w.ok(w.releaseShare(H2, P, access));
    expect(w.code(w.releaseShare(H2, P, access))).toBe('ALREADY_DONE');
    expect(w.code(w.releaseShare(H3, P, access, { sealed: new Uint8Array(0) }))).toBe('BAD_SHARES');
    expect(w.ledger.emergencies.get(access)!.releases.map((r) => r.hospital)).toEqual([H2.id]);
    const other = w.patient('Other');
    w.ok(w.registerPatient(other));
    expect(w.code(w.releaseShare(H1, other, access))).toBe('UNKNOWN_REFERENCE');
    w.ok(w.setEmergency(P, { off: true }));
    expect(w.code(w.releaseShare(H1, P, access))).toBe('NOT_AUTHORISED');
  });

  it('a replayed access or delegation is refused by the ledger itself (the chain refuses replays first): it would wipe the shares released', () => {
    const { w, P, N, H2, access, built } = opened('replay');
    w.ok(w.releaseShare(H2, P, access));
    const before = w.ledger.emergencies.get(access)!;
    expect(w.code(built)).toBe('ALREADY_DONE');
    expect(w.ledger.emergencies.get(access)).toEqual(before);
    const d = w.delegate(P, N, EMERGENCY_SCOPE);
    w.ok(d);
    expect(w.code(d)).toBe('ALREADY_DONE');
  });

  it('the accessing hospital’s authority reviews once; no one else does', () => {
    const { w, P, H1, H2, doctor, access } = opened('review');
    const parties: Party[] = [H2, doctor];
    for (const who of parties) expect(w.code(w.reviewEmergency(who as never, P, access, { as: who.sign }))).toBe('NOT_AUTHORISED');
    const review = w.reviewEmergency(H1, P, access);
    w.ok(review);
    expect(w.ledger.emergencies.get(access)!.review).toMatchObject({ id: review.id, outcome: 1 });
    expect(w.code(w.reviewEmergency(H1, P, access))).toBe('ALREADY_DONE');
    expect(w.ledger.byPatient.get(P.id)).toContain(review.id);
  });
});
