/**
 * The re-wraps a passphrase change owes (SPEC §2): before the rotation is
 * sent, every record key the patient can open is wrapped to the NEW box key
 * and the key blobs are stored on this device; this plan says which blob
 * belongs to which record. Once the rotation is in a block, the new key
 * signs one ShareKeys per item. The plan survives the tab closing, so a
 * change that stopped halfway is finished by the next login with the new
 * passphrase, which no longer holds the old key that could open the records.
 *
 * The plan holds nothing secret: public record ids, hashes of key blobs
 * sealed to the new key, and the new public keys. Nothing about the Aadhaar
 * number or the passphrase is in it.
 */
import { hexToBytes, toHex } from '../../../core/bytes';
import type { BlobRef } from '../../../core/payloads';

export interface RewrapItem {
  /** The record (AddRecord transaction id, hex). */
  readonly record: string;
  /** Hex SHA-256 and size of its key blob wrapped to the new box key. */
  readonly hash: string;
  readonly size: number;
}

export interface RewrapPlan {
  /** Hex patient id. */
  readonly patient: string;
  /** Hex of the new signing and box public keys. */
  readonly newSign: string;
  readonly newBox: string;
  readonly items: readonly RewrapItem[];
}

/** Where plans are kept between sessions: this device's localStorage in the app, a map in tests. */
export interface PlanStore {
  load(patient: string): RewrapPlan | null;
  save(plan: RewrapPlan): void;
  clear(patient: string): void;
}

export const itemRef = (i: RewrapItem): BlobRef => ({ hash: hexToBytes(i.hash), size: i.size });
export const itemOf = (record: string, ref: BlobRef): RewrapItem => ({ record, hash: toHex(ref.hash), size: ref.size });

const HEX64 = /^[0-9a-f]{64}$/;

/** A plan read back from storage, or null when it is not one (storage is not trusted). */
export function parsePlan(text: string | null): RewrapPlan | null {
  if (text === null) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  const p = v as Partial<RewrapPlan>;
  const okItem = (i: unknown) => {
    const x = i as Partial<RewrapItem>;
    return typeof x === 'object' && x !== null && HEX64.test(String(x.record)) && HEX64.test(String(x.hash)) && Number.isSafeInteger(x.size) && x.size! >= 0;
  };
  if (
    typeof v !== 'object' ||
    v === null ||
    ![p.patient, p.newSign, p.newBox].every((h) => HEX64.test(String(h))) ||
    !Array.isArray(p.items) ||
    !p.items.every(okItem)
  )
    return null;
  return {
    patient: p.patient!,
    newSign: p.newSign!,
    newBox: p.newBox!,
    items: p.items.map((i: RewrapItem) => ({ record: i.record, hash: i.hash, size: i.size })),
  };
}

/** Plans in a Map (tests, and browsers without localStorage). */
export function memoryPlanStore(): PlanStore & { readonly plans: Map<string, string> } {
  const plans = new Map<string, string>();
  return {
    plans,
    load: (patient) => parsePlan(plans.get(patient) ?? null),
    save: (plan) => void plans.set(plan.patient, JSON.stringify(plan)),
    clear: (patient) => void plans.delete(patient),
  };
}

/** Plans in this device's localStorage (public data only, see above). */
export function browserPlanStore(): PlanStore {
  const key = (patient: string) => `medchain/rewrap/${patient}`;
  return {
    load: (patient) => parsePlan(localStorage.getItem(key(patient))),
    save: (plan) => localStorage.setItem(key(plan.patient), JSON.stringify(plan)),
    clear: (patient) => localStorage.removeItem(key(patient)),
  };
}
