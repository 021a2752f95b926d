/**
 * The patient uploads a record of their own (SPEC §3, §7): the form is
 * checked, the body and every attachment are sealed on this device for
 * exactly the readers the ledger requires (the patient and every hospital
 * whose live consent covers the category), the encrypted blobs are stored
 * through the node, and only then the AddRecord transaction is signed and
 * sent. Nothing readable leaves the editor. Each file's contents must be the
 * type it claims (`core/file-type`) before anything is sealed: a file that is
 * not refuses the whole upload with `FILE_TYPE`, naming the file, and
 * nothing is stored or sent. The type stored is the one detected.
 */
import { hexToBytes } from '../../core/bytes';
import { checkAttachmentTypes } from '../../core/file-type';
import type { Category } from '../../core/payloads';
import { type AttachmentMeta, type RecordBody, checkRecordBody, recordDay } from '../../core/record';
import { sealNewRecord } from '../../core/record-crypto';
import { type ActionResult, networkOf, refusal, send, signDraft } from '../clinician/sign';
import type { PatientContext } from './keys';
import { CONSENT_KINDS, hasPending } from './pool';

export interface UploadFile {
  readonly meta: AttachmentMeta;
  readonly bytes: Uint8Array;
}

/** Progress of an upload: what is happening and how far, 0..1. */
export interface UploadProgress {
  readonly stage: 'sealing' | 'storing' | 'sending';
  readonly fraction: number;
}

/**
 * `FORM`: the form has problems (and any file-type problems of files the
 * form did not already flag); `FILE_TYPE`: the form is fine but a file's
 * contents are not what it claims. Either way nothing was written.
 */
export type UploadResult = ActionResult;

/** Seals, stores and sends the patient's own record; `today` is YYYY-MM-DD from the caller's clock. */
export async function uploadRecord(
  ctx: PatientContext,
  category: Category,
  body: Omit<RecordBody, 'attachments'>,
  files: readonly UploadFile[],
  today: string,
  onProgress: (p: UploadProgress) => void = () => {},
): Promise<UploadResult> {
  const problems = checkRecordBody({ ...body, attachments: files.map((f) => f.meta) }, today);
  if (files.some((f) => f.bytes.length !== f.meta.size)) problems.push({ field: 'attachments', code: 'FILES_CHANGED' });
  const typed = checkAttachmentTypes(
    files.map((f) => f.meta),
    files.map((f) => f.bytes),
  );
  // One message per file: a file the form already refused (say, for its declared type) is not refused twice.
  const flagged = new Set(problems.map((p) => p.field));
  const typeProblems = typed.problems.filter((p) => !flagged.has(p.field));
  if (problems.length > 0) {
    const all = [...problems, ...typeProblems];
    return { ok: false, code: 'FORM', problems: all };
  }
  if (typeProblems.length > 0) return { ok: false, code: 'FILE_TYPE', problems: typeProblems };
  const full: RecordBody = { ...body, attachments: typed.metas };
  const ledger = ctx.node.ledger();
  const network = networkOf(ctx.node);
  if (!ledger || !network) return refusal('NOT_READY');
  if (!ledger.patients.get(ctx.me.patientId)) return refusal('NOT_REGISTERED_YET');
  if (hasPending(ctx, CONSENT_KINDS)) return refusal('WAIT_FOR_CONSENT');
  onProgress({ stage: 'sealing', fraction: 0 });
  const now = ctx.node.now();
  const readers = ledger.requiredReaders(ctx.me.patientId, null, category, recordDay(full.date), now).map(hexToBytes);
  const sealed = sealNewRecord(
    {
      patientId: hexToBytes(ctx.me.patientId),
      hospital: new Uint8Array(32),
      author: ctx.me.signer.publicKey,
      category,
      body: full,
      attachments: files.map((f) => f.bytes),
      readers,
      time: now,
    },
    ctx.random,
  );
  const total = sealed.blobs.reduce((n, b) => n + b.bytes.length, 0);
  let done = 0;
  for (const b of sealed.blobs) {
    onProgress({ stage: 'storing', fraction: done / total });
    const stored = await ctx.node.putBlob(b.ref, b.bytes);
    if (!stored.ok) return refusal('STORE_FAILED', stored.reason);
    done += b.bytes.length;
  }
  onProgress({ stage: 'sending', fraction: 1 });
  return send({ node: ctx.node, random: ctx.random }, await signDraft(network, ctx.me.signer, sealed.draft));
}
