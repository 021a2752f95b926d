/**
 * The node's own key (issue 5): an Ed25519 key that names this node on the
 * mesh and signs its signalling (SPEC §6). Made once per browser profile and
 * kept wrapped under the device key (device-key.ts), never in clear. A
 * hospital validator's signing key is not this key: whoever boots the node
 * (the app, or a test) passes it in.
 */
import { publicKeyOf } from '../core/signature';
import type { Sealer } from '../adapters/store/sealer';

export interface NodeKey {
  readonly secret: Uint8Array;
  readonly pub: Uint8Array;
}

/** Where the wrapped node key is stored. */
export const NODE_KEY_ID = 'node/key';

/** The node key of this profile, made and stored (wrapped) on first use. */
export async function loadNodeKey(sealer: Sealer, randomBytes: (n: number) => Uint8Array): Promise<NodeKey> {
  const have = await sealer.open(NODE_KEY_ID);
  if (have && have.length === 32) return { secret: have, pub: publicKeyOf(have) };
  const secret = randomBytes(32);
  await sealer.seal(NODE_KEY_ID, secret);
  return { secret, pub: publicKeyOf(secret) };
}
