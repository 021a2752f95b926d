/**
 * Staff accounts (SPEC §2): a staff member derives keys like a patient and
 * shows an enrolment code (their public keys and their signature agreeing to
 * serve this hospital); the hospital authority pastes it to certify them,
 * wrapping the current data key to them. Removing someone rotates the data
 * key to the next epoch, wrapped to everyone who remains, so the removed
 * member cannot read records written afterwards.
 */
import { fromBase64, toBase64 } from '../../core/base64';
import { bytesEqual, hexToBytes, toHex } from '../../core/bytes';
import type { ChainView } from '../chain-view';
import { wrapKey } from '../../core/envelope';
import type { LedgerView, StaffState } from '../../core/ledger';
import { staffMessage } from '../../core/ledger-rules';
import { MAX_NAME_BYTES, type StaffRole } from '../../core/payloads';
import type { RecordReader } from '../../core/record-crypto';
import { TxKind } from '../../core/tx';
import { activeTxs } from './chain-scan';
import { hospitalDataKey } from './data-key';
import { type ActionResult, type ClinicianContext, type Signer, refusal, signerId, submitPayload } from './sign';

export interface Enrolment {
  readonly staffSign: Uint8Array;
  readonly staffBox: Uint8Array;
  readonly proof: Uint8Array;
}

/**
 * The staff member's enrolment code for `hospital` (authority key) on
 * `network` (the genesis hash: the agreement cannot be used on another
 * network): base64 of keys and proof.
 */
export async function enrolmentCode(network: Uint8Array, staff: Signer, boxPublic: Uint8Array, hospital: Uint8Array): Promise<string> {
  const proof = await staff.sign(staffMessage(network, hospital, staff.publicKey, boxPublic));
  const bytes = new Uint8Array(128);
  bytes.set(staff.publicKey, 0);
  bytes.set(boxPublic, 32);
  bytes.set(proof, 64);
  return toBase64(bytes);
}

/** Reads an enrolment code, or refuses it (NOT_ENROLMENT: not base64 of the 128 bytes a staff member's screen shows; the screen words it). */
export function parseEnrolment(code: string): { ok: true; enrolment: Enrolment } | { ok: false; code: 'NOT_ENROLMENT' } {
  const bytes = fromBase64(code.trim());
  if (!bytes || bytes.length !== 128) return { ok: false, code: 'NOT_ENROLMENT' };
  return { ok: true, enrolment: { staffSign: bytes.slice(0, 32), staffBox: bytes.slice(32, 64), proof: bytes.slice(64) } };
}

/** Active staff of a hospital, by name. */
export function staffOf(ledger: LedgerView, hospital: string): StaffState[] {
  const h = ledger.hospitals.get(hospital);
  return (h?.staff ?? []).flatMap((id) => ledger.staff.get(id) ?? []).sort((a, b) => a.name.localeCompare(b.name));
}

/** The authority certifies a staff member, wrapping the hospital's current data key to them. */
export async function certifyStaff(ctx: ClinicianContext, authority: Signer, e: Enrolment, name: string, role: StaffRole): Promise<ActionResult> {
  const ledger = ctx.node.ledger();
  const h = ledger?.hospitals.get(signerId(authority));
  if (!h?.member) return refusal('ONLY_AUTHORITY_CERTIFIES');
  const n = name.trim();
  if (n === '' || new TextEncoder().encode(n).length > MAX_NAME_BYTES) return refusal('STAFF_NAME', MAX_NAME_BYTES);
  const key = await hospitalDataKey(authority, h.dataEpoch);
  const wrap = wrapKey(key.secret, e.staffBox, ctx.random(32), authority.publicKey);
  key.secret.fill(0);
  return submitPayload(ctx, authority, {
    kind: TxKind.CertifyStaff,
    staffSign: e.staffSign,
    staffBox: e.staffBox,
    role,
    name: n,
    dataKeyWrap: wrap,
    staffProof: e.proof,
  });
}

/** The authority removes a staff member: the data key moves to the next epoch, wrapped to the remaining staff. */
export async function removeStaff(ctx: ClinicianContext, authority: Signer, staffId: string): Promise<ActionResult> {
  const ledger = ctx.node.ledger();
  const h = ledger?.hospitals.get(signerId(authority));
  if (!ledger || !h?.member) return refusal('ONLY_AUTHORITY_REMOVES');
  if (!h.staff.includes(staffId)) return refusal('UNKNOWN_STAFF');
  const next = await hospitalDataKey(authority, h.dataEpoch + 1);
  const wraps = h.staff
    .filter((k) => k !== staffId)
    .sort()
    .map((k) => ({ staffSign: hexToBytes(k), wrap: wrapKey(next.secret, hexToBytes(ledger.staff.get(k)!.boxKey), ctx.random(32), authority.publicKey) }));
  next.secret.fill(0);
  return submitPayload(ctx, authority, { kind: TxKind.RemoveStaff, staffSign: hexToBytes(staffId), newDataKey: next.publicKey, wraps });
}

/**
 * Every data key secret of `hospital` delivered to this staff member, oldest
 * epoch first; `box` unwraps with their X25519 key (raw or WebCrypto-held).
 */
export async function staffDataSecrets(chain: ChainView, hospital: string, staffSign: Uint8Array, box: RecordReader): Promise<Uint8Array[]> {
  const wraps: Uint8Array[] = [];
  for (const { tx, payload } of activeTxs(chain, TxKind.CertifyStaff))
    if (toHex(tx.author) === hospital && bytesEqual(payload.staffSign, staffSign)) wraps.push(payload.dataKeyWrap);
  for (const { tx, payload } of activeTxs(chain, TxKind.RemoveStaff))
    if (toHex(tx.author) === hospital) for (const w of payload.wraps) if (bytesEqual(w.staffSign, staffSign)) wraps.push(w.wrap);
  const out: Uint8Array[] = [];
  for (const w of wraps) {
    const k = await box.unwrap(w, hexToBytes(hospital));
    if (k) out.push(k);
  }
  return out;
}

/** The authority's data key secrets of every epoch so far. */
export async function authorityDataSecrets(authority: Signer, epochs: number): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (let e = 0; e <= epochs; e++) out.push((await hospitalDataKey(authority, e)).secret);
  return out;
}
