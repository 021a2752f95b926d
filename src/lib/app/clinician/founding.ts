/**
 * The founding authority's path (SPEC §2, §5): its keys are derived under
 * the new network's id, its epoch-0 hospital data key is made from them, the
 * genesis block names it, and this device's node starts voting with its key.
 * The authority is then signed in, as after a log-in.
 */
import type { QuorumRule } from '../../core/payloads';
import type { RandomBytes } from '../../core/record-crypto';
import { foundNetwork } from '../node/app-node.svelte';
import { hospitalDataKey } from './data-key';
import { newNetworkId } from './found';
import { clinicianSignIn, dropValidatorSecret } from './session.svelte';
import { publicKeyOf } from '../../core/signature';

export interface FoundRequest {
  readonly networkName: string;
  readonly hospitalName: string;
  /** Checked relay addresses (parseRelayList). */
  readonly relayUrls: readonly string[];
  /** Checked digits (checkFounding). */
  readonly aadhaarDigits: string;
  readonly passphrase: string;
  /** The quorum the genesis records (two thirds unless the founder chose the majority). */
  readonly quorum: QuorumRule;
}

/** Founds the network; throws only for failures the caller shows as such (KDF, storage). */
export async function foundAsAuthority(r: FoundRequest, random: RandomBytes, onProgress: (f: number) => void): Promise<string> {
  const id = newNetworkId(r.networkName, random);
  const session = await clinicianSignIn(r.aadhaarDigits, r.passphrase, onProgress, id);
  const secret = session.validatorSecret;
  if (!secret) throw new Error('the signing key was not revealed');
  const data = await hospitalDataKey(session.signer, 0);
  data.secret.fill(0);
  // The node keeps its own copy (wrapped under the device key); the session's copy is wiped.
  const authority = { secret: secret.slice(), pub: publicKeyOf(secret) };
  dropValidatorSecret(session);
  await foundNetwork({
    id,
    relayUrls: r.relayUrls,
    networkName: r.networkName.trim(),
    hospitalName: r.hospitalName.trim(),
    authority,
    dataKey: data.publicKey,
    quorum: r.quorum,
  });
  return id;
}
