/**
 * A patient's history as a hospital reads it (SPEC §3, §4): every record of
 * the patient on the active chain with its key sets (the original readers,
 * then each ShareKeys a grant or referral added), opened with the hospital's
 * data key secrets of every epoch (the authority derives them; a staff
 * member unwraps them from their certification and rotations). Records the
 * hospital may not read are listed as such, never guessed at.
 */
import { toHex } from '../../core/bytes';
import type { ChainState } from '../../core/chain';
import type { Ledger, RecordState } from '../../core/ledger';
import type { Category } from '../../core/payloads';
import type { RecordBody } from '../../core/record';
import { type GetBlob, type RecordOnChain, openRecordAs } from '../../core/record-crypto';
import { TxKind } from '../../core/tx';
import { activeTxs } from './chain-scan';

export interface HistoryEntry {
  readonly id: string;
  readonly category: Category;
  readonly time: number;
  /** Authoring hospital's name, or null for the patient's own record. */
  readonly hospitalName: string | null;
  /** The decrypted body, or null when this hospital holds no key for it (or its blobs are gone). */
  readonly body: RecordBody | null;
  readonly attachments: readonly Uint8Array[];
}

/** The patient's records on the active chain, with every key set, oldest first. */
export function recordsOnChain(chain: ChainState, patient: string): { id: string; onChain: RecordOnChain }[] {
  const found = new Map<string, { payload: RecordOnChain['payload']; author: Uint8Array; nonce: number; keySets: RecordOnChain['keySets'][number][] }>();
  for (const { tx, id, payload } of activeTxs(chain, TxKind.AddRecord))
    if (toHex(payload.patientId) === patient) found.set(id, { payload, author: tx.author, nonce: tx.nonce, keySets: [{ readers: payload.readers, keys: payload.keys }] });
  for (const { payload } of activeTxs(chain, TxKind.ShareKeys)) found.get(toHex(payload.record))?.keySets.push({ readers: payload.readers, keys: payload.keys });
  return [...found].map(([id, onChain]) => ({ id, onChain }));
}

/** Opens the patient's history with the hospital's data secrets; erased records are left out. */
export async function readHistory(chain: ChainState, ledger: Ledger, patient: string, secrets: readonly Uint8Array[], getBlob: GetBlob): Promise<HistoryEntry[]> {
  const out: HistoryEntry[] = [];
  for (const { id, onChain } of recordsOnChain(chain, patient)) {
    const state: RecordState | undefined = ledger.records.get(id);
    if (!state || state.erased) continue;
    let opened: Awaited<ReturnType<typeof openRecordAs>> = null;
    for (const s of secrets) if (!opened) opened = await openRecordAs(onChain, s, getBlob);
    out.push({
      id,
      category: state.category,
      time: state.time,
      hospitalName: state.hospital ? (ledger.hospitals.get(state.hospital)?.name ?? 'Unknown hospital') : null,
      body: opened?.body ?? null,
      attachments: opened?.attachments ?? [],
    });
  }
  return out;
}
