/**
 * A passphrase change in this tab, step by step (SPEC §2): the new keys are
 * derived in the KDF worker (non-extractable; the rotation proof is signed
 * with the new WebCrypto key, so no raw secret is revealed), the rotation is
 * prepared and sent with the current keys (rotation.ts), and — on a later
 * chain change, once it is in a block — the plan is topped up with the old
 * keys still in memory and the session switches to the new keys. The page
 * then sends the re-wraps ({@link resumeRewraps}) as it does after any login,
 * so the same code finishes a change here and one that stopped halfway.
 */
import { signWebCrypto } from '../../../adapters/webcrypto-ed25519';
import { deriveInWorker, type DerivedKeys } from '../../identity/derive';
import { adoptKeys, keyNetworkId, onSignOut } from '../../identity/session.svelte';
import type { PatientContext } from '../keys';
import { browserPlanStore, type PlanStore } from './rewrap-plan';
import { extendPlan, rotationConfirmed, startRotation } from './rotation';
import type { ActionFailure } from '../../clinician/sign';

export type ChangePhase =
  | { readonly phase: 'idle' }
  | { readonly phase: 'deriving'; readonly fraction: number }
  | { readonly phase: 'preparing'; readonly done: number; readonly total: number }
  | { readonly phase: 'waiting' }
  | { readonly phase: 'rewrapping'; readonly remaining: number }
  | { readonly phase: 'done' }
  | { readonly phase: 'failed'; readonly failure: ChangeFailure };

/**
 * Why a change stopped, for the screen to word: the number and current
 * passphrase are not this session's (WRONG_SECRET), the new keys could not be
 * made (KEYS_FAILED), the rotation was refused (REFUSED), or it went through
 * but a late record could not be re-wrapped (REWRAP_FAILED); the last two
 * carry the action's refusal.
 */
export type ChangeFailure = { readonly code: 'WRONG_SECRET' | 'KEYS_FAILED' } | { readonly code: 'REFUSED' | 'REWRAP_FAILED'; readonly refusal: ActionFailure };

export const change = $state<{ current: ChangePhase }>({ current: { phase: 'idle' } });

let store: PlanStore | null = null;
/** The plans of this device (localStorage; a map where the browser has none). */
export function planStore(): PlanStore {
  store ??= browserPlanStore();
  return store;
}

/** The derived new keys while their rotation waits for a block (memory only). */
let pendingKeys: DerivedKeys | null = null;
/** Sign-outs so far: a change that was still deriving or sending when one happened keeps nothing. */
let signOuts = 0;
/** Reactive twin of `pendingKeys !== null`, so the page re-reads it. */
const flags = $state({ switching: false });

function setPending(keys: DerivedKeys | null): void {
  pendingKeys = keys;
  flags.switching = keys !== null;
}

/**
 * Whether this tab is switching keys: the old key is about to be replaced on
 * purpose. Reactive, so a block that confirms the rotation before the send
 * has returned (the key looks replaced for a moment) is re-read as this
 * tab's own change once it has.
 */
export const switching = (): boolean => flags.switching;

const fail = (failure: ChangeFailure) => (change.current = { phase: 'failed', failure });

/** Whether the Aadhaar number and current passphrase give this session's keys (one more KDF run in the worker). */
async function provesSession(ctx: PatientContext, aadhaarDigits: string, current: string): Promise<boolean> {
  const keys = await deriveInWorker(keyNetworkId(), aadhaarDigits, current, (fraction) => (change.current = { phase: 'deriving', fraction: fraction / 2 }));
  keys.boxSecret?.fill(0);
  const mine = ctx.me.signer.publicKey;
  return keys.signPublic.length === mine.length && keys.signPublic.every((b, i) => b === mine[i]);
}

/**
 * Derives the new keys and sends the rotation; the rest happens in
 * {@link step}. `current` (null in a recovery-kit session) must, with the
 * number, give this session's keys, so the new keys are salted with the
 * right number.
 */
export async function changePassphrase(ctx: PatientContext, aadhaarDigits: string, newPassphrase: string, current: string | null): Promise<void> {
  const started = signOuts;
  change.current = { phase: 'deriving', fraction: 0 };
  let keys: DerivedKeys;
  try {
    if (current !== null && !(await provesSession(ctx, aadhaarDigits, current))) {
      fail({ code: 'WRONG_SECRET' });
      return;
    }
    const base = current !== null ? 0.5 : 0;
    keys = await deriveInWorker(
      keyNetworkId(),
      aadhaarDigits,
      newPassphrase,
      (fraction) => (change.current = { phase: 'deriving', fraction: base + fraction * (1 - base) }),
    );
  } catch {
    fail({ code: 'KEYS_FAILED' });
    return;
  }
  await rotateTo(ctx, keys, started);
}

/**
 * Sends the rotation to keys already derived (a passphrase change above, or
 * the end of a recovery through people, app/recovery/finish.ts); the rest
 * happens in {@link step}, as for any passphrase change.
 */
export async function rotateTo(ctx: PatientContext, keys: DerivedKeys, started = signOuts): Promise<void> {
  const signer = { publicKey: keys.signPublic, sign: (m: Uint8Array) => signWebCrypto(keys.signKey, m) };
  const r = await startRotation(ctx, { signer, boxPublic: keys.boxPublic }, planStore(), (p) => {
    if (p.stage === 'preparing') change.current = { phase: 'preparing', done: p.done, total: p.total };
  });
  if (started !== signOuts) {
    // Signed out meanwhile: these keys are not kept for whoever signs in next (the plan finishes at this patient's next log in).
    keys.boxSecret?.fill(0);
    change.current = { phase: 'idle' };
    return;
  }
  if (!r.ok) {
    keys.boxSecret?.fill(0);
    fail({ code: 'REFUSED', refusal: r });
    return;
  }
  setPending(keys);
  change.current = { phase: 'waiting' };
}

/** On every chain change (the page calls it): once the rotation is in a block, top up the plan and switch keys; then follow the re-wraps. */
export async function step(ctx: PatientContext): Promise<void> {
  const keys = pendingKeys;
  const ledger = ctx.node.ledger();
  if (keys && rotationConfirmed(ledger, ctx.me.patientId, keys.signPublic)) {
    pendingKeys = null; // taken once: a second call meanwhile must not adopt (and wipe) twice; `switching` stays on until adopted
    const started = signOuts;
    const extra = await extendPlan(ctx, planStore());
    if (started !== signOuts) {
      keys.boxSecret?.fill(0); // signed out meanwhile: never adopted into the next person's session
      return;
    }
    adoptKeys(keys);
    setPending(null);
    if (extra && !extra.ok) fail({ code: 'REWRAP_FAILED', refusal: extra });
    else change.current = { phase: 'rewrapping', remaining: planStore().load(ctx.me.patientId)?.items.length ?? 0 };
    return;
  }
  if (change.current.phase === 'rewrapping') {
    const plan = planStore().load(ctx.me.patientId);
    const remaining = plan ? plan.items.filter((i) => !ledger?.records.get(i.record)?.readers.includes(plan.newBox)).length : 0;
    change.current = remaining === 0 ? { phase: 'done' } : { phase: 'rewrapping', remaining };
  }
}

/**
 * At sign-out (switching to another profile on this device, SPEC §2
 * "Family"): the new keys of a change still waiting for its block are wiped
 * and the form is reset, so nothing of this patient stays in memory for the
 * next one. The plan stays stored: the next log in with the new passphrase
 * finishes the re-wraps, as after a closed tab.
 */
function forgetChange(): void {
  signOuts++;
  pendingKeys?.boxSecret?.fill(0);
  setPending(null);
  change.current = { phase: 'idle' };
}
onSignOut(forgetChange);

/** Back to the form (after done or failed). */
export function resetChange(): void {
  if (!pendingKeys) change.current = { phase: 'idle' };
}
