/**
 * The identity and consent rules every node checks on every transaction of
 * every block (SPEC §2 to §4; stage 3 of validation). Each rule has one
 * comment and one {@link RuleCode}. Transactions of a block apply in order,
 * so a later one sees what an earlier one did.
 */
import { foundingRules } from './quorum-rule';
import { bytesEqual, toHex } from './bytes';
import { DecodeError, RuleError, type RuleCode } from './errors';
import { Writer } from './encoding';
import { taggedHash } from './hash';
import { x25519 } from '@noble/curves/ed25519.js';
import { patientIdOf } from './ids';
import type { Ledger } from './ledger';
import { type BlobRef, MAX_LIVE_GRANTS, type Payload, type PayloadOf, SCOPE_ALL, decodePayload, keyBlobBytes } from './payloads';
import type { SignatureVerifier } from './signature';
import { type Tx, TxKind } from './tx';
import { checkTxSignature } from './validate';
import { equivocates, readEvidence } from './vote';

/** Where a transaction is being applied. */
export interface TxContext {
  readonly height: number;
  /** The block's time: what "live" and "expired" are measured against. */
  readonly time: number;
  readonly txId: string;
  readonly verifier: SignatureVerifier;
  /** The network the block's signatures bind (`signingNetwork` in tx.ts): payload proofs and evidence votes are checked for it. */
  readonly network: Uint8Array;
}

const ZERO_KEY = new Uint8Array(32);

function fail(code: RuleCode, message: string): never {
  throw new RuleError(code, `${message} (${code})`);
}

/** The message a new patient key signs to prove it takes over a patient id on `network` (its genesis hash; 32-byte fields only). */
export function rotationMessage(network: Uint8Array, patientId: Uint8Array, newSign: Uint8Array, newBox: Uint8Array): Uint8Array {
  return taggedHash('medchain/rotate-keys/v2', fixed32(network, patientId, newSign, newBox));
}

/** The message a staff key signs to accept certification by a hospital on `network` (so no one can claim another's key, nor carry the consent to another network). */
export function staffMessage(network: Uint8Array, hospital: Uint8Array, staffSign: Uint8Array, staffBox: Uint8Array): Uint8Array {
  return taggedHash('medchain/certify-staff/v2', fixed32(network, hospital, staffSign, staffBox));
}

/** Canonical encoding of 32-byte fields (asserts each length: never a join of variable parts). */
function fixed32(...fields: Uint8Array[]): Uint8Array {
  const w = new Writer();
  for (const f of fields) w.fixed(f, 32);
  return w.finish();
}

/** Whether an X25519 public key allows key agreement (not of low order). */
export function usableBoxKey(key: Uint8Array): boolean {
  const k = toHex(key);
  let ok = usable.get(k);
  if (ok === undefined) {
    try {
      x25519.getSharedSecret(PROBE_SCALAR, key);
      ok = true;
    } catch {
      ok = false;
    }
    // The answer never changes: remember it (bounded), since every node applies a key's transaction again on each reorganisation.
    if (usable.size >= 4096) usable.delete(usable.keys().next().value!);
    usable.set(k, ok);
  }
  return ok;
}
const usable = new Map<string, boolean>();
const PROBE_SCALAR = new Uint8Array(32).fill(0x42);

function requireBoxKey(key: Uint8Array): void {
  // X25519 keys must allow key agreement: a low-order key would make every wrap to it fail.
  if (!usableBoxKey(key)) fail('BAD_KEY', 'X25519 key of low order');
}

/** Where the ledger records a validator's equivocation at a height. */
export const evidenceSlot = (validator: string, height: number) => `${validator}/${height}`;

/** Decodes a transaction's payload; a payload that does not decode breaks BAD_PAYLOAD. */
export function payloadOf(tx: Tx): Payload {
  try {
    return decodePayload(tx.kind, tx.payload);
  } catch (e) {
    if (e instanceof DecodeError) fail('BAD_PAYLOAD', `payload of kind ${tx.kind}: ${e.message}`);
    throw e;
  }
}

function requireKeyBlob(keys: BlobRef, readers: number): void {
  // The key blob declares exactly one wrapped key per reader (no more, no fewer), so every reader can open the record.
  if (keys.size !== keyBlobBytes(readers)) fail('BAD_KEY_SIZE', `key blob of ${keys.size} bytes for ${readers} readers`);
}

function sortedUnique(keys: readonly Uint8Array[]): string[] | null {
  const hex = keys.map(toHex);
  for (let i = 1; i < hex.length; i++) if (hex[i - 1]! >= hex[i]!) return null;
  return hex;
}

/** The hospital the author acts for: its authority, or one of its active staff. */
function actingHospital(ledger: Ledger, author: string, hospital: string): void {
  const h = ledger.hospitals.get(hospital);
  // The named hospital must be admitted.
  if (!h?.member) fail('UNKNOWN_HOSPITAL', 'not an admitted hospital');
  const s = ledger.staff.get(author);
  // The author must be the hospital's authority or its active staff.
  if (author !== hospital && !(s?.active && s.hospital === hospital)) fail('NOT_AUTHORISED', 'author does not act for this hospital');
}

/** The patient whose current key signed the transaction. */
function actingPatient(ledger: Ledger, author: string): string {
  const k = ledger.keys.get(author);
  const p = k?.role === 'patient' ? ledger.patients.get(k.patient) : undefined;
  // Only the patient's current signing key acts for the patient.
  if (!p || p.signKey !== author) fail('NOT_AUTHORISED', 'author is not the patient');
  return p.id;
}

function requirePatient(ledger: Ledger, patient: Uint8Array): string {
  const id = toHex(patient);
  // The patient must be registered.
  if (!ledger.patients.has(id)) fail('UNKNOWN_PATIENT', 'patient not registered');
  return id;
}

function claimKey(ledger: Ledger, key: string, role: Parameters<Ledger['keys']['set']>[1]): void {
  // A signing key holds one role, once.
  if (ledger.keys.has(key)) fail('KEY_IN_USE', 'signing key already registered');
  ledger.keys.set(key, role);
}

/** Applies one transaction to the ledger or throws the {@link RuleError} of the rule it breaks. */
export function applyTx(ledger: Ledger, tx: Tx, ctx: TxContext): void {
  // A transaction takes effect once: the chain refuses replays first, and the ledger does not rely on it.
  if (ledger.records.has(ctx.txId) || ledger.grants.has(ctx.txId) || ledger.referrals.has(ctx.txId) || ledger.requests.has(ctx.txId))
    fail('ALREADY_DONE', 'transaction already applied');
  const p = payloadOf(tx);
  const author = toHex(tx.author);
  const handlers: { [K in TxKind]: (p: PayloadOf<K>) => void } = {
    [TxKind.FoundNetwork]: (p) => {
      // A network is founded only in its genesis block.
      if (ctx.height !== 0) fail('GENESIS_ONLY', 'founding outside genesis');
      requireBoxKey(p.dataKey);
      claimKey(ledger, author, { role: 'hospital' });
      ledger.hospitals.set(author, { id: author, name: p.hospitalName, dataKey: toHex(p.dataKey), dataEpoch: 0, member: true, approvals: [], staff: [] });
      ledger.addMember();
    },
    [TxKind.ApplyHospital]: (p) => {
      requireBoxKey(p.dataKey);
      claimKey(ledger, author, { role: 'hospital' });
      ledger.hospitals.set(author, { id: author, name: p.hospitalName, dataKey: toHex(p.dataKey), dataEpoch: 0, member: false, approvals: [], staff: [] });
    },
    [TxKind.ApproveHospital]: (p) => {
      const voter = ledger.hospitals.get(author);
      // Only an admitted hospital's authority approves.
      if (!voter?.member) fail('NOT_AUTHORISED', 'approver is not an admitted hospital');
      const applicant = ledger.hospitals.get(toHex(p.application));
      // The application must exist.
      if (!applicant) fail('UNKNOWN_REFERENCE', 'no such application');
      // A hospital approves an application once, and never one already admitted.
      if (applicant.member || applicant.approvals.includes(author)) fail('ALREADY_DONE', 'already approved or admitted');
      const approvals = [...applicant.approvals, author];
      // Admitted when more than half of the current hospitals approve.
      const member = approvals.length * 2 > ledger.members;
      ledger.hospitals.set(applicant.id, { ...applicant, approvals, member });
      if (member) ledger.addMember();
    },
    [TxKind.CertifyStaff]: (p) => {
      const h = ledger.hospitals.get(author);
      // Only an admitted hospital's authority certifies staff.
      if (!h?.member) fail('NOT_AUTHORISED', 'only a hospital authority certifies staff');
      requireBoxKey(p.staffBox);
      // The staff key itself accepts the certification (no hospital can claim someone else's key).
      if (!ctx.verifier.verify(p.staffProof, staffMessage(ctx.network, tx.author, p.staffSign, p.staffBox), p.staffSign))
        fail('BAD_PROOF', 'staff key did not sign its certification');
      const id = toHex(p.staffSign);
      claimKey(ledger, id, { role: 'staff' });
      ledger.staff.set(id, { id, hospital: author, boxKey: toHex(p.staffBox), role: p.role, name: p.name, active: true });
      ledger.hospitals.set(author, { ...h, staff: [...h.staff, id] });
    },
    [TxKind.RemoveStaff]: (p) => {
      const h = ledger.hospitals.get(author);
      // Only an admitted hospital's authority removes staff.
      if (!h?.member) fail('NOT_AUTHORISED', 'only a hospital authority removes staff');
      const id = toHex(p.staffSign);
      const s = ledger.staff.get(id);
      // The staff member must be active at this hospital.
      if (!s?.active || s.hospital !== author) fail('UNKNOWN_STAFF', 'not active staff of this hospital');
      requireBoxKey(p.newDataKey);
      const remaining = h.staff.filter((k) => k !== id).sort();
      const wrapped = sortedUnique(p.wraps.map((w) => w.staffSign));
      // The new data key must reach exactly the remaining staff, and be new.
      if (!wrapped || wrapped.join() !== remaining.join() || toHex(p.newDataKey) === h.dataKey)
        fail('BAD_STAFF_WRAPS', 'new data key not wrapped to exactly the remaining staff');
      ledger.staff.set(id, { ...s, active: false });
      ledger.hospitals.set(author, { ...h, staff: remaining, dataKey: toHex(p.newDataKey), dataEpoch: h.dataEpoch + 1 });
    },
    [TxKind.RegisterPatient]: (p) => {
      requireBoxKey(p.boxKey);
      const id = toHex(patientIdOf(tx.author));
      claimKey(ledger, author, { role: 'patient', patient: id });
      ledger.patients.set(id, { id, signKey: author, boxKey: toHex(p.boxKey) });
    },
    [TxKind.RotatePatientKeys]: (p) => {
      const patient = actingPatient(ledger, author);
      // The rotation names the patient whose key signs it.
      if (toHex(p.patientId) !== patient) fail('NOT_AUTHORISED', 'rotation for another patient');
      requireBoxKey(p.newBox);
      // The new key proves it takes over this patient id.
      if (!ctx.verifier.verify(p.proof, rotationMessage(ctx.network, p.patientId, p.newSign, p.newBox), p.newSign))
        fail('BAD_PROOF', 'new key did not sign the rotation');
      claimKey(ledger, toHex(p.newSign), { role: 'patient', patient });
      ledger.patients.set(patient, { id: patient, signKey: toHex(p.newSign), boxKey: toHex(p.newBox) });
    },
    [TxKind.AddRecord]: (p) => {
      const patient = requirePatient(ledger, p.patientId);
      let hospital: string | null = null;
      if (bytesEqual(p.hospital, ZERO_KEY)) {
        // A record without a hospital is the patient's own.
        if (actingPatient(ledger, author) !== patient) fail('NOT_AUTHORISED', 'only the patient adds records without a hospital');
      } else {
        hospital = toHex(p.hospital);
        actingHospital(ledger, author, hospital);
        // A hospital adds records only with the patient's live consent.
        if (ledger.liveGrants(patient, ctx.time, hospital).length === 0) fail('NO_CONSENT', 'no live consent from the patient');
        // ...and only of a category that consent covers (a lab-only grant never lets it write a prescription).
        if (ledger.liveGrants(patient, ctx.time, hospital, p.category).length === 0) fail('OUT_OF_SCOPE', 'no live consent covers this category');
      }
      const readers = sortedUnique(p.readers);
      // The data key is wrapped to exactly the patient, the author hospital and the consented hospitals in scope.
      if (!readers || readers.join() !== ledger.requiredReaders(patient, hospital, p.category, ctx.time).join())
        fail('BAD_READERS', 'readers are not exactly those the rules require');
      requireKeyBlob(p.keys, readers.length);
      const blobs = [p.body, ...p.attachments, p.keys].map((b) => toHex(b.hash));
      ledger.records.set(ctx.txId, {
        id: ctx.txId,
        patient,
        hospital,
        author,
        category: p.category,
        time: tx.time,
        height: ctx.height,
        readers,
        blobs,
        erased: false,
      });
      ledger.index(patient, ctx.txId);
    },
    [TxKind.ShareKeys]: (p) => {
      const r = ledger.records.get(toHex(p.record));
      const patient = actingPatient(ledger, author);
      // The record must exist and be this patient's.
      if (!r || r.patient !== patient) fail('UNKNOWN_REFERENCE', 'no such record of this patient');
      // An erased record's keys are never shared again.
      if (r.erased) fail('RECORD_ERASED', 'record was erased');
      const readers = sortedUnique(p.readers);
      const allowed = ledger.allowedReaders(r, ctx.time);
      // Keys go only to readers the patient's live consent allows, and only to new ones.
      if (!readers || readers.length === 0 || readers.some((k) => !allowed.has(k) || r.readers.includes(k)))
        fail('BAD_READERS', 'a reader is not allowed or already has the key');
      requireKeyBlob(p.keys, readers.length);
      ledger.records.set(r.id, { ...r, readers: [...r.readers, ...readers].sort(), blobs: [...r.blobs, toHex(p.keys.hash)] });
    },
    [TxKind.GrantConsent]: (p) => {
      const patient = actingPatient(ledger, author);
      const hospital = toHex(p.grantee);
      // Consent is given to an admitted hospital.
      if (!ledger.hospitals.get(hospital)?.member) fail('UNKNOWN_HOSPITAL', 'grantee is not an admitted hospital');
      // A grant covers at least one category.
      if ((p.scope & SCOPE_ALL) === 0) fail('BAD_SCOPE', 'empty scope');
      // A grant must still be live when it is confirmed.
      if (p.expiry <= ctx.time) fail('BAD_EXPIRY', 'grant already expired');
      // A patient holds a bounded number of live grants, so every record's readers fit its limit.
      if (ledger.liveGrants(patient, ctx.time).length >= MAX_LIVE_GRANTS) fail('TOO_MANY_GRANTS', `more than ${MAX_LIVE_GRANTS} live grants`);
      let regarding: string | null = null;
      if (!bytesEqual(p.regarding, ZERO_KEY)) {
        regarding = toHex(p.regarding);
        const referral = ledger.referrals.get(regarding);
        const request = ledger.requests.get(regarding);
        const asked = referral ? { patient: referral.patient, hospital: referral.to } : request;
        // A grant answers a referral to, or a request from, its grantee, about this patient.
        if (!asked || asked.patient !== patient || asked.hospital !== hospital)
          fail('UNKNOWN_REFERENCE', 'no such referral or request for this patient and hospital');
      }
      ledger.grants.set(ctx.txId, { id: ctx.txId, patient, hospital, scope: p.scope, purpose: p.purpose, expiry: p.expiry, time: tx.time, regarding, revoked: false });
      ledger.index(patient, ctx.txId);
      ledger.openGrant(patient, ctx.txId);
    },
    [TxKind.RevokeConsent]: (p) => {
      const patient = actingPatient(ledger, author);
      const g = ledger.grants.get(toHex(p.grant));
      // Only the patient's own, existing grant is revoked (so never before it is granted).
      if (!g || g.patient !== patient) fail('UNKNOWN_REFERENCE', 'no such grant of this patient');
      // A grant is revoked once.
      if (g.revoked) fail('ALREADY_DONE', 'grant already revoked');
      ledger.grants.set(g.id, { ...g, revoked: true });
      ledger.closeGrant(patient, g.id);
    },
    [TxKind.RequestAccess]: (p) => {
      const patient = requirePatient(ledger, p.patientId);
      const hospital = toHex(p.hospital);
      actingHospital(ledger, author, hospital);
      // A request asks for at least one category.
      if ((p.scope & SCOPE_ALL) === 0) fail('BAD_SCOPE', 'empty scope');
      ledger.requests.set(ctx.txId, { id: ctx.txId, patient, hospital, scope: p.scope, purpose: p.purpose, time: tx.time });
      ledger.index(patient, ctx.txId);
    },
    [TxKind.Referral]: (p) => {
      const patient = requirePatient(ledger, p.patientId);
      const from = toHex(p.fromHospital);
      const to = toHex(p.toHospital);
      actingHospital(ledger, author, from);
      // A referral goes to another admitted hospital.
      if (to === from || !ledger.hospitals.get(to)?.member) fail('UNKNOWN_HOSPITAL', 'referral to an unknown or the same hospital');
      // Only a hospital with the patient's live consent refers the patient.
      if (ledger.liveGrants(patient, ctx.time, from).length === 0) fail('NO_CONSENT', 'no live consent to refer');
      ledger.referrals.set(ctx.txId, { id: ctx.txId, patient, from, to, time: tx.time });
      ledger.index(patient, ctx.txId);
    },
    [TxKind.EraseRecord]: (p) => {
      const patient = actingPatient(ledger, author);
      const r = ledger.records.get(toHex(p.record));
      // Only the patient erases their own record.
      if (!r || r.patient !== patient) fail('UNKNOWN_REFERENCE', 'no such record of this patient');
      // A record is erased once.
      if (r.erased) fail('ALREADY_DONE', 'record already erased');
      ledger.records.set(r.id, { ...r, erased: true });
    },
    [TxKind.Approval]: () => {
      // Votes are cast by admitted hospitals (the validators, docs/consensus.md).
      if (!ledger.hospitals.get(author)?.member) fail('NOT_AUTHORISED', 'approver is not an admitted hospital');
    },
    [TxKind.Evidence]: (p) => {
      // Evidence is two well-formed votes that equivocate: one validator, one height, round and phase, two choices.
      const votes = readEvidence(p.first, p.second);
      if (!votes || !equivocates(votes[0], votes[1])) fail('BAD_EVIDENCE', 'not two conflicting votes of one validator');
      const [a] = votes;
      // Both votes carry the validator's own valid signature, so no one can frame a hospital.
      if (!votes.every((v) => checkTxSignature(v.tx, ctx.verifier, ctx.network))) fail('BAD_EVIDENCE', 'a vote in the evidence is not signed by its validator');
      // Only an admitted hospital's votes count, so only its equivocation is evidence.
      if (!ledger.hospitals.get(a.validator)?.member) fail('BAD_EVIDENCE', 'the accused is not an admitted hospital');
      // One validator's equivocation at one height is recorded once (more rounds add nothing an auditor needs).
      const at = evidenceSlot(a.validator, a.height);
      if (ledger.evidence.has(at)) fail('ALREADY_DONE', 'this equivocation is already recorded');
      ledger.evidence.set(at, ctx.txId);
    },
  };
  (handlers[p.kind] as (p: Payload) => void)(p);
}

/** Applies a whole block's transactions in order; a genesis block must found the network. */
export function applyBlockTxs(ledger: Ledger, txs: readonly Tx[], txIds: readonly string[], height: number, time: number, verifier: SignatureVerifier, network: Uint8Array) {
  return ledger.change(() => {
    txs.forEach((tx, i) => {
      try {
        applyTx(ledger, tx, { height, time, txId: txIds[i]!, verifier, network });
      } catch (e) {
        if (e instanceof RuleError) throw new RuleError(e.code, `transaction ${i}: ${e.message}`);
        throw e;
      }
    });
    // A network's genesis block founds it with at least one hospital.
    if (height === 0 && ledger.members === 0) fail('BAD_GENESIS', 'genesis founds no hospital');
    // Its founders state one quorum rule (quorum-rule.ts): every node of the network counts approvals alike.
    if (height === 0 && new Set(foundingRules(txs)).size > 1) fail('BAD_GENESIS', 'founders state different quorum rules');
  });
}
