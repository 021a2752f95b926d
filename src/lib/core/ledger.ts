/**
 * The ledger: who is who and who may read what, as of the active chain's tip
 * (SPEC §2 to §4). It is chain state, rebuilt by applying every block's
 * transactions in order and undone block by block on a reorganisation
 * ({@link Journal}). Every node holds the same ledger for the same chain, so
 * every node enforces the same consent rules.
 *
 * Keys are hex strings: hospitals by their authority's Ed25519 key, staff by
 * their Ed25519 key, patients by their patient id, records and grants by the
 * id of the transaction that made them, readers by their X25519 key.
 */
import { Journal, JournaledLists, JournaledMap } from './journal';
import type { AccessMode, Category, Day, EmergencyReason, Purpose, QuorumRule, ReviewOutcome, StaffRole } from './payload-fields';
import type { LedgerTable } from './snapshot';

/** The ledger's tables in snapshot order (names as the fields). */
export const LEDGER_TABLES = [
  'hospitals',
  'staff',
  'patients',
  'keys',
  'records',
  'grants',
  'referrals',
  'requests',
  'answers',
  'emergencySettings',
  'emergencies',
  'delegations',
  'guardianships',
  'recoverySettings',
  'recoveryAsks',
  'byPatient',
  'openGrants',
  'counter',
  'evidence',
] as const;

export interface HospitalState {
  readonly id: string;
  readonly name: string;
  /** Current X25519 data key: what records for this hospital are wrapped to. */
  readonly dataKey: string;
  /** How many times the data key was rotated (staff removals). */
  readonly dataEpoch: number;
  /** Admitted (a founder, or approved by more than half of the hospitals). */
  readonly member: boolean;
  /** Hospitals that approved the application (for applicants). */
  readonly approvals: readonly string[];
  /** Active staff, by signing key. */
  readonly staff: readonly string[];
}

export interface StaffState {
  readonly id: string;
  readonly hospital: string;
  readonly boxKey: string;
  readonly role: StaffRole;
  readonly name: string;
  readonly active: boolean;
}

export interface PatientState {
  readonly id: string;
  /** The signing key that may act for the patient now (rotated on passphrase change). */
  readonly signKey: string;
  readonly boxKey: string;
  /** When these keys took over (registration, or the latest passphrase change): the date a recovery holder is told their share went out of reach. */
  readonly keysSince: number;
}

export interface RecordState {
  readonly id: string;
  readonly patient: string;
  /** Authoring hospital, or null when the patient wrote it. */
  readonly hospital: string | null;
  readonly author: string;
  readonly category: Category;
  /** The record's clinical date (public, so consent's date ranges can be enforced). */
  readonly day: Day;
  readonly time: number;
  readonly height: number;
  /** Every X25519 key the data key was ever wrapped to (cannot be un-read). */
  readonly readers: readonly string[];
  /** Hashes of the blobs (body, attachments, key blobs) that erasure deletes. */
  readonly blobs: readonly string[];
  readonly erased: boolean;
}

/**
 * A grant: the consent artefact (SPEC §4, as ABDM's): what the hospital may
 * read (categories and the dates of records), why, until when, by when its
 * copies must be erased, and whether it may download.
 */
export interface GrantState {
  readonly id: string;
  readonly patient: string;
  readonly hospital: string;
  readonly scope: number;
  readonly purpose: Purpose;
  /** First and last clinical day of the records it covers (`to` may be OPEN_END). */
  readonly from: Day;
  readonly to: Day;
  readonly expiry: number;
  /** When the hospital's app must have wiped what it read under this grant (at or after the expiry). */
  readonly eraseBy: number;
  readonly mode: AccessMode;
  readonly time: number;
  /** The referral or request it answers, if any. */
  readonly regarding: string | null;
  readonly revoked: boolean;
  /** The revocation's time, when revoked. */
  readonly revokedAt: number | null;
}

export interface ReferralState {
  readonly id: string;
  readonly patient: string;
  readonly from: string;
  readonly to: string;
  readonly time: number;
}

/** A hospital's request for consent: what it asks (the grant it would like) and until when it waits for an answer. */
export interface RequestState {
  readonly id: string;
  readonly patient: string;
  readonly hospital: string;
  readonly scope: number;
  readonly purpose: Purpose;
  readonly from: Day;
  readonly to: Day;
  /** The expiry asked for the grant. */
  readonly expiry: number;
  readonly mode: AccessMode;
  /** Unanswered by then, the request has expired. */
  readonly answerBy: number;
  readonly time: number;
}

/** How a request or referral was answered: the grant or refusal transaction and its time. */
export interface AnswerState {
  readonly kind: 'grant' | 'refusal';
  readonly id: string;
  readonly time: number;
}

/**
 * A patient's choice about emergency access (SPEC §4): off, or on for the
 * records of `scope`, whose keys are also wrapped to the emergency key; its
 * secret is split among `holders` (the admitted hospitals when it was set),
 * `threshold` of whom (the quorum) must release their shares.
 */
export interface EmergencySetting {
  /** The SetEmergencyAccess transaction. */
  readonly id: string;
  readonly patient: string;
  readonly allowed: boolean;
  readonly scope: number;
  /** The emergency X25519 public key (hex); empty when off. */
  readonly key: string;
  readonly threshold: number;
  /** Hospital ids, ascending; the share at the same index is sealed to each one's data key. */
  readonly holders: readonly string[];
  /** Each holder's sealed share (hex), in the order of {@link holders}. */
  readonly shares: readonly string[];
  /** A patient to be told of any emergency access, if named. */
  readonly nominee: string | null;
  readonly time: number;
}

/** One emergency access (break-glass): who opened what, why, the shares released to the clinician, and the authority's review. */
export interface EmergencyState {
  readonly id: string;
  readonly patient: string;
  readonly hospital: string;
  /** The clinician's signing key and the box key the shares are released to. */
  readonly clinician: string;
  readonly clinicianBox: string;
  /** The setting in force when it was opened (its key, holders and threshold apply). */
  readonly setting: string;
  readonly reason: EmergencyReason;
  readonly time: number;
  readonly height: number;
  /** Shares released so far: the holder and its share sealed to the clinician (hex). */
  readonly releases: readonly { readonly hospital: string; readonly sealed: string; readonly time: number }[];
  readonly review: { readonly id: string; readonly outcome: ReviewOutcome; readonly time: number } | null;
}

/** A patient's delegation to a caregiver (another patient): what they may read, until when. */
export interface DelegationState {
  readonly id: string;
  readonly patient: string;
  readonly caregiver: string;
  readonly scope: number;
  readonly from: Day;
  readonly to: Day;
  readonly expiry: number;
  readonly time: number;
  readonly revoked: boolean;
  readonly revokedAt: number | null;
}

/** A hospital's attestation that a registered adult is the guardian of a minor's profile, until the minor's 18th birthday (SPEC §2 "Family"). */
export interface GuardianshipState {
  /** The AttestGuardian transaction. */
  readonly id: string;
  readonly minor: string;
  readonly guardian: string;
  readonly hospital: string;
  /** The staff member or authority who attested it (signing key). */
  readonly attestedBy: string;
  /** The first day the minor is an adult: from then on the profile acts only to change its passphrase (the handover). */
  readonly until: Day;
  readonly time: number;
  /** The passphrase change on or after {@link until} that gave the patient control; null before it. */
  readonly handedOver: { readonly id: string; readonly time: number } | null;
}

/**
 * Who holds a share of a patient's recovery secret: another registered
 * patient, or an admitted hospital (by authority key); and `key`, the X25519
 * key (hex) the share was sealed to as the ledger knew it at setup — the
 * holder patient's box key, or the hospital's data key — so a later
 * passphrase change that puts the share out of the holder's reach can be
 * told (core/recovery.ts holderStanding).
 */
export type RecoveryHolder = { readonly role: 'patient' | 'hospital'; readonly id: string; readonly key: string };

/** A patient's recovery through people: the current master seed split into shares, each sealed to one holder (and some printed). */
export interface RecoverySetting {
  /** The SetRecovery transaction. */
  readonly id: string;
  readonly patient: string;
  /** Shares needed to recover (at least two, so no single holder can). */
  readonly threshold: number;
  /** Shares on paper, kept by the patient (not on the chain). */
  readonly paper: number;
  readonly holders: readonly RecoveryHolder[];
  /** Each holder's sealed share (hex), in the order of {@link holders}. */
  readonly shares: readonly string[];
  /** The patient's signing key when it was set: a passphrase change makes a new seed, so the shares no longer recover the patient. */
  readonly signKey: string;
  readonly time: number;
}

/** A request to recover a patient's keys, from the new keys that will take over, and the shares holders released to it. */
export interface RecoveryAskState {
  /** The AskRecovery transaction. */
  readonly id: string;
  readonly patient: string;
  /** The new signing key that asked (it takes over with the rotation that ends the recovery). */
  readonly asker: string;
  /** The X25519 key holders seal their shares to. */
  readonly box: string;
  /** The recovery setting the ask was made under. */
  readonly setting: string;
  readonly answerBy: number;
  readonly time: number;
  readonly releases: readonly { readonly holder: string; readonly sealed: string; readonly time: number }[];
}

/** What a signing key is, so one key never holds two roles. */
export type KeyRole = { readonly role: 'hospital' } | { readonly role: 'staff' } | { readonly role: 'patient'; readonly patient: string };

export class Ledger {
  readonly hospitals = new JournaledMap<HospitalState>();
  readonly staff = new JournaledMap<StaffState>();
  readonly patients = new JournaledMap<PatientState>();
  readonly keys = new JournaledMap<KeyRole>();
  readonly records = new JournaledMap<RecordState>();
  readonly grants = new JournaledMap<GrantState>();
  readonly referrals = new JournaledMap<ReferralState>();
  readonly requests = new JournaledMap<RequestState>();
  /** Request or referral id → its answer (a request is answered once). */
  readonly answers = new JournaledMap<AnswerState>();
  /** Patient id → their emergency-access setting (absent: never set, so off). */
  readonly emergencySettings = new JournaledMap<EmergencySetting>();
  /** EmergencyAccess transaction id → the access. */
  readonly emergencies = new JournaledMap<EmergencyState>();
  /** DelegateAccess transaction id → the delegation (also among the patient's open grants until revoked). */
  readonly delegations = new JournaledMap<DelegationState>();
  /** Minor's patient id → the attested guardianship (one per minor, kept after the handover). */
  readonly guardianships = new JournaledMap<GuardianshipState>();
  /** Patient id → their recovery through people (absent: never set up). */
  readonly recoverySettings = new JournaledMap<RecoverySetting>();
  /** AskRecovery transaction id → the ask and its released shares. */
  readonly recoveryAsks = new JournaledMap<RecoveryAskState>();
  /** Patient id → ids of their grants, records, referrals and requests (oldest first). */
  readonly byPatient = new JournaledLists();
  /** Patient id → their grants not revoked (a far shorter list than all they did). */
  private readonly openGrants = new JournaledMap<readonly string[]>();
  private readonly counter = new JournaledMap<number>();
  /** "validator/height" → id of the Evidence transaction that proved an equivocation there (docs/consensus.md). */
  readonly evidence = new JournaledMap<string>();

  private get maps() {
    return [
      this.hospitals,
      this.staff,
      this.patients,
      this.keys,
      this.records,
      this.grants,
      this.referrals,
      this.requests,
      this.answers,
      this.emergencySettings,
      this.emergencies,
      this.delegations,
      this.guardianships,
      this.recoverySettings,
      this.recoveryAsks,
      this.byPatient,
      this.openGrants,
      this.counter,
      this.evidence,
    ];
  }

  /** Every table by name, in a fixed order (what a snapshot holds, snapshot.ts). */
  private get named(): readonly (readonly [string, JournaledMap<unknown> | JournaledLists])[] {
    const m = this.maps;
    return LEDGER_TABLES.map((name, i) => [name, m[i] as JournaledMap<unknown> | JournaledLists] as const);
  }

  /** The ledger's tables, entries sorted by key (issue 7: a chain-state snapshot at the final block). */
  tables(): LedgerTable[] {
    return this.named.map(([name, map]) => ({
      name,
      entries: [...map.entries()].map(([k, v]) => [k, Array.isArray(v) ? [...v] : v] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
    }));
  }

  /**
   * Fills this empty ledger from a snapshot's tables. False (and the ledger
   * must be dropped) when the tables are not exactly this ledger's, or a
   * patient's index is not a list of ids.
   */
  load(tables: readonly LedgerTable[]): boolean {
    const named = this.named;
    if (tables.length !== named.length || tables.some((t, i) => t.name !== named[i]![0])) return false;
    for (let i = 0; i < named.length; i++) {
      const map = named[i]![1];
      if (map.size !== 0) return false;
      for (const [k, v] of tables[i]!.entries) {
        if (map.has(k)) return false;
        if (map instanceof JournaledLists) {
          if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return false;
          map.seed(k, v as string[]);
        } else map.seed(k, v);
      }
    }
    return true;
  }

  /** Runs `fn` with every change recorded in a new journal; on a throw, undoes and rethrows. */
  change(fn: () => void): Journal {
    const j = new Journal();
    for (const m of this.maps) m.attach(j);
    try {
      fn();
    } catch (e) {
      j.undo();
      throw e;
    } finally {
      for (const m of this.maps) m.attach(null);
    }
    j.seal();
    return j;
  }

  /** Undoes a block's journal (disconnect). */
  undo(j: Journal): void {
    j.undo();
  }

  /** Ids of the admitted hospitals, sorted (the validators, SPEC §5). */
  memberIds(): string[] {
    const out: string[] = [];
    for (const h of this.hospitals.values()) if (h.member) out.push(h.id);
    return out.sort();
  }

  /** Number of admitted hospitals. */
  get members(): number {
    return this.counter.get('members') ?? 0;
  }

  /** The quorum rule the genesis recorded (two thirds when it recorded none). */
  get quorumRule(): QuorumRule {
    return (this.counter.get('quorum') ?? 0) as QuorumRule;
  }

  /** @internal Records the founders' quorum rule (inside a change). */
  setQuorumRule(rule: QuorumRule): void {
    this.counter.set('quorum', rule);
  }

  /** The patient's emergency setting when it is on. */
  emergencyOn(patient: string): EmergencySetting | null {
    const s = this.emergencySettings.get(patient);
    return s?.allowed ? s : null;
  }

  /** @internal Counts a new member (inside a change). */
  addMember(): void {
    this.counter.set('members', this.members + 1);
  }

  /** @internal Appends an id to a patient's index (inside a change). */
  index(patient: string, id: string): void {
    this.byPatient.append(patient, id);
  }

  /** Whether a grant (or a delegation: the same terms) is live at `time` and covers `category` and a record dated `day` (each when given). */
  grantCovers(g: Pick<GrantState, 'revoked' | 'expiry' | 'scope' | 'from' | 'to'>, time: number, category?: Category, day?: Day): boolean {
    return (
      !g.revoked && g.expiry > time && (category === undefined || (g.scope & (1 << category)) !== 0) && (day === undefined || (day >= g.from && day <= g.to))
    );
  }

  /**
   * @internal Records a new grant among the patient's open ones (inside a
   * change). Expired grants stay in the list: block times may step back to
   * just above the median time, so only revocation closes a grant for good.
   */
  openGrant(patient: string, id: string): void {
    this.openGrants.set(patient, [...(this.openGrants.get(patient) ?? []), id]);
  }

  /** @internal Drops a revoked grant from the patient's open ones (inside a change). */
  closeGrant(patient: string, id: string): void {
    this.openGrants.set(
      patient,
      (this.openGrants.get(patient) ?? []).filter((g) => g !== id),
    );
  }

  /** A patient's grants that are live at `time` (optionally for one hospital, category and record date). */
  liveGrants(patient: string, time: number, hospital?: string, category?: Category, day?: Day): GrantState[] {
    const out: GrantState[] = [];
    for (const id of this.openGrants.get(patient) ?? []) {
      const g = this.grants.get(id);
      if (g && (hospital === undefined || g.hospital === hospital) && this.grantCovers(g, time, category, day)) out.push(g);
    }
    return out;
  }

  /** A patient's delegations to caregivers live at `time` (optionally covering a category and a record date). */
  liveDelegations(patient: string, time: number, category?: Category, day?: Day): DelegationState[] {
    const out: DelegationState[] = [];
    for (const id of this.openGrants.get(patient) ?? []) {
      const d = this.delegations.get(id);
      if (d && this.grantCovers(d, time, category, day)) out.push(d);
    }
    return out;
  }

  /**
   * The X25519 keys a new record must be wrapped to (SPEC §3): the patient,
   * the authoring hospital, every hospital with live consent whose
   * categories and date range cover the record, every caregiver with a live
   * delegation covering it, and the patient's emergency key when emergency
   * access is on for its category. Sorted ascending, unique.
   */
  requiredReaders(patient: string, hospital: string | null, category: Category, day: Day, time: number): string[] {
    const keys = new Set<string>();
    const p = this.patients.get(patient);
    if (p) keys.add(p.boxKey);
    if (hospital) {
      const h = this.hospitals.get(hospital);
      if (h) keys.add(h.dataKey);
    }
    for (const g of this.liveGrants(patient, time, undefined, category, day)) {
      const h = this.hospitals.get(g.hospital);
      if (h?.member) keys.add(h.dataKey);
    }
    // A caregiver the patient delegated to reads the records of the delegation's kinds and dates.
    for (const d of this.liveDelegations(patient, time, category, day)) {
      const c = this.patients.get(d.caregiver);
      if (c) keys.add(c.boxKey);
    }
    // Emergency access, where the patient allowed it, opens the records of its scope through the emergency key.
    const e = this.emergencyOn(patient);
    if (e && (e.scope & (1 << category)) !== 0) keys.add(e.key);
    return [...keys].sort();
  }

  /**
   * Which keys may be given an existing record's key now: the patient's
   * current key, the authoring hospital's current data key, and the data keys
   * of hospitals with live consent covering the record's category and date.
   */
  allowedReaders(record: RecordState, time: number): Set<string> {
    return new Set(this.requiredReaders(record.patient, record.hospital, record.category, record.day, time));
  }
}

/** The tables of the ledger, by name. */
type LedgerTableName =
  | 'hospitals'
  | 'staff'
  | 'patients'
  | 'keys'
  | 'records'
  | 'grants'
  | 'referrals'
  | 'requests'
  | 'answers'
  | 'emergencySettings'
  | 'emergencies'
  | 'delegations'
  | 'guardianships'
  | 'recoverySettings'
  | 'recoveryAsks'
  | 'evidence';

/** A ledger table a reader may only read. */
export type ReadonlyTable<V> = Pick<JournaledMap<V>, 'get' | 'has' | 'size' | 'values' | 'entries'>;

/**
 * The ledger as screens, reports and tools read it (issue 14): every table
 * read-only and none of the methods that change it, so a screen handed the
 * node's live ledger cannot change it by mistake (the type checker says so).
 */
export type LedgerView = Omit<
  Ledger,
  LedgerTableName | 'byPatient' | 'change' | 'undo' | 'load' | 'addMember' | 'setQuorumRule' | 'index' | 'openGrant' | 'closeGrant'
> & {
  readonly [K in LedgerTableName]: Ledger[K] extends JournaledMap<infer V> ? ReadonlyTable<V> : never;
} & { readonly byPatient: Pick<JournaledLists, 'get' | 'has' | 'entries'> };
