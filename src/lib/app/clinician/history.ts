/**
 * A patient's history as a hospital reads it (SPEC §3, §4): every record of
 * the patient on the active chain with its key sets (the original readers,
 * then each ShareKeys a grant or referral added), opened with the hospital's
 * data key secrets of every epoch (the authority derives them; a staff
 * member unwraps them from their certification and rotations). Records the
 * hospital may not read are listed as such, never guessed at. The grant's
 * terms are kept here too (record-access.ts): a record whose grants have
 * passed their erase-by time or were revoked is not opened, and the entry
 * says when it was removed.
 */
import { toHex } from '../../core/bytes';
import type { LedgerView, RecordState } from '../../core/ledger';
import type { Category } from '../../core/payloads';
import type { RecordBody } from '../../core/record';
import { type GetBlob, type RecordOnChain, openRecordAs } from '../../core/record-crypto';
import { TxKind } from '../../core/tx';
import { payloadOf } from '../../core/ledger-rules';
import type { ChainView } from '../chain-view';
import { type RecordAccess, recordAccess } from './record-access';

export interface HistoryEntry {
  readonly id: string;
  readonly category: Category;
  readonly time: number;
  /** Authoring hospital's name, or null for the patient's own record. */
  readonly hospitalName: string | null;
  /** The decrypted body, or null when this hospital holds no key for it or a blob it needs could not be had. */
  readonly body: RecordBody | null;
  /**
   * True when the body is null because a blob (the sealed body, an attachment or a key blob) could not be
   * had now: it may be on a device not connected at the moment, so the screen says so and reads again when
   * peers change, rather than telling the clinician the record was not shared.
   */
  readonly unreachable: boolean;
  readonly attachments: readonly Uint8Array[];
  /**
   * On what terms the hospital shows it: `erased-by-terms` entries were not
   * opened (body null, the screen says since when), and attachments of a
   * view-only grant are shown but not offered for download. Null when read
   * without terms.
   */
  readonly access: RecordAccess | null;
}

/** Whose history is read, and when: the hospital whose consent terms apply, and the time they are judged at. */
export interface ReadTerms {
  readonly hospital: string;
  readonly now: number;
}

/** The patient's records on the active chain, with every key set, oldest first (from the view's per-patient index). */
export function recordsOnChain(chain: ChainView, patient: string): { id: string; onChain: RecordOnChain }[] {
  const found = new Map<string, { payload: RecordOnChain['payload']; author: Uint8Array; nonce: number; keySets: RecordOnChain['keySets'][number][] }>();
  for (const { tx, id } of chain.ofPatient(patient)) {
    const p = tx.kind === TxKind.AddRecord ? payloadOf(tx) : null;
    if (p?.kind === TxKind.AddRecord && toHex(p.patientId) === patient)
      found.set(id, { payload: p, author: tx.author, nonce: tx.nonce, keySets: [{ readers: p.readers, keys: p.keys }] });
  }
  // A ShareKeys names its record, not the patient (it is not in the patient's index): read them by kind.
  for (const { tx } of chain.ofKind(TxKind.ShareKeys)) {
    const p = payloadOf(tx);
    if (p.kind === TxKind.ShareKeys) found.get(toHex(p.record))?.keySets.push({ readers: p.readers, keys: p.keys });
  }
  return [...found].map(([id, onChain]) => ({ id, onChain }));
}

/**
 * Opens the patient's history with the hospital's data secrets; erased
 * records are left out. With `terms` (the hospital's app always gives them)
 * only records the consent still lets the hospital show are opened; without,
 * whatever the secrets open (how tests check the key sharing itself).
 */
export async function readHistory(
  chain: ChainView,
  ledger: LedgerView,
  patient: string,
  secrets: readonly Uint8Array[],
  getBlob: GetBlob,
  terms?: ReadTerms,
): Promise<HistoryEntry[]> {
  const out: HistoryEntry[] = [];
  for (const { id, onChain } of recordsOnChain(chain, patient)) {
    const state: RecordState | undefined = ledger.records.get(id);
    if (!state || state.erased) continue;
    const access: RecordAccess | null = terms ? recordAccess(ledger, terms.hospital, state, terms.now) : null;
    const shown = !access || access.basis === 'author' || access.basis === 'grant';
    let opened: Awaited<ReturnType<typeof openRecordAs>> = null;
    let missed = false;
    const watched: GetBlob = async (ref) => {
      const bytes = await getBlob(ref);
      if (!bytes) missed = true;
      return bytes;
    };
    if (shown) for (const s of secrets) if (!opened) opened = await openRecordAs(onChain, s, watched);
    out.push({
      id,
      category: state.category,
      time: state.time,
      hospitalName: state.hospital ? (ledger.hospitals.get(state.hospital)?.name ?? 'Unknown hospital') : null,
      body: opened?.body ?? null,
      attachments: opened?.attachments ?? [],
      unreachable: !opened && missed,
      access,
    });
  }
  return out;
}

/**
 * Overwrites the decrypted attachment bytes of entries the screen no longer
 * shows (a newer read replaced them, perhaps because the consent's terms now
 * require the copies gone). The text cannot be overwritten in JavaScript; it
 * goes with the last reference to the entry.
 */
export function wipeEntries(entries: readonly HistoryEntry[]): void {
  for (const e of entries) for (const a of e.attachments) a.fill(0);
}
