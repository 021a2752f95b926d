/**
 * Where a node keeps what must not be read or altered at rest: its node key
 * and a validator's vote memory (SPEC §2: secrets are never stored in
 * clear). The browser seals them under the profile's device key
 * ({@link deviceSealer}, WebCrypto AES-GCM); the deterministic simulator
 * passes {@link plainSealer}, its in-memory twin, because WebCrypto answers
 * on the platform's thread pool, outside the simulator's virtual time.
 * One suite (tests/shared/sealer-suite.ts) runs against both.
 */
import { bytesEqual, utf8 } from '../../core/bytes';
import { unwrapForDevice, wrapForDevice } from './device-key';
import type { ChainStore } from './types';

export interface Sealer {
  /** Seals `secret` under `id` (a value moved to another id does not open). */
  seal(id: string, secret: Uint8Array): Promise<void>;
  /** The secret sealed under `id`, or null when there is none or it does not open. */
  open(id: string): Promise<Uint8Array | null>;
}

/** Sealed under the profile's device key (device-key.ts). */
export function deviceSealer(store: ChainStore): Sealer {
  return { seal: (id, secret) => wrapForDevice(store, id, secret), open: (id) => unwrapForDevice(store, id) };
}

/**
 * The in-memory twin for simulated nodes only: the bytes are stored with
 * their id in front and nothing else, so a value moved to another id still
 * does not open. Never used where a real person's keys live.
 */
export function plainSealer(store: ChainStore): Sealer {
  return {
    seal: (id, secret) => {
      const tag = utf8(id);
      const out = new Uint8Array(2 + tag.length + secret.length);
      out[0] = tag.length >> 8;
      out[1] = tag.length & 0xff;
      out.set(tag, 2);
      out.set(secret, 2 + tag.length);
      return store.putWrappedKey(id, out);
    },
    open: async (id) => {
      const b = await store.wrappedKey(id);
      const tag = utf8(id);
      if (!b || b.length < 2 + tag.length) return null;
      const n = (b[0]! << 8) | b[1]!;
      if (n !== tag.length || !bytesEqual(b.subarray(2, 2 + n), tag)) return null;
      return b.slice(2 + n);
    },
  };
}
