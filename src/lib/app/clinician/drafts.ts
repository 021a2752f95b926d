/**
 * A clinician's unsaved record, kept on this device as they type (issue 15):
 * consent may be revoked or expire while the "Add a record" form is open, and
 * what was typed must not vanish with it. The draft is sealed before it is
 * stored, never kept in clear: XChaCha20-Poly1305 (core/envelope.ts) under a
 * key derived, like the hospital's data key (data-key.ts), from the
 * clinician's own deterministic Ed25519 signature over a domain-separated
 * message no transaction signs, so it works where the signing key is a
 * non-extractable WebCrypto key and only the same login opens it. The
 * hospital and patient are the associated data, so a draft moved to another
 * patient's slot does not open; the slot's name is a keyed hash, so the
 * stored names do not say which patients have drafts. After sign-out the
 * drafts stay, sealed, until the same clinician signs in again.
 *
 * Two shelves per patient: what is being typed, and what was sent but is not
 * yet in a block (consent revoked in the meantime makes the chain drop it;
 * the form then gets it back, add-record-state.ts `sentOutcome`).
 * The clinician's form has no attachments; a draft holds none.
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { fromBase64, toBase64 } from '../../core/base64';
import { bytesEqual, toHex, utf8 } from '../../core/bytes';
import { NONCE_BYTES, openRecord, sealRecord } from '../../core/envelope';
import { Category } from '../../core/payloads';
import { MAX_FIELD_NAME, MAX_FIELD_VALUE, MAX_FIELDS, MAX_TEXT, MAX_TITLE, type RecordField } from '../../core/record';
import type { RandomBytes } from '../../core/record-crypto';
import type { Signer } from './sign';

/** What the form holds, as kept: everything but attachments. */
export interface Draft {
  readonly category: Category;
  readonly title: string;
  /** Clinical date, YYYY-MM-DD (as the form holds it; checked when saved). */
  readonly date: string;
  readonly fields: readonly RecordField[];
  readonly text: string;
  /** When it was last kept (seconds). */
  readonly keptAt: number;
  /** On the sent shelf: the id (hex) of the AddRecord transaction it was sent as. */
  readonly sent?: string;
}

/** Which of a patient's two drafts: the one being typed, or the one sent and not yet in a block. */
export type Shelf = 'typing' | 'sent';

/** The clinician's draft keys: one seals, one names the slots. Wipe with {@link forgetDraftKey} when the form closes. */
export interface DraftKey {
  readonly seal: Uint8Array;
  readonly slot: Uint8Array;
}

const TAG = 'medchain/clinician-draft/v1';

/**
 * Derives the clinician's draft key for `networkId`. Null when the signer
 * does not sign deterministically (two signatures of the message differ):
 * then no key could open the draft again, so none is kept.
 */
export async function draftKey(signer: Signer, networkId: string): Promise<DraftKey | null> {
  const message = utf8(`${TAG}/key/${networkId}`);
  const [a, b] = [await signer.sign(message), await signer.sign(message)];
  const same = bytesEqual(a, b);
  const okm = same ? hkdf(sha256, a, utf8(TAG), utf8(`draft keys/${networkId}`), 64) : null;
  a.fill(0);
  b.fill(0);
  return okm && { seal: okm.slice(0, 32), slot: okm.slice(32) };
}

/** Overwrites the key's bytes (the form closed, or the clinician signed out). */
export function forgetDraftKey(key: DraftKey): void {
  key.seal.fill(0);
  key.slot.fill(0);
}

const place = (hospital: string, patient: string, shelf: Shelf): Uint8Array => utf8(`${TAG}/${hospital}/${patient}/${shelf}`);

/** The storage name of the draft for `hospital` and `patient` on `shelf`: a keyed hash, so it names neither. */
export function draftSlot(key: DraftKey, hospital: string, patient: string, shelf: Shelf = 'typing'): string {
  return toHex(hmac(sha256, key.slot, place(hospital, patient, shelf))).slice(0, 32);
}

/** Seals a shelf's drafts for `hospital` and `patient` with a fresh random nonce: base64 of nonce ‖ ciphertext ‖ tag. */
export function sealDrafts(key: DraftKey, hospital: string, patient: string, drafts: readonly Draft[], random: RandomBytes, shelf: Shelf = 'typing'): string {
  return toBase64(sealRecord(key.seal, random(NONCE_BYTES), place(hospital, patient, shelf), utf8(JSON.stringify(drafts))));
}

/** Opens a shelf's sealed drafts; null when they are not this clinician's for this hospital, patient and shelf, or were changed. */
export function openDrafts(key: DraftKey, hospital: string, patient: string, sealed: string, shelf: Shelf = 'typing'): Draft[] | null {
  const bytes = fromBase64(sealed);
  const plain = bytes && openRecord(key.seal, place(hospital, patient, shelf), bytes);
  if (!plain) return null;
  try {
    const list: unknown = JSON.parse(new TextDecoder().decode(plain));
    const drafts = Array.isArray(list) ? list.map(asDraft) : [null];
    return drafts.every((d): d is Draft => d !== null) ? drafts : null;
  } catch {
    // Authentic but not JSON: a draft from a future version of the app. Treated as none.
    return null;
  }
}

const isText = (x: unknown, max: number): x is string => typeof x === 'string' && x.length <= max;
const CATEGORIES: readonly unknown[] = Object.values(Category);

/** The draft `x` is, checked field by field; null when it is not one. */
function asDraft(x: unknown): Draft | null {
  if (typeof x !== 'object' || x === null) return null;
  const d = x as Record<string, unknown>;
  const fields = Array.isArray(d.fields) ? (d.fields as unknown[]) : null;
  const fieldOk = (f: unknown): f is RecordField =>
    typeof f === 'object' && f !== null && isText((f as RecordField).name, MAX_FIELD_NAME) && isText((f as RecordField).value, MAX_FIELD_VALUE);
  if (
    !CATEGORIES.includes(d.category) ||
    !isText(d.title, MAX_TITLE) ||
    !isText(d.date, 10) ||
    !isText(d.text, MAX_TEXT) ||
    typeof d.keptAt !== 'number' ||
    (d.sent !== undefined && !(typeof d.sent === 'string' && /^[0-9a-f]{64}$/.test(d.sent))) ||
    !fields ||
    fields.length > MAX_FIELDS ||
    !fields.every(fieldOk)
  )
    return null;
  return {
    category: d.category as Category,
    title: d.title,
    date: d.date,
    fields: fields.map((f) => ({ name: f.name, value: f.value })),
    text: d.text,
    keptAt: d.keptAt,
    ...(typeof d.sent === 'string' ? { sent: d.sent } : {}),
  };
}

/** Whether the form holds nothing worth keeping (no title, text or field typed). */
export function isBlank(d: Pick<Draft, 'title' | 'text' | 'fields'>): boolean {
  return d.title.trim() === '' && d.text.trim() === '' && d.fields.every((f) => f.name.trim() === '' && f.value.trim() === '');
}

/** Where sealed drafts are kept: this device's localStorage in the app, a map in tests. */
export interface DraftStore {
  load(slot: string): string | null;
  save(slot: string, sealed: string): void;
  remove(slot: string): void;
}

/** Drafts in a Map (tests). */
export function memoryDraftStore(): DraftStore & { readonly items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    load: (slot) => items.get(slot) ?? null,
    save: (slot, sealed) => void items.set(slot, sealed),
    remove: (slot) => void items.delete(slot),
  };
}

/** Drafts in this device's localStorage, sealed (see above). `save` throws when storage is full or blocked. */
export function browserDraftStore(): DraftStore {
  const name = (slot: string) => `medchain/draft/${slot}`;
  return {
    load: (slot) => {
      try {
        return localStorage.getItem(name(slot));
      } catch {
        // Storage blocked (a browser setting): no draft can have been kept either; the form says so when it tries.
        return null;
      }
    },
    save: (slot, sealed) => localStorage.setItem(name(slot), sealed),
    remove: (slot) => localStorage.removeItem(name(slot)),
  };
}

/** Most drafts a shelf holds: the sent shelf forgets its oldest beyond this (long since in a block, as a rule). */
export const MAX_SHELF = 20;

/** One hospital's and patient's shelf of drafts in a store, for the form: load, keep as typed, drop once saved. */
export interface DraftKeeper {
  /** The kept drafts, oldest first; none when nothing is kept (or it is not this clinician's). */
  load(): Draft[];
  /** Keeps `drafts` in place of what was kept (blank ones are left out; none removes it); false when the store refused. */
  keep(drafts: readonly Draft[]): boolean;
  /** Removes what the shelf holds (after a successful save, or when the clinician discards it). */
  drop(): void;
}

/** A {@link DraftKeeper} for `hospital` and `patient` on `shelf` over `store`, sealing with `key`. */
export function draftKeeper(store: DraftStore, key: DraftKey, hospital: string, patient: string, random: RandomBytes, shelf: Shelf = 'typing'): DraftKeeper {
  const slot = draftSlot(key, hospital, patient, shelf);
  return {
    load: () => {
      const sealed = store.load(slot);
      return (sealed !== null && openDrafts(key, hospital, patient, sealed, shelf)) || [];
    },
    keep: (drafts) => {
      const kept = drafts.filter((d) => !isBlank(d)).slice(-MAX_SHELF);
      try {
        if (kept.length === 0) store.remove(slot);
        else store.save(slot, sealDrafts(key, hospital, patient, kept, random, shelf));
        return true;
      } catch {
        // Storage full or blocked (private browsing): the form says the draft is not kept.
        return false;
      }
    },
    drop: () => {
      try {
        store.remove(slot);
      } catch {
        // Storage blocked: nothing could have been kept there, so nothing is left behind.
      }
    },
  };
}
