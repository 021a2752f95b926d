/**
 * Putting the patient on the chain (SPEC §2): a RegisterPatient transaction
 * with the box key, signed by the signing key the passphrase derived. Sent
 * once, when the patient is first signed in on a device whose node runs;
 * logging in again on any device derives the same keys and finds it there.
 */
import { TxKind } from '../../core/tx';
import { type ActionResult, submitPayload } from '../clinician/sign';
import type { PatientContext } from './keys';
import { hasPending } from './pool';

export type Registration = 'on-chain' | 'pending' | 'absent';

/** Whether the patient is on the ledger, waiting in this device's pool, or neither. */
export function registrationOf(ctx: PatientContext): Registration {
  if (ctx.node.ledger()?.patients.get(ctx.me.patientId)) return 'on-chain';
  return hasPending(ctx, [TxKind.RegisterPatient]) ? 'pending' : 'absent';
}

/** Sends the registration unless it is already on the chain or waiting. */
export function registerOnChain(ctx: PatientContext): Promise<ActionResult | null> {
  if (registrationOf(ctx) !== 'absent') return Promise.resolve(null);
  return submitPayload(ctx, ctx.me.signer, { kind: TxKind.RegisterPatient, boxKey: ctx.me.box.publicKey });
}
