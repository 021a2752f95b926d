/**
 * Erasing a record (SPEC §3, the right to be forgotten): the patient signs
 * an EraseRecord; every node then refuses to serve the record's blobs and
 * deletes them once the erasure is final, and this device deletes its copies
 * at once (body, attachments and every key blob). The chain keeps only the
 * hashes and the fact of the erasure; a hospital that already opened the
 * record may keep what it read — the screen says so before the patient
 * confirms (`ERASURE_EXPLAINED` in i18n/en/patient.ts).
 */
import { hexToBytes, toHex } from '../../../core/bytes';
import type { ChainView } from '../../chain-view';
import type { Category } from '../../../core/payloads';
import { payloadOf } from '../../../core/ledger-rules';
import { TxKind } from '../../../core/tx';
import { activeTxs } from '../../clinician/chain-scan';
import { type ActionResult, refusal, submitPayload } from '../../clinician/sign';
import type { PatientContext } from '../keys';

export type EraseResult = (ActionResult & { readonly ok: false }) | { readonly ok: true; readonly id: string; readonly deleted: number };

/** Erases one of the patient's records: sends the EraseRecord, then deletes its blobs from this device. */
export async function eraseRecord(ctx: PatientContext, record: string): Promise<EraseResult> {
  const ledger = ctx.node.ledger();
  if (!ledger) return refusal('NOT_READY');
  const r = ledger.records.get(record);
  if (!r || r.patient !== ctx.me.patientId) return refusal('NOT_YOURS');
  if (r.erased) return refusal('ALREADY_ERASED');
  const sent = await submitPayload(ctx, ctx.me.signer, { kind: TxKind.EraseRecord, record: hexToBytes(record) });
  if (!sent.ok) return sent;
  let deleted = 0;
  if (ctx.node.deleteBlob) {
    for (const hash of r.blobs) {
      await ctx.node.deleteBlob(hash);
      deleted++;
    }
  }
  return { ok: true, id: sent.id, deleted };
}

/** An erased record as the timeline shows it: what it was and when it was erased, nothing more. */
export interface ErasedRecord {
  readonly id: string;
  readonly category: Category;
  /** When the record was added, and when it was erased (transaction times, seconds). */
  readonly time: number;
  readonly erasedAt: number;
  /** Authoring hospital's name, or null for the patient's own upload. */
  readonly hospitalName: string | null;
}

/** The patient's erased records on the active chain, with the time of each erasure. */
export function erasedRecords(chain: ChainView, patient: string): ErasedRecord[] {
  const ledger = chain.ledger;
  const out: ErasedRecord[] = [];
  for (const { tx, payload } of activeTxs(chain, TxKind.EraseRecord)) {
    const r = ledger?.records.get(toHex(payload.record));
    if (!r || r.patient !== patient || !r.erased) continue;
    out.push({
      id: r.id,
      category: r.category,
      time: r.time,
      erasedAt: tx.time,
      hospitalName: r.hospital ? (ledger!.hospitals.get(r.hospital)?.name ?? 'Unknown hospital') : null,
    });
  }
  return out;
}

/** Whether an erasure of `record` is waiting in this device's pool. */
export function erasurePending(chain: ChainView, record: string): boolean {
  return chain.pendingTxs().some((e) => {
    if (e.tx.kind !== TxKind.EraseRecord) return false;
    const p = payloadOf(e.tx);
    return p.kind === TxKind.EraseRecord && toHex(p.record) === record;
  });
}
