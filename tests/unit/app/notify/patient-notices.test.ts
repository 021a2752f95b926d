/**
 * The patient's inbox (issue 15) as derived from the ledger: each kind of
 * notice, the about-to-expire thresholds judged at an injected time, what
 * leaves the inbox once answered, and a nominee's view of an emergency.
 */
import { describe, expect, it } from 'vitest';
import { patientNotices } from '../../../../src/lib/app/notify/patient-notices';
import { GRANT_WARN_DAYS, INBOX_DAYS, REQUEST_WARN_HOURS } from '../../../../src/lib/app/notify/notice';
import { Category, SCOPE_ALL } from '../../../../src/lib/core/payloads';
import { DAY } from '../../core/ledger-world';
import { notifyWorld } from './notify-world';

const HOUR = 3600;

describe('a patient’s notices', () => {
  it('an open request, and a warning once its answer-by time is within a day; both leave once it is answered', () => {
    const { w, doctor, P, H1, ok } = notifyWorld('request');
    const q = w.request(doctor, P, SCOPE_ALL);
    ok(q);
    const answerBy = w.ledger.requests.get(q.id)!.answerBy;
    const at = (now: number) => patientNotices(w.ledger, [], P.id, now);
    expect(at(w.time)).toEqual([{ id: `${q.id}:request`, kind: 'request', time: q.tx.time, hospital: 'City Hospital' }]);
    expect(at(answerBy - REQUEST_WARN_HOURS * HOUR - 1).map((n) => n.kind)).toEqual(['request']);
    const warned = at(answerBy - REQUEST_WARN_HOURS * HOUR);
    expect(warned.map((n) => n.kind)).toEqual(['request-expiring', 'request']);
    expect(warned[0]).toMatchObject({ id: `${q.id}:request-expiring`, answerBy, time: answerBy - REQUEST_WARN_HOURS * HOUR, hospital: 'City Hospital' });
    // Past its answer-by time it is expired, not waiting: the access log tells that story.
    expect(at(answerBy)).toEqual([]);
    ok(w.refuse(P, q.id));
    expect(at(w.time)).toEqual([]);
    expect(H1.name).toBe('City Hospital');
  });

  it('a referral waiting for an answer names both hospitals', () => {
    const { w, doctor, P, H1, H2, ok } = notifyWorld('referral');
    ok(w.grant(P, H1, SCOPE_ALL, { days: 60 }));
    const f = w.referral(doctor, H2, P);
    ok(f);
    expect(patientNotices(w.ledger, [], P.id, w.time)).toEqual([
      { id: `${f.id}:referral`, kind: 'referral', time: f.tx.time, from: 'City Hospital', hospital: 'Hill Clinic' },
    ]);
  });

  it('a record a hospital added, not one the patient added, and not one older than the inbox reaches', () => {
    const { w, doctor, P, H1, ok } = notifyWorld('record');
    ok(w.grant(P, H1, SCOPE_ALL, { days: 200 }));
    const own = w.addRecord(P, P, Category.Allergy);
    const theirs = w.addRecord(doctor, P, Category.LabReport);
    ok(own, theirs);
    const now = w.time;
    const time = w.ledger.records.get(theirs.id)!.time;
    expect(patientNotices(w.ledger, [], P.id, now)).toEqual([
      { id: `${theirs.id}:record`, kind: 'record', time, hospital: 'City Hospital', category: Category.LabReport },
    ]);
    expect(patientNotices(w.ledger, [], P.id, time + INBOX_DAYS * DAY + 1)).toEqual([]);
  });

  it('a grant about to end: from three days before its expiry until it ends, not once revoked', () => {
    const { w, P, H2, ok } = notifyWorld('grant');
    const g = w.grant(P, H2, SCOPE_ALL, { days: 10 });
    ok(g);
    const expiry = w.ledger.grants.get(g.id)!.expiry;
    const at = (now: number) => patientNotices(w.ledger, [], P.id, now);
    expect(at(expiry - GRANT_WARN_DAYS * DAY - 1)).toEqual([]);
    expect(at(expiry - GRANT_WARN_DAYS * DAY)).toEqual([
      { id: `${g.id}:grant-expiring`, kind: 'grant-expiring', time: expiry - GRANT_WARN_DAYS * DAY, hospital: 'Hill Clinic', expiry },
    ]);
    expect(at(expiry)).toEqual([]);
    ok(w.revoke(P, g.id));
    expect(at(expiry - DAY)).toEqual([]);
  });

  it('keys of earlier records reaching a hospital: one notice per block and hospital, counting the records', () => {
    const { w, P, H2, shares, ok } = notifyWorld('keys');
    const a = w.addRecord(P, P, Category.Allergy);
    const b = w.addRecord(P, P, Category.Prescription);
    ok(a, b);
    ok(w.grant(P, H2, SCOPE_ALL));
    const first = w.shareKeys(P, a.id);
    ok(first, w.shareKeys(P, b.id));
    const notices = patientNotices(w.ledger, shares, P.id, w.time);
    expect(notices.filter((n) => n.kind === 'keys-shared')).toEqual([
      { id: `${first.id}:keys-shared`, kind: 'keys-shared', time: first.tx.time, hospital: 'Hill Clinic', records: 2 },
    ]);
    // Another patient hears nothing of them.
    expect(patientNotices(w.ledger, shares, w.patient('Other').id, w.time)).toEqual([]);
  });

  it('an emergency access: the patient is told, and so is the nominee they named — no one else', () => {
    const { w, doctor, P, N, ok } = notifyWorld('emergency');
    ok(w.setEmergency(P, { nominee: N }));
    const access = w.emergencyAccess(doctor, P);
    ok(access);
    const time = w.ledger.emergencies.get(access.id)!.time;
    expect(patientNotices(w.ledger, [], P.id, w.time)).toEqual([{ id: `${access.id}:emergency`, kind: 'emergency', time, hospital: 'City Hospital' }]);
    const told = patientNotices(w.ledger, [], N.id, w.time);
    expect(told).toEqual([{ id: `${access.id}:nominee-emergency`, kind: 'nominee-emergency', time, hospital: 'City Hospital', patient: expect.any(String) }]);
    expect(told[0]).toMatchObject({ patient: expect.stringMatching(/^\w{5}-\w{5}-\w$/) });
    const stranger = w.patient('S');
    ok(w.registerPatient(stranger));
    expect(patientNotices(w.ledger, [], stranger.id, w.time)).toEqual([]);
  });

  it('a guardianship: the child and the guardian are told when it is attested, and both on the day of coming of age until the handover', () => {
    const { w, doctor, P, N, ok } = notifyWorld('guardianship');
    const today = Math.floor(w.nextTime / DAY);
    const attest = w.attestGuardian(doctor, P, N, { until: today + 3 });
    ok(attest);
    const time = w.ledger.guardianships.get(P.id)!.time;
    const until = (today + 3) * DAY;
    const short = expect.stringMatching(/^\w{5}-\w{5}-.$/);
    expect(patientNotices(w.ledger, [], P.id, w.time)).toEqual([
      { id: `${attest.id}:guardianship`, kind: 'guardianship', time, role: 'minor', patient: short, hospital: 'City Hospital', until },
    ]);
    expect(patientNotices(w.ledger, [], N.id, w.time)).toEqual([
      { id: `${attest.id}:guardianship`, kind: 'guardianship', time, role: 'guardian', patient: short, hospital: 'City Hospital', until },
    ]);
    w.advance(4 * DAY);
    const due = (who: string) => patientNotices(w.ledger, [], who, w.time).filter((n) => n.kind === 'handover-due');
    expect(due(P.id)).toEqual([{ id: `${attest.id}:handover-due`, kind: 'handover-due', time: until, role: 'minor', patient: short, until }]);
    expect(due(N.id)).toMatchObject([{ role: 'guardian', time: until }]);
    ok(w.rotateKeys(P));
    expect(due(P.id)).toEqual([]);
    expect(due(N.id)).toEqual([]);
  });
});
