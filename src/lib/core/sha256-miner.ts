/**
 * A SHA-256 search loop specialised for the 118-byte header (issue 7: a miner
 * far below native speed hands an attacker with native code a large
 * advantage). The header plus padding is exactly two 64-byte blocks and the
 * nonce sits in words 12–13 of the second one, so per template it
 * precomputes: the midstate (the first block), the first 12 rounds of the
 * second block and the schedule words W16–W18, none of which depend on the
 * nonce. Each nonce then costs the remaining 52 rounds. Results are
 * identical to SHA-256 of the header (tested against @noble/hashes).
 */
import { assert } from './assert';
import { HEADER_BYTES, NONCE_OFFSET } from './header';

/** SHA-256 round constants (FIPS 180-4 §4.2.2). */
export const SHA256_K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74,
  0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d,
  0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e,
  0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
  0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));

/** SHA-256 compression of one block (16 words) into `state` (in place). */
function compress(state: number[], w: Uint32Array): void {
  const W = new Uint32Array(64);
  W.set(w.subarray(0, 16));
  for (let i = 16; i < 64; i++) {
    const s0 = rotr(W[i - 15]!, 7) ^ rotr(W[i - 15]!, 18) ^ (W[i - 15]! >>> 3);
    const s1 = rotr(W[i - 2]!, 17) ^ rotr(W[i - 2]!, 19) ^ (W[i - 2]! >>> 10);
    W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
  }
  let [a, b, c, d, e, f, g, h] = state as [number, number, number, number, number, number, number, number];
  for (let i = 0; i < 64; i++) {
    const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + SHA256_K[i]! + W[i]!) | 0;
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  const out = [a, b, c, d, e, f, g, h];
  for (let i = 0; i < 8; i++) state[i] = (state[i]! + out[i]!) | 0;
}

function words(bytes: Uint8Array, offset: number, count: number): Uint32Array {
  const v = new DataView(bytes.buffer, bytes.byteOffset + offset, count * 4);
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = v.getUint32(4 * i);
  return out;
}

/** The search over nonces for one header template. */
export interface HeaderMiner {
  /** Tries nonces start…start+count−1 (≤ 2^32−1); the first whose hash is ≤ target, or −1. */
  search(start: number, count: number, target: Uint8Array): number;
  /** SHA-256 of the header with this nonce (for checks and tests). */
  hash(nonce: number): Uint8Array;
}

/** What every nonce of a header shares: the midstate and the second block's 16 words (nonce bytes as in `header`). */
export interface HeaderWords {
  readonly mid: number[];
  readonly w: Uint32Array;
}

/** The midstate (first 64 bytes hashed) and the padded second block of an encoded header, as words. */
export function headerWords(header: Uint8Array): HeaderWords {
  assert(header.length === HEADER_BYTES && NONCE_OFFSET === 114, 'headerMiner needs an encoded 118-byte header');
  const mid = [...IV];
  compress(mid, words(header, 0, 16));
  const block = new Uint8Array(64);
  block.set(header.subarray(64));
  block[54] = 0x80;
  new DataView(block.buffer).setUint32(60, HEADER_BYTES * 8);
  return { mid, w: words(block, 0, 16) };
}

export function headerMiner(header: Uint8Array): HeaderMiner {
  const { mid, w } = headerWords(header);
  // Nonce bytes are block bytes 50..53: the low half of W12 and the high half of W13.
  const w12hi = w[12]! & 0xffff0000;
  const w13lo = w[13]! & 0x0000ffff;

  // Precomputed: 12 rounds (W0..W11 do not depend on the nonce) and W16..W18.
  let [a0, b0, c0, d0, e0, f0, g0, h0] = mid as [number, number, number, number, number, number, number, number];
  for (let i = 0; i < 12; i++) {
    const t1 = (h0 + (rotr(e0, 6) ^ rotr(e0, 11) ^ rotr(e0, 25)) + ((e0 & f0) ^ (~e0 & g0)) + SHA256_K[i]! + w[i]!) | 0;
    const t2 = ((rotr(a0, 2) ^ rotr(a0, 13) ^ rotr(a0, 22)) + ((a0 & b0) ^ (a0 & c0) ^ (b0 & c0))) | 0;
    h0 = g0;
    g0 = f0;
    f0 = e0;
    e0 = (d0 + t1) | 0;
    d0 = c0;
    c0 = b0;
    b0 = a0;
    a0 = (t1 + t2) | 0;
  }
  const W = new Uint32Array(64);
  W.set(w);
  for (let i = 16; i < 19; i++) {
    const s0 = rotr(W[i - 15]!, 7) ^ rotr(W[i - 15]!, 18) ^ (W[i - 15]! >>> 3);
    const s1 = rotr(W[i - 2]!, 17) ^ rotr(W[i - 2]!, 19) ^ (W[i - 2]! >>> 10);
    W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
  }
  const out = new Uint32Array(8);

  /** Runs rounds 12..63 for `nonce`; returns the first hash word, leaves the rest in `out` when `full`. */
  const run = (nonce: number, full: boolean): number => {
    W[12] = w12hi | (nonce >>> 16);
    W[13] = ((nonce & 0xffff) << 16) | w13lo;
    let a = a0,
      b = b0,
      c = c0,
      d = d0,
      e = e0,
      f = f0,
      g = g0,
      h = h0;
    for (let i = 12; i < 64; i++) {
      let wi: number;
      if (i < 19) wi = W[i]!;
      else {
        const x = W[i - 15]!;
        const y = W[i - 2]!;
        wi =
          (W[i - 16]! +
            (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)) +
            W[i - 7]! +
            (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10))) |
          0;
        W[i] = wi;
      }
      const t1 = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + SHA256_K[i]! + wi) | 0;
      const t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    if (full) {
      out[0] = mid[0]! + a;
      out[1] = mid[1]! + b;
      out[2] = mid[2]! + c;
      out[3] = mid[3]! + d;
      out[4] = mid[4]! + e;
      out[5] = mid[5]! + f;
      out[6] = mid[6]! + g;
      out[7] = mid[7]! + h;
    }
    return (mid[0]! + a) >>> 0;
  };

  return {
    search(start, count, target) {
      assert(target.length === 32, 'target must be 32 bytes');
      const t = words(target, 0, 8);
      const t0 = t[0]!;
      const end = Math.min(0xffffffff, start + count - 1);
      for (let nonce = start; nonce <= end; nonce++) {
        // Most nonces fail on the first word: compare it before anything else.
        if (run(nonce >>> 0, false) > t0) continue;
        run(nonce >>> 0, true);
        // Big-endian comparison of hash ≤ target, word by word.
        for (let i = 0; i < 8; i++) {
          if (out[i]! < t[i]!) return nonce;
          if (out[i]! > t[i]!) break;
          if (i === 7) return nonce;
        }
      }
      return -1;
    },
    hash(nonce) {
      run(nonce >>> 0, true);
      const bytes = new Uint8Array(32);
      const v = new DataView(bytes.buffer);
      for (let i = 0; i < 8; i++) v.setUint32(4 * i, out[i]!);
      return bytes;
    },
  };
}
