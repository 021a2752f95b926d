/**
 * Guardianship on the screens' side (issue 15): the coming-of-age day from a
 * birth date (rounded up to a month, so the chain does not carry the birth
 * date), the hospital's form checked field by field, and both sides' views
 * read from a real ledger through the handover.
 */
import { describe, expect, it } from 'vitest';
import { comingOfAge } from '../../../../src/lib/app/family/coming-of-age';
import { checkGuardianForm } from '../../../../src/lib/app/family/guardian-form';
import { childrenOf, guardianshipOf, mustHandOver } from '../../../../src/lib/app/family/guardianship';
import { shortId } from '../../../../src/lib/core/ids';
import { hexToBytes } from '../../../../src/lib/core/bytes';
import { SCOPE_ALL } from '../../../../src/lib/core/payloads';
import { dayDate, recordDay } from '../../../../src/lib/core/record';
import { DAY, T0, World } from '../../core/ledger-world';

const at = (birth: string) => {
  const d = comingOfAge(birth);
  return d === null ? null : dayDate(d);
};

describe('the coming of age', () => {
  it.each([
    ['2010-03-01', '2028-03-01'],
    ['2010-03-02', '2028-04-01'],
    ['2010-12-15', '2029-01-01'],
    ['2008-02-29', '2026-03-01'],
    ['2012-02-29', '2030-03-01'],
  ])('born %s: the profile passes to them on %s', (birth, want) => {
    expect(at(birth)).toBe(want);
  });

  it('is null for what is not a date', () => {
    for (const bad of ['', '2010-02-30', '10-03-2010', '1969-12-31']) expect(comingOfAge(bad)).toBeNull();
  });
});

function family(seed: string) {
  const w = new World(`app-guardian/${seed}`);
  const H = w.hospital('H');
  const G = w.patient('Guardian');
  const M = w.patient('Minor');
  w.ok(w.found(H), w.registerPatient(G), w.registerPatient(M));
  return { w, H, G, M };
}

describe('the hospital’s form', () => {
  const today = dayDate(Math.floor(T0 / 86_400));
  it('accepts a registered guardian, a child’s birth date and the proof seen', () => {
    const { w, G, M } = family('ok');
    const r = checkGuardianForm(w.ledger, M.id, { guardian: shortId(G.idBytes), birth: '2015-06-10', proofSeen: true }, T0);
    expect(r).toEqual({ ok: true, guardian: G.id, until: recordDay('2033-07-01') });
  });

  it('names each field’s problem: unknown or own id, no date, born later, already an adult, no proof', () => {
    const { w, M } = family('bad');
    const codes = (guardian: string, birth: string, proofSeen: boolean) => {
      const r = checkGuardianForm(w.ledger, M.id, { guardian, birth, proofSeen }, T0);
      return r.ok ? [] : r.problems.map((p) => `${p.field}:${p.code}`);
    };
    expect(codes(shortId(M.idBytes), '', false)).toEqual(['guardian:GUARDIAN_SELF', 'birth:BAD_DATE', 'proof:NO_PROOF']);
    expect(codes('ABCDE', '2030-01-01', true)).toEqual(['guardian:ID_LENGTH', 'birth:BORN_LATER']);
    expect(codes(shortId(M.idBytes), '2000-01-01', true)).toEqual(['guardian:GUARDIAN_SELF', 'birth:ALREADY_ADULT']);
    expect(today).toBe('2026-01-01');
  });
});

describe('both sides’ views through the handover', () => {
  it('the child sees their guardian and coming of age; the guardian their child; both see the handover', () => {
    const { w, H, G, M } = family('views');
    expect(guardianshipOf(w.ledger, M.id, w.time)).toBeNull();
    w.ok(w.attestGuardian(H, M, G, { until: Math.floor(w.nextTime / 86_400) + 5 }));
    const child = guardianshipOf(w.ledger, M.id, w.time)!;
    expect(child).toMatchObject({ guardian: G.id, guardianShort: shortId(hexToBytes(G.id)), hospital: 'H', status: 'minor', handedOver: null });
    expect(childrenOf(w.ledger, G.id, w.time).map((c) => c.minor)).toEqual([M.id]);
    expect(mustHandOver(w.ledger, M.id, w.time)).toBe(false);
    w.advance(6 * DAY);
    expect(mustHandOver(w.ledger, M.id, w.time)).toBe(true);
    expect(w.code(w.grant(M, H, SCOPE_ALL))).toBe('GUARDIANSHIP_ENDED');
    const handover = w.rotateKeys(M);
    w.ok(handover);
    expect(mustHandOver(w.ledger, M.id, w.time)).toBe(false);
    expect(guardianshipOf(w.ledger, M.id, w.time)).toMatchObject({ status: 'handed-over', handedOver: handover.tx.time });
    expect(childrenOf(w.ledger, G.id, w.time)[0]!.status).toBe('handed-over');
  });
});
