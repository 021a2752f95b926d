/**
 * The patient uploads a record of their own (SPEC §3, §7): the form is
 * checked, the body and every attachment are sealed on this device for
 * exactly the readers the ledger requires (the patient and every hospital
 * whose live consent covers the category), the encrypted blobs are stored
 * through the node, and only then the AddRecord transaction is signed and
 * sent. Nothing readable leaves the editor.
 */
import { hexToBytes } from '../../core/bytes';
import type { Category } from '../../core/payloads';
import { type AttachmentMeta, type FieldProblem, type RecordBody, checkRecordBody } from '../../core/record';
import { sealNewRecord } from '../../core/record-crypto';
import { type ActionResult, send, signDraft } from '../clinician/sign';
import type { PatientContext } from './keys';
import { CONSENT_KINDS, WAIT_FOR_CONSENT, hasPending } from './pool';

export interface UploadFile {
  readonly meta: AttachmentMeta;
  readonly bytes: Uint8Array;
}

/** Progress of an upload: what is happening and how far, 0..1. */
export interface UploadProgress {
  readonly stage: 'sealing' | 'storing' | 'sending';
  readonly fraction: number;
}

export type UploadResult = ActionResult | { readonly ok: false; readonly code: 'FORM'; readonly problems: readonly FieldProblem[]; readonly message: string };

/** Seals, stores and sends the patient's own record; `today` is YYYY-MM-DD from the caller's clock. */
export async function uploadRecord(
  ctx: PatientContext,
  category: Category,
  body: Omit<RecordBody, 'attachments'>,
  files: readonly UploadFile[],
  today: string,
  onProgress: (p: UploadProgress) => void = () => {},
): Promise<UploadResult> {
  const full: RecordBody = { ...body, attachments: files.map((f) => f.meta) };
  const problems = checkRecordBody(full, today);
  if (files.some((f) => f.bytes.length !== f.meta.size)) problems.push({ field: 'attachments', message: 'A file changed while it was read; choose it again.' });
  if (problems.length > 0) return { ok: false, code: 'FORM', problems, message: problems.map((p) => p.message).join(' ') };
  const ledger = ctx.node.ledger();
  if (!ledger) return { ok: false, code: 'NOT_READY', message: 'This device has not opened its copy of the chain yet.' };
  if (!ledger.patients.get(ctx.me.patientId)) return { ok: false, code: 'UNKNOWN_PATIENT', message: 'Your registration is not on the chain yet; wait until it is confirmed.' };
  if (hasPending(ctx, CONSENT_KINDS)) return { ok: false, code: 'REFUSED', message: WAIT_FOR_CONSENT };
  onProgress({ stage: 'sealing', fraction: 0 });
  const now = ctx.node.now();
  const readers = ledger.requiredReaders(ctx.me.patientId, null, category, now).map(hexToBytes);
  const sealed = sealNewRecord(
    { patientId: hexToBytes(ctx.me.patientId), hospital: new Uint8Array(32), author: ctx.me.signer.publicKey, category, body: full, attachments: files.map((f) => f.bytes), readers, time: now },
    ctx.random,
  );
  const total = sealed.blobs.reduce((n, b) => n + b.bytes.length, 0);
  let done = 0;
  for (const b of sealed.blobs) {
    onProgress({ stage: 'storing', fraction: done / total });
    const stored = await ctx.node.putBlob(b.ref, b.bytes);
    if (!stored.ok) return { ok: false, code: 'REFUSED', message: `The encrypted record could not be stored on this device: ${stored.reason}` };
    done += b.bytes.length;
  }
  onProgress({ stage: 'sending', fraction: 1 });
  return send({ node: ctx.node, random: ctx.random }, await signDraft(ctx.me.signer, sealed.draft));
}
