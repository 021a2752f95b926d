/**
 * Harness page for the shared transport suite over real WebRTC: several
 * transports in one page, each with its own relay connection and node key,
 * meeting in the real relay's room.
 */
import type { WebRtcTransport } from '../../../src/lib/adapters/net/webrtc-transport';
import { transportCases, type TransportFixture } from '../../shared/transport-suite';
import { expose } from '../../../src/bench/expose';
import { pageTransport } from './lib/webrtc-node';

let round = 0;

function webrtcFixture(relayUrl: string): TransportFixture {
  const networkId = `transport-suite-${Date.now()}-${++round}`;
  const made: WebRtcTransport[] = [];
  return {
    async make(n) {
      const ts = await Promise.all(Array.from({ length: n }, () => pageTransport({ relayUrl, networkId })));
      made.push(...ts);
      return ts;
    },
    now: Date.now,
    breakLink(t, peer) {
      (t as WebRtcTransport).connection(peer)?.close();
    },
    async dispose() {
      for (const t of made) t.stop();
    },
  };
}

expose({
  caseNames: () => transportCases.map((c) => c.name),
  async runTransportCase(name: string, relayUrl: string) {
    const c = transportCases.find((x) => x.name === name);
    if (!c) throw new Error(`no transport case "${name}"`);
    const fx = webrtcFixture(relayUrl);
    try {
      await c.run(fx);
    } finally {
      await fx.dispose();
    }
  },
});
