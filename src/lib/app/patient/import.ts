/**
 * Import of a FHIR R4 Bundle into the patient's own history (SPEC §3, §7).
 * The file's records are previewed with the ones already in the history
 * marked, the patient chooses, and each chosen record is sealed and sent
 * exactly as an upload is ({@link uploadRecord}: blobs stored first, then the
 * AddRecord transaction), one after the other. A record exists only once its
 * transaction is accepted, so each one is all-or-nothing; the first failure
 * stops the run and the result names what was imported and what was not.
 *
 * Duplicate rule: a record is "already there" when one of the patient's
 * records on the active chain or waiting in this device's pool, or an
 * earlier entry of the same file, has the same category, date, title and
 * body text (title and text compared with the ends trimmed). Fields,
 * author and attachments are not compared: re-importing one's own export
 * (or the same file twice) must not double the history, and a record that
 * differs only there is rare enough for the patient to tick it by hand.
 */
import { bytesEqual, toHex } from '../../core/bytes';
import type { ImportedRecord } from '../../core/fhir';
import { payloadOf } from '../../core/ledger-rules';
import type { Category } from '../../core/payloads';
import type { RecordBody } from '../../core/record';
import { openRecordAs } from '../../core/record-crypto';
import { TxKind } from '../../core/tx';
import type { ActionFailure } from '../clinician/sign';
import type { PatientContext } from './keys';
import { readTimeline } from './timeline';
import { type UploadProgress, uploadRecord } from './upload';

/** One record of the file as the preview shows it. */
export interface ImportCandidate extends ImportedRecord {
  /** Position in the file's list of records (stable key for the preview). */
  readonly index: number;
  /** Already in the patient's history (or earlier in the file): unchecked by default. */
  readonly duplicate: boolean;
}

/** The duplicate rule's key of a record (see the module comment). */
export const duplicateKey = (category: Category, b: Pick<RecordBody, 'title' | 'date' | 'text'>): string =>
  JSON.stringify([category, b.date, b.title.trim(), b.text.trim()]);

/** Keys of the patient's records: on the active chain (not erased), then their own AddRecords waiting in the pool; and how many could not be opened here. */
export async function existingKeys(ctx: PatientContext): Promise<{ keys: Set<string>; unopened: number }> {
  const keys = new Set<string>();
  let unopened = 0;
  for (const e of await readTimeline(ctx.node, ctx.me.patientId, ctx.me.box)) {
    if (e.body) keys.add(duplicateKey(e.category, e.body));
    else unopened++;
  }
  const mine = ctx.me.signer.publicKey;
  for (const { tx } of ctx.node.chain()?.pendingTxs() ?? []) {
    if (tx.kind !== TxKind.AddRecord || !bytesEqual(tx.author, mine)) continue;
    const payload = payloadOf(tx);
    if (payload.kind !== TxKind.AddRecord || toHex(payload.patientId) !== ctx.me.patientId) continue;
    const opened = await openRecordAs(
      { payload, author: tx.author, nonce: tx.nonce, keySets: [{ readers: payload.readers, keys: payload.keys }] },
      ctx.me.box,
      (r) => ctx.node.getBlob(r),
    );
    if (opened) keys.add(duplicateKey(payload.category, opened.body));
    else unopened++;
  }
  return { keys, unopened };
}

/** The file's records with duplicates marked, and how many of the patient's records could not be compared. */
export async function previewImport(ctx: PatientContext, records: readonly ImportedRecord[]): Promise<{ candidates: ImportCandidate[]; unopened: number }> {
  const { keys, unopened } = await existingKeys(ctx);
  const candidates = records.map((r, index) => {
    const key = duplicateKey(r.category, r.body);
    const duplicate = keys.has(key);
    keys.add(key);
    return { ...r, index, duplicate };
  });
  return { candidates, unopened };
}

/** Where an import run is: record `done` of `total` (0-based), its title and its upload stage. */
export interface ImportProgress {
  readonly done: number;
  readonly total: number;
  readonly title: string;
  readonly stage: UploadProgress['stage'];
  /** Of the whole run, 0..1. */
  readonly fraction: number;
}

export interface ImportOutcome {
  /** Imported (saved on this device, will sync), with their record ids. */
  readonly imported: readonly { readonly candidate: ImportCandidate; readonly id: string }[];
  /** The record that failed and why (null when all were imported). */
  readonly failed: { readonly candidate: ImportCandidate; readonly failure: ActionFailure } | null;
  /** Chosen records not attempted because an earlier one failed. */
  readonly notTried: readonly ImportCandidate[];
}

/** Seals and sends the chosen records in order; `today` is YYYY-MM-DD from the caller's clock. */
export async function importRecords(
  ctx: PatientContext,
  chosen: readonly ImportCandidate[],
  today: string,
  onProgress: (p: ImportProgress) => void = () => {},
): Promise<ImportOutcome> {
  const imported: { candidate: ImportCandidate; id: string }[] = [];
  for (const [i, c] of chosen.entries()) {
    const { attachments: metas, ...body } = c.body;
    const files = metas.map((meta, a) => ({ meta, bytes: c.attachments[a] ?? new Uint8Array(0) }));
    const r = await uploadRecord(ctx, c.category, body, files, today, (p) =>
      onProgress({
        done: i,
        total: chosen.length,
        title: c.body.title,
        stage: p.stage,
        fraction: (i + (p.stage === 'sending' ? 0.95 : p.stage === 'storing' ? 0.1 + 0.85 * p.fraction : 0)) / chosen.length,
      }),
    );
    if (!r.ok) return { imported, failed: { candidate: c, failure: r }, notTried: chosen.slice(i + 1) };
    imported.push({ candidate: c, id: r.id });
  }
  return { imported, failed: null, notTried: [] };
}
