/**
 * Canonical binary encoding (SPEC §5): a {@link Writer} and a {@link Reader}
 * with matched operations, in the style of yjs' `writeX`/`readX` pairs.
 *
 * Every value has exactly one accepted encoding: fixed-width integers are
 * big-endian, variable-length integers are minimal unsigned LEB128, lengths
 * prefix byte strings and lists, and every length has an explicit maximum
 * checked before anything is allocated. A Reader refuses bytes that any other
 * encoding would not have produced, so `encode(decode(b))` equals `b` for every
 * accepted `b`, and hashes never depend on how something was written.
 */
import { DecodeError } from './errors';
import { assert } from './assert';

/** Largest integer a varuint or u64 field may carry (JavaScript's safe range). */
export const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** A UTF-16 surrogate without its pair: text with one has no UTF-8 form. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Growable byte buffer for encoders. */
export class Writer {
  private buf = new Uint8Array(256);
  private len = 0;

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  u8(v: number): this {
    assert(Number.isInteger(v) && v >= 0 && v <= 0xff, `u8 out of range: ${v}`);
    this.reserve(1);
    this.buf[this.len++] = v;
    return this;
  }

  u16(v: number): this {
    assert(Number.isInteger(v) && v >= 0 && v <= 0xffff, `u16 out of range: ${v}`);
    this.reserve(2);
    this.buf[this.len++] = v >>> 8;
    this.buf[this.len++] = v & 0xff;
    return this;
  }

  u32(v: number): this {
    assert(Number.isInteger(v) && v >= 0 && v <= 0xffffffff, `u32 out of range: ${v}`);
    this.reserve(4);
    this.buf[this.len++] = v >>> 24;
    this.buf[this.len++] = (v >>> 16) & 0xff;
    this.buf[this.len++] = (v >>> 8) & 0xff;
    this.buf[this.len++] = v & 0xff;
    return this;
  }

  /** 8 bytes big-endian; the value must be a safe integer. */
  u64(v: number): this {
    assert(Number.isSafeInteger(v) && v >= 0, `u64 out of range: ${v}`);
    const hi = Math.floor(v / 0x100000000);
    this.u32(hi);
    return this.u32(v - hi * 0x100000000);
  }

  /** Minimal unsigned LEB128 of a safe integer. */
  varuint(v: number): this {
    assert(Number.isSafeInteger(v) && v >= 0, `varuint out of range: ${v}`);
    while (v >= 0x80) {
      this.u8((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    return this.u8(v);
  }

  /** Exactly `n` bytes, no length prefix (hashes, keys, signatures). */
  fixed(bytes: Uint8Array, n: number): this {
    assert(bytes.length === n, `expected ${n} bytes, got ${bytes.length}`);
    this.reserve(n);
    this.buf.set(bytes, this.len);
    this.len += n;
    return this;
  }

  /** A varuint length then the bytes; `max` is the same limit the reader enforces. */
  bytes(bytes: Uint8Array, max: number): this {
    assert(bytes.length <= max, `byte string over its limit ${max}`);
    this.varuint(bytes.length);
    return this.fixed(bytes, bytes.length);
  }

  /** UTF-8 string with a byte-length limit; a lone surrogate (no UTF-8 form) is our bug. */
  string(s: string, maxBytes: number): this {
    assert(!LONE_SURROGATE.test(s), 'string with a lone surrogate has no canonical UTF-8 form');
    return this.bytes(new TextEncoder().encode(s), maxBytes);
  }

  /** The bytes written so far (a copy). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Cursor over bytes for decoders; every method throws {@link DecodeError} on bad input. */
export class Reader {
  private at = 0;
  constructor(private readonly buf: Uint8Array) {}

  get offset(): number {
    return this.at;
  }

  get remaining(): number {
    return this.buf.length - this.at;
  }

  private need(n: number, what: string): void {
    if (this.remaining < n) throw new DecodeError('TRUNCATED', `input ends inside ${what}`, this.at);
  }

  u8(what = 'u8'): number {
    this.need(1, what);
    return this.buf[this.at++]!;
  }

  u16(what = 'u16'): number {
    this.need(2, what);
    const v = (this.buf[this.at]! << 8) | this.buf[this.at + 1]!;
    this.at += 2;
    return v;
  }

  u32(what = 'u32'): number {
    this.need(4, what);
    const b = this.buf;
    const i = this.at;
    const v = b[i]! * 0x1000000 + ((b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!);
    this.at += 4;
    return v;
  }

  /** 8 bytes big-endian; values above 2^53-1 are refused as OUT_OF_RANGE. */
  u64(what = 'u64'): number {
    const start = this.at;
    const hi = this.u32(what);
    const lo = this.u32(what);
    if (hi > 0x1fffff) throw new DecodeError('OUT_OF_RANGE', `${what} above 2^53-1`, start);
    return hi * 0x100000000 + lo;
  }

  /** Minimal unsigned LEB128 up to 2^53-1. */
  varuint(what = 'varuint'): number {
    const start = this.at;
    let v = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      if (i >= 8) throw new DecodeError('OUT_OF_RANGE', `${what} too long`, start);
      const b = this.u8(what);
      v += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        if (b === 0 && i > 0) throw new DecodeError('NON_CANONICAL', `${what} not minimal`, start);
        if (v > MAX_SAFE) throw new DecodeError('OUT_OF_RANGE', `${what} above 2^53-1`, start);
        return v;
      }
      scale *= 0x80;
    }
  }

  /** Exactly `n` bytes (a copy, so later writes to the input cannot change it). */
  fixed(n: number, what = 'bytes'): Uint8Array {
    this.need(n, what);
    const out = this.buf.slice(this.at, this.at + n);
    this.at += n;
    return out;
  }

  /** A length-prefixed byte string of at most `max` bytes; the limit is checked before reading. */
  bytes(max: number, what = 'bytes'): Uint8Array {
    const start = this.at;
    const n = this.varuint(`${what} length`);
    if (n > max) throw new DecodeError('OVERSIZE', `${what} of ${n} bytes over its limit ${max}`, start);
    return this.fixed(n, what);
  }

  /** A length-prefixed UTF-8 string; invalid UTF-8 is NON_CANONICAL. */
  string(maxBytes: number, what = 'string'): string {
    const start = this.at;
    const raw = this.bytes(maxBytes, what);
    try {
      return utf8Strict.decode(raw);
    } catch {
      throw new DecodeError('NON_CANONICAL', `${what} is not valid UTF-8`, start);
    }
  }

  /** A list count with a limit checked before anything is allocated. */
  count(max: number, what = 'list'): number {
    const start = this.at;
    const n = this.varuint(`${what} count`);
    if (n > max) throw new DecodeError('OVERSIZE', `${what} of ${n} items over its limit ${max}`, start);
    return n;
  }

  /** Throws TRAILING_BYTES unless every byte was consumed. */
  end(what = 'value'): void {
    if (this.remaining !== 0) throw new DecodeError('TRAILING_BYTES', `${this.remaining} bytes after the ${what}`, this.at);
  }
}

/** Runs `write` on a fresh Writer and returns the bytes: the encoder of a `writeX`. */
export function encodeWith<T>(write: (w: Writer, value: T) => void, value: T): Uint8Array {
  const w = new Writer();
  write(w, value);
  return w.finish();
}

/** Runs `read` over all of `bytes` and requires that nothing is left over. */
export function decodeAll<T>(bytes: Uint8Array, read: (r: Reader) => T, what: string): T {
  const r = new Reader(bytes);
  const v = read(r);
  r.end(what);
  return v;
}
