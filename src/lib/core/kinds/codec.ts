/**
 * Field codecs the kinds' payloads share: blob references, bounded counts,
 * key lists and enumerations, over the core's canonical Writer/Reader.
 */
import { type Reader, type Writer, decodeAll } from '../encoding';
import { assert } from '../assert';
import { DecodeError } from '../errors';
import { HASH_BYTES } from '../hash';
import { type BlobRef, MAX_BLOB_BYTES } from '../payload-fields';

/** An Ed25519 or X25519 public key. */
export const KEY = 32;
/** An Ed25519 signature. */
export const SIG = 64;

/** A blob reference: its hash and size (over the limit is our bug). */
export function writeBlob(w: Writer, b: BlobRef): void {
  assert(b.size <= MAX_BLOB_BYTES, 'blob size over the limit');
  w.fixed(b.hash, HASH_BYTES).u32(b.size);
}

/** A blob reference; OVERSIZE when its size is over {@link MAX_BLOB_BYTES}. */
export function readBlob(r: Reader): BlobRef {
  const hash = r.fixed(HASH_BYTES, 'blob hash');
  const at = r.offset;
  const size = r.u32('blob size');
  if (size > MAX_BLOB_BYTES) throw new DecodeError('OVERSIZE', `blob of ${size} bytes over the limit`, at);
  return { hash, size };
}

/** A count our own code writes: over `max` is our bug (the reader refuses it with OVERSIZE). */
export function writeCount(w: Writer, n: number, max: number, what: string): void {
  assert(n <= max, `${what}: ${n} over the limit ${max}`);
  w.varuint(n);
}

/** A bounded list of 32-byte public keys. */
export function writeKeys(w: Writer, keys: readonly Uint8Array[], max: number): void {
  writeCount(w, keys.length, max, 'keys');
  for (const k of keys) w.fixed(k, KEY);
}

/** A list of 32-byte public keys, at most `max` (OVERSIZE otherwise). */
export function readKeys(r: Reader, max: number, what: string): Uint8Array[] {
  const n = r.count(max, what);
  return Array.from({ length: n }, () => r.fixed(KEY, what));
}

/** One byte that must be a value of `allowed`; UNKNOWN_KIND otherwise. */
export function readEnum<T extends number>(r: Reader, allowed: Record<string, T>, what: string): T {
  const at = r.offset;
  const v = r.u8(what);
  if (!(Object.values(allowed) as number[]).includes(v)) throw new DecodeError('UNKNOWN_KIND', `unknown ${what} ${v}`, at);
  return v as T;
}

/** Decodes one kind's payload from all of `bytes` (trailing bytes refused). */
export function decodeKind<P>(spec: { readonly read: (r: Reader) => P }, bytes: Uint8Array): P {
  return decodeAll(bytes, spec.read, 'payload');
}

/** `n` bytes of value `b`: the fixed keys, hashes and proofs of the kinds' example payloads. */
export function exampleBytes(b: number, n = 32): Uint8Array {
  return new Uint8Array(n).fill(b);
}
