/**
 * Deterministic demo chains (`medchain demo-chain`, tests, benchmarks): two
 * founding hospitals, a third admitted by majority approval, staff, patients,
 * and a realistic flow of signed transactions — records by patients and by
 * hospitals with consent, access requests, grants with scopes and expiries,
 * key sharing, revocations, referrals and erasures — every one valid under
 * the ledger's rules, mined block by block at the difficulty the retarget
 * rule requires. The same seed gives the same bytes: keys, nonces, times and
 * payloads all come from a seeded generator and a fixed start time, never from
 * the clock or real randomness.
 *
 * Records' blobs (sealed bodies, attachments, wrapped keys) live beside the
 * chain, not in it; a demo chain carries their hashes and sizes only.
 */
import { x25519 } from '@noble/curves/ed25519.js';
import type { Block } from './block';
import { ChainState } from './chain';
import { hexToBytes, toHex } from './bytes';
import { sha256 } from './hash';
import type { Ledger } from './ledger';
import { applyTx, rotationMessage, staffMessage } from './ledger-rules';
import { type ChainParams, DEFAULT_PARAMS } from './params';
import {
  AccessMode,
  type BlobRef,
  CATEGORY_COUNT,
  type Category,
  EMERGENCY_SCOPE,
  OPEN_END,
  type Payload,
  Purpose,
  SCOPE_ALL,
  StaffRole,
  dayOf,
  encodePayload,
  keyBlobBytes,
  QuorumRule,
} from './payloads';
import { Prng } from './prng';
import { type DemoKit, demoRecovery } from './demo-recovery';
import { quorumFunction } from './quorum-rule';
import { ledgerRules } from './rules';
import { patientIdOf } from './ids';
import { RuleError } from './errors';
import { publicKeyOf, sign as signMessage } from './signature';
import { signTx } from './sign-tx';
import { blockTemplate, genesisTemplate, mineBlock } from './template';
import { GENESIS_SIGNING_NETWORK, TX_VERSION, type Tx, TxKind, txId } from './tx';

/** 2026-01-01T00:00:00Z: demo chains start here so their bytes never depend on the clock. */
export const DEMO_START_TIME = 1_767_225_600;

export interface DemoOptions {
  readonly blocks: number;
  readonly seed: string;
  readonly params?: ChainParams;
  readonly startTime?: number;
  /** Transactions per block, inclusive range. */
  readonly txPerBlock?: readonly [number, number];
}

interface Signer {
  readonly secret: Uint8Array;
  readonly pub: Uint8Array;
  readonly hex: string;
}
interface BoxPair {
  readonly secret: Uint8Array;
  readonly pub: Uint8Array;
}

const DAY = 86_400;
const NO_SIGNATURE = new Uint8Array(64);

/**
 * Builds a chain of `blocks` blocks after genesis. Every block goes through
 * the chain state and its ledger rules as it is built; signature checks are
 * skipped for speed since this code made every signature itself, and
 * `medchain verify` checks them all.
 */
export function demoChain(options: DemoOptions): { params: ChainParams; blocks: Block[]; chain: ChainState } {
  const params = options.params ?? DEFAULT_PARAMS;
  const prng = new Prng(options.seed);
  const [minTx, maxTx] = options.txPerBlock ?? [1, 4];
  const signer = (): Signer => {
    const secret = prng.bytes(32);
    const pub = publicKeyOf(secret);
    return { secret, pub, hex: toHex(pub) };
  };
  const box = (): BoxPair => {
    const secret = prng.bytes(32);
    return { secret, pub: x25519.getPublicKey(secret) };
  };
  const hospitals = Array.from({ length: 3 }, () => ({ authority: signer(), data: box(), staff: [signer(), signer()] }));
  const patients = Array.from({ length: 24 }, () => {
    const key = signer();
    return { key, box: box(), id: patientIdOf(key.pub) };
  });
  /** What to update in the demo's own view once a transaction is in a block. */
  const afterAccept = new Map<Tx, () => void>();
  const blob = (min: number, max: number): BlobRef => {
    const size = prng.int(min, max);
    return { hash: sha256(prng.bytes(64)), size };
  };
  /** A key blob's reference: exactly one wrapped key per reader, as the ledger requires. */
  const keyBlob = (readers: number): BlobRef => ({ hash: sha256(prng.bytes(64)), size: keyBlobBytes(readers) });
  const zero = new Uint8Array(32);
  const start = options.startTime ?? DEMO_START_TIME;
  // Transactions are drafted unsigned (the id does not cover the signature) and
  // signed only once they are known to fit the block: signing is the costly part.
  const drafts = new Map<Tx, Signer>();
  // What signatures bind: nothing yet for the genesis block's own transactions, the genesis hash once it exists.
  let network = GENESIS_SIGNING_NETWORK;
  const sign = (who: Signer, p: Payload, time: number): Tx => {
    const draft: Tx = { version: TX_VERSION, kind: p.kind, author: who.pub, nonce: prng.u53(), time, payload: encodePayload(p), signature: NO_SIGNATURE };
    drafts.set(draft, who);
    return draft;
  };
  const signDraft = (draft: Tx): Tx => {
    const who = drafts.get(draft);
    drafts.delete(draft);
    return who ? signTx(network, draft, who.secret, who.pub) : draft;
  };

  const founding = hospitals.slice(0, 2).map((h, i) =>
    signDraft(
      sign(
        h.authority,
        {
          kind: TxKind.FoundNetwork,
          networkName: 'medchain demo',
          hospitalName: `Demo Hospital ${i + 1}`,
          dataKey: h.data.pub,
          quorum: QuorumRule.TwoThirds,
        },
        start,
      ),
    ),
  );
  const genesis = mineBlock(genesisTemplate(params, founding, start, hospitals[0]!.authority.pub));
  const trusting = { verify: () => true };
  const chain = new ChainState(params, genesis, start, { verifier: trusting, rules: ledgerRules });
  network = chain.genesis.hash;
  const ledger = chain.ledger!;
  const blocks: Block[] = [genesis];
  // Recovery draws from a generator of its own, so adding it left the rest of the demo's stream as it was.
  const recoveryPrng = new Prng(`${options.seed}/recovery`);
  const recoverySigner = (): Signer => {
    const secret = recoveryPrng.bytes(32);
    const pub = publicKeyOf(secret);
    return { secret, pub, hex: toHex(pub) };
  };
  const recoveryBox = (): BoxPair => {
    const secret = recoveryPrng.bytes(32);
    return { secret, pub: x25519.getPublicKey(secret) };
  };
  const recoveryKit: DemoKit = { ledger, prng: recoveryPrng, network: () => network, sign, signer: recoverySigner, box: recoveryBox, afterAccept };
  /** The new keys of each recovery ask (by its id), kept for the rotation that ends it. */
  const askers = new Map<string, { sign: Signer; box: BoxPair }>();

  // Scripted opening: the third hospital applies and is approved; staff are certified.
  const opening: ((time: number) => Tx)[] = [
    (t) => sign(hospitals[2]!.authority, { kind: TxKind.ApplyHospital, hospitalName: 'Demo Hospital 3', dataKey: hospitals[2]!.data.pub }, t),
    (t) => sign(hospitals[0]!.authority, { kind: TxKind.ApproveHospital, application: hospitals[2]!.authority.pub }, t),
    (t) => sign(hospitals[1]!.authority, { kind: TxKind.ApproveHospital, application: hospitals[2]!.authority.pub }, t),
    ...hospitals.flatMap((h) =>
      h.staff.map((s, i) => (t: number) => {
        const staffBox = box().pub;
        const staffProof = signMessage(staffMessage(network, h.authority.pub, s.pub, staffBox), s.secret);
        return sign(
          h.authority,
          {
            kind: TxKind.CertifyStaff,
            staffSign: s.pub,
            staffBox,
            role: i === 0 ? StaffRole.Clinician : StaffRole.Nurse,
            name: `Dr. Demo ${s.hex.slice(0, 4)}`,
            dataKeyWrap: prng.bytes(80),
            staffProof,
          },
          t,
        );
      }),
    ),
  ];

  const randomAction = (time: number): Tx | null => {
    const pi = prng.int(0, patients.length - 1);
    const p = patients[pi]!;
    const pid = toHex(p.id);
    if (!ledger.patients.has(pid)) return sign(p.key, { kind: TxKind.RegisterPatient, boxKey: p.box.pub }, time);
    const h = prng.pick(hospitals);
    const hid = h.authority.hex;
    if (!ledger.hospitals.get(hid)?.member) return null;
    const staff = prng.pick(h.staff);
    const category = prng.int(0, CATEGORY_COUNT - 1) as Category;
    const live = ledger.liveGrants(pid, time, hid);
    const roll = prng.next();
    const record = (author: Signer, hospital: Uint8Array, hospitalHex: string | null): Tx => {
      const body = blob(400, 6000);
      const attachments = prng.next() < 0.3 ? [blob(20_000, 2_000_000)] : [];
      // Most records are of today; some are older reports uploaded now.
      const day = dayOf(time) - (prng.next() < 0.3 ? prng.int(1, 3000) : 0);
      const readers = ledger.requiredReaders(pid, hospitalHex, category, day, time).map(hexToBytes);
      return sign(
        author,
        { kind: TxKind.AddRecord, patientId: p.id, hospital, category, day, body, attachments, readers, keys: keyBlob(readers.length) },
        time,
      );
    };
    // This hospital's requests to the patient still open (unanswered, not expired).
    const open = (ledger.byPatient.get(pid) ?? [])
      .map((id) => ledger.requests.get(id))
      .filter((q) => q !== undefined && q.hospital === hid && !ledger.answers.has(q.id) && q.answerBy > time);
    if (roll < 0.2) return record(p.key, zero, null);
    // A hospital writes only in a category its live consent covers (OUT_OF_SCOPE otherwise).
    if (roll < 0.4 && ledger.liveGrants(pid, time, hid, category).length > 0) return record(staff, h.authority.pub, hid);
    if (roll < 0.5) {
      const from = prng.next() < 0.5 ? 0 : dayOf(time) - prng.int(30, 3000);
      const answerBy = time + (prng.next() < 0.3 ? 3600 : 7 * DAY);
      const payload = { kind: TxKind.RequestAccess, patientId: p.id, hospital: h.authority.pub, scope: SCOPE_ALL, purpose: Purpose.Treatment } as const;
      return sign(staff, { ...payload, from, to: OPEN_END, expiry: time + 30 * DAY, mode: AccessMode.Download, answerBy }, time);
    }
    if (roll < 0.56 && open.length > 0) {
      // A request answered: often narrowed to fewer categories, later records only, view only.
      const q = prng.pick(open)!;
      const narrow = prng.next() < 0.5;
      const scope = narrow ? q.scope & (1 << prng.int(0, CATEGORY_COUNT - 1)) || q.scope : q.scope;
      const from = narrow ? Math.max(q.from, dayOf(time) - 365) : q.from;
      const expiry = narrow ? Math.min(q.expiry, time + 7 * DAY) : q.expiry;
      const mode = narrow ? AccessMode.View : q.mode;
      const grant = { kind: TxKind.GrantConsent, grantee: h.authority.pub, scope, purpose: q.purpose, from, to: q.to, expiry, eraseBy: expiry + DAY } as const;
      return sign(p.key, { ...grant, mode, regarding: hexToBytes(q.id) }, time);
    }
    if (roll < 0.59 && open.length > 0) return sign(p.key, { kind: TxKind.RefuseRequest, regarding: hexToBytes(prng.pick(open)!.id) }, time);
    if (roll < 0.65) {
      const scope = prng.next() < 0.5 ? SCOPE_ALL : 1 << prng.int(0, CATEGORY_COUNT - 1);
      const expiry = time + (prng.next() < 0.2 ? 3600 : 30 * DAY);
      const grant = {
        kind: TxKind.GrantConsent,
        grantee: h.authority.pub,
        scope,
        purpose: Purpose.Treatment,
        from: 0,
        to: OPEN_END,
        expiry,
        eraseBy: expiry,
      } as const;
      return sign(p.key, { ...grant, mode: AccessMode.Download, regarding: zero }, time);
    }
    if (roll < 0.75) {
      // Share an existing record's key with a newly consented hospital.
      for (const id of ledger.byPatient.get(pid) ?? []) {
        const r = ledger.records.get(id);
        if (!r || r.erased) continue;
        const fresh = [...ledger.allowedReaders(r, time)].filter((k) => !r.readers.includes(k)).sort();
        if (fresh.length > 0)
          return sign(p.key, { kind: TxKind.ShareKeys, record: hexToBytes(r.id), readers: fresh.map(hexToBytes), keys: keyBlob(fresh.length) }, time);
      }
      return null;
    }
    if (roll < 0.82 && live.length > 0) return sign(p.key, { kind: TxKind.RevokeConsent, grant: hexToBytes(prng.pick(live).id) }, time);
    if (roll < 0.9 && live.length > 0) {
      const other = prng.pick(hospitals.filter((x) => x !== h));
      if (!ledger.hospitals.get(other.authority.hex)?.member) return null;
      return sign(
        staff,
        { kind: TxKind.Referral, patientId: p.id, fromHospital: h.authority.pub, toHospital: other.authority.pub, sealedNote: prng.bytes(prng.int(60, 300)) },
        time,
      );
    }
    if (roll < 0.92) {
      const own = (ledger.byPatient.get(pid) ?? []).map((id) => ledger.records.get(id)).filter((r) => r && !r.erased);
      if (own.length > 0) return sign(p.key, { kind: TxKind.EraseRecord, record: hexToBytes(prng.pick(own)!.id) }, time);
    }
    if (roll < 0.93) {
      // A passphrase change: new keys take over the patient id, with a real proof.
      const next = signer();
      const nextBox = box();
      const proof = signMessage(rotationMessage(network, p.id, next.pub, nextBox.pub), next.secret);
      const t = sign(p.key, { kind: TxKind.RotatePatientKeys, patientId: p.id, newSign: next.pub, newBox: nextBox.pub, proof }, time);
      afterAccept.set(t, () => Object.assign(p, { key: next, box: nextBox }));
      return t;
    }
    if (roll < 0.935 && h.staff.length > 1) {
      // A staff member leaves: the hospital's data key rotates to the remaining staff.
      const leaving = h.staff[h.staff.length - 1]!;
      const remaining = h.staff
        .slice(0, -1)
        .map((x) => x.pub)
        .sort((a, b) => (toHex(a) < toHex(b) ? -1 : 1));
      const t = sign(
        h.authority,
        { kind: TxKind.RemoveStaff, staffSign: leaving.pub, newDataKey: box().pub, wraps: remaining.map((staffSign) => ({ staffSign, wrap: prng.bytes(80) })) },
        time,
      );
      afterAccept.set(t, () => h.staff.pop());
      return t;
    }
    if (roll < 0.97) return emergencyAction(p, pid, h, time);
    if (roll < 0.985) {
      // A caregiver: another registered patient reads some kinds of record for a while (issue 15).
      const carer = prng.pick(patients.filter((x) => x !== p && ledger.patients.has(toHex(x.id))));
      if (!carer) return null;
      const delegation = { kind: TxKind.DelegateAccess, caregiver: carer.id, scope: prng.next() < 0.5 ? SCOPE_ALL : EMERGENCY_SCOPE } as const;
      return sign(p.key, { ...delegation, from: 0, to: OPEN_END, expiry: time + (prng.next() < 0.3 ? 3600 : 30 * DAY) }, time);
    }
    if (roll < 0.99 && !ledger.guardianships.has(pid)) {
      // A guardian: a hospital attests another patient as guardian of this one, some coming of age within days (issue 15).
      const guardian = prng.pick(patients.filter((x) => x !== p && ledger.patients.has(toHex(x.id)) && !ledger.guardianships.has(toHex(x.id))));
      if (!guardian || !ledger.hospitals.get(h.authority.hex)?.member) return null;
      const until = dayOf(time) + (prng.next() < 0.3 ? prng.int(1, 3) : prng.int(30, 6000));
      return sign(h.authority, { kind: TxKind.AttestGuardian, hospital: h.authority.pub, minor: p.id, guardian: guardian.id, until }, time);
    }
    // Recovery through people (issue 15): set up, asked, released, and the rotation that ends it.
    if (roll < 0.998) return demoRecovery(recoveryKit, askers, patients, p, h.authority, time);
    return null;
  };

  /**
   * Emergency access (issue 15): a patient turns it on (a real key; the
   * shares are stand-in bytes, as no demo hospital ever opens them), a
   * clinician breaks the glass, holders release, the authority reviews.
   */
  const emergencyAction = (p: (typeof patients)[number], pid: string, h: (typeof hospitals)[number], time: number): Tx | null => {
    const setting = ledger.emergencyOn(pid);
    const members = ledger.memberIds();
    if (!setting) {
      if (members.length < 2) return null;
      const key = box().pub;
      const shares = members.map((m) => ({ hospital: hexToBytes(m), sealed: prng.bytes(153) }));
      const threshold = quorumFunction(ledger.quorumRule)(members.length);
      return sign(p.key, { kind: TxKind.SetEmergencyAccess, allowed: true, scope: EMERGENCY_SCOPE, key, threshold, shares, nominee: zero }, time);
    }
    const accesses = (ledger.byPatient.get(pid) ?? []).map((id) => ledger.emergencies.get(id)).filter((e) => e !== undefined && e.setting === setting.id);
    const hid = h.authority.hex;
    const waiting = accesses.find((e) => setting.holders.includes(hid) && !e!.releases.some((r) => r.hospital === hid));
    if (waiting && prng.next() < 0.6)
      return sign(h.authority, { kind: TxKind.ReleaseShare, patientId: p.id, access: hexToBytes(waiting.id), sealed: prng.bytes(153) }, time);
    const unreviewed = accesses.find((e) => e!.hospital === hid && !e!.review);
    if (unreviewed && prng.next() < 0.5)
      return sign(
        h.authority,
        { kind: TxKind.ReviewEmergency, patientId: p.id, access: hexToBytes(unreviewed.id), outcome: 1, sealedNote: prng.bytes(60) },
        time,
      );
    const clinician = h.staff[0];
    if (!clinician || !ledger.hospitals.get(hid)?.member) return null;
    return sign(clinician, { kind: TxKind.EmergencyAccess, patientId: p.id, hospital: h.authority.pub, reason: 1, sealedNote: prng.bytes(80) }, time);
  };

  /** Whether `txs` apply in order on top of the tip's ledger (tried, then undone). */
  const fits = (l: Ledger, txs: readonly Tx[], height: number, time: number): boolean => {
    try {
      l.undo(l.change(() => txs.forEach((tx) => applyTx(l, tx, { height, time, txId: toHex(txId(tx)), verifier: trusting, network }))));
      return true;
    } catch (e) {
      if (e instanceof RuleError) return false;
      throw e;
    }
  };

  let time = start;
  for (let i = 0; i < options.blocks; i++) {
    time += params.targetSpacing + prng.int(-2, 2);
    const height = chain.height + 1;
    const txs: Tx[] = [];
    const want = prng.int(minTx, maxTx);
    for (let tries = 0; txs.length < want && tries < want * 8; tries++) {
      const txTime = time - prng.int(0, 30);
      const next = opening.length > 0 ? opening.shift()!(txTime) : randomAction(txTime);
      if (next && fits(ledger, [...txs, next], height, time)) txs.push(next);
    }
    const accepted = txs.map((t) => afterAccept.get(t));
    afterAccept.clear();
    for (let j = 0; j < txs.length; j++) txs[j] = signDraft(txs[j]!);
    drafts.clear();
    const miner = prng.pick(hospitals);
    const block = mineBlock(blockTemplate(chain, chain.tip, txs, time, miner.authority.pub));
    const r = chain.addBlock(block, block.header.time);
    if (r.status !== 'accepted') throw new Error(`demo chain: block ${i + 1} refused: ${r.status === 'invalid' ? r.error.message : r.status}`);
    time = block.header.time;
    blocks.push(block);
    for (const update of accepted) update?.();
  }
  return { params, blocks, chain };
}
