/**
 * The threshold part of emergency access (SPEC §4, issue 15;
 * docs/emergency-access.md): the patient's app makes an emergency X25519 key,
 * splits its secret among the admitted hospitals with Shamir's scheme (the
 * audited `shamir-secret-sharing`, GF(2^8)) at the network's quorum, and
 * seals each share to a hospital's data key; a holder's node re-seals its
 * share to the clinician of a final emergency access; the clinician combines
 * a quorum of released shares and checks the result against the public key
 * on the chain (the library does not check what it combines).
 */
import { x25519 } from '@noble/curves/ed25519.js';
import { combine, split } from 'shamir-secret-sharing';
import { bytesEqual, hexToBytes } from '../../core/bytes';
import { releaseContext, shareContext } from '../../core/emergency-contexts';
import type { EmergencySetting, EmergencyState, LedgerView } from '../../core/ledger';
import type { PayloadOf } from '../../core/payloads';
import { quorumFunction } from '../../core/quorum-rule';
import { type RecordReader, secretReader } from '../../core/record-crypto';
import { openSealed, sealTo } from '../../core/sealed-box';
import { TxKind } from '../../core/tx';
import { openSealedAs } from './sealed-reader';

type Random = (n: number) => Uint8Array;

/** Why emergency access cannot be turned on now. */
export type SharesProblem = 'TOO_FEW_HOSPITALS';

/**
 * A SetEmergencyAccess turning emergency access on for `scope`: a new key,
 * its secret split among every admitted hospital with the quorum as
 * threshold, each share sealed to that hospital's current data key. The
 * secret is wiped before this returns: nobody, the patient included, keeps it.
 */
export async function emergencyOn(
  ledger: LedgerView,
  patientId: Uint8Array,
  scope: number,
  nominee: Uint8Array | null,
  random: Random,
): Promise<PayloadOf<typeof TxKind.SetEmergencyAccess> | SharesProblem> {
  const holders = ledger.memberIds();
  const threshold = quorumFunction(ledger.quorumRule)(holders.length);
  if (holders.length < 2 || threshold < 2) return 'TOO_FEW_HOSPITALS';
  const secret = random(32);
  const key = x25519.getPublicKey(secret);
  const parts = await split(secret, holders.length, threshold);
  secret.fill(0);
  const shares = holders.map((h, i) => {
    const hospital = hexToBytes(h);
    const dataKey = hexToBytes(ledger.hospitals.get(h)!.dataKey);
    const sealed = sealTo(dataKey, parts[i]!, shareContext(patientId, key, hospital), random);
    parts[i]!.fill(0);
    return { hospital, sealed };
  });
  return { kind: TxKind.SetEmergencyAccess, allowed: true, scope, key, threshold, shares, nominee: nominee ?? new Uint8Array(32) };
}

/** A SetEmergencyAccess turning emergency access off (keeping a nominee, if any). */
export function emergencyOff(nominee: Uint8Array | null): PayloadOf<typeof TxKind.SetEmergencyAccess> {
  return {
    kind: TxKind.SetEmergencyAccess,
    allowed: false,
    scope: 0,
    key: new Uint8Array(32),
    threshold: 0,
    shares: [],
    nominee: nominee ?? new Uint8Array(32),
  };
}

/**
 * A holder's release for `access`: its own share, opened with one of the
 * hospital's data-key secrets (current or earlier epochs), sealed to the
 * clinician's box key. Null when this hospital holds no share of the access's
 * key or cannot open it.
 */
export function releaseFor(
  access: EmergencyState,
  setting: EmergencySetting,
  hospital: string,
  dataSecrets: readonly Uint8Array[],
  random: Random,
): PayloadOf<typeof TxKind.ReleaseShare> | null {
  const i = setting.holders.indexOf(hospital);
  if (i < 0 || setting.id !== access.setting) return null;
  const context = shareContext(hexToBytes(access.patient), hexToBytes(setting.key), hexToBytes(hospital));
  for (const secret of dataSecrets) {
    const share = openSealed(hexToBytes(setting.shares[i]!), secret, context);
    if (!share) continue;
    const accessId = hexToBytes(access.id);
    const clinicianBox = hexToBytes(access.clinicianBox);
    const sealed = sealTo(clinicianBox, share, releaseContext(accessId, clinicianBox), random);
    share.fill(0);
    return { kind: TxKind.ReleaseShare, patientId: hexToBytes(access.patient), access: accessId, sealed };
  }
  return null;
}

/**
 * The emergency secret for the clinician of `access`, from the released
 * shares they can open with their box key (raw secret bytes, or a reader
 * over a non-extractable WebCrypto key, as the browser session holds it):
 * null until a quorum is released, or when what they combine does not match
 * the key on the chain (a holder released a wrong share: each quorum-sized
 * subset is then tried).
 */
export async function emergencySecret(access: EmergencyState, setting: EmergencySetting, box: Uint8Array | RecordReader): Promise<Uint8Array | null> {
  const context = releaseContext(hexToBytes(access.id), hexToBytes(access.clinicianBox));
  const reader = box instanceof Uint8Array ? secretReader(box) : box;
  const opened = await Promise.all(access.releases.map((r) => openSealedAs(hexToBytes(r.sealed), reader, context)));
  const shares = opened.filter((s): s is Uint8Array => s !== null);
  if (shares.length < setting.threshold) return null;
  const want = hexToBytes(setting.key);
  for (const subset of subsets(shares, setting.threshold)) {
    const secret = await combine(subset);
    if (bytesEqual(x25519.getPublicKey(secret), want)) return secret;
    secret.fill(0);
  }
  return null;
}

/** Every `k`-element subset of `items`, in order (few: holders are at most the admitted hospitals). */
export function* subsets<T>(items: readonly T[], k: number, from = 0): Generator<T[]> {
  if (k === 0) return yield [];
  for (let i = from; i <= items.length - k; i++) for (const rest of subsets(items, k - 1, i + 1)) yield [items[i]!, ...rest];
}
