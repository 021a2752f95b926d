/**
 * Passphrase change as the patient does it (SPEC §2 "passphrase change (key
 * rotation, re-wrapping the patient's record keys)"):
 *
 * 1. {@link startRotation}, with the current keys: every record key the
 *    patient can open is wrapped to the new box key and stored on this
 *    device, the plan is saved (rewrap-plan.ts), and the RotatePatientKeys
 *    transaction — signed by the current key, its proof by the new one — is
 *    sent. Nothing is sent unless every record could be prepared.
 * 2. {@link resumeRewraps}, with the new keys, once the rotation is in a
 *    block: one ShareKeys per planned record, signed by the new key. It is
 *    idempotent (records that already have the new key, or a re-wrap in the
 *    pool, are skipped) and clears the plan once every re-wrap is in a block.
 *    The patient page calls it on every chain change, so a change that
 *    stopped halfway finishes at the next login with the new passphrase.
 */
import { bytesEqual, hexToBytes, toHex } from '../../../core/bytes';
import type { LedgerView } from '../../../core/ledger';
import { rotationMessage } from '../../../core/ledger-rules';
import { shareRecordKeys } from '../../../core/record-crypto';
import { TxKind } from '../../../core/tx';
import { recordsOnChain } from '../../clinician/history';
import { type ActionResult, type Signer, networkOf, refusal, submitPayload } from '../../clinician/sign';
import type { PatientContext } from '../keys';
import { pendingShares } from '../pool';
import { type PlanStore, type RewrapPlan, itemOf, itemRef } from './rewrap-plan';
import { keyStanding } from './identify';

/** The new keys: a signer (for the proof and, later, the re-wraps) and the new box public key. */
export interface NextKeys {
  readonly signer: Signer;
  readonly boxPublic: Uint8Array;
}

export type RotationProgress = { readonly stage: 'preparing'; readonly done: number; readonly total: number } | { readonly stage: 'sending' };

/** Why the change cannot start now, or null. */
function blocker(ctx: PatientContext, next: NextKeys, store: PlanStore): ActionResult | null {
  const ledger = ctx.node.ledger();
  const chain = ctx.node.chain();
  if (!ledger || !chain) return refusal('NOT_READY');
  if (keyStanding(ledger, ctx.me.signer.publicKey).status !== 'current') return refusal('NOT_CURRENT_KEYS');
  if (toHex(next.signer.publicKey) === toHex(ctx.me.signer.publicKey)) return refusal('SAME_PASSPHRASE');
  if (ledger.keys.has(toHex(next.signer.publicKey))) return refusal('PASSPHRASE_USED');
  if (store.load(ctx.me.patientId)) return refusal('ROTATION_UNFINISHED');
  if (chain.pendingTxs().some((e) => bytesEqual(e.tx.author, ctx.me.signer.publicKey))) return refusal('WRITES_PENDING');
  return null;
}

/** Wraps the key of every record of the patient not yet planned (nor erased, nor already readable by `newBox`) to `newBox`, storing the blobs. */
async function prepareItems(ctx: PatientContext, plan: RewrapPlan, onProgress: (p: RotationProgress) => void): Promise<RewrapPlan | ActionResult> {
  const ledger = ctx.node.ledger()!;
  const planned = new Set(plan.items.map((i) => i.record));
  const todo = recordsOnChain(ctx.node.chain()!, ctx.me.patientId).filter(({ id }) => {
    const r = ledger.records.get(id);
    return r && !r.erased && !r.readers.includes(plan.newBox) && !planned.has(id);
  });
  const items = [...plan.items];
  for (const [i, { id, onChain }] of todo.entries()) {
    onProgress({ stage: 'preparing', done: i, total: todo.length });
    const shared = await shareRecordKeys(onChain, hexToBytes(id), ctx.me.box, [hexToBytes(plan.newBox)], (ref) => ctx.node.getBlob(ref), ctx.random);
    if (!shared) return refusal('RECORD_NOT_SYNCED');
    const stored = await ctx.node.putBlob(shared.blob.ref, shared.blob.bytes);
    if (!stored.ok) return refusal('KEY_STORE_FAILED', stored.reason);
    items.push(itemOf(id, shared.blob.ref));
  }
  return { ...plan, items };
}

/** Prepares every re-wrap, saves the plan, and sends the rotation signed by the current key. */
export async function startRotation(
  ctx: PatientContext,
  next: NextKeys,
  store: PlanStore,
  onProgress: (p: RotationProgress) => void = () => {},
): Promise<ActionResult> {
  const why = blocker(ctx, next, store);
  if (why) return why;
  // The proof binds this network (its genesis hash): it cannot carry the takeover to another network.
  const network = networkOf(ctx.node);
  if (!network) return refusal('NOT_READY');
  const plan = await prepareItems(
    ctx,
    { patient: ctx.me.patientId, newSign: toHex(next.signer.publicKey), newBox: toHex(next.boxPublic), items: [] },
    onProgress,
  );
  if (!('items' in plan)) return plan;
  onProgress({ stage: 'sending' });
  store.save(plan);
  const proof = await next.signer.sign(rotationMessage(network, hexToBytes(ctx.me.patientId), next.signer.publicKey, next.boxPublic));
  const r = await submitPayload(ctx, ctx.me.signer, {
    kind: TxKind.RotatePatientKeys,
    patientId: hexToBytes(ctx.me.patientId),
    newSign: next.signer.publicKey,
    newBox: next.boxPublic,
    proof,
  });
  if (!r.ok) store.clear(ctx.me.patientId);
  return r;
}

/**
 * Adds to the plan the records that reached the chain while the rotation
 * waited for its block (a hospital's new record sealed to the old key),
 * while the old keys (`ctx.me`) are still in memory. Call it once the
 * rotation is confirmed, before switching to the new keys.
 */
export async function extendPlan(ctx: PatientContext, store: PlanStore): Promise<ActionResult | null> {
  const plan = store.load(ctx.me.patientId);
  if (!plan || !ctx.node.ledger() || !ctx.node.chain()) return null;
  const more = await prepareItems(ctx, plan, () => {});
  if (!('items' in more)) return more;
  store.save(more);
  return null;
}

/** Whether the rotation to `newSign` is in a block of the active chain. */
export function rotationConfirmed(ledger: LedgerView | null, patient: string, newSign: Uint8Array): boolean {
  return ledger?.patients.get(patient)?.signKey === toHex(newSign);
}

export interface ResumeResult {
  /** ShareKeys sent by this call. */
  readonly sent: number;
  /** Planned records whose re-wrap is not in a block yet (0 once the plan is done and cleared). */
  readonly remaining: number;
  readonly failed: ActionResult | null;
}

/** Sends the re-wraps the plan still owes, signed by the new key (`ctx.me`); clears the plan when all are in blocks. */
export async function resumeRewraps(ctx: PatientContext, store: PlanStore): Promise<ResumeResult> {
  const plan = store.load(ctx.me.patientId);
  const ledger = ctx.node.ledger();
  const chain = ctx.node.chain();
  const nothing = { sent: 0, remaining: plan?.items.length ?? 0, failed: null };
  if (!plan || !ledger || !chain) return nothing;
  const patient = ledger.patients.get(plan.patient);
  const me = toHex(ctx.me.signer.publicKey);
  // The rotation never made it (refused, or dropped from the pool) while the old key still acts: the plan is void.
  if (patient?.signKey === me && plan.newSign !== me && !chain.pendingTxs().some((e) => e.tx.kind === TxKind.RotatePatientKeys && toHex(e.tx.author) === me)) {
    store.clear(plan.patient);
    return { sent: 0, remaining: 0, failed: null };
  }
  // The rotation is not in a block yet, or another key acts now: nothing to sign with.
  if (patient?.signKey !== plan.newSign || toHex(ctx.me.signer.publicKey) !== plan.newSign || toHex(ctx.me.box.publicKey) !== plan.newBox) return nothing;
  const waiting = pendingShares(chain);
  let sent = 0;
  let remaining = 0;
  for (const item of plan.items) {
    const r = ledger.records.get(item.record);
    if (!r || r.erased || r.readers.includes(plan.newBox)) continue;
    remaining++;
    if (waiting.has(item.record)) continue;
    if (!(await ctx.node.getBlob(itemRef(item)))) return { sent, remaining, failed: refusal('REWRAP_MISSING') };
    const res = await submitPayload(ctx, ctx.me.signer, {
      kind: TxKind.ShareKeys,
      record: hexToBytes(item.record),
      readers: [hexToBytes(plan.newBox)],
      keys: itemRef(item),
    });
    if (!res.ok) return { sent, remaining, failed: res };
    sent++;
  }
  if (remaining === 0) store.clear(plan.patient);
  return { sent, remaining, failed: null };
}
