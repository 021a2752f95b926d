/**
 * The browser transport of a node (SPEC §6): WebRTC through the relay, the
 * signalling signed with the node key held as a non-extractable WebCrypto
 * key (the seed is imported once; WebCrypto keeps the key from then on).
 */
import { importSigningKey, signWebCrypto } from '../adapters/webcrypto-ed25519';
import { WebRtcTransport, type WebRtcTransportOptions } from '../adapters/net/webrtc-transport';
import { nobleVerifier } from '../core/signature';
import type { NodeKey } from './identity';

export type WebTransportTuning = Partial<Omit<WebRtcTransportOptions, 'signalling'>> & { readonly backoffBaseMs?: number; readonly backoffMaxMs?: number };

/** A node's WebRTC transport through the relays `relayUrls` (every one it can reach). */
export async function webTransport(relayUrls: readonly string[], networkId: string, key: NodeKey, tuning: WebTransportTuning = {}): Promise<WebRtcTransport> {
  const signing = await importSigningKey(key.secret, key.pub);
  const { backoffBaseMs, backoffMaxMs, ...rest } = tuning;
  return new WebRtcTransport({
    signalling: {
      urls: relayUrls,
      WebSocket,
      networkId,
      signer: { publicKey: key.pub, sign: (m) => signWebCrypto(signing, m) },
      verifier: nobleVerifier,
      now: Date.now,
      random: Math.random,
      randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
      backoffBaseMs,
      backoffMaxMs,
    },
    ...rest,
  });
}
