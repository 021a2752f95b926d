/** Builds a WebRTC transport in a harness page: a node key signing through WebCrypto, the real relay at `relayUrl`. */
import { WebRtcTransport, type WebRtcTransportOptions } from '../../../../src/lib/adapters/net/webrtc-transport';
import { importSigningKey, signWebCrypto } from '../../../../src/lib/adapters/webcrypto-ed25519';
import { fromHex } from '../../../../src/lib/core/bytes';
import { nobleVerifier, publicKeyOf } from '../../../../src/lib/core/signature';

export interface PageTransportOptions {
  /** One relay, or several (the node uses every one it can reach). */
  readonly relayUrl: string | readonly string[];
  readonly networkId: string;
  /** 32-byte secret seed, hex; random when absent. */
  readonly secretHex?: string;
  readonly tuning?: Partial<Omit<WebRtcTransportOptions, 'signalling'>>;
}

export async function pageTransport(o: PageTransportOptions): Promise<WebRtcTransport> {
  const secret = o.secretHex ? fromHex(o.secretHex)! : crypto.getRandomValues(new Uint8Array(32));
  const publicKey = publicKeyOf(secret);
  const key = await importSigningKey(secret, publicKey);
  secret.fill(0);
  return new WebRtcTransport({
    signalling: {
      urls: typeof o.relayUrl === 'string' ? [o.relayUrl] : o.relayUrl,
      WebSocket,
      networkId: o.networkId,
      signer: { publicKey, sign: (m) => signWebCrypto(key, m) },
      verifier: nobleVerifier,
      now: Date.now,
      random: Math.random,
      randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
      backoffBaseMs: 100,
      backoffMaxMs: 1000,
    },
    helloMs: 3000,
    reconnectBaseMs: 200,
    reconnectMaxMs: 1000,
    connectTimeoutMs: 8000,
    houseMs: 100,
    ...o.tuning,
  });
}
