/**
 * The hospital's inbox (issue 15): an emergency access its authority has not
 * reviewed within REVIEW_HOURS (for the authority only, gone once reviewed),
 * and patients' answers to the hospital's requests (for staff too).
 */
import { describe, expect, it } from 'vitest';
import { hospitalNotices } from '../../../../src/lib/app/notify/hospital-notices';
import { REVIEW_HOURS, SCOPE_ALL } from '../../../../src/lib/core/payloads';
import { notifyWorld } from './notify-world';

const HOUR = 3600;

describe('a hospital’s notices', () => {
  it('an emergency access unreviewed past REVIEW_HOURS, for the authority, until it is reviewed', () => {
    const { w, doctor, P, H1, H2, ok } = notifyWorld('review');
    ok(w.setEmergency(P));
    const access = w.emergencyAccess(doctor, P);
    ok(access);
    const due = w.ledger.emergencies.get(access.id)!.time + REVIEW_HOURS * HOUR;
    expect(hospitalNotices(w.ledger, H1.id, 'authority', due - 1)).toEqual([]);
    expect(hospitalNotices(w.ledger, H1.id, 'authority', due)).toEqual([
      { id: `${access.id}:review-overdue`, kind: 'review-overdue', time: due, clinician: 'Dr Rao', patient: expect.stringMatching(/^\w{5}-\w{5}-\w$/) },
    ]);
    expect(hospitalNotices(w.ledger, H1.id, 'staff', due)).toEqual([]);
    expect(hospitalNotices(w.ledger, H2.id, 'authority', due)).toEqual([]);
    ok(w.reviewEmergency(H1, P, access.id));
    expect(hospitalNotices(w.ledger, H1.id, 'authority', due)).toEqual([]);
  });

  it('a request granted or refused, for the requesting hospital’s authority and staff', () => {
    const { w, doctor, P, N, H1, H2, ok } = notifyWorld('answers');
    const q1 = w.request(doctor, P, SCOPE_ALL);
    const q2 = w.request(doctor, N, SCOPE_ALL);
    ok(q1, q2);
    expect(hospitalNotices(w.ledger, H1.id, 'staff', w.time)).toEqual([]);
    const g = w.grant(P, H1, SCOPE_ALL, { regarding: q1.id });
    ok(g);
    const r = w.refuse(N, q2.id);
    ok(r);
    const notices = hospitalNotices(w.ledger, H1.id, 'staff', w.time);
    expect(notices.map((n) => [n.kind, n.id])).toEqual([
      ['request-refused', `${r.id}:request-refused`],
      ['request-granted', `${g.id}:request-granted`],
    ]);
    expect(hospitalNotices(w.ledger, H1.id, 'authority', w.time)).toEqual(notices);
    expect(hospitalNotices(w.ledger, H2.id, 'authority', w.time)).toEqual([]);
  });
});
