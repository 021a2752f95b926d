/**
 * Consent ledger scenarios (SPEC §2 to §4; "grant, revoke, expiry, referral,
 * staff removal, erasure, replay"). Each scenario drives a {@link World}
 * block by block and asserts the RuleError code of every refused block and,
 * with the decryption oracle, exactly who can read which record afterwards.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { concatBytes, toHex } from '../../../src/lib/core/bytes';
import type { RuleCode } from '../../../src/lib/core/errors';
import type { Journal } from '../../../src/lib/core/journal';
import { rotationMessage } from '../../../src/lib/core/ledger-rules';
import { sign } from '../../../src/lib/core/signature';
import { Category, MAX_READERS, Purpose, SCOPE_ALL, dayOf, encodePayload } from '../../../src/lib/core/payloads';
import { TxKind } from '../../../src/lib/core/tx';
import { type Built, CannotBuild, DAY, Hospital, type Party, Staff, World, dumpLedger, scopeOf } from './ledger-world';

const LAB = scopeOf(Category.LabReport);

/** Two founding hospitals with staff, a not-yet-applied third, two registered patients. */
function standard(seed = 'standard') {
  const w = new World(seed);
  const H1 = w.hospital('H1');
  const H2 = w.hospital('H2');
  const H3 = w.hospital('H3');
  const S1 = w.staffOf(H1, 'S1');
  const S2 = w.staffOf(H1, 'S2');
  const S3 = w.staffOf(H2, 'S3');
  const P = w.patient('P');
  const Q = w.patient('Q');
  w.ok(w.found(H1), w.found(H2));
  w.ok(w.certifyStaff(H1, S1), w.certifyStaff(H1, S2), w.certifyStaff(H2, S3), w.registerPatient(P), w.registerPatient(Q));
  const everyone: Party[] = [P, Q, H1, H2, H3, S1, S2, S3];
  /** Names of the parties that can decrypt the record, in `everyone` order. */
  const readers = (recordId: string) => w.readersOf(recordId, everyone);
  return { w, H1, H2, H3, S1, S2, S3, P, Q, everyone, readers };
}
type Std = ReturnType<typeof standard>;

/** Adds a record in its own block (must be accepted); returns its id. */
function add(w: World, ...args: Parameters<World['addRecord']>): string {
  const b = w.addRecord(...args);
  w.ok(b);
  return b.id;
}

const sent = new Map<string, Built>();
/** Remembers a built transaction; returns its id (for {@link replay}). */
function keep(b: Built): string {
  sent.set(b.id, b);
  return b.id;
}
/** The very same signed transaction again (no side effects beside the chain). */
function replay(id: string): Built {
  const b = sent.get(id);
  if (!b) throw new Error(`nothing kept as ${id}`);
  return { ...b, onAccepted: [] };
}

/**
 * A table case: `arrange` applies accepted blocks (and may return an id for
 * `act`), `act` builds the block under test, `code` is what it must give.
 */
interface Case {
  readonly name: string;
  readonly arrange?: (s: Std) => string | void;
  readonly act: (s: Std, arranged: string) => Built | Built[];
  readonly code: RuleCode | 'OK';
}

function runCases(cases: readonly Case[]) {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const s = standard(c.name);
    const arranged = c.arrange?.(s) ?? '';
    const act = c.act(s, arranged);
    const before = dumpLedger(s.w.ledger);
    const got = s.w.code(...(Array.isArray(act) ? act : [act]));
    expect(got).toBe(c.code);
    // A refused block leaves the ledger exactly as it was.
    if (got !== 'OK') expect(dumpLedger(s.w.ledger)).toBe(before);
  });
}

describe('the decryption oracle', () => {
  it('opens a record only with a wrapped key, its own header and untampered blobs', () => {
    const { w, P, Q, H1, readers } = standard('oracle');
    w.ok(w.grant(P, H1, LAB));
    const r = add(w, P, P, Category.LabReport);
    expect(readers(r)).toEqual(['P', 'H1', 'S1', 'S2']);
    // Q's box key is not among the wraps; H1's data key is.
    expect(w.secretsOf(Q)).toHaveLength(1);
    expect(w.canDecrypt(Q, r)).toBe(false);
    const [body, keys] = w.ledger.records.get(r)!.blobs as [string, string];
    const original = w.blobs.get(keys)!;
    // A blob that does not match its hash is refused, whatever it holds.
    w.blobs.set(
      keys,
      Uint8Array.from(original, (b, i) => (i === 40 ? b ^ 1 : b)),
    );
    expect(readers(r)).toEqual([]);
    w.blobs.set(keys, original);
    w.blobs.delete(body);
    expect(readers(r)).toEqual([]);
  });
});

describe('founding', () => {
  it('a genesis FoundNetwork by H1 makes it the first member', () => {
    const w = new World('found1');
    const H1 = w.hospital('H1');
    w.ok(w.found(H1));
    expect(w.ledger.hospitals.get(H1.id)).toMatchObject({ member: true, dataKey: H1.dataKeys[0]!.hex, dataEpoch: 0, staff: [] });
    expect(w.ledger.members).toBe(1);
  });

  it('a genesis founded by H1 and H2 has two members', () => {
    const { w, H1, H2, H3 } = standard();
    expect([H1, H2, H3].map((h) => w.ledger.hospitals.get(h.id)?.member ?? null)).toEqual([true, true, null]);
    expect(w.ledger.members).toBe(2);
  });

  it.each([
    ['an empty genesis', (_w: World) => [] as Built[]],
    ['a genesis that only registers a patient', (w: World) => [w.registerPatient(w.patient('P'))]],
    ['a genesis that only applies', (w: World) => [w.apply(w.hospital('A'))]],
  ])('%s has no founder: BAD_GENESIS', (_name, txs) => {
    const w = new World('genesis');
    expect(w.code(...txs(w))).toBe('BAD_GENESIS');
    expect(w.ledger.members).toBe(0);
    expect(w.ledger.patients.size + w.ledger.hospitals.size).toBe(0);
  });

  it('FoundNetwork after the genesis: GENESIS_ONLY', () => {
    const { w, H3 } = standard();
    expect(w.code(w.found(H3))).toBe('GENESIS_ONLY');
    expect(w.ledger.hospitals.has(H3.id)).toBe(false);
  });

  it('founding twice with one key: KEY_IN_USE', () => {
    const w = new World('twice');
    const H1 = w.hospital('H1');
    expect(w.code(w.found(H1), w.found(H1))).toBe('KEY_IN_USE');
  });
});

describe('admission by majority', () => {
  it('with two members one approval is not a majority; the second admits', () => {
    const { w, H1, H2, H3, P } = standard();
    w.ok(w.apply(H3));
    expect(w.ledger.hospitals.get(H3.id)).toMatchObject({ member: false, approvals: [] });
    w.ok(w.approve(H1, H3));
    expect(w.ledger.hospitals.get(H3.id)).toMatchObject({ member: false, approvals: [H1.id] });
    expect(w.ledger.members).toBe(2);
    // Not yet a member: cannot be granted consent.
    expect(w.code(w.grant(P, H3, SCOPE_ALL))).toBe('UNKNOWN_HOSPITAL');
    w.ok(w.approve(H2, H3));
    expect(w.ledger.hospitals.get(H3.id)).toMatchObject({ member: true, approvals: [H1.id, H2.id] });
    expect(w.ledger.members).toBe(3);
    w.ok(w.grant(P, H3, SCOPE_ALL));
  });

  it('with one member one approval admits; with three, two are needed', () => {
    const w = new World('majority');
    const [A, B, C, D] = ['A', 'B', 'C', 'D'].map((n) => w.hospital(n)) as [Hospital, Hospital, Hospital, Hospital];
    w.ok(w.found(A));
    w.ok(w.apply(B), w.approve(A, B));
    expect(w.ledger.members).toBe(2);
    w.ok(w.apply(C), w.approve(A, C), w.approve(B, C));
    expect(w.ledger.members).toBe(3);
    w.ok(w.apply(D), w.approve(C, D));
    expect(w.ledger.hospitals.get(D.id)?.member).toBe(false);
    w.ok(w.approve(A, D));
    expect(w.ledger.hospitals.get(D.id)?.member).toBe(true);
    expect(w.ledger.members).toBe(4);
  });

  runCases([
    {
      name: 'duplicate approval',
      arrange: ({ w, H1, H3 }) => void w.ok(w.apply(H3), w.approve(H1, H3)),
      act: ({ w, H1, H3 }) => w.approve(H1, H3),
      code: 'ALREADY_DONE',
    },
    {
      name: 'duplicate approval in one block',
      arrange: ({ w, H3 }) => void w.ok(w.apply(H3)),
      act: ({ w, H1, H3 }) => [w.approve(H1, H3), w.approve(H1, H3)],
      code: 'ALREADY_DONE',
    },
    { name: 'approving an admitted hospital', act: ({ w, H1, H2 }) => w.approve(H1, H2), code: 'ALREADY_DONE' },
    {
      name: 'approval by an applicant (non-member)',
      arrange: ({ w, H3 }) => void w.ok(w.apply(H3)),
      act: ({ w, H3, H1 }) => w.approve(H3, H1),
      code: 'NOT_AUTHORISED',
    },
    { name: 'self-approval by an applicant', arrange: ({ w, H3 }) => void w.ok(w.apply(H3)), act: ({ w, H3 }) => w.approve(H3, H3), code: 'NOT_AUTHORISED' },
    {
      name: 'approval by staff',
      arrange: ({ w, H3 }) => void w.ok(w.apply(H3)),
      act: ({ w, H1, H3, S1 }) => w.approve(H1, H3, { as: S1.sign }),
      code: 'NOT_AUTHORISED',
    },
    {
      name: 'approval by a patient',
      arrange: ({ w, H3 }) => void w.ok(w.apply(H3)),
      act: ({ w, H1, H3, P }) => w.approve(H1, H3, { as: P.sign }),
      code: 'NOT_AUTHORISED',
    },
    { name: 'approving an unknown application', act: ({ w, H1 }) => w.approve(H1, w.random(32)), code: 'UNKNOWN_REFERENCE' },
    { name: 'approving a hospital that never applied', act: ({ w, H1, H3 }) => w.approve(H1, H3), code: 'UNKNOWN_REFERENCE' },
    { name: 'approving a patient key', act: ({ w, H1, P }) => w.approve(H1, P.sign.pub), code: 'UNKNOWN_REFERENCE' },
    { name: 'applying twice', arrange: ({ w, H3 }) => void w.ok(w.apply(H3)), act: ({ w, H3 }) => w.apply(H3), code: 'KEY_IN_USE' },
    { name: 'a founder applying', act: ({ w, H1 }) => w.apply(H1), code: 'KEY_IN_USE' },
    { name: 'a patient key applying as a hospital', act: ({ w, H3, P }) => w.apply(H3, { as: P.sign }), code: 'KEY_IN_USE' },
    { name: 'a staff key applying as a hospital', act: ({ w, H3, S1 }) => w.apply(H3, { as: S1.sign }), code: 'KEY_IN_USE' },
    { name: 'a hospital key registering as a patient', act: ({ w, H1 }) => w.registerPatient(w.patient('X'), { as: H1.sign }), code: 'KEY_IN_USE' },
    { name: 'a staff key registering as a patient', act: ({ w, S1 }) => w.registerPatient(w.patient('X'), { as: S1.sign }), code: 'KEY_IN_USE' },
    { name: 'a patient registering twice', act: ({ w, P }) => w.registerPatient(P), code: 'KEY_IN_USE' },
    { name: 'certifying a patient key as staff', act: ({ w, H1, P }) => w.certifyStaff(H1, new Staff('X', P.sign, w.boxKey(), H1)), code: 'KEY_IN_USE' },
    {
      name: "certifying the authority's own key as staff",
      act: ({ w, H1 }) => w.certifyStaff(H1, new Staff('X', H1.sign, w.boxKey(), H1)),
      code: 'KEY_IN_USE',
    },
    { name: "certifying another hospital's staff", act: ({ w, H1, S3 }) => w.certifyStaff(H1, S3), code: 'KEY_IN_USE' },
    { name: 'rotating a patient onto a hospital key', act: ({ w, P, H1 }) => w.rotateKeys(P, { newSign: H1.sign }), code: 'KEY_IN_USE' },
  ]);
});

describe('staff', () => {
  it('an authority certifies staff; they hold its data secret and act for it, not for another hospital', () => {
    const { w, H1, H2, S1, S2, P } = standard();
    expect(w.ledger.hospitals.get(H1.id)?.staff).toEqual([S1.id, S2.id]);
    expect(w.ledger.staff.get(S1.id)).toMatchObject({ hospital: H1.id, boxKey: S1.box.hex, active: true });
    expect(w.secretsOf(S1).map(toHex)).toEqual([toHex(H1.dataKeys[0]!.secret)]);
    w.ok(w.request(S1, P, LAB));
    w.ok(w.grant(P, H1, LAB), w.grant(P, H2, LAB));
    w.ok(w.addRecord(S1, P, Category.LabReport), w.referral(S2, H2, P));
    expect(w.code(w.request(S1, P, LAB, { hospital: H2 }))).toBe('NOT_AUTHORISED');
    expect(w.code(w.addRecord(S1, P, Category.LabReport, { hospital: H2 }))).toBe('NOT_AUTHORISED');
    expect(w.code(w.referral(S1, H1, P, { from: H2 }))).toBe('NOT_AUTHORISED');
  });

  it('removal rotates the data key: later records are closed to the removed member, earlier ones stay read', () => {
    const { w, H1, S1, S2, P, readers } = standard();
    w.ok(w.grant(P, H1, SCOPE_ALL));
    const before = add(w, S1, P, Category.Prescription);
    const ownBefore = add(w, P, P, Category.LabReport);
    expect(readers(before)).toEqual(['P', 'H1', 'S1', 'S2']);
    expect(readers(ownBefore)).toEqual(['P', 'H1', 'S1', 'S2']);

    w.ok(w.removeStaff(H1, S2));
    const h = w.ledger.hospitals.get(H1.id)!;
    expect(h).toMatchObject({ staff: [S1.id], dataEpoch: 1, dataKey: H1.dataKeys[1]!.hex });
    expect(w.ledger.staff.get(S2.id)?.active).toBe(false);

    const after = add(w, S1, P, Category.Prescription);
    const ownAfter = add(w, P, P, Category.LabReport);
    expect(w.ledger.records.get(ownAfter)?.readers).toEqual([P.box.hex, H1.dataKeys[1]!.hex].sort());
    expect(readers(after)).toEqual(['P', 'H1', 'S1']);
    expect(readers(ownAfter)).toEqual(['P', 'H1', 'S1']);
    // Cannot un-read: the removed member still opens what was wrapped to the old key.
    expect(readers(before)).toEqual(['P', 'H1', 'S1', 'S2']);
    expect(readers(ownBefore)).toEqual(['P', 'H1', 'S1', 'S2']);
    // And can no longer act for the hospital.
    expect(w.code(w.request(S2, P, LAB))).toBe('NOT_AUTHORISED');
    expect(w.code(w.addRecord(S2, P, Category.LabReport))).toBe('NOT_AUTHORISED');
  });

  it('staff certified after a removal hold the new data key only', () => {
    const { w, H1, S2, P, everyone } = standard();
    w.ok(w.grant(P, H1, SCOPE_ALL));
    const old = add(w, P, P, Category.Allergy);
    w.ok(w.removeStaff(H1, S2));
    const S4 = w.staffOf(H1, 'S4');
    w.ok(w.certifyStaff(H1, S4));
    const fresh = add(w, P, P, Category.Allergy);
    expect(w.secretsOf(S4).map(toHex)).toEqual([toHex(H1.dataKeys[1]!.secret)]);
    expect(w.readersOf(fresh, [...everyone, S4])).toEqual(['P', 'H1', 'S1', 'S4']);
    expect(w.canDecrypt(S4, old)).toBe(false);
  });

  it("after a rotation the patient can re-share a hospital's own record to its new data key, even with consent over", () => {
    const { w, H1, S1, S2, P, everyone } = standard('author-rewrap');
    const g = w.grant(P, H1, SCOPE_ALL);
    w.ok(g);
    const rx = add(w, S1, P, Category.Prescription);
    w.ok(w.revoke(P, g.id));
    w.ok(w.removeStaff(H1, S2));
    const S4 = w.staffOf(H1, 'S4');
    w.ok(w.certifyStaff(H1, S4));
    const all = [...everyone, S4];
    expect(w.readersOf(rx, all)).toEqual(['P', 'H1', 'S1', 'S2']);
    // The authoring hospital's current key is always an allowed reader of its own records.
    expect(w.newReaders(rx)).toEqual([H1.dataKeys[1]!.hex]);
    w.ok(w.shareKeys(P, rx));
    expect(w.readersOf(rx, all)).toEqual(['P', 'H1', 'S1', 'S2', 'S4']);
    // A patient's own record gives the hospital nothing once consent is over.
    const own = add(w, P, P, Category.Prescription);
    expect(w.code(w.shareKeys(P, own, { readers: [H1.dataKeys[1]!.hex] }))).toBe('BAD_READERS');
  });

  runCases([
    {
      name: 'wraps that also reach the removed member',
      act: ({ w, H1, S1, S2 }) => w.removeStaff(H1, S2, { wrapTo: [S1, S2] }),
      code: 'BAD_STAFF_WRAPS',
    },
    { name: 'wraps missing a remaining member', act: ({ w, H1, S2 }) => w.removeStaff(H1, S2, { wrapTo: [] }), code: 'BAD_STAFF_WRAPS' },
    { name: 'a remaining member wrapped twice', act: ({ w, H1, S1, S2 }) => w.removeStaff(H1, S2, { wrapTo: [S1, S1] }), code: 'BAD_STAFF_WRAPS' },
    {
      name: 'wraps to staff of another hospital',
      act: ({ w, H1, S1, S2, S3 }) => w.removeStaff(H1, S2, { wrapTo: [S1, S3] }),
      code: 'BAD_STAFF_WRAPS',
    },
    {
      name: 'wraps out of order',
      arrange: ({ w, H1 }) => {
        const S4 = w.staffOf(H1, 'S4');
        w.ok(w.certifyStaff(H1, S4));
        return S4.id;
      },
      act: ({ w, H1, S1, S2 }, s4) => {
        const S4 = w.staffNamed(s4);
        const descending = [S1, S4].sort((a, b) => (a.id < b.id ? 1 : -1));
        return w.removeStaff(H1, S2, { wrapTo: descending, unsorted: true });
      },
      code: 'BAD_STAFF_WRAPS',
    },
    {
      name: 'the current data key as the "new" one',
      act: ({ w, H1, S2 }) => w.removeStaff(H1, S2, { newKey: w.currentDataKey(H1) }),
      code: 'BAD_STAFF_WRAPS',
    },
    { name: 'removing staff never certified', act: ({ w, H1, H2 }) => w.removeStaff(H1, w.staffOf(H2, 'nobody')), code: 'UNKNOWN_STAFF' },
    { name: "removing another hospital's staff", act: ({ w, H1, S3 }) => w.removeStaff(H1, S3), code: 'UNKNOWN_STAFF' },
    {
      name: 'removing staff twice',
      arrange: ({ w, H1, S2 }) => void w.ok(w.removeStaff(H1, S2)),
      act: ({ w, H1, S2 }) => w.removeStaff(H1, S2),
      code: 'UNKNOWN_STAFF',
    },
    { name: 'removal by a staff member', act: ({ w, H1, S1, S2 }) => w.removeStaff(H1, S2, { as: S1.sign }), code: 'NOT_AUTHORISED' },
    { name: 'certification by a staff member', act: ({ w, H1, S1 }) => w.certifyStaff(H1, w.staffOf(H1, 'S4'), { as: S1.sign }), code: 'NOT_AUTHORISED' },
    { name: 'certification by a patient', act: ({ w, H1, P }) => w.certifyStaff(H1, w.staffOf(H1, 'S4'), { as: P.sign }), code: 'NOT_AUTHORISED' },
    {
      name: 'certification by a non-member applicant',
      arrange: ({ w, H3 }) => void w.ok(w.apply(H3)),
      act: ({ w, H3 }) => w.certifyStaff(H3, w.staffOf(H3, 'S4')),
      code: 'NOT_AUTHORISED',
    },
    {
      name: 'removal by a non-member applicant',
      arrange: ({ w, H3 }) => void w.ok(w.apply(H3)),
      act: ({ w, H3, S2 }) => w.removeStaff(H3, S2),
      code: 'NOT_AUTHORISED',
    },
  ]);
});

describe('patient records', () => {
  it("a patient's own record is read by the patient only", () => {
    const { w, P, readers } = standard();
    const r = add(w, P, P, Category.Consultation);
    expect(w.ledger.records.get(r)).toMatchObject({ patient: P.id, hospital: null, author: P.sign.hex, readers: [P.box.hex], erased: false });
    expect(readers(r)).toEqual(['P']);
  });

  it('and also by every hospital with live consent in scope', () => {
    const { w, P, H1, H2, readers } = standard();
    w.ok(w.grant(P, H1, LAB), w.grant(P, H2, scopeOf(Category.LabReport, Category.Imaging)));
    const lab = add(w, P, P, Category.LabReport);
    const img = add(w, P, P, Category.Imaging);
    const note = add(w, P, P, Category.Consultation);
    expect(w.ledger.records.get(lab)?.readers).toEqual([P.box.hex, H1.dataKeys[0]!.hex, H2.dataKeys[0]!.hex].sort());
    expect(readers(lab)).toEqual(['P', 'H1', 'H2', 'S1', 'S2', 'S3']);
    expect(readers(img)).toEqual(['P', 'H2', 'S3']);
    expect(readers(note)).toEqual(['P']);
  });

  it('a patient who consents to as many hospitals as the network has can still add a record', () => {
    // Either the ledger refuses a grant that would make the reader list too long
    // for a record to carry (MAX_READERS), or the record must be accepted.
    const w = new World('many');
    const hospitals = Array.from({ length: MAX_READERS }, (_, i) => w.hospital(`H${i}`));
    w.ok(...hospitals.map((h) => w.found(h)));
    const P = w.patient('P');
    w.ok(w.registerPatient(P));
    let refused: string | null = null;
    for (const h of hospitals) {
      const code = w.code(w.grant(P, h, LAB));
      if (code !== 'OK') {
        refused = code;
        break;
      }
    }
    if (refused === null) {
      let code: string;
      try {
        code = w.code(w.addRecord(P, P, Category.LabReport));
      } catch (e) {
        code = `builder threw ${(e as Error).name}`;
      }
      expect(code, `all ${MAX_READERS} grants were accepted, so the lab report needs ${MAX_READERS + 1} readers`).toBe('OK');
    }
  });

  runCases([
    { name: 'H1 adding without consent', act: ({ w, H1, P }) => w.addRecord(H1, P, Category.LabReport), code: 'NO_CONSENT' },
    { name: 'H1 staff adding without consent', act: ({ w, S1, P }) => w.addRecord(S1, P, Category.LabReport), code: 'NO_CONSENT' },
    {
      name: "H1 adding on H2's consent",
      arrange: ({ w, P, H2 }) => void w.ok(w.grant(P, H2, SCOPE_ALL)),
      act: ({ w, H1, P }) => w.addRecord(H1, P, Category.LabReport),
      code: 'NO_CONSENT',
    },
    {
      name: "H1 adding on another patient's consent",
      arrange: ({ w, Q, H1 }) => void w.ok(w.grant(Q, H1, SCOPE_ALL)),
      act: ({ w, H1, P }) => w.addRecord(H1, P, Category.LabReport),
      code: 'NO_CONSENT',
    },
    // Writing needs a live grant that covers the record's category (issue 13 #8): a lab-only grant never lets a hospital write a prescription.
    {
      name: 'H1 adding a prescription on a lab-only consent',
      arrange: ({ w, P, H1 }) => void w.ok(w.grant(P, H1, LAB)),
      act: ({ w, H1, P }) => w.addRecord(H1, P, Category.Prescription),
      code: 'OUT_OF_SCOPE',
    },
    {
      name: 'H1 staff adding a prescription on a lab-only consent',
      arrange: ({ w, P, H1 }) => void w.ok(w.grant(P, H1, LAB)),
      act: ({ w, S1, P }) => w.addRecord(S1, P, Category.Prescription),
      code: 'OUT_OF_SCOPE',
    },
    {
      name: "H1 adding a prescription on its lab-only consent and H2's full one",
      arrange: ({ w, P, H1, H2 }) => void w.ok(w.grant(P, H1, LAB), w.grant(P, H2, SCOPE_ALL)),
      act: ({ w, H1, P }) => w.addRecord(H1, P, Category.Prescription),
      code: 'OUT_OF_SCOPE',
    },
    {
      name: 'H1 adding a prescription once its prescription consent was revoked (its lab consent still live)',
      arrange: ({ w, P, H1 }) => {
        const rx = w.grant(P, H1, scopeOf(Category.Prescription));
        w.ok(w.grant(P, H1, LAB), rx);
        w.ok(w.revoke(P, rx.id));
      },
      act: ({ w, H1, P }) => w.addRecord(H1, P, Category.Prescription),
      code: 'OUT_OF_SCOPE',
    },
    {
      name: 'H1 adding a lab report on a lab-only consent',
      arrange: ({ w, P, H1 }) => void w.ok(w.grant(P, H1, LAB)),
      act: ({ w, H1, P }) => w.addRecord(H1, P, Category.LabReport),
      code: 'OK',
    },
    {
      name: 'H1 adding a prescription on two consents, lab and prescription',
      arrange: ({ w, P, H1 }) => void w.ok(w.grant(P, H1, LAB), w.grant(P, H1, scopeOf(Category.Prescription))),
      act: ({ w, H1, P }) => w.addRecord(H1, P, Category.Prescription),
      code: 'OK',
    },
    { name: 'a patient adding to another patient', act: ({ w, P, Q }) => w.addRecord(P, Q, Category.LabReport), code: 'NOT_AUTHORISED' },
    {
      name: 'a hospital adding a record with no hospital',
      act: ({ w, H1, P }) => w.addRecord(H1, P, Category.LabReport, { hospital: null }),
      code: 'NOT_AUTHORISED',
    },
    {
      name: 'a patient adding as a hospital',
      arrange: ({ w, P, H1 }) => void w.ok(w.grant(P, H1, SCOPE_ALL)),
      act: ({ w, H1, P }) => w.addRecord(P, P, Category.LabReport, { hospital: H1 }),
      code: 'NOT_AUTHORISED',
    },
    {
      name: 'a non-member adding as its hospital',
      arrange: ({ w, H3 }) => void w.ok(w.apply(H3)),
      act: ({ w, H3, P }) => w.addRecord(H3, P, Category.LabReport),
      code: 'UNKNOWN_HOSPITAL',
    },
    {
      name: 'a record for an unregistered patient',
      act: ({ w }) => {
        const X = w.patient('X');
        return w.addRecord(X, X, Category.Other);
      },
      code: 'UNKNOWN_PATIENT',
    },
    ...(
      [
        ['missing the consented hospital', (r: string[], s: Std) => r.filter((k) => k !== s.H1.dataKeys[0]!.hex)],
        ['an extra unconsented hospital', (r: string[], s: Std) => [...r, s.H2.dataKeys[0]!.hex].sort()],
        ['unsorted', (r: string[]) => [...r].reverse()],
        ['a duplicate', (r: string[]) => [...r, r[r.length - 1]!]],
        ['missing the patient', (r: string[], s: Std) => r.filter((k) => k !== s.P.box.hex)],
        ['empty', () => []],
        ["a staff member's own box key", (r: string[], s: Std) => [...r, s.S1.box.hex].sort()],
      ] as const
    ).map(([what, edit]): Case => ({
      name: `readers ${what}`,
      arrange: ({ w, P, H1 }) => void w.ok(w.grant(P, H1, LAB)),
      act: (s) => s.w.addRecord(s.P, s.P, Category.LabReport, { readers: (r) => edit(r, s) }),
      code: 'BAD_READERS',
    })),
    {
      name: 'hospital record readers missing the author hospital',
      arrange: ({ w, P, H1 }) => void w.ok(w.grant(P, H1, LAB)),
      act: (s) => s.w.addRecord(s.H1, s.P, Category.LabReport, { readers: () => [s.P.box.hex] }),
      code: 'BAD_READERS',
    },
  ]);
});

describe('consent: request, grant, revoke, expiry', () => {
  /** H1 asks; P grants "lab reports, 30 days" answering the request. */
  function granted(seed: string) {
    const s = standard(seed);
    const { w, P, S1, H1 } = s;
    const req = w.request(S1, P, LAB, { purpose: Purpose.Treatment });
    w.ok(req);
    expect(w.ledger.requests.get(req.id)).toMatchObject({ patient: P.id, hospital: H1.id, scope: LAB });
    const g = w.grant(P, H1, LAB, { regarding: req.id });
    w.ok(g);
    expect(w.ledger.grants.get(g.id)).toMatchObject({ patient: P.id, hospital: H1.id, scope: LAB, regarding: req.id, revoked: false });
    return { ...s, grant: g.id, req: req.id };
  }

  it('a live lab grant lets H1 add and read lab reports, never write a prescription (OUT_OF_SCOPE) nor read a consultation note', () => {
    const { w, H1, P, readers } = granted('live');
    const own = add(w, H1, P, Category.LabReport);
    expect(w.code(w.addRecord(H1, P, Category.Prescription))).toBe('OUT_OF_SCOPE');
    const lab = add(w, P, P, Category.LabReport);
    const note = add(w, P, P, Category.Consultation);
    expect(readers(own)).toEqual(['P', 'H1', 'S1', 'S2']);
    expect(readers(lab)).toEqual(['P', 'H1', 'S1', 'S2']);
    expect(readers(note)).toEqual(['P']);
    expect(w.ledger.byPatient.get(P.id)?.slice(-3)).toEqual([own, lab, note]);
  });

  it('a grant re-wraps earlier in-scope records (shareKeys), never out-of-scope ones', () => {
    const s = standard('rewrap');
    const { w, H1, P, readers } = s;
    const lab = add(w, P, P, Category.LabReport);
    const note = add(w, P, P, Category.Consultation);
    w.ok(w.grant(P, H1, LAB));
    expect(readers(lab)).toEqual(['P']);
    expect(w.newReaders(lab)).toEqual([H1.dataKeys[0]!.hex]);
    expect(w.newReaders(note)).toEqual([]);
    w.ok(w.shareKeys(P, lab));
    expect(readers(lab)).toEqual(['P', 'H1', 'S1', 'S2']);
    expect(w.ledger.records.get(lab)?.readers).toEqual([P.box.hex, H1.dataKeys[0]!.hex].sort());
    expect(w.ledger.records.get(lab)?.blobs).toHaveLength(3);
    expect(readers(note)).toEqual(['P']);
  });

  runCases([
    ...(
      [
        ['an out-of-scope reader', (s: Std) => s.w.shareKeys(s.P, add(s.w, s.P, s.P, Category.Consultation), { readers: [s.H1.dataKeys[0]!.hex] })],
        ['an unconsented reader', (s: Std) => s.w.shareKeys(s.P, add(s.w, s.P, s.P, Category.LabReport), { readers: [s.H2.dataKeys[0]!.hex] })],
        ['a reader that already has the key', (s: Std) => s.w.shareKeys(s.P, add(s.w, s.P, s.P, Category.LabReport), { readers: [s.P.box.hex] })],
        ['no reader', (s: Std) => s.w.shareKeys(s.P, add(s.w, s.P, s.P, Category.LabReport), { readers: [] })],
        ["a staff member's box key", (s: Std) => s.w.shareKeys(s.P, add(s.w, s.P, s.P, Category.LabReport), { readers: [s.S1.box.hex] })],
      ] as const
    ).map(([what, act]): Case => ({
      name: `shareKeys to ${what}`,
      arrange: ({ w, P, H1 }) => void w.ok(w.grant(P, H1, LAB)),
      act,
      code: 'BAD_READERS',
    })),
    ...(
      [
        ['an allowed new reader twice', (h1: string) => [h1, h1]],
        ['two allowed new readers out of order', (h1: string, h2: string) => [h1, h2].sort().reverse()],
      ] as const
    ).map(([what, readers]): Case => ({
      name: `shareKeys to ${what}`,
      // The record is older than the grants, so both hospitals may be given its key.
      arrange: ({ w, P, H1, H2 }) => {
        const r = add(w, P, P, Category.LabReport);
        w.ok(w.grant(P, H1, LAB), w.grant(P, H2, LAB));
        expect(w.newReaders(r)).toEqual([H1.dataKeys[0]!.hex, H2.dataKeys[0]!.hex].sort());
        return r;
      },
      act: ({ w, P, H1, H2 }, r) => w.shareKeys(P, r, { readers: readers(H1.dataKeys[0]!.hex, H2.dataKeys[0]!.hex) }),
      code: 'BAD_READERS',
    })),
    {
      name: 'shareKeys of an unknown record',
      act: ({ w, P, H1 }) => w.shareKeys(P, toHex(w.random(32)), { readers: [H1.dataKeys[0]!.hex], dataKey: w.random(32) }),
      code: 'UNKNOWN_REFERENCE',
    },
    {
      name: "shareKeys of another patient's record",
      arrange: ({ w, P, Q, H1 }) => void w.ok(w.grant(P, H1, LAB), w.grant(Q, H1, LAB)),
      act: ({ w, P, Q }) => {
        const r = add(w, Q, Q, Category.LabReport);
        return w.shareKeys(P, r, { readers: [Q.box.hex], dataKey: w.random(32) });
      },
      code: 'UNKNOWN_REFERENCE',
    },
    {
      name: 'shareKeys by a hospital',
      arrange: ({ w, P, H1 }) => void w.ok(w.grant(P, H1, LAB)),
      act: ({ w, P, H1 }) => w.shareKeys(P, add(w, P, P, Category.LabReport), { as: H1.sign }),
      code: 'NOT_AUTHORISED',
    },
  ]);

  it('revocation closes records added later; what H1 read stays read', () => {
    const { w, H1, P, grant, readers } = granted('revoke');
    const lab1 = add(w, P, P, Category.LabReport);
    w.ok(w.revoke(P, grant));
    expect(w.ledger.grants.get(grant)?.revoked).toBe(true);
    const lab2 = add(w, P, P, Category.LabReport);
    expect(w.ledger.records.get(lab2)?.readers).toEqual([P.box.hex]);
    expect(readers(lab2)).toEqual(['P']);
    expect(readers(lab1)).toEqual(['P', 'H1', 'S1', 'S2']);
    expect(w.code(w.addRecord(H1, P, Category.LabReport))).toBe('NO_CONSENT');
    expect(w.code(w.shareKeys(P, lab2, { readers: [H1.dataKeys[0]!.hex] }))).toBe('BAD_READERS');
  });

  it('a grant and its revocation in one block: the revocation applies (order within a block counts)', () => {
    const { w, H1, P, readers } = standard('same-block');
    const g = w.grant(P, H1, LAB);
    w.ok(g, w.revoke(P, g.id));
    expect(w.ledger.grants.get(g.id)?.revoked).toBe(true);
    expect(readers(add(w, P, P, Category.LabReport))).toEqual(['P']);
  });

  it('revocation before its grant (out of order) is refused; in order it applies', () => {
    const { w, H1, P } = standard('order');
    const g = w.grant(P, H1, LAB);
    const r = w.revoke(P, g.id);
    expect(w.code(r, g)).toBe('UNKNOWN_REFERENCE');
    expect(w.code(r)).toBe('UNKNOWN_REFERENCE');
    expect(w.ledger.grants.has(g.id)).toBe(false);
    w.ok(g);
    w.ok(r);
    expect(w.ledger.grants.get(g.id)?.revoked).toBe(true);
  });

  runCases([
    {
      name: 'revoking twice',
      arrange: ({ w, P, H1 }) => {
        const g = w.grant(P, H1, LAB);
        w.ok(g);
        w.ok(w.revoke(P, g.id));
        return g.id;
      },
      act: ({ w, P }, g) => w.revoke(P, g),
      code: 'ALREADY_DONE',
    },
    {
      name: 'revoking twice in one block',
      arrange: ({ w, P, H1 }) => {
        const g = w.grant(P, H1, LAB);
        w.ok(g);
        return g.id;
      },
      act: ({ w, P }, g) => [w.revoke(P, g), w.revoke(P, g)],
      code: 'ALREADY_DONE',
    },
    ...(
      [
        ['the grantee hospital', (s: Std) => s.H1.sign, 'NOT_AUTHORISED'],
        ['staff of the grantee', (s: Std) => s.S1.sign, 'NOT_AUTHORISED'],
        ['another hospital', (s: Std) => s.H2.sign, 'NOT_AUTHORISED'],
        ['an unregistered key', (s: Std) => s.w.signKey(), 'NOT_AUTHORISED'],
        // errors.ts: UNKNOWN_REFERENCE is "a grant ... that is not the patient's".
        ['another patient', (s: Std) => s.Q.sign, 'UNKNOWN_REFERENCE'],
      ] as const
    ).map(([who, as, code]): Case => ({
      name: `revocation by ${who}`,
      arrange: ({ w, P, H1 }) => {
        const g = w.grant(P, H1, LAB);
        w.ok(g);
        return g.id;
      },
      act: (s, g) => s.w.revoke(s.P, g, { as: as(s) }),
      code,
    })),
    { name: 'revoking a random id', act: ({ w, P }) => w.revoke(P, toHex(w.random(32))), code: 'UNKNOWN_REFERENCE' },
    {
      name: 'revoking a record id as a grant',
      act: ({ w, P }) => w.revoke(P, add(w, P, P, Category.LabReport)),
      code: 'UNKNOWN_REFERENCE',
    },
    { name: 'a grant expiring at its block time', act: ({ w, P, H1 }) => w.grant(P, H1, LAB, { expiry: w.nextTime }), code: 'BAD_EXPIRY' },
    { name: 'a grant expired before its block', act: ({ w, P, H1 }) => w.grant(P, H1, LAB, { expiry: w.nextTime - 1 }), code: 'BAD_EXPIRY' },
    { name: 'a grant expiring one second after its block', act: ({ w, P, H1 }) => w.grant(P, H1, LAB, { expiry: w.nextTime + 1 }), code: 'OK' },
    { name: 'a grant with an empty scope', act: ({ w, P, H1 }) => w.grant(P, H1, 0), code: 'BAD_SCOPE' },
    { name: 'a request with an empty scope', act: ({ w, P, H1 }) => w.request(H1, P, 0), code: 'BAD_SCOPE' },
    { name: 'a grant to a non-member', arrange: ({ w, H3 }) => void w.ok(w.apply(H3)), act: ({ w, P, H3 }) => w.grant(P, H3, LAB), code: 'UNKNOWN_HOSPITAL' },
    { name: 'a grant to a patient key', act: ({ w, P, Q }) => w.grant(P, new Hospital('Q as hospital', Q.sign, []), LAB), code: 'UNKNOWN_HOSPITAL' },
    { name: 'a grant signed by a hospital', act: ({ w, P, H1 }) => w.grant(P, H1, LAB, { as: H1.sign }), code: 'NOT_AUTHORISED' },
    {
      name: "a grant answering another patient's request",
      act: ({ w, P, Q, H1 }) => {
        const req = w.request(H1, Q, LAB);
        w.ok(req);
        return w.grant(P, H1, LAB, { regarding: req.id });
      },
      code: 'UNKNOWN_REFERENCE',
    },
    { name: 'a grant answering nothing known', act: ({ w, P, H1 }) => w.grant(P, H1, LAB, { regarding: toHex(w.random(32)) }), code: 'UNKNOWN_REFERENCE' },
    { name: 'a request by staff for another hospital', act: ({ w, P, S3, H1 }) => w.request(S3, P, LAB, { hospital: H1 }), code: 'NOT_AUTHORISED' },
    { name: 'a request by a patient', act: ({ w, P, Q, H1 }) => w.request(H1, P, LAB, { as: Q.sign }), code: 'NOT_AUTHORISED' },
    { name: 'a request for an unregistered patient', act: ({ w, H1 }) => w.request(H1, w.patient('X'), LAB), code: 'UNKNOWN_PATIENT' },
    {
      name: 'a request by a non-member',
      arrange: ({ w, H3 }) => void w.ok(w.apply(H3)),
      act: ({ w, P, H3 }) => w.request(H3, P, LAB),
      code: 'UNKNOWN_HOSPITAL',
    },
  ]);

  it.each([
    ['one second before expiry', -1, 'OK'],
    ['exactly at expiry', 0, 'NO_CONSENT'],
    ['a day after expiry', DAY, 'NO_CONSENT'],
  ] as const)('H1 adding %s: %s', (_name, offset, code) => {
    const { w, H1, P, readers } = standard('expiry');
    const g = w.grant(P, H1, LAB, { days: 1 });
    w.ok(g);
    const expiry = w.ledger.grants.get(g.id)!.expiry;
    w.advance(expiry + offset - w.nextTime);
    expect(w.nextTime).toBe(expiry + offset);
    expect(w.code(w.addRecord(H1, P, Category.LabReport))).toBe(code);
    if (code === 'NO_CONSENT') {
      // New patient records are no longer wrapped to H1, and it cannot be given old ones.
      const lab = add(w, P, P, Category.LabReport);
      expect(w.ledger.records.get(lab)?.readers).toEqual([P.box.hex]);
      expect(readers(lab)).toEqual(['P']);
      expect(w.newReaders(lab)).toEqual([]);
      expect(w.code(w.shareKeys(P, lab, { readers: [H1.dataKeys[0]!.hex] }))).toBe('BAD_READERS');
    } else {
      expect(w.ledger.requiredReaders(P.id, null, Category.LabReport, dayOf(w.time), w.time)).toContain(H1.dataKeys[0]!.hex);
    }
  });
});

describe('referral', () => {
  it('H2 gains nothing from a referral until the patient grants and shares the history', () => {
    const { w, H1, H2, S1, P, readers } = standard('referral');
    w.ok(w.grant(P, H1, SCOPE_ALL));
    const lab = add(w, P, P, Category.LabReport);
    const rx = add(w, S1, P, Category.Prescription);
    const note = add(w, P, P, Category.Consultation);
    const ref = w.referral(S1, H2, P, { note: w.random(64) });
    w.ok(ref);
    expect(w.ledger.referrals.get(ref.id)).toMatchObject({ patient: P.id, from: H1.id, to: H2.id });
    for (const r of [lab, rx, note]) expect(readers(r)).toEqual(['P', 'H1', 'S1', 'S2']);
    expect(w.code(w.addRecord(H2, P, Category.LabReport))).toBe('NO_CONSENT');
    expect(w.code(w.shareKeys(P, lab, { readers: [H2.dataKeys[0]!.hex] }))).toBe('BAD_READERS');

    const g = w.grant(P, H2, scopeOf(Category.LabReport, Category.Prescription), { regarding: ref.id, purpose: Purpose.Referral });
    w.ok(g);
    expect(w.ledger.grants.get(g.id)?.regarding).toBe(ref.id);
    // The grant alone re-wraps nothing.
    for (const r of [lab, rx, note]) expect(readers(r)).toEqual(['P', 'H1', 'S1', 'S2']);
    const shares = [lab, rx, note].filter((r) => w.newReaders(r).length > 0);
    expect(shares).toEqual([lab, rx]);
    w.ok(...shares.map((r) => w.shareKeys(P, r)));
    expect(readers(lab)).toEqual(['P', 'H1', 'H2', 'S1', 'S2', 'S3']);
    expect(readers(rx)).toEqual(['P', 'H1', 'H2', 'S1', 'S2', 'S3']);
    expect(readers(note)).toEqual(['P', 'H1', 'S1', 'S2']);
    w.ok(w.addRecord(H2, P, Category.LabReport));
  });

  runCases([
    { name: 'a referral without consent', act: ({ w, H1, H2, P }) => w.referral(H1, H2, P), code: 'NO_CONSENT' },
    {
      name: 'a referral after the consent is revoked',
      arrange: ({ w, P, H1 }) => {
        const g = w.grant(P, H1, SCOPE_ALL);
        w.ok(g);
        w.ok(w.revoke(P, g.id));
      },
      act: ({ w, H1, H2, P }) => w.referral(H1, H2, P),
      code: 'NO_CONSENT',
    },
    {
      name: "a referral on the receiving hospital's consent only",
      arrange: ({ w, P, H2 }) => void w.ok(w.grant(P, H2, SCOPE_ALL)),
      act: ({ w, H1, H2, P }) => w.referral(H1, H2, P),
      code: 'NO_CONSENT',
    },
    {
      name: 'a referral to oneself',
      arrange: ({ w, P, H1 }) => void w.ok(w.grant(P, H1, SCOPE_ALL)),
      act: ({ w, H1, P }) => w.referral(H1, H1, P),
      code: 'UNKNOWN_HOSPITAL',
    },
    {
      name: 'a referral to a non-member',
      arrange: ({ w, P, H1, H3 }) => void w.ok(w.grant(P, H1, SCOPE_ALL), w.apply(H3)),
      act: ({ w, H1, H3, P }) => w.referral(H1, H3, P),
      code: 'UNKNOWN_HOSPITAL',
    },
    {
      name: 'a referral to an unknown key',
      arrange: ({ w, P, H1 }) => void w.ok(w.grant(P, H1, SCOPE_ALL)),
      act: ({ w, H1, P }) => w.referral(H1, w.hospital('nowhere'), P),
      code: 'UNKNOWN_HOSPITAL',
    },
    {
      name: 'a referral by staff of another hospital',
      arrange: ({ w, P, H1 }) => void w.ok(w.grant(P, H1, SCOPE_ALL)),
      act: ({ w, H1, H2, S3, P }) => w.referral(S3, H2, P, { from: H1 }),
      code: 'NOT_AUTHORISED',
    },
    {
      name: 'a referral by the patient',
      arrange: ({ w, P, H1 }) => void w.ok(w.grant(P, H1, SCOPE_ALL)),
      act: ({ w, H1, H2, P }) => w.referral(H1, H2, P, { as: P.sign }),
      code: 'NOT_AUTHORISED',
    },
    { name: 'a referral of an unregistered patient', act: ({ w, H1, H2 }) => w.referral(H1, H2, w.patient('X')), code: 'UNKNOWN_PATIENT' },
    {
      name: "a grant answering another patient's referral",
      arrange: ({ w, Q, H1 }) => void w.ok(w.grant(Q, H1, SCOPE_ALL)),
      act: ({ w, P, Q, H1, H2 }) => {
        const ref = w.referral(H1, H2, Q);
        w.ok(ref);
        return w.grant(P, H2, SCOPE_ALL, { regarding: ref.id });
      },
      code: 'UNKNOWN_REFERENCE',
    },
    {
      name: 'a grant answering a referral not yet made (out of order)',
      arrange: ({ w, P, H1 }) => void w.ok(w.grant(P, H1, SCOPE_ALL)),
      act: ({ w, P, H1, H2 }) => {
        const ref = w.referral(H1, H2, P);
        return [w.grant(P, H2, SCOPE_ALL, { regarding: ref.id }), ref];
      },
      code: 'UNKNOWN_REFERENCE',
    },
  ]);
});

describe('key rotation (passphrase change)', () => {
  it('after a rotation the old key cannot act, the new one can', () => {
    const { w, H1, P } = standard('rotate');
    const old = P.sign;
    const g = w.grant(P, H1, LAB);
    w.ok(g);
    w.ok(w.rotateKeys(P));
    expect(w.ledger.patients.get(P.id)).toMatchObject({ signKey: P.sign.hex, boxKey: P.box.hex });
    expect(w.ledger.keys.get(P.sign.hex)).toEqual({ role: 'patient', patient: P.id });
    expect(P.sign).not.toBe(old);
    for (const tx of [
      w.grant(P, H1, LAB, { as: old }),
      w.revoke(P, g.id, { as: old }),
      w.addRecord(P, P, Category.Other, { as: old }),
      w.rotateKeys(P, { as: old }),
    ])
      expect(w.code(tx)).toBe('NOT_AUTHORISED');
    w.ok(w.grant(P, H1, LAB));
    w.ok(w.revoke(P, g.id));
    // The old key stays taken: nobody can register with it.
    expect(w.code(w.registerPatient(w.patient('X'), { as: old }))).toBe('KEY_IN_USE');
  });

  it('records are re-wrapped to the new box key and open with the new secret alone', () => {
    const { w, P } = standard('rewrap-rotate');
    const before = add(w, P, P, Category.Immunization);
    const oldBox = P.box;
    w.ok(w.rotateKeys(P));
    expect(w.canDecrypt(P, before, { onlyCurrent: true })).toBe(false);
    expect(w.canDecrypt(P, before)).toBe(true);
    expect(w.newReaders(before)).toEqual([P.box.hex]);
    w.ok(w.shareKeys(P, before));
    expect(w.ledger.records.get(before)?.readers).toEqual([oldBox.hex, P.box.hex].sort());
    expect(w.canDecrypt(P, before, { onlyCurrent: true })).toBe(true);
    const after = add(w, P, P, Category.Immunization);
    expect(w.ledger.records.get(after)?.readers).toEqual([P.box.hex]);
    expect(w.canDecrypt(P, after, { onlyCurrent: true })).toBe(true);
    // The old box key is no longer a reader the ledger allows.
    expect(w.code(w.addRecord(P, P, Category.Other, { readers: () => [oldBox.hex] }))).toBe('BAD_READERS');
  });

  it('a second rotation is signed by the key of the first', () => {
    const { w, P } = standard('rotate-twice');
    w.ok(w.rotateKeys(P));
    const first = P.sign;
    w.ok(w.rotateKeys(P));
    expect(w.code(w.rotateKeys(P, { as: first }))).toBe('NOT_AUTHORISED');
    expect(w.ledger.patients.get(P.id)?.signKey).toBe(P.sign.hex);
  });

  runCases([
    { name: 'a proof signed by the old key', act: ({ w, P }) => w.rotateKeys(P, { proofBy: P.sign }), code: 'BAD_PROOF' },
    { name: 'a proof over another box key', act: ({ w, P }) => w.rotateKeys(P, { proofBox: w.boxKey().pub }), code: 'BAD_PROOF' },
    {
      name: 'a proof for another patient id',
      act: ({ w, P, Q }) => {
        const newSign = w.signKey();
        const newBox = w.boxKey();
        const proof = sign(rotationMessage(w.signingNetwork, Q.idBytes, newSign.pub, newBox.pub), newSign.secret);
        const payload = encodePayload({ kind: TxKind.RotatePatientKeys, patientId: P.idBytes, newSign: newSign.pub, newBox: newBox.pub, proof });
        return w.raw(TxKind.RotatePatientKeys, payload, P.sign);
      },
      code: 'BAD_PROOF',
    },
    {
      name: 'random proof bytes',
      act: ({ w, P }) => {
        const newSign = w.signKey();
        return w.raw(
          TxKind.RotatePatientKeys,
          encodePayload({ kind: TxKind.RotatePatientKeys, patientId: P.idBytes, newSign: newSign.pub, newBox: w.boxKey().pub, proof: w.random(64) }),
          P.sign,
        );
      },
      code: 'BAD_PROOF',
    },
    { name: 'a rotation naming another patient', act: ({ w, P, Q }) => w.rotateKeys(P, { patientId: Q.idBytes }), code: 'NOT_AUTHORISED' },
    { name: 'a rotation signed by a hospital', act: ({ w, P, H1 }) => w.rotateKeys(P, { as: H1.sign }), code: 'NOT_AUTHORISED' },
    { name: "a rotation onto another patient's key", act: ({ w, P, Q }) => w.rotateKeys(P, { newSign: Q.sign }), code: 'KEY_IN_USE' },
  ]);
});

describe('erasure', () => {
  it('erasing deletes the blobs; nobody can decrypt; the ledger keeps the id and hashes', () => {
    const { w, H1, P, readers } = standard('erase');
    w.ok(w.grant(P, H1, LAB));
    const lab = add(w, P, P, Category.LabReport);
    w.ok(w.rotateKeys(P));
    w.ok(w.shareKeys(P, lab));
    const rec = w.ledger.records.get(lab)!;
    expect(rec.blobs).toHaveLength(3);
    expect(rec.blobs.every((b) => w.blobs.has(b))).toBe(true);
    expect(readers(lab)).toEqual(['P', 'H1', 'S1', 'S2']);
    const keep = add(w, P, P, Category.LabReport);

    w.ok(w.erase(P, lab));
    expect(rec.blobs.some((b) => w.blobs.has(b))).toBe(false);
    expect(readers(lab)).toEqual([]);
    expect(w.ledger.records.get(lab)).toEqual({ ...rec, erased: true });
    // Other records are untouched.
    expect(readers(keep)).toEqual(['P', 'H1', 'S1', 'S2']);
  });

  runCases([
    {
      name: 'sharing the keys of an erased record',
      act: ({ w, P, H2 }) => {
        const lab = add(w, P, P, Category.LabReport);
        w.ok(w.erase(P, lab));
        w.ok(w.grant(P, H2, LAB));
        expect(w.newReaders(lab)).toEqual([H2.dataKeys[0]!.hex]);
        return w.shareKeys(P, lab, { dataKey: w.random(32) });
      },
      code: 'RECORD_ERASED',
    },
    {
      name: 'erasing twice',
      act: ({ w, P }) => {
        const r = add(w, P, P, Category.Other);
        w.ok(w.erase(P, r));
        return w.erase(P, r);
      },
      code: 'ALREADY_DONE',
    },
    {
      name: 'erasing twice in one block',
      act: ({ w, P }) => {
        const r = add(w, P, P, Category.Other);
        return [w.erase(P, r), w.erase(P, r)];
      },
      code: 'ALREADY_DONE',
    },
    ...(
      [
        ['the authoring hospital', (s: Std) => s.H1.sign, 'NOT_AUTHORISED'],
        ['staff of the authoring hospital', (s: Std) => s.S1.sign, 'NOT_AUTHORISED'],
        ['another patient', (s: Std) => s.Q.sign, 'UNKNOWN_REFERENCE'],
      ] as const
    ).map(([who, as, code]): Case => ({
      name: `erasure by ${who}`,
      arrange: ({ w, P, H1 }) => void w.ok(w.grant(P, H1, SCOPE_ALL)),
      act: (s) => s.w.erase(s.P, add(s.w, s.S1, s.P, Category.Prescription), { as: as(s) }),
      code,
    })),
    { name: 'erasing an unknown record', act: ({ w, P }) => w.erase(P, toHex(w.random(32))), code: 'UNKNOWN_REFERENCE' },
  ]);
});

describe('replays of a confirmed transaction', () => {
  // The chain refuses a confirmed id again (TX_ALREADY_IN_CHAIN, validate.ts);
  // the ledger on its own still refuses every replay that would change who may act or read.
  runCases([
    {
      name: 'a revocation replayed',
      arrange: ({ w, P, H1 }) => {
        const g = w.grant(P, H1, LAB);
        w.ok(g);
        const r = w.revoke(P, g.id);
        w.ok(r);
        return keep(r);
      },
      act: (_s, tx) => replay(tx),
      code: 'ALREADY_DONE',
    },
    {
      name: 'an approval replayed',
      arrange: ({ w, H1, H3 }) => {
        const a = w.approve(H1, H3);
        w.ok(w.apply(H3), a);
        return keep(a);
      },
      act: (_s, tx) => replay(tx),
      code: 'ALREADY_DONE',
    },
    {
      name: 'an erasure replayed',
      arrange: ({ w, P }) => {
        const e = w.erase(P, add(w, P, P, Category.Other));
        w.ok(e);
        return keep(e);
      },
      act: (_s, tx) => replay(tx),
      code: 'ALREADY_DONE',
    },
    {
      name: 'a key share replayed',
      arrange: ({ w, P, H1 }) => {
        const r = add(w, P, P, Category.LabReport);
        w.ok(w.grant(P, H1, LAB));
        const sh = w.shareKeys(P, r);
        w.ok(sh);
        return keep(sh);
      },
      act: (_s, tx) => replay(tx),
      code: 'BAD_READERS',
    },
    {
      name: 'a staff removal replayed',
      arrange: ({ w, H1, S2 }) => {
        const r = w.removeStaff(H1, S2);
        w.ok(r);
        return keep(r);
      },
      act: (_s, tx) => replay(tx),
      code: 'UNKNOWN_STAFF',
    },
    {
      name: 'a key rotation replayed',
      arrange: ({ w, P }) => {
        const r = w.rotateKeys(P);
        w.ok(r);
        return keep(r);
      },
      act: (_s, tx) => replay(tx),
      code: 'NOT_AUTHORISED',
    },
    {
      name: 'a registration replayed',
      arrange: ({ w }) => {
        const r = w.registerPatient(w.patient('X'));
        w.ok(r);
        return keep(r);
      },
      act: (_s, tx) => replay(tx),
      code: 'KEY_IN_USE',
    },
  ]);
});

describe('block approvals', () => {
  runCases([
    { name: 'an approval by a member', act: ({ w, H1 }) => w.blockApproval(H1), code: 'OK' },
    { name: 'an approval by an applicant', arrange: ({ w, H3 }) => void w.ok(w.apply(H3)), act: ({ w, H3 }) => w.blockApproval(H3), code: 'NOT_AUTHORISED' },
    { name: 'an approval by staff', act: ({ w, H1, S1 }) => w.blockApproval(H1, undefined, { as: S1.sign }), code: 'NOT_AUTHORISED' },
    { name: 'an approval by a patient', act: ({ w, H1, P }) => w.blockApproval(H1, undefined, { as: P.sign }), code: 'NOT_AUTHORISED' },
  ]);
});

describe('payloads that do not decode: BAD_PAYLOAD', () => {
  const KINDS = Object.entries(TxKind);
  it.each(KINDS)('%s with random bytes', (_name, kind) => {
    const { w, H1 } = standard(`junk-${kind}`);
    // 17 bytes fit no kind's payload exactly.
    expect(w.code(w.raw(kind, w.random(17), H1.sign))).toBe('BAD_PAYLOAD');
  });

  it.each(KINDS)('%s with an empty payload', (_name, kind) => {
    const { w, H1 } = standard(`empty-${kind}`);
    expect(w.code(w.raw(kind, new Uint8Array(0), H1.sign))).toBe('BAD_PAYLOAD');
  });

  it.each([
    ['a grant', (s: Std) => [s.w.grant(s.P, s.H1, LAB), s.P.sign] as const],
    [
      'a registration',
      (s: Std) => {
        const X = s.w.patient('X');
        return [s.w.registerPatient(X), X.sign] as const;
      },
    ],
    ['a record', (s: Std) => [s.w.addRecord(s.P, s.P, Category.Other), s.P.sign] as const],
    ['a request', (s: Std) => [s.w.request(s.H1, s.P, LAB), s.H1.sign] as const],
    ['a staff removal', (s: Std) => [s.w.removeStaff(s.H1, s.S2), s.H1.sign] as const],
  ] as const)('%s with a trailing byte', (_name, build) => {
    const s = standard('trailing');
    const [good, signer] = build(s);
    const bad = s.w.raw(good.tx.kind, concatBytes(good.tx.payload, new Uint8Array([0])), signer);
    expect(s.w.code(bad)).toBe('BAD_PAYLOAD');
    // Without the trailing byte the same payload is accepted.
    expect(s.w.code(good)).toBe('OK');
  });

  it('a record with an unknown category code', () => {
    const { w, P } = standard('category');
    const good = w.addRecord(P, P, Category.Other);
    const payload = Uint8Array.from(good.tx.payload);
    payload[64] = 8; // after patientId (32) and hospital (32)
    expect(w.code(w.raw(TxKind.AddRecord, payload, P.sign))).toBe('BAD_PAYLOAD');
  });
});

describe('atomic blocks and exact undo', () => {
  runCases(
    (
      [
        [
          'a registration then a revocation of nothing',
          (s: Std) => [s.w.registerPatient(s.w.patient('X')), s.w.revoke(s.P, toHex(s.w.random(32)))],
          'UNKNOWN_REFERENCE',
        ],
        ['a grant then an expired grant', (s: Std) => [s.w.grant(s.P, s.H1, LAB), s.w.grant(s.P, s.H2, LAB, { expiry: 1 })], 'BAD_EXPIRY'],
        [
          'a certification then a removal with bad wraps',
          (s: Std) => {
            const S4 = s.w.staffOf(s.H1, 'S4');
            return [s.w.certifyStaff(s.H1, S4), s.w.removeStaff(s.H1, S4, { wrapTo: [] })];
          },
          'BAD_STAFF_WRAPS',
        ],
        ['an application, an approval, the same approval', (s: Std) => [s.w.apply(s.H3), s.w.approve(s.H1, s.H3), s.w.approve(s.H1, s.H3)], 'ALREADY_DONE'],
        ['a rotation then a junk payload', (s: Std) => [s.w.rotateKeys(s.P), s.w.raw(TxKind.GrantConsent, s.w.random(3), s.Q.sign)], 'BAD_PAYLOAD'],
        [
          'a record then its erasure by a hospital',
          (s: Std) => {
            const r = s.w.addRecord(s.P, s.P, Category.Other);
            return [r, s.w.erase(s.P, r.id, { as: s.H1.sign })];
          },
          'NOT_AUTHORISED',
        ],
      ] as const
    ).map(([name, act, code]): Case => ({ name: `atomic: ${name}`, act, code })),
  );

  it('the valid part of a refused block is accepted on its own', () => {
    const { w, P, H1 } = standard('atomic-after');
    const g = w.grant(P, H1, LAB);
    const height = w.height;
    const time = w.time;
    expect(w.code(g, w.grant(P, H1, 0))).toBe('BAD_SCOPE');
    expect([w.height, w.time, w.ledger.grants.has(g.id)]).toEqual([height, time, false]);
    w.ok(g);
    expect(w.ledger.grants.has(g.id)).toBe(true);
  });

  it('undo restores a key written twice in one block', () => {
    const { w, P, H1 } = standard('undo-twice');
    const before = dumpLedger(w.ledger);
    const g = w.grant(P, H1, LAB);
    const j = w.ok(g, w.revoke(P, g.id), w.rotateKeys(P));
    expect(dumpLedger(w.ledger)).not.toBe(before);
    w.ledger.undo(j);
    expect(dumpLedger(w.ledger)).toBe(before);
  });

  /** Every transaction that would be valid now, built by `w` (a choice picks one). */
  function candidates(s: Std, c: number): (() => Built)[] {
    const { w, H1, H2, H3, S1, S2, P, Q } = s;
    const L = w.ledger;
    const out: (() => Built)[] = [];
    const members = [H1, H2, H3].filter((h) => L.hospitals.get(h.id)?.member);
    const category = (c % 8) as Category;
    const scope = (c % 255) + 1;
    if (!L.keys.has(H3.id)) out.push(() => w.apply(H3));
    const h3 = L.hospitals.get(H3.id);
    if (h3 && !h3.member) for (const v of members) if (!h3.approvals.includes(v.id)) out.push(() => w.approve(v, H3));
    for (const st of [S1, S2]) {
      if (!L.keys.has(st.id)) out.push(() => w.certifyStaff(H1, st));
      else if (L.staff.get(st.id)?.active) out.push(() => w.removeStaff(H1, st));
    }
    for (const p of [P, Q]) {
      if (!L.patients.has(p.id)) {
        out.push(() => w.registerPatient(p));
        continue;
      }
      for (const h of members) {
        out.push(() => w.grant(p, h, scope, { days: 1 + (c % 3) }));
        out.push(() => w.request(h, p, scope));
        if (L.liveGrants(p.id, w.nextTime, h.id).length > 0) {
          out.push(() => w.addRecord(h, p, category));
          for (const to of members) if (to !== h) out.push(() => w.referral(h, to, p));
        }
      }
      out.push(() => w.addRecord(p, p, category));
      out.push(() => w.rotateKeys(p));
      for (const id of L.byPatient.get(p.id) ?? []) {
        const g = L.grants.get(id);
        if (g && !g.revoked) out.push(() => w.revoke(p, id));
        const r = L.records.get(id);
        if (r && !r.erased) {
          out.push(() => w.erase(p, id));
          if (w.newReaders(id).length > 0) out.push(() => w.shareKeys(p, id));
        }
      }
    }
    return out;
  }

  it('property: random valid blocks, undone one by one, restore every earlier state exactly', () => {
    const blockPlan = fc.record({
      choices: fc.array(fc.nat(10_000), { minLength: 1, maxLength: 3 }),
      advance: fc.constantFrom(0, 0, 0, DAY),
      poison: fc.boolean(),
    });
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(blockPlan, { minLength: 1, maxLength: 10 }), (plan) => {
        const w = new World('undo-property');
        const H1 = w.hospital('H1');
        const H2 = w.hospital('H2');
        const H3 = w.hospital('H3');
        const s = { w, H1, H2, H3, S1: w.staffOf(H1, 'S1'), S2: w.staffOf(H1, 'S2'), S3: w.staffOf(H2, 'S3'), P: w.patient('P'), Q: w.patient('Q') } as Std;
        const snaps = [dumpLedger(w.ledger)];
        const journals: Journal[] = [w.ok(w.found(H1), w.found(H2))];
        snaps.push(dumpLedger(w.ledger));
        for (const step of plan) {
          w.advance(step.advance);
          const built = w.buildInOrder(
            step.choices.map((c) => () => {
              const cands = candidates(s, c);
              if (cands.length === 0) throw new CannotBuild('nothing to do');
              return cands[c % cands.length]!();
            }),
          );
          if (built.length === 0) continue;
          if (step.poison) {
            // A valid prefix followed by a transaction that breaks a rule: nothing changes.
            const before = dumpLedger(w.ledger);
            expect(w.code(...built, w.revoke(s.P, toHex(w.random(32)), { as: s.H1.sign }))).toBe('NOT_AUTHORISED');
            expect(dumpLedger(w.ledger)).toBe(before);
          }
          journals.push(w.ok(...built));
          snaps.push(dumpLedger(w.ledger));
          accepted += built.length;
        }
        for (let i = journals.length - 1; i >= 0; i--) {
          w.ledger.undo(journals[i]!);
          expect(dumpLedger(w.ledger)).toBe(snaps[i]);
        }
      }),
      { numRuns: 40, seed: 20260101 },
    );
    // The generator does reach deep, varied states (not just empty blocks).
    expect(accepted).toBeGreaterThan(150);
  });
});

describe('bounds and cross-references the ledger enforces itself', () => {
  it('refuses a grant beyond MAX_LIVE_GRANTS live grants with TOO_MANY_GRANTS; after a revocation one more fits', async () => {
    const { MAX_LIVE_GRANTS } = await import('../../../src/lib/core/payloads');
    const w = new World('bounded-grants');
    const hospitals = Array.from({ length: MAX_LIVE_GRANTS + 1 }, (_, i) => w.hospital(`H${i}`));
    w.ok(...hospitals.map((h) => w.found(h)));
    const P = w.patient('P');
    w.ok(w.registerPatient(P));
    const grants = hospitals.slice(0, MAX_LIVE_GRANTS).map((h) => {
      const g = w.grant(P, h, SCOPE_ALL);
      w.ok(g);
      return g;
    });
    expect(w.code(w.grant(P, hospitals[MAX_LIVE_GRANTS]!, SCOPE_ALL))).toBe('TOO_MANY_GRANTS');
    w.ok(w.revoke(P, grants[0]!.id));
    expect(w.code(w.grant(P, hospitals[MAX_LIVE_GRANTS]!, SCOPE_ALL))).toBe('OK');
    expect(w.code(w.addRecord(P, P, Category.LabReport))).toBe('OK');
  });

  it('a grant answering a referral must go to the referred hospital; answering a request, to the requester', () => {
    const w = new World('regarding');
    const [H1, H2, H3] = ['H1', 'H2', 'H3'].map((n) => w.hospital(n)) as [Hospital, Hospital, Hospital];
    w.ok(w.found(H1), w.found(H2), w.found(H3));
    const P = w.patient('P');
    w.ok(w.registerPatient(P));
    w.ok(w.grant(P, H1, SCOPE_ALL));
    const referral = w.referral(H1, H2, P);
    w.ok(referral);
    expect(w.code(w.grant(P, H3, SCOPE_ALL, { regarding: referral.id }))).toBe('UNKNOWN_REFERENCE');
    expect(w.code(w.grant(P, H2, SCOPE_ALL, { regarding: referral.id }))).toBe('OK');
    const request = w.request(H3, P, SCOPE_ALL);
    w.ok(request);
    expect(w.code(w.grant(P, H2, SCOPE_ALL, { regarding: request.id }))).toBe('UNKNOWN_REFERENCE');
    expect(w.code(w.grant(P, H3, SCOPE_ALL, { regarding: request.id }))).toBe('OK');
  });

  it('the ledger refuses to apply the same transaction twice (ALREADY_DONE), even without the chain’s replay check', () => {
    const w = new World('ledger-replay');
    const H1 = w.hospital('H1');
    w.ok(w.found(H1));
    const P = w.patient('P');
    w.ok(w.registerPatient(P));
    const g = w.grant(P, H1, SCOPE_ALL);
    w.ok(g);
    w.ok(w.revoke(P, g.id));
    expect(w.code(g.tx)).toBe('ALREADY_DONE');
  });
});

describe('keys must be usable and owned', () => {
  it('refuses a low-order X25519 key anywhere one is registered (BAD_KEY)', () => {
    const w = new World('bad-keys');
    const H1 = w.hospital('H1');
    w.ok(w.found(H1));
    const zero = new Uint8Array(32);
    const P = w.patient('P');
    expect(w.code(w.raw(TxKind.RegisterPatient, encodePayload({ kind: TxKind.RegisterPatient, boxKey: zero }), P.sign))).toBe('BAD_KEY');
    const H2 = w.hospital('H2');
    expect(w.code(w.raw(TxKind.ApplyHospital, encodePayload({ kind: TxKind.ApplyHospital, hospitalName: 'H2', dataKey: zero }), H2.sign))).toBe('BAD_KEY');
    expect(w.code(w.registerPatient(P))).toBe('OK');
  });

  it('a hospital cannot certify as staff a key whose owner did not sign the certification (BAD_PROOF)', async () => {
    const { staffMessage } = await import('../../../src/lib/core/ledger-rules');
    const w = new World('staff-squat');
    const H1 = w.hospital('H1');
    w.ok(w.found(H1));
    const victim = w.patient('V'); // someone's key, about to register as a patient
    const intruder = w.signKey();
    const forged = sign(staffMessage(w.signingNetwork, H1.idBytes, victim.sign.pub, victim.box.pub), intruder.secret);
    const payload = encodePayload({
      kind: TxKind.CertifyStaff,
      staffSign: victim.sign.pub,
      staffBox: victim.box.pub,
      role: 1,
      name: 'x',
      dataKeyWrap: new Uint8Array(80),
      staffProof: forged,
    });
    expect(w.code(w.raw(TxKind.CertifyStaff, payload, H1.sign))).toBe('BAD_PROOF');
    expect(w.code(w.registerPatient(victim))).toBe('OK');
  });
});
