/** The shared transport suite against the in-memory twin (the same cases run in Chromium over WebRTC). */
import { describe, it } from 'vitest';
import { MemoryHub, MemoryTransport } from '../../../../src/lib/adapters/net/memory-transport';
import type { Transport } from '../../../../src/lib/adapters/net/transport';
import { transportCases, type TransportFixture } from '../../../shared/transport-suite';

let counter = 0;

function memoryFixture(): TransportFixture {
  const hub = new MemoryHub({ now: Date.now, reconnectMs: 100 });
  const made: Transport[] = [];
  return {
    async make(n) {
      const ts = Array.from({ length: n }, () => new MemoryTransport(hub, (++counter).toString(16).padStart(64, '0')));
      made.push(...ts);
      return ts;
    },
    now: Date.now,
    breakLink: (t, peer) => hub.cut(t.self, peer),
    async dispose() {
      for (const t of made) t.stop();
    },
  };
}

describe('transport (memory twin): shared suite', () => {
  for (const c of transportCases)
    it(c.name, { timeout: 40_000 }, async () => {
      const fx = memoryFixture();
      try {
        await c.run(fx);
      } finally {
        await fx.dispose();
      }
    });
});
