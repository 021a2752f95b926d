/**
 * The registry of transaction kinds (issue 14): every kind in TxKind has an
 * entry; its example payload round-trips through its codec; its rule accepts
 * a well-formed transaction by the signer its entry documents, refuses other
 * signers with the documented code, and refuses any altered payload only with
 * a code its entry lists.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/lib/core/bytes';
import { DecodeError, RuleError } from '../../../src/lib/core/errors';
import { KINDS, type KindRegistry } from '../../../src/lib/core/kinds';
import type { Signer } from '../../../src/lib/core/kinds/spec';
import { applyTx } from '../../../src/lib/core/ledger-rules';
import { Category, SCOPE_ALL, decodePayload, encodePayload } from '../../../src/lib/core/payloads';
import { nobleVerifier } from '../../../src/lib/core/signature';
import { type Tx, TxKind, txId } from '../../../src/lib/core/tx';
import { VotePhase, evidencePayload, readVote, signVote } from '../../../src/lib/core/vote';
import { askRecovery, releaseRecovery, setRecovery } from './recovery-world';
import { type Built, type Hospital, type Patient, type SignKey, type Staff, World } from './ledger-world';

const ALL_KINDS = Object.values(TxKind);

describe('the registry', () => {
  it('has an entry for every kind, registered under its own number', () => {
    expect(
      Object.keys(KINDS)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual([...ALL_KINDS].sort((a, b) => a - b));
    for (const k of ALL_KINDS) expect(KINDS[k].kind).toBe(k);
  });

  it('a registry missing a kind is a type error', () => {
    const { [TxKind.Evidence]: dropped, ...rest } = KINDS;
    // @ts-expect-error Evidence has no entry: the mapped type over TxKind requires one.
    const incomplete: KindRegistry = rest;
    expect(Object.keys(incomplete)).not.toContain(String(dropped.kind));
  });

  it.each(ALL_KINDS)('kind %i: its example decodes to itself and re-encodes to the same bytes', (k) => {
    const example = KINDS[k].example;
    expect(example.kind).toBe(k);
    const bytes = encodePayload(example);
    expect(decodePayload(k, bytes)).toEqual(example);
    expect(encodePayload(decodePayload(k, bytes))).toEqual(bytes);
  });

  it.each(ALL_KINDS)('kind %i: any byte changed in its example either fails to decode or re-encodes to exactly the changed bytes', (k) => {
    const bytes = encodePayload(KINDS[k].example);
    fc.assert(
      fc.property(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 }), (at, x) => {
        const changed = bytes.slice();
        changed[at]! ^= x;
        try {
          expect(encodePayload(decodePayload(k, changed))).toEqual(changed);
        } catch (e) {
          if (!(e instanceof DecodeError)) throw e;
        }
      }),
      { numRuns: 60 },
    );
  });
});

/** The actors of a small network: two founders, an applicant, staff of the first hospital, a patient with a grant to it and a record. */
interface Cast {
  readonly w: World;
  readonly h1: Hospital;
  readonly h2: Hospital;
  readonly h3: Hospital;
  readonly s1: Staff;
  readonly p: Patient;
  readonly grant: Built;
  readonly record: Built;
  /** A key that holds no role. */
  readonly stranger: SignKey;
}

function cast(seed: string): Cast {
  const w = new World(`kinds/${seed}`);
  const [h1, h2, h3] = [w.hospital('H1'), w.hospital('H2'), w.hospital('H3')];
  w.ok(w.found(h1), w.found(h2));
  const s1 = w.staffOf(h1, 'S1');
  const p = w.patient('P');
  w.ok(w.apply(h3), w.certifyStaff(h1, s1), w.registerPatient(p));
  const grant = w.grant(p, h1, SCOPE_ALL);
  w.ok(grant);
  const record = w.addRecord(p, p, Category.LabReport);
  w.ok(record);
  return { w, h1, h2, h3, s1, p, grant, record, stranger: w.signKey() };
}

/** A kind's test case: its world, transactions in the same block before it, and its well-formed transaction signed by its natural author or by `as`. */
interface Case {
  readonly w: World;
  readonly before: readonly Built[];
  readonly valid: (as?: SignKey) => Built;
  /** Keys of the wrong role for the kind's documented signer. */
  readonly wrong: readonly SignKey[];
  /** Keys that already hold a role (for `new-key` kinds). */
  readonly taken: readonly SignKey[];
}

/** Who is of the wrong role for each documented signer, in the cast. */
function wrongFor(signer: Signer, c: Cast): SignKey[] {
  switch (signer) {
    case 'authority':
      return [c.stranger, c.p.sign, c.s1.sign];
    case 'hospital-actor':
      return [c.stranger, c.p.sign, c.h2.sign];
    case 'patient':
      return [c.stranger, c.h1.sign, c.s1.sign];
    case 'patient-or-hospital-actor':
      return [c.stranger, c.h2.sign];
    case 'recovery-holder':
      return [c.stranger, c.p.sign, c.s1.sign, c.h2.sign];
    case 'new-key':
    case 'anyone':
      return [];
  }
}

/** The case of kind `k` in a fresh cast, its transaction made by `valid`. */
function onCast(k: TxKind, valid: (c: Cast) => (as?: SignKey) => Built): (seed: string) => Case {
  return (seed) => {
    const c = cast(seed);
    return { w: c.w, before: [], valid: valid(c), wrong: wrongFor(KINDS[k].signer, c), taken: [c.h1.sign, c.s1.sign, c.p.sign] };
  };
}

/** A case per kind: the mapped type makes a new kind without one a type error here too. */
const CASES: { readonly [K in TxKind]: (seed: string) => Case } = {
  [TxKind.FoundNetwork]: (seed) => {
    const w = new World(`kinds/${seed}`);
    const [h1, h2] = [w.hospital('H1'), w.hospital('H2')];
    return { w, before: [w.found(h1)], valid: (as) => w.found(h2, { as }), wrong: [], taken: [h1.sign] };
  },
  [TxKind.ApplyHospital]: onCast(TxKind.ApplyHospital, (c) => {
    const h4 = c.w.hospital('H4');
    return (as) => c.w.apply(h4, { as });
  }),
  [TxKind.ApproveHospital]: onCast(TxKind.ApproveHospital, (c) => (as) => c.w.approve(c.h1, c.h3, { as })),
  [TxKind.CertifyStaff]: onCast(TxKind.CertifyStaff, (c) => {
    const s2 = c.w.staffOf(c.h1, 'S2');
    return (as) => c.w.certifyStaff(c.h1, s2, { as });
  }),
  [TxKind.RemoveStaff]: onCast(TxKind.RemoveStaff, (c) => (as) => c.w.removeStaff(c.h1, c.s1, { as })),
  [TxKind.RegisterPatient]: onCast(TxKind.RegisterPatient, (c) => {
    const p2 = c.w.patient('P2');
    return (as) => c.w.registerPatient(p2, { as });
  }),
  [TxKind.RotatePatientKeys]: onCast(TxKind.RotatePatientKeys, (c) => (as) => c.w.rotateKeys(c.p, { as })),
  [TxKind.AddRecord]: onCast(TxKind.AddRecord, (c) => (as) => c.w.addRecord(c.s1, c.p, Category.Prescription, { as })),
  [TxKind.ShareKeys]: onCast(TxKind.ShareKeys, (c) => {
    c.w.ok(c.w.grant(c.p, c.h2, SCOPE_ALL));
    return (as) => c.w.shareKeys(c.p, c.record.id, { as });
  }),
  [TxKind.GrantConsent]: onCast(TxKind.GrantConsent, (c) => (as) => c.w.grant(c.p, c.h2, SCOPE_ALL, { as })),
  [TxKind.RevokeConsent]: onCast(TxKind.RevokeConsent, (c) => (as) => c.w.revoke(c.p, c.grant.id, { as })),
  [TxKind.RequestAccess]: onCast(TxKind.RequestAccess, (c) => (as) => c.w.request(c.s1, c.p, SCOPE_ALL, { as })),
  [TxKind.Referral]: onCast(TxKind.Referral, (c) => (as) => c.w.referral(c.s1, c.h2, c.p, { as })),
  [TxKind.EraseRecord]: onCast(TxKind.EraseRecord, (c) => (as) => c.w.erase(c.p, c.record.id, { as })),
  [TxKind.Approval]: onCast(TxKind.Approval, (c) => (as) => c.w.blockApproval(c.h1, undefined, { as })),
  [TxKind.RefuseRequest]: onCast(TxKind.RefuseRequest, (c) => {
    const request = c.w.request(c.s1, c.p, SCOPE_ALL);
    c.w.ok(request);
    return (as) => c.w.refuse(c.p, request.id, { as });
  }),
  [TxKind.SetEmergencyAccess]: onCast(TxKind.SetEmergencyAccess, (c) => (as) => c.w.setEmergency(c.p, { as })),
  [TxKind.EmergencyAccess]: onCast(TxKind.EmergencyAccess, (c) => {
    c.w.ok(c.w.setEmergency(c.p));
    return (as) => c.w.emergencyAccess(c.s1, c.p, { as });
  }),
  [TxKind.ReleaseShare]: onCast(TxKind.ReleaseShare, (c) => {
    c.w.ok(c.w.setEmergency(c.p));
    const access = c.w.emergencyAccess(c.s1, c.p);
    c.w.ok(access);
    return (as) => c.w.releaseShare(c.h1, c.p, access.id, { as });
  }),
  [TxKind.ReviewEmergency]: onCast(TxKind.ReviewEmergency, (c) => {
    c.w.ok(c.w.setEmergency(c.p));
    const access = c.w.emergencyAccess(c.s1, c.p);
    c.w.ok(access);
    return (as) => c.w.reviewEmergency(c.h1, c.p, access.id, { as });
  }),
  [TxKind.DelegateAccess]: onCast(TxKind.DelegateAccess, (c) => {
    const carer = c.w.patient('Carer');
    c.w.ok(c.w.registerPatient(carer));
    return (as) => c.w.delegate(c.p, carer, SCOPE_ALL, { as });
  }),
  [TxKind.AttestGuardian]: onCast(TxKind.AttestGuardian, (c) => {
    const guardian = c.w.patient('Guardian');
    c.w.ok(c.w.registerPatient(guardian));
    return (as) => c.w.attestGuardian(c.s1, c.p, guardian, { as, hospital: c.h1 });
  }),
  [TxKind.SetRecovery]: onCast(TxKind.SetRecovery, (c) => {
    const friend = c.w.patient('Friend');
    c.w.ok(c.w.registerPatient(friend));
    return (as) => setRecovery(c.w, c.p, [friend, c.h1], { as });
  }),
  [TxKind.AskRecovery]: onCast(TxKind.AskRecovery, (c) => {
    const friend = c.w.patient('Friend');
    c.w.ok(c.w.registerPatient(friend));
    c.w.ok(setRecovery(c.w, c.p, [friend, c.h1]));
    const asker = c.w.signKey();
    return (as) => askRecovery(c.w, c.p, asker, { as });
  }),
  [TxKind.ReleaseRecoveryShare]: onCast(TxKind.ReleaseRecoveryShare, (c) => {
    const friend = c.w.patient('Friend');
    c.w.ok(c.w.registerPatient(friend));
    c.w.ok(setRecovery(c.w, c.p, [friend, c.h1]));
    const ask = askRecovery(c.w, c.p, c.w.signKey());
    c.w.ok(ask);
    return (as) => releaseRecovery(c.w, c.h1, c.p, ask.id, { as });
  }),
  [TxKind.Evidence]: onCast(TxKind.Evidence, (c) => {
    const key = { secret: c.h1.sign.secret, pub: c.h1.sign.pub };
    const vote = (block: number) =>
      readVote(signVote(c.w.signingNetwork, key, { height: 3, round: 0, phase: VotePhase.Precommit, block: new Uint8Array(32).fill(block) }, c.w.time))!;
    const payload = evidencePayload(vote(1), vote(2));
    return (as) => c.w.raw(TxKind.Evidence, payload, as ?? c.stranger);
  }),
};

/** The code `tx` breaks after `before` in one block on the case's ledger, or OK; the ledger is left as it was. */
function outcome(c: Case, tx: Tx): string {
  const { w } = c;
  const ctx = (t: Tx) => ({ height: w.height, time: w.nextTime, txId: toHex(txId(t)), verifier: nobleVerifier, network: w.signingNetwork });
  try {
    w.ledger.undo(w.ledger.change(() => [...c.before.map((b) => b.tx), tx].forEach((t) => applyTx(w.ledger, t, ctx(t)))));
    return 'OK';
  } catch (e) {
    if (e instanceof RuleError) return e.code;
    throw e;
  }
}

describe('each kind’s rule, as its entry documents', () => {
  it.each(ALL_KINDS)('kind %i: accepts its well-formed transaction by its documented signer and refuses the wrong ones', (k) => {
    const c = CASES[k](`signer/${k}`);
    const spec = KINDS[k];
    const valid = c.valid();
    expect(valid.tx.kind).toBe(k);
    expect(outcome(c, valid.tx)).toBe('OK');
    if (spec.signer === 'new-key') for (const key of c.taken) expect(outcome(c, c.valid(key).tx)).toBe('KEY_IN_USE');
    else if (spec.signer === 'anyone') expect(outcome(c, c.valid(c.w.signKey()).tx)).toBe('OK');
    else {
      expect(c.wrong.length).toBeGreaterThan(0);
      for (const key of c.wrong) expect(outcome(c, c.valid(key).tx)).toBe('NOT_AUTHORISED');
    }
    // The refusal is among the codes the entry lists.
    const refusal = spec.signer === 'new-key' ? 'KEY_IN_USE' : spec.signer === 'anyone' ? null : 'NOT_AUTHORISED';
    if (refusal) expect(spec.codes).toContain(refusal);
  });

  it.each(ALL_KINDS)('kind %i: an altered payload is accepted or refused only with a code its entry lists', (k) => {
    const c = CASES[k](`codes/${k}`);
    const tx = c.valid().tx;
    const allowed = new Set<string>(['OK', 'BAD_PAYLOAD', 'ALREADY_DONE', ...KINDS[k].codes]);
    const seen = new Set<string>();
    fc.assert(
      fc.property(fc.nat(tx.payload.length - 1), fc.integer({ min: 1, max: 255 }), fc.boolean(), (at, x, truncate) => {
        const payload = truncate ? tx.payload.slice(0, at) : tx.payload.slice();
        if (!truncate) payload[at]! ^= x;
        const code = outcome(c, { ...tx, payload });
        seen.add(code);
        expect(allowed).toContain(code);
      }),
      { numRuns: 80, seed: k },
    );
    // The property reaches the rule, not only the decoder.
    expect([...seen].some((s) => s !== 'BAD_PAYLOAD')).toBe(true);
  });
});
