/**
 * A small seeded pseudo-random generator (sfc32) for deterministic demo
 * chains and the network simulator. Never for keys or nonces that must be
 * secret: the core takes real randomness from its caller.
 */
import { sha256 } from './hash';
import { utf8 } from './bytes';

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** Seeds from any string (hashed), so "1" and "01" are different seeds. */
  constructor(seed: string) {
    const h = sha256(utf8(`medchain/prng/${seed}`));
    const v = new DataView(h.buffer, h.byteOffset, h.byteLength);
    this.a = v.getUint32(0);
    this.b = v.getUint32(4);
    this.c = v.getUint32(8);
    this.d = v.getUint32(12);
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  /** Uniform 32-bit unsigned integer. */
  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextU32() / 0x100000000;
  }

  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A uniformly chosen element. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }

  /** `n` pseudo-random bytes. */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const v = this.nextU32();
      for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (v >>> (8 * j)) & 0xff;
    }
    return out;
  }

  /** A safe integer below 2^53. */
  u53(): number {
    return (this.nextU32() & 0x1fffff) * 0x100000000 + this.nextU32();
  }
}
