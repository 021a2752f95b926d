/**
 * Small byte helpers shared by the core. Everything here works on
 * `Uint8Array` only (as @noble v2 does) so that a Buffer or a string never
 * leaks into an encoding by accident.
 */
import { assert } from './assert';

const HEX = '0123456789abcdef';

/** Character codes of the hex digits of every byte value, two per byte. */
const HEX_CODES = (() => {
  const t = new Uint16Array(512);
  for (let b = 0; b < 256; b++) {
    t[2 * b] = HEX.charCodeAt(b >> 4);
    t[2 * b + 1] = HEX.charCodeAt(b & 15);
  }
  return t;
})();

/**
 * Lowercase hex of `bytes`. Built in one piece from character codes: a
 * string grown by `+=` is a rope of dozens of small objects in V8 (a 64-digit
 * key about ten times its size), and hex keys are held by the hundred
 * thousand (issue 7, memory).
 */
export function toHex(bytes: Uint8Array): string {
  const codes = new Uint16Array(bytes.length * 2);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    codes[2 * i] = HEX_CODES[2 * b]!;
    codes[2 * i + 1] = HEX_CODES[2 * b + 1]!;
  }
  let out = '';
  // In slices, so a long input never exceeds the engine's argument limit.
  for (let i = 0; i < codes.length; i += 8192) out += String.fromCharCode.apply(null, codes.subarray(i, i + 8192) as unknown as number[]);
  return out;
}

/** Parses lowercase or uppercase hex; returns null when it is not hex of even length. */
export function fromHex(hex: string): Uint8Array | null {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Like {@link fromHex} but for hex that our own code wrote: throws on misuse. */
export function hexToBytes(hex: string): Uint8Array {
  const out = fromHex(hex);
  assert(out !== null, `not hex: ${hex.slice(0, 16)}`);
  return out;
}

/** Constant-shape equality (not constant-time; use for public data only). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Lexicographic order of two byte strings: negative, zero or positive. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Concatenation of byte strings. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** UTF-8 bytes of a string. */
export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** Big-endian unsigned integer value of `bytes`. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/** `value` as `length` big-endian bytes; asserts it fits. */
export function bigIntToBytes(value: bigint, length: number): Uint8Array {
  assert(value >= 0n && value < 1n << BigInt(8 * length), 'bigint does not fit');
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return out;
}
