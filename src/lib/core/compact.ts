/**
 * Bitcoin's compact ("nBits") form of a 256-bit target (SPEC §5: targets
 * travel in compact form). The byte-for-byte behaviour of Bitcoin Core's
 * `arith_uint256::SetCompact` / `GetCompact`, so that retargets computed with
 * Bitcoin's parameters give Bitcoin Core's exact results.
 *
 * Layout: the top byte is a size in bytes, the low 23 bits a mantissa, bit 23
 * a sign. value = mantissa × 256^(size − 3).
 */

export interface DecodedCompact {
  /** The target (meaningless when `negative` or `overflow`). */
  target: bigint;
  /** The sign bit was set with a non-zero mantissa: never a valid target. */
  negative: boolean;
  /** The value does not fit in 256 bits: never a valid target. */
  overflow: boolean;
}

import { assert } from './assert';

const U256 = (1n << 256n) - 1n;

/** Decodes compact bits exactly as Bitcoin Core's SetCompact does. */
export function decodeCompact(bits: number): DecodedCompact {
  const size = bits >>> 24;
  let word = bits & 0x007fffff;
  let target: bigint;
  if (size <= 3) {
    word >>>= 8 * (3 - size);
    target = BigInt(word);
  } else {
    target = (BigInt(word) << BigInt(8 * (size - 3))) & U256;
  }
  const negative = word !== 0 && (bits & 0x00800000) !== 0;
  const overflow = word !== 0 && (size > 34 || (word > 0xff && size > 33) || (word > 0xffff && size > 32));
  return { target, negative, overflow };
}

/** Encodes a non-negative target to compact bits exactly as Bitcoin Core's GetCompact does. */
export function encodeCompact(target: bigint): number {
  assert(target >= 0n && target <= U256, 'encodeCompact of a value outside 0..2^256-1');
  let size = byteLength(target);
  let word: number;
  if (size <= 3) {
    word = Number(target) << (8 * (3 - size));
  } else {
    word = Number((target >> BigInt(8 * (size - 3))) & 0xffffffn);
  }
  // The mantissa's top bit would read as a sign: move one byte into the size.
  if (word & 0x00800000) {
    word >>>= 8;
    size += 1;
  }
  return ((size << 24) | word) >>> 0;
}

/** The target of `bits`, or null when Bitcoin would refuse it (negative, overflow or zero). */
export function targetFromBits(bits: number): bigint | null {
  const d = decodeCompact(bits);
  if (d.negative || d.overflow || d.target === 0n) return null;
  return d.target;
}

/**
 * Expected number of hashes to meet `target`: 2^256 / (target + 1), as
 * Bitcoin Core's GetBlockProof. Fork choice sums this ("most work").
 */
export function workForTarget(target: bigint): bigint {
  return (1n << 256n) / (target + 1n);
}

/** `bits` as `0x` plus 8 lowercase hex digits, the form the CLI prints. */
export function formatBits(bits: number): string {
  return '0x' + (bits >>> 0).toString(16).padStart(8, '0');
}

/** Parses `0x1d00ffff`-style bits (or decimal); null when malformed or outside 32 bits. */
export function parseBits(text: string): number | null {
  const t = text.trim();
  if (!/^(0x[0-9a-fA-F]{1,8}|[0-9]{1,10})$/.test(t)) return null;
  const v = Number(t);
  return Number.isInteger(v) && v >= 0 && v <= 0xffffffff ? v : null;
}

function byteLength(v: bigint): number {
  let n = 0;
  while (v > 0n) {
    v >>= 8n;
    n++;
  }
  return n;
}
