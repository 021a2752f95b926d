/**
 * Which peers a node keeps (SPEC §6 "bounded mesh", §10: one WebRTC mesh
 * tops out at a few dozen peers; issue 13, defect 5). Every peer costs
 * memory (seen-sets, up to `peerPartialBytes` of partial messages) and
 * work, so a node keeps at most `maxPeers`: a channel that opens beyond that
 * is refused at once, before the peer can send anything.
 *
 * Validators keep links to each other (their votes decide finality), so the
 * last `validatorSlots` of those are kept for them: a peer that is not one
 * is refused at its hello once `maxPeers − validatorSlots` non-validators
 * are in. Non-validators are thus refused first; a validator is refused
 * only when every slot is taken.
 *
 * Who is a validator: a node's key is not its hospital's signing key, so
 * the chain cannot say; by default the hello's role (Hospital) decides,
 * which is a claim. A peer that lies gains at most a reserved slot — the
 * bound on peers holds either way — and a runtime that can tell passes its
 * own {@link ValidatorTest}.
 */
import { type Hello, NodeRole } from './messages';
import type { MeshConfig } from './config';
import type { Peer } from './peer';

/** Whether the peer `peerId`, who sent `hello`, is to be kept as a validator. */
export type ValidatorTest = (peerId: string, hello: Hello) => boolean;

/** The default test: the role the hello claims. */
export const claimsValidator: ValidatorTest = (_peerId, hello) => hello.role === NodeRole.Hospital;

type Limits = Pick<MeshConfig, 'maxPeers' | 'validatorSlots'>;

/** Whether a channel opening now fits (`connected` peers, greeted or not). */
export function roomForChannel(connected: number, config: Limits): boolean {
  return connected < config.maxPeers;
}

/** Whether a peer whose hello was accepted may stay, beside the `others` connected. */
export function roomAtHello(validator: boolean, others: Iterable<Peer>, config: Limits): boolean {
  if (validator) return true;
  let nonValidators = 0;
  for (const p of others) if (p.ready && !p.validator) nonValidators++;
  return nonValidators < Math.max(0, config.maxPeers - config.validatorSlots);
}
