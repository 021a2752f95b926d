/**
 * A small test world for the consent ledger (SPEC §2 to §4): actors with real
 * keys, a {@link Ledger} driven block by block through `applyBlockTxs`, a
 * clock, an in-memory content-addressed blob store beside the chain, and
 * builders for every transaction kind that really encrypt and wrap keys.
 *
 * {@link World.canDecrypt} is the "who can decrypt" oracle: a party tries
 * every key blob the chain names for a record, with every secret it holds,
 * and succeeds only when the record's body opens to its plaintext. Blobs and
 * staff key wraps become visible only when the block carrying them is
 * accepted, so a rejected transaction can never leak a key into the oracle.
 *
 * Everything is deterministic: keys, data keys, nonces and ephemeral secrets
 * come from a seeded {@link Prng}; times come from the world's clock.
 */
import { x25519 } from '@noble/curves/ed25519.js';
import { bytesEqual, concatBytes, hexToBytes, toHex, utf8 } from '../../../src/lib/core/bytes';
import { WRAPPED_KEY_BYTES, openRecord, sealRecord, unwrapKey, wrapKey } from '../../../src/lib/core/envelope';
import { RuleError, type RuleCode } from '../../../src/lib/core/errors';
import { sha256 } from '../../../src/lib/core/hash';
import { patientIdOf } from '../../../src/lib/core/ids';
import type { Journal } from '../../../src/lib/core/journal';
import { Ledger } from '../../../src/lib/core/ledger';
import { applyBlockTxs, applyTx, rotationMessage, staffMessage } from '../../../src/lib/core/ledger-rules';
import {
  AccessMode,
  type BlobRef,
  type Category,
  type Day,
  EMERGENCY_SCOPE,
  EmergencyReason,
  OPEN_END,
  ReviewOutcome,
  type Payload,
  Purpose,
  StaffRole,
  dayOf,
  encodePayload,
  QuorumRule,
} from '../../../src/lib/core/payloads';
import { Prng } from '../../../src/lib/core/prng';
import { quorumFunction } from '../../../src/lib/core/quorum-rule';
import { nobleVerifier, publicKeyOf, sign } from '../../../src/lib/core/signature';
import { signTx } from '../../../src/lib/core/sign-tx';
import { type Tx, TxKind, signingNetwork, txId } from '../../../src/lib/core/tx';

/** Start of every world's clock (2026-01-01T00:00:00Z). */
export const T0 = 1_767_225_600;
/** Seconds between consecutive blocks of a world. */
export const STEP = 600;
export const DAY = 86_400;
const ZERO32 = new Uint8Array(32);

/** An Ed25519 signing pair. */
export interface SignKey {
  readonly secret: Uint8Array;
  readonly pub: Uint8Array;
  readonly hex: string;
}

/** An X25519 key-agreement pair. */
export interface BoxKey {
  readonly secret: Uint8Array;
  readonly pub: Uint8Array;
  readonly hex: string;
}

/** A hospital: its authority's signing key and every data key pair it ever generated. */
export class Hospital {
  readonly kind = 'hospital' as const;
  constructor(
    readonly name: string,
    readonly sign: SignKey,
    /** Data key pairs, oldest first (a new one per staff removal). */
    readonly dataKeys: BoxKey[],
  ) {}
  get id(): string {
    return this.sign.hex;
  }
  get idBytes(): Uint8Array {
    return this.sign.pub;
  }
}

/** A staff member of a hospital: signing and box keys. */
export class Staff {
  readonly kind = 'staff' as const;
  constructor(
    readonly name: string,
    readonly sign: SignKey,
    readonly box: BoxKey,
    readonly hospital: Hospital,
  ) {}
  get id(): string {
    return this.sign.hex;
  }
}

/** A patient: current keys, and the keys of earlier passphrases. */
export class Patient {
  readonly kind = 'patient' as const;
  readonly oldSigns: SignKey[] = [];
  readonly oldBoxes: BoxKey[] = [];
  /** The public patient id: a hash of the first signing key. */
  readonly idBytes: Uint8Array;
  constructor(
    readonly name: string,
    public sign: SignKey,
    public box: BoxKey,
  ) {
    this.idBytes = patientIdOf(sign.pub);
  }
  get id(): string {
    return toHex(this.idBytes);
  }
}

export type Party = Hospital | Staff | Patient;
/** Who acts for a hospital: its authority or one of its staff. */
export type HospitalActor = Hospital | Staff;

/** A built transaction, with what happens beside the chain once its block is accepted. */
export interface Built {
  readonly tx: Tx;
  /** Transaction id (hex): the id of the record, grant, referral or request it makes. */
  readonly id: string;
  readonly idBytes: Uint8Array;
  /** Side effects run in order after the block is accepted (blobs stored, keys delivered). */
  readonly onAccepted: readonly (() => void)[];
}

interface Common {
  /** Sign with this key instead of the natural author's. */
  readonly as?: SignKey;
  /** Creation time of the transaction (default: the clock). */
  readonly time?: number;
}

/** The associated data a record body is sealed with: derivable from the chain's record entry. */
export function recordHeader(patientId: Uint8Array, hospital: Uint8Array, category: Category): Uint8Array {
  return concatBytes(utf8('medchain-test/record-header'), patientId, hospital, new Uint8Array([category]));
}

const blobRef = (blob: Uint8Array): BlobRef => ({ hash: sha256(blob), size: blob.length });

function hospitalOf(actor: HospitalActor): Hospital {
  return actor.kind === 'hospital' ? actor : actor.hospital;
}

export class World {
  readonly ledger = new Ledger();
  /** Height of the next block (0: the genesis is next). */
  height = 0;
  /** The world's network (standing in for a genesis hash: the ledger rules never see the genesis block's hash). */
  readonly network: Uint8Array = sha256(utf8('ledger-world network'));
  /** The clock: the time of the last accepted block, moved on by {@link advance}. */
  time = T0;
  /** The content-addressed blob store beside the chain: hex SHA-256 → bytes. */
  readonly blobs = new Map<string, Uint8Array>();
  /** Data-key wraps delivered to staff by accepted CertifyStaff and RemoveStaff transactions. */
  readonly staffWraps: { readonly hospital: string; readonly staff: string; readonly wrap: Uint8Array }[] = [];
  /** What each accepted record's body says (the oracle compares against it). */
  readonly plaintexts = new Map<string, Uint8Array>();
  /** Journals of accepted blocks, oldest first. */
  readonly journals: Journal[] = [];
  private readonly staffByKey = new Map<string, Staff>();
  private readonly prng: Prng;
  private nonce = 0;

  constructor(seed = 'world') {
    this.prng = new Prng(`ledger-world/${seed}`);
  }

  // ---- keys and actors ----

  signKey(): SignKey {
    const secret = this.prng.bytes(32);
    const pub = publicKeyOf(secret);
    return { secret, pub, hex: toHex(pub) };
  }

  boxKey(): BoxKey {
    const secret = this.prng.bytes(32);
    const pub = x25519.getPublicKey(secret);
    return { secret, pub, hex: toHex(pub) };
  }

  /** Fresh random bytes from the world's generator (data keys, nonces, ephemeral secrets, junk). */
  random(n: number): Uint8Array {
    return this.prng.bytes(n);
  }

  hospital(name: string): Hospital {
    return new Hospital(name, this.signKey(), [this.boxKey()]);
  }

  staffOf(hospital: Hospital, name: string): Staff {
    const s = new Staff(name, this.signKey(), this.boxKey(), hospital);
    this.staffByKey.set(s.id, s);
    return s;
  }

  /** A staff member made by {@link staffOf}, by signing key (hex). */
  staffNamed(id: string): Staff {
    const s = this.staffByKey.get(id);
    if (!s) throw new Error(`no staff ${id.slice(0, 8)}`);
    return s;
  }

  patient(name: string): Patient {
    return new Patient(name, this.signKey(), this.boxKey());
  }

  /** What the next block's signatures bind (tx.ts signingNetwork): nothing yet in the genesis block, the network after it. */
  get signingNetwork(): Uint8Array {
    return signingNetwork(this.network, this.height);
  }

  /** Time of the next block. */
  get nextTime(): number {
    return this.time + STEP;
  }

  /** Moves the clock on (the next block is `seconds` + {@link STEP} later than the last). */
  advance(seconds: number): void {
    this.time += seconds;
  }

  // ---- blocks ----

  /**
   * Applies a block of `items` at the next height and time. Returns its journal,
   * or the code of the rule it breaks (the ledger, clock and blob store then unchanged).
   */
  block(...items: (Built | Tx)[]): Journal | RuleCode {
    const txs = items.map((i) => ('tx' in i ? i.tx : i));
    const ids = txs.map((t) => toHex(txId(t)));
    const time = this.nextTime;
    let journal: Journal;
    try {
      journal = applyBlockTxs(this.ledger, txs, ids, this.height, time, nobleVerifier, this.signingNetwork);
    } catch (e) {
      if (e instanceof RuleError) return e.code;
      throw e;
    }
    this.height++;
    this.time = time;
    this.journals.push(journal);
    for (const i of items) if ('onAccepted' in i) for (const f of i.onAccepted) f();
    return journal;
  }

  /** A block that must be accepted. */
  ok(...items: (Built | Tx)[]): Journal {
    const r = this.block(...items);
    if (typeof r === 'string') throw new Error(`block ${this.height} rejected: ${r}`);
    return r;
  }

  /** The code of the rule a block breaks, or 'OK' when it is accepted. */
  code(...items: (Built | Tx)[]): RuleCode | 'OK' {
    const r = this.block(...items);
    return typeof r === 'string' ? r : 'OK';
  }

  /**
   * Builds `makers` in order, each against the ledger as the earlier ones left
   * it (applied on trial, then undone), so one block can carry dependent
   * transactions. A maker whose transaction would break a rule, or which
   * cannot be built, is left out. Side effects still wait for {@link block}.
   */
  buildInOrder(makers: readonly (() => Built)[]): Built[] {
    const out: Built[] = [];
    const trial: Journal[] = [];
    try {
      for (const make of makers) {
        let b: Built;
        try {
          b = make();
          const ctx = { height: this.height, time: this.nextTime, txId: b.id, verifier: nobleVerifier, network: this.signingNetwork };
          trial.push(this.ledger.change(() => applyTx(this.ledger, b.tx, ctx)));
        } catch (e) {
          if (e instanceof RuleError || e instanceof CannotBuild) continue;
          throw e;
        }
        out.push(b);
      }
    } finally {
      for (let i = trial.length - 1; i >= 0; i--) this.ledger.undo(trial[i]!);
    }
    return out;
  }

  // ---- transactions ----

  /** A signed transaction with raw payload bytes (for payloads that do not decode). */
  raw(kind: TxKind, payload: Uint8Array, author: SignKey, onAccepted: (() => void)[] = [], time = this.time): Built {
    const tx = signTx(this.signingNetwork, { kind, nonce: ++this.nonce, time, payload }, author.secret, author.pub);
    const idBytes = txId(tx);
    return { tx, id: toHex(idBytes), idBytes, onAccepted };
  }

  private make(payload: Payload, author: SignKey, opts: Common, onAccepted: (() => void)[] = []): Built {
    return this.raw(payload.kind, encodePayload(payload), opts.as ?? author, onAccepted, opts.time ?? this.time);
  }

  found(h: Hospital, opts: Common & { networkName?: string; quorum?: QuorumRule } = {}): Built {
    const dataKey = h.dataKeys[h.dataKeys.length - 1]!.pub;
    return this.make(
      {
        kind: TxKind.FoundNetwork,
        networkName: opts.networkName ?? 'medchain-test',
        hospitalName: h.name,
        dataKey,
        quorum: opts.quorum ?? QuorumRule.TwoThirds,
      },
      h.sign,
      opts,
    );
  }

  apply(h: Hospital, opts: Common = {}): Built {
    const dataKey = h.dataKeys[h.dataKeys.length - 1]!.pub;
    return this.make({ kind: TxKind.ApplyHospital, hospitalName: h.name, dataKey }, h.sign, opts);
  }

  approve(voter: Hospital, applicant: Hospital | Uint8Array, opts: Common = {}): Built {
    const application = applicant instanceof Uint8Array ? applicant : applicant.idBytes;
    return this.make({ kind: TxKind.ApproveHospital, application }, voter.sign, opts);
  }

  /** The hospital's data key pair in force on the ledger (its newest when not yet on the ledger). */
  currentDataKey(h: Hospital): BoxKey {
    const onChain = this.ledger.hospitals.get(h.id)?.dataKey;
    return h.dataKeys.find((k) => k.hex === onChain) ?? h.dataKeys[h.dataKeys.length - 1]!;
  }

  /** Certifies `s` at `h`: the hospital's current data secret wrapped to the staff box key (context: hospital id). */
  certifyStaff(h: Hospital, s: Staff, opts: Common & { role?: StaffRole; proofNetwork?: Uint8Array } = {}): Built {
    const wrap = wrapKey(this.currentDataKey(h).secret, s.box.pub, this.random(32), h.idBytes);
    const staffProof = sign(staffMessage(opts.proofNetwork ?? this.signingNetwork, h.idBytes, s.sign.pub, s.box.pub), s.sign.secret);
    const payload: Payload = {
      kind: TxKind.CertifyStaff,
      staffSign: s.sign.pub,
      staffBox: s.box.pub,
      role: opts.role ?? StaffRole.Clinician,
      name: s.name,
      dataKeyWrap: wrap,
      staffProof,
    };
    return this.make(payload, h.sign, opts, [() => this.staffWraps.push({ hospital: h.id, staff: s.id, wrap })]);
  }

  /**
   * Removes `s` from `h`: a new data key pair, its secret wrapped to the
   * remaining staff (or to `wrapTo`, in that order when `unsorted`).
   */
  removeStaff(h: Hospital, s: Staff, opts: Common & { wrapTo?: readonly Staff[]; unsorted?: boolean; newKey?: BoxKey } = {}): Built {
    const newKey = opts.newKey ?? this.boxKey();
    if (!h.dataKeys.includes(newKey)) h.dataKeys.push(newKey);
    const remaining = (this.ledger.hospitals.get(h.id)?.staff ?? []).filter((k) => k !== s.id).map((k) => this.staffNamed(k));
    const targets = [...(opts.wrapTo ?? remaining)];
    if (!opts.unsorted) targets.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const wraps = targets.map((t) => ({ staffSign: t.sign.pub, wrap: wrapKey(newKey.secret, t.box.pub, this.random(32), h.idBytes) }));
    return this.make({ kind: TxKind.RemoveStaff, staffSign: s.sign.pub, newDataKey: newKey.pub, wraps }, h.sign, opts, [
      () => {
        for (const w of wraps) this.staffWraps.push({ hospital: h.id, staff: toHex(w.staffSign), wrap: w.wrap });
      },
    ]);
  }

  registerPatient(p: Patient, opts: Common = {}): Built {
    return this.make({ kind: TxKind.RegisterPatient, boxKey: p.box.pub }, p.sign, opts);
  }

  /**
   * A passphrase change: new signing and box keys, with a proof signed by the
   * new signing key (or by `proofBy`). Once accepted, the patient uses the new keys.
   */
  rotateKeys(
    p: Patient,
    opts: Common & { proofBy?: SignKey; newSign?: SignKey; newBox?: BoxKey; patientId?: Uint8Array; proofBox?: Uint8Array; proofNetwork?: Uint8Array } = {},
  ): Built {
    const newSign = opts.newSign ?? this.signKey();
    const newBox = opts.newBox ?? this.boxKey();
    const patientId = opts.patientId ?? p.idBytes;
    const proof = sign(
      rotationMessage(opts.proofNetwork ?? this.signingNetwork, patientId, newSign.pub, opts.proofBox ?? newBox.pub),
      (opts.proofBy ?? newSign).secret,
    );
    return this.make({ kind: TxKind.RotatePatientKeys, patientId, newSign: newSign.pub, newBox: newBox.pub, proof }, p.sign, opts, [
      () => {
        p.oldSigns.push(p.sign);
        p.oldBoxes.push(p.box);
        p.sign = newSign;
        p.box = newBox;
      },
    ]);
  }

  /**
   * A record really encrypted: a random data key, the body sealed with the
   * record header as associated data, the data key wrapped to each reader
   * (context: the body's hash). Readers are the ledger's required readers at
   * the next block's time unless `readers` rewrites them (hex X25519 keys).
   */
  addRecord(
    author: Party,
    patient: Patient,
    category: Category,
    opts: Common & { hospital?: Hospital | null; readers?: (required: string[]) => string[]; text?: string; day?: Day } = {},
  ): Built {
    const hospital = opts.hospital !== undefined ? opts.hospital : author.kind === 'patient' ? null : hospitalOf(author);
    const hospitalKey = hospital ? hospital.idBytes : ZERO32;
    const day = opts.day ?? dayOf(this.nextTime);
    const required = this.ledger.requiredReaders(patient.id, hospital?.id ?? null, category, day, this.nextTime);
    const readers = opts.readers ? opts.readers([...required]) : required;
    const dataKey = this.random(32);
    const plaintext = utf8(opts.text ?? `record ${this.nonce + 1} of ${patient.name}`);
    const body = sealRecord(dataKey, this.random(24), recordHeader(patient.idBytes, hospitalKey, category), plaintext);
    const bodyRef = blobRef(body);
    const keysBlob = concatBytes(...readers.map((r) => wrapKey(dataKey, hexToBytes(r), this.random(32), bodyRef.hash)));
    const keysRef = blobRef(keysBlob);
    const payload: Payload = {
      kind: TxKind.AddRecord,
      patientId: patient.idBytes,
      hospital: hospitalKey,
      category,
      day,
      body: bodyRef,
      attachments: [],
      readers: readers.map(hexToBytes),
      keys: keysRef,
    };
    const built = this.make(payload, author.sign, opts, [
      () => {
        this.blobs.set(toHex(bodyRef.hash), body);
        this.blobs.set(toHex(keysRef.hash), keysBlob);
        this.plaintexts.set(built.id, plaintext);
      },
    ]);
    return built;
  }

  /** The X25519 keys a record's key may be shared with now that do not have it yet (sorted). */
  newReaders(recordId: string): string[] {
    const r = this.ledger.records.get(recordId);
    if (!r) return [];
    return [...this.ledger.allowedReaders(r, this.nextTime)].filter((k) => !r.readers.includes(k)).sort();
  }

  /**
   * The patient re-wraps a record's data key to new readers (default: every
   * reader the ledger allows that lacks it). The patient recovers the data key
   * with their own box secrets; `dataKey` supplies one when they cannot.
   */
  shareKeys(patient: Patient, recordId: string, opts: Common & { readers?: string[]; dataKey?: Uint8Array } = {}): Built {
    const rec = this.ledger.records.get(recordId);
    const dataKey = opts.dataKey ?? this.recoverDataKey(this.secretsOf(patient), recordId);
    if (!dataKey) throw new CannotBuild(`${patient.name} cannot unwrap record ${recordId.slice(0, 8)}`);
    const readers = opts.readers ?? this.newReaders(recordId);
    const context = rec ? hexToBytes(rec.blobs[0]!) : ZERO32;
    const keysBlob = concatBytes(...readers.map((r) => wrapKey(dataKey, hexToBytes(r), this.random(32), context)));
    const keys = blobRef(keysBlob);
    return this.make({ kind: TxKind.ShareKeys, record: hexToBytes(recordId), readers: readers.map(hexToBytes), keys }, patient.sign, opts, [
      () => this.blobs.set(toHex(keys.hash), keysBlob),
    ]);
  }

  /**
   * A grant (default: 30 days from the next block, for treatment, every
   * record, erase at expiry, download, answering nothing; answering a
   * request, by default exactly what it asked).
   */
  grant(
    patient: Patient,
    hospital: Hospital,
    scope: number,
    opts: Common & { days?: number; expiry?: number; purpose?: Purpose; regarding?: string; from?: Day; to?: Day; eraseBy?: number; mode?: AccessMode } = {},
  ): Built {
    const asked = opts.regarding ? this.ledger.requests.get(opts.regarding) : undefined;
    const expiry = opts.expiry ?? (opts.days === undefined ? asked?.expiry : undefined) ?? this.nextTime + (opts.days ?? 30) * DAY;
    const regarding = opts.regarding ? hexToBytes(opts.regarding) : ZERO32;
    const terms = {
      from: opts.from ?? asked?.from ?? 0,
      to: opts.to ?? asked?.to ?? OPEN_END,
      eraseBy: opts.eraseBy ?? expiry,
      mode: opts.mode ?? asked?.mode ?? AccessMode.Download,
    };
    const purpose = opts.purpose ?? asked?.purpose ?? Purpose.Treatment;
    return this.make({ kind: TxKind.GrantConsent, grantee: hospital.idBytes, scope, purpose, expiry, ...terms, regarding }, patient.sign, opts);
  }

  /** The patient delegates reading to a caregiver (default: every record, 30 days). */
  delegate(patient: Patient, caregiver: Patient, scope: number, opts: Common & { from?: Day; to?: Day; days?: number; expiry?: number } = {}): Built {
    const expiry = opts.expiry ?? this.nextTime + (opts.days ?? 30) * DAY;
    const payload = { kind: TxKind.DelegateAccess, caregiver: caregiver.idBytes, scope, from: opts.from ?? 0, to: opts.to ?? OPEN_END, expiry } as const;
    return this.make(payload, patient.sign, opts);
  }

  /** A hospital actor attests `guardian` as the guardian of `minor` until `until` (default: about ten years from the next block). */
  attestGuardian(actor: HospitalActor, minor: Patient, guardian: Patient, opts: Common & { hospital?: Hospital; until?: Day } = {}): Built {
    const hospital = opts.hospital ?? hospitalOf(actor);
    const until = opts.until ?? dayOf(this.nextTime) + 3650;
    return this.make({ kind: TxKind.AttestGuardian, hospital: hospital.idBytes, minor: minor.idBytes, guardian: guardian.idBytes, until }, actor.sign, opts);
  }

  /** The patient refuses a request or referral. */
  refuse(patient: Patient, regarding: string, opts: Common = {}): Built {
    return this.make({ kind: TxKind.RefuseRequest, regarding: hexToBytes(regarding) }, patient.sign, opts);
  }

  revoke(patient: Patient, grantId: string, opts: Common = {}): Built {
    return this.make({ kind: TxKind.RevokeConsent, grant: hexToBytes(grantId) }, patient.sign, opts);
  }

  /** A request (default: every record, a 30-day grant with download, answered within 7 days). */
  request(
    actor: HospitalActor,
    patient: Patient,
    scope: number,
    opts: Common & { hospital?: Hospital; purpose?: Purpose; from?: Day; to?: Day; expiry?: number; mode?: AccessMode; answerBy?: number } = {},
  ): Built {
    const hospital = opts.hospital ?? hospitalOf(actor);
    const terms = {
      from: opts.from ?? 0,
      to: opts.to ?? OPEN_END,
      expiry: opts.expiry ?? this.nextTime + 30 * DAY,
      mode: opts.mode ?? AccessMode.Download,
      answerBy: opts.answerBy ?? this.nextTime + 7 * DAY,
    };
    return this.make(
      { kind: TxKind.RequestAccess, patientId: patient.idBytes, hospital: hospital.idBytes, scope, purpose: opts.purpose ?? Purpose.Treatment, ...terms },
      actor.sign,
      opts,
    );
  }

  referral(actor: HospitalActor, to: Hospital, patient: Patient, opts: Common & { from?: Hospital; note?: Uint8Array } = {}): Built {
    const from = opts.from ?? hospitalOf(actor);
    const sealedNote = opts.note ?? this.random(48);
    return this.make({ kind: TxKind.Referral, patientId: patient.idBytes, fromHospital: from.idBytes, toHospital: to.idBytes, sealedNote }, actor.sign, opts);
  }

  /** The patient erases a record; once accepted its blobs (body and every key blob) are deleted. */
  erase(patient: Patient, recordId: string, opts: Common = {}): Built {
    return this.make({ kind: TxKind.EraseRecord, record: hexToBytes(recordId) }, patient.sign, opts, [
      () => {
        for (const b of this.ledger.records.get(recordId)?.blobs ?? []) this.blobs.delete(b);
      },
    ]);
  }

  /** The patient's emergency keys made by {@link setEmergency}, by public key (hex): the oracle's view of the combined secret. */
  readonly emergencyKeys = new Map<string, BoxKey>();

  /**
   * The patient turns emergency access on (default: the summary's kinds, a
   * new key, one stand-in sealed share per admitted hospital, the quorum as
   * threshold) or, with `off`, off. The real sealing and splitting are
   * app/emergency/key-shares.ts's, tested on their own.
   */
  setEmergency(
    patient: Patient,
    opts: Common & { off?: boolean; scope?: number; holders?: readonly string[]; threshold?: number; nominee?: Patient; emptyShare?: boolean } = {},
  ): Built {
    const nominee = opts.nominee ? opts.nominee.idBytes : ZERO32;
    if (opts.off)
      return this.make({ kind: TxKind.SetEmergencyAccess, allowed: false, scope: 0, key: ZERO32, threshold: 0, shares: [], nominee }, patient.sign, opts);
    const key = this.boxKey();
    const holders = opts.holders ?? this.ledger.memberIds();
    const threshold = opts.threshold ?? quorumFunction(this.ledger.quorumRule)(holders.length);
    const shares = holders.map((h) => ({ hospital: hexToBytes(h), sealed: opts.emptyShare ? new Uint8Array(0) : this.random(153) }));
    const payload = { kind: TxKind.SetEmergencyAccess, allowed: true, scope: opts.scope ?? EMERGENCY_SCOPE, key: key.pub, threshold, shares, nominee } as const;
    return this.make(payload, patient.sign, opts, [() => this.emergencyKeys.set(toHex(key.pub), key)]);
  }

  /** A clinician (or whoever `actor` is) breaks the glass for the patient. */
  emergencyAccess(actor: HospitalActor, patient: Patient, opts: Common & { hospital?: Hospital; reason?: EmergencyReason } = {}): Built {
    const hospital = opts.hospital ?? hospitalOf(actor);
    const payload = {
      kind: TxKind.EmergencyAccess,
      patientId: patient.idBytes,
      hospital: hospital.idBytes,
      reason: opts.reason ?? EmergencyReason.Unconscious,
    } as const;
    return this.make({ ...payload, sealedNote: this.random(40) }, actor.sign, opts);
  }

  /** A holder releases its share for an access (stand-in sealed bytes). */
  releaseShare(h: Hospital, patient: Patient, access: string, opts: Common & { sealed?: Uint8Array } = {}): Built {
    const sealed = opts.sealed ?? this.random(153);
    return this.make({ kind: TxKind.ReleaseShare, patientId: patient.idBytes, access: hexToBytes(access), sealed }, h.sign, opts);
  }

  /** The accessing hospital's authority reviews an access. */
  reviewEmergency(h: Hospital, patient: Patient, access: string, opts: Common & { outcome?: ReviewOutcome } = {}): Built {
    const payload = {
      kind: TxKind.ReviewEmergency,
      patientId: patient.idBytes,
      access: hexToBytes(access),
      outcome: opts.outcome ?? ReviewOutcome.Justified,
    } as const;
    return this.make({ ...payload, sealedNote: new Uint8Array(0) }, h.sign, opts);
  }

  /** A block approval vote (agreement protocol) by a hospital authority. */
  blockApproval(h: Hospital, block: Uint8Array = this.random(32), opts: Common = {}): Built {
    return this.make({ kind: TxKind.Approval, block, height: 1, round: 0, phase: 2 }, h.sign, opts);
  }

  // ---- the oracle ----

  /**
   * The X25519 secrets a party holds: a patient's current box secret (and old
   * ones unless `onlyCurrent`), a hospital authority's data secrets of every
   * epoch, a staff member's data secrets unwrapped from the wraps delivered to them.
   */
  secretsOf(party: Party, onlyCurrent = false): Uint8Array[] {
    switch (party.kind) {
      case 'patient':
        return onlyCurrent ? [party.box.secret] : [party.box.secret, ...party.oldBoxes.map((b) => b.secret)];
      case 'hospital':
        return party.dataKeys.map((k) => k.secret);
      case 'staff': {
        const out: Uint8Array[] = [];
        for (const w of this.staffWraps) {
          if (w.staff !== party.id) continue;
          const k = unwrapKey(w.wrap, party.box.secret, hexToBytes(w.hospital));
          if (k) out.push(k);
        }
        return out;
      }
    }
  }

  /** The blob with this hex hash, if the store has it and it matches its hash. */
  private blob(hash: string): Uint8Array | undefined {
    const b = this.blobs.get(hash);
    return b && toHex(sha256(b)) === hash ? b : undefined;
  }

  /**
   * Tries every wrapped key in every key blob the chain names for the record
   * with each secret; returns the data key that opens the body to its plaintext.
   */
  recoverDataKey(secrets: readonly Uint8Array[], recordId: string): Uint8Array | null {
    const rec = this.ledger.records.get(recordId);
    const expected = this.plaintexts.get(recordId);
    if (!rec || !expected) return null;
    const body = this.blob(rec.blobs[0]!);
    if (!body) return null;
    const header = recordHeader(hexToBytes(rec.patient), rec.hospital ? hexToBytes(rec.hospital) : ZERO32, rec.category);
    const context = hexToBytes(rec.blobs[0]!);
    for (const hash of rec.blobs.slice(1)) {
      const keys = this.blob(hash);
      if (!keys || keys.length % WRAPPED_KEY_BYTES !== 0) continue;
      for (let at = 0; at < keys.length; at += WRAPPED_KEY_BYTES) {
        const wrapped = keys.subarray(at, at + WRAPPED_KEY_BYTES);
        for (const secret of secrets) {
          const dataKey = unwrapKey(wrapped, secret, context);
          if (!dataKey) continue;
          const pt = openRecord(dataKey, header, body);
          if (pt && bytesEqual(pt, expected)) return dataKey;
        }
      }
    }
    return null;
  }

  /** Whether `party` can decrypt the record's body with what it holds (see {@link secretsOf}). */
  canDecrypt(party: Party, recordId: string, opts: { onlyCurrent?: boolean } = {}): boolean {
    return this.recoverDataKey(this.secretsOf(party, opts.onlyCurrent), recordId) !== null;
  }

  /** Which of `parties` can decrypt the record, by name. */
  readersOf(recordId: string, parties: readonly Party[]): string[] {
    return parties.filter((p) => this.canDecrypt(p, recordId)).map((p) => p.name);
  }
}

/** A builder could not build its transaction (e.g. the patient cannot recover a data key). */
export class CannotBuild extends Error {
  override readonly name = 'CannotBuild';
}

/** A canonical dump of every ledger map (sorted by key) and the member count. */
export function dumpLedger(l: Ledger): string {
  const maps = {
    hospitals: l.hospitals,
    staff: l.staff,
    patients: l.patients,
    keys: l.keys,
    records: l.records,
    grants: l.grants,
    referrals: l.referrals,
    requests: l.requests,
    byPatient: l.byPatient,
  };
  const out: Record<string, unknown> = { members: l.members };
  for (const [name, m] of Object.entries(maps)) {
    out[name] = [...(m.entries() as IterableIterator<[string, unknown]>)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
  return JSON.stringify(out);
}

/** Scope bits of the given categories. */
export function scopeOf(...categories: Category[]): number {
  return categories.reduce<number>((s, c) => s | (1 << c), 0);
}
