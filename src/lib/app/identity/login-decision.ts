/**
 * Whether log in may open the keys an Aadhaar number and passphrase derived
 * (SPEC §2). A mistyped passphrase derives valid keys of no one; opening
 * them would show an empty record book under a new id, and the patient page
 * would then register that id for good. So log in opens only a patient this
 * device's node knows: on its ledger, or registered from this device and
 * still waiting in its pool. A node that has not synced cannot tell, and
 * says so; registering stays on the register page.
 */
import { bytesEqual } from '../../core/bytes';
import type { LedgerView } from '../../core/ledger';
import { type Tx, TxKind } from '../../core/tx';
import { keyStanding } from '../patient/settings/identify';

export type LoginDecision =
  /** A known patient: `patient` is the ledger's hex id (after a passphrase change, not the key's hash). */
  | { readonly kind: 'open'; readonly patient: string }
  /** Keys a passphrase change replaced: they no longer act for `patient`. */
  | { readonly kind: 'rotated'; readonly patient: string }
  /** The node is synced and knows no patient with these keys. */
  | { readonly kind: 'unknown' }
  /** The node cannot tell yet: no ledger, nothing beyond genesis, or a peer has a longer chain. */
  | { readonly kind: 'syncing' }
  /** The keys belong to `patient`, not to the profile the person chose on this device (forProfile). */
  | { readonly kind: 'other-profile'; readonly patient: string };

/** What the node knows, read at the moment of the decision. */
export interface LoginView {
  /** The ledger at the tip (null while the node opens its store). */
  readonly ledger: LedgerView | null;
  /** This node's chain height. */
  readonly height: number;
  /** The highest tip a connected peer told of (this node's own height when none is higher or none is connected). */
  readonly bestHeight: number;
  /** Transactions waiting in this device's pool. */
  readonly pending: readonly Tx[];
}

/** The decision for the derived signing key `signPublic` on `view`. */
export function decideLogin(view: LoginView, signPublic: Uint8Array): LoginDecision {
  if (!view.ledger) return { kind: 'syncing' };
  const standing = keyStanding(view.ledger, signPublic);
  if (standing.status === 'current') return { kind: 'open', patient: standing.patient };
  if (standing.status === 'rotated') return { kind: 'rotated', patient: standing.patient };
  if (view.pending.some((tx) => tx.kind === TxKind.RegisterPatient && bytesEqual(tx.author, signPublic))) return { kind: 'open', patient: standing.patient };
  if (view.height === 0 || view.height < view.bestHeight) return { kind: 'syncing' };
  return { kind: 'unknown' };
}

/**
 * The decision when the person chose a profile on this device first
 * (profiles.ts; `chosen` is its hex patient id, null when none was chosen):
 * keys that belong to another patient — a sibling's number and passphrase
 * typed into the daughter's form — are refused, never opened in its place,
 * so a family phone never switches people silently.
 */
export function forProfile(decision: LoginDecision, chosen: string | null): LoginDecision {
  if (chosen === null || (decision.kind !== 'open' && decision.kind !== 'rotated') || decision.patient === chosen) return decision;
  return { kind: 'other-profile', patient: decision.patient };
}
