/**
 * Budgets for decoding untrusted bytes (issue 13 "Prove it"), measured
 * deterministically: no test here times anything (performance is measured
 * by `npm run bench`, never by timed tests).
 *
 * - Memory: {@link heldBytes} sums what a decoded value holds (byte arrays,
 *   strings, big integers), so a test can hold it to a multiple of the input.
 * - CPU: {@link metered} counts the core {@link Reader}'s operations and the
 *   bytes it copies while a decoder runs, so a test can hold the work per
 *   message to a linear function of its size. Every core decoder reads
 *   through a Reader, and every Reader operation but `end` consumes input or
 *   fails, so "operations ≤ k · bytes" is "no loop runs without reading".
 * - Allocation: {@link externalGrowth} reports how much ArrayBuffer memory a
 *   call left allocated, to show a huge length prefix was refused unallocated.
 */
import { Reader } from '../../../../src/lib/core/encoding';
import { DecodeError } from '../../../../src/lib/core/errors';

/**
 * The Reader operations per input byte a decoder may spend, plus
 * {@link READS_FIXED}. Why 6: the most a byte can cost is a zero-length
 * string (one length byte): `string` → `bytes` → `varuint` → `u8`, then
 * `fixed(0)` — five operations — and one more for a list `count` around it.
 */
export const READS_PER_BYTE = 6;
/** Operations any decode may spend regardless of size (the failing read, `end`, a version byte). */
export const READS_FIXED = 8;

/** What one metered call did through the Reader. */
export interface Meter {
  /** Reader operations called (nested ones, e.g. `u8` inside `varuint`, each count). */
  reads: number;
  /** Bytes handed out by `fixed` (copies of the input). */
  copied: number;
  /** The largest single `fixed` request that was granted. */
  largestGrant: number;
}

const METHODS = ['u8', 'u16', 'u32', 'u64', 'varuint', 'fixed', 'bytes', 'string', 'count', 'end'] as const;

/**
 * Runs `fn` with every Reader operation counted, and restores the Reader
 * whatever happens. Only synchronous decoders can be metered (the patch is
 * global while `fn` runs).
 */
export function metered<T>(fn: () => T): { value: T; meter: Meter } {
  const meter: Meter = { reads: 0, copied: 0, largestGrant: 0 };
  const proto = Reader.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const saved = METHODS.map((m) => [m, proto[m]!] as const);
  for (const [name, original] of saved)
    proto[name] = function (this: Reader, ...args: unknown[]) {
      meter.reads++;
      const out = original.apply(this, args);
      if (name === 'fixed') {
        const n = (out as Uint8Array).length;
        meter.copied += n;
        meter.largestGrant = Math.max(meter.largestGrant, n);
      }
      return out;
    };
  try {
    return { value: fn(), meter };
  } finally {
    for (const [name, original] of saved) proto[name] = original;
  }
}

/** Whether a meter is within the linear CPU budget for `inputBytes` of input. */
export function withinReadBudget(meter: Meter, inputBytes: number): boolean {
  return meter.reads <= READS_PER_BYTE * inputBytes + READS_FIXED;
}

/**
 * Runs a throwing core decoder: its value, or the {@link DecodeError} it
 * threw. Anything else it throws is not caught, so it fails the property.
 */
export function attempt<T>(decode: () => T): { ok: true; value: T } | { ok: false; error: DecodeError } {
  try {
    return { ok: true, value: decode() };
  } catch (e) {
    if (e instanceof DecodeError) return { ok: false, error: e };
    throw e;
  }
}

/**
 * Bytes a decoded value holds: the byteLength of every byte array (except
 * views into `input`, which allocate nothing), the length of every distinct
 * string (a string's UTF-16 length never exceeds its UTF-8 bytes; one string
 * referenced twice, like a shared id, is held once), the bytes of every
 * bigint, and one for every array element, map entry and object property —
 * so a decoder that builds a list of a claimed length without reading its
 * items is over budget too. Objects are walked once each (cycles, shared
 * values).
 */
export function heldBytes(value: unknown, input?: Uint8Array): number {
  const seen = new Set<unknown>();
  const strings = new Set<string>();
  let total = 0;
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (!strings.has(v)) total += v.length;
      strings.add(v);
      return;
    }
    if (typeof v === 'bigint') {
      total += Math.ceil(v.toString(16).length / 2);
      return;
    }
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (v instanceof Uint8Array) {
      if (!input || v.buffer !== input.buffer) total += v.byteLength;
      return;
    }
    const items: unknown[] = v instanceof Map ? [...v].flat() : v instanceof Set || Array.isArray(v) ? [...v] : Object.values(v);
    total += v instanceof Map ? v.size : items.length;
    for (const x of items) walk(x);
  };
  walk(value);
  return total;
}

/**
 * ArrayBuffer bytes allocated after `fn` minus before. A decoder that
 * allocated what a 2^31 length prefix claims shows gigabytes here (backing
 * stores are freed only by a later collection); one that refused it shows
 * about nothing. A collection during `fn` could hide an allocation, so this
 * backs up, and does not replace, the Reader's `largestGrant`.
 */
export function externalGrowth(fn: () => void): number {
  const before = process.memoryUsage().arrayBuffers;
  fn();
  return process.memoryUsage().arrayBuffers - before;
}

/** Allocation growth above which a single decode is taken to have allocated a claimed length (16 MiB). */
export const ALLOCATION_SLACK = 16 * 1024 * 1024;
