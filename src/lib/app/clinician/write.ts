/**
 * What a hospital writes about a patient (SPEC §3, §4): a record for a
 * patient who consented (sealed in the editor for exactly the readers the
 * ledger requires, blobs stored before the transaction is sent), and a
 * referral to another admitted hospital with a note sealed to that
 * hospital's data key. A record's attachments must be what their
 * descriptions claim (`core/file-type`), checked before anything is sealed.
 */
import { concatBytes, hexToBytes, utf8 } from '../../core/bytes';
import { checkAttachmentTypes } from '../../core/file-type';
import { openSealed, sealTo } from '../../core/sealed-box';
import type { LedgerView } from '../../core/ledger';
import { Category, MAX_SEALED_NOTE } from '../../core/payloads';
import { type RecordBody, checkRecordBody, recordDay } from '../../core/record';
import { sealNewRecord } from '../../core/record-crypto';
import { TxKind } from '../../core/tx';
import { type ActionResult, type ClinicianContext, type Signer, networkOf, refusal, send, signDraft, submitPayload } from './sign';

/**
 * The kinds of record `hospital` may add for `patient` at `now`: those its
 * live consents cover (SPEC §4; the ledger refuses others with OUT_OF_SCOPE).
 * Empty without live consent.
 */
export function writableCategories(ledger: LedgerView, patient: string, hospital: string, now: number): Category[] {
  const live = ledger.liveGrants(patient, now, hospital);
  return (Object.values(Category) as Category[]).filter((c) => live.some((g) => ledger.grantCovers(g, now, c)));
}

/**
 * Seals and sends a record by `actor` (authority or staff) of `hospital` for
 * a consented patient, in a category the consent covers; `attachments` are the files `body.attachments`
 * describe, in order. A file that is not the type it claims is refused
 * (`REFUSED`, naming it) and nothing is stored; the stored type is the
 * detected one.
 */
export async function addRecord(
  ctx: ClinicianContext,
  actor: Signer,
  hospital: string,
  patient: string,
  category: Category,
  body: RecordBody,
  attachments: readonly Uint8Array[],
  today: string,
): Promise<ActionResult> {
  const ledger = ctx.node.ledger();
  const network = networkOf(ctx.node);
  if (!ledger || !network) return refusal('NOT_READY');
  const problems = checkRecordBody(body, today);
  if (problems.length > 0) return { ok: false, code: 'FORM', problems };
  const typed = checkAttachmentTypes(body.attachments, attachments);
  if (typed.problems.length > 0) return { ok: false, code: 'FILE_TYPE', problems: typed.problems };
  const now = ctx.node.now();
  // The ledger's two rules, in its order: some live consent, and one that covers this kind of record.
  if (ledger.liveGrants(patient, now, hospital).length === 0) return refusal('NO_CONSENT');
  if (ledger.liveGrants(patient, now, hospital, category).length === 0) return refusal('OUT_OF_SCOPE');
  const readers = ledger.requiredReaders(patient, hospital, category, recordDay(body.date), now).map(hexToBytes);
  const sealed = sealNewRecord(
    {
      patientId: hexToBytes(patient),
      hospital: hexToBytes(hospital),
      author: actor.publicKey,
      category,
      body: { ...body, attachments: typed.metas },
      attachments,
      readers,
      time: now,
    },
    ctx.random,
  );
  for (const b of sealed.blobs) {
    const stored = await ctx.node.putBlob(b.ref, b.bytes);
    if (!stored.ok) return refusal('STORE_FAILED', stored.reason);
  }
  return send(ctx, await signDraft(network, actor, sealed.draft));
}

const noteContext = (patient: string) => concatBytes(utf8('medchain/referral-note/v1'), hexToBytes(patient));

/** Seals a referral note to the receiving hospital's data key (a sealed box: wrap ‖ sealed text). */
export function sealNote(ctx: ClinicianContext, toDataKey: Uint8Array, patient: string, note: string): Uint8Array {
  return sealTo(toDataKey, utf8(note), noteContext(patient), ctx.random);
}

/** Opens a referral note with one of the receiving hospital's data secrets; null when it cannot. */
export function openNote(sealed: Uint8Array, patient: string, secrets: readonly Uint8Array[]): string | null {
  const context = noteContext(patient);
  for (const s of secrets) {
    const text = openSealed(sealed, s, context);
    if (text) return new TextDecoder().decode(text);
  }
  return null;
}

/** Refers the patient from `hospital` to another admitted hospital, with a sealed note. */
export function refer(ctx: ClinicianContext, actor: Signer, hospital: string, to: string, patient: string, note: string): Promise<ActionResult> {
  const target = ctx.node.ledger()?.hospitals.get(to);
  if (!target?.member || to === hospital) return Promise.resolve(refusal('OTHER_HOSPITAL'));
  const sealedNote = sealNote(ctx, hexToBytes(target.dataKey), patient, note);
  if (sealedNote.length > MAX_SEALED_NOTE) return Promise.resolve(refusal('NOTE_TOO_LONG'));
  return submitPayload(ctx, actor, {
    kind: TxKind.Referral,
    patientId: hexToBytes(patient),
    fromHospital: hexToBytes(hospital),
    toHospital: hexToBytes(to),
    sealedNote,
  });
}
