/**
 * Batches of signature checks as one buffer (issue 7): how the page hands
 * signatures to a verifying Web Worker ({@link VerifyPool}) and how the
 * worker answers, with one transferable buffer each way instead of thousands
 * of structured-cloned objects. Chromium verifies Ed25519 on the calling
 * thread (the promise resolves later, the work is done in the call), so a
 * worker is what takes the checks off the page's thread.
 *
 * Layout: count (u32), then per check: signature (64 bytes), public key
 * (32 bytes), message length (u32), message. Big-endian. A buffer that does
 * not parse exactly is refused as a whole (null), never half-read.
 */
import type { SignatureCheck } from '../core/net/block-signatures';

const SIG = 64;
const KEY = 32;

/** Packs checks into one buffer (sizes are the caller's: a wrong-sized signature or key is packed as a failing check). */
export function packChecks(items: readonly SignatureCheck[]): Uint8Array {
  let size = 4;
  for (const i of items) size += SIG + KEY + 4 + i.message.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, items.length);
  let at = 4;
  for (const i of items) {
    // A signature or key of the wrong size can never verify: packed as zeros, which the precheck refuses.
    if (i.signature.length === SIG && i.publicKey.length === KEY) {
      out.set(i.signature, at);
      out.set(i.publicKey, at + SIG);
    }
    view.setUint32(at + SIG + KEY, i.message.length);
    out.set(i.message, at + SIG + KEY + 4);
    at += SIG + KEY + 4 + i.message.length;
  }
  return out;
}

/** The checks of a packed buffer (views into it), or null when it does not parse exactly. */
export function unpackChecks(bytes: Uint8Array): SignatureCheck[] | null {
  if (bytes.length < 4) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(0);
  const out: SignatureCheck[] = [];
  let at = 4;
  for (let n = 0; n < count; n++) {
    if (at + SIG + KEY + 4 > bytes.length) return null;
    const len = view.getUint32(at + SIG + KEY);
    const end = at + SIG + KEY + 4 + len;
    if (end > bytes.length) return null;
    out.push({
      signature: bytes.subarray(at, at + SIG),
      publicKey: bytes.subarray(at + SIG, at + SIG + KEY),
      message: bytes.subarray(at + SIG + KEY + 4, end),
    });
    at = end;
  }
  return at === bytes.length ? out : null;
}

/** A request to a verifying worker, and its answer: one byte per check, 1 when it verified. */
export interface VerifyRequest {
  readonly id: number;
  readonly checks: Uint8Array;
}
export interface VerifyAnswer {
  readonly id: number;
  readonly results: Uint8Array | null;
}

/** Reads a request from a message (anything else: null). */
export function asVerifyRequest(data: unknown): VerifyRequest | null {
  if (typeof data !== 'object' || data === null) return null;
  const { id, checks } = data as Record<string, unknown>;
  return Number.isSafeInteger(id) && checks instanceof Uint8Array ? { id: id as number, checks } : null;
}

/** Reads an answer from a message (anything else: null). */
export function asVerifyAnswer(data: unknown): VerifyAnswer | null {
  if (typeof data !== 'object' || data === null) return null;
  const { id, results } = data as Record<string, unknown>;
  if (!Number.isSafeInteger(id) || !(results === null || results instanceof Uint8Array)) return null;
  return { id: id as number, results: results as Uint8Array | null };
}
