/**
 * Framing over a data channel (SPEC §6). Chromium drops data-channel messages
 * over 256 KiB, and large messages stall other traffic, so every encoded
 * message above {@link CHUNK_BYTES} travels as chunks of exactly that size
 * (the last one shorter) and is reassembled under explicit limits: the
 * largest message of its type, how many partial messages a peer may have
 * open, how many bytes a peer's partial messages may hold, how many all
 * peers' may hold together, and how long a partial message may wait (clock
 * injected, milliseconds).
 *
 * Frame layout: tag `0` then a whole message of at most CHUNK_BYTES; or tag
 * `1`, message id (u32), index (u16), count (u16), total length (u32), data.
 * An encoded message starts with its type byte, so the first chunk's data
 * does too: the receiver learns the type, and the largest total that type
 * may have, before it keeps a byte (issue 13: a "vote" announcing 10 MB was
 * held like a blob). Channels are ordered and reliable, so chunks of one
 * message must arrive in order; anything else (a gap, a changed total, a
 * wrong chunk size, a message that did not need chunking) is a peer fault.
 */
import { assert } from '../assert';

/** Largest frame payload; messages above it are chunked. */
export const CHUNK_BYTES = 64 * 1024;
const WHOLE = 0;
const CHUNK = 1;
/** Bytes before a chunk's data. */
export const CHUNK_HEADER = 13;

/**
 * Why a frame was refused (a peer fault). `OVER_BUDGET`: the peer's partial
 * messages would hold more than its budget; its partials are dropped.
 */
export type ChunkFault = 'MALFORMED' | 'OVERSIZE' | 'TOO_MANY_PARTIALS' | 'OVER_BUDGET';

/**
 * `discarded`: the first chunk of a message the node has no memory for now
 * (every peer's partials together are at the node's budget). No fault, since
 * other peers filled the budget; its chunks are read and dropped, and the
 * request it answers times out and goes elsewhere.
 */
export type ChunkResult =
  | { readonly kind: 'message'; readonly bytes: Uint8Array }
  | { readonly kind: 'partial' }
  | { readonly kind: 'discarded' }
  | { readonly kind: 'fault'; readonly fault: ChunkFault };

/** The type byte of a whole-message frame, or null (a chunk, or no message). */
export function wholeMessageType(frame: Uint8Array): number | null {
  return frame.length >= 2 && frame[0] === WHOLE ? frame[1]! : null;
}

/** Splits our own messages into frames; one per connection (message ids count up). */
export class Chunker {
  private nextId = 0;

  constructor(private readonly chunkBytes = CHUNK_BYTES) {
    assert(Number.isInteger(chunkBytes) && chunkBytes > 0, 'bad chunk size');
  }

  /** The frames that carry `message`, in sending order. */
  frames(message: Uint8Array): Uint8Array[] {
    if (message.length <= this.chunkBytes) {
      const f = new Uint8Array(message.length + 1);
      f[0] = WHOLE;
      f.set(message, 1);
      return [f];
    }
    const count = Math.ceil(message.length / this.chunkBytes);
    assert(count <= 0xffff, 'message too large to chunk');
    const id = this.nextId;
    this.nextId = (this.nextId + 1) >>> 0;
    const out: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      const data = message.subarray(i * this.chunkBytes, Math.min(message.length, (i + 1) * this.chunkBytes));
      const f = new Uint8Array(CHUNK_HEADER + data.length);
      const v = new DataView(f.buffer);
      f[0] = CHUNK;
      v.setUint32(1, id);
      v.setUint16(5, i);
      v.setUint16(7, count);
      v.setUint32(9, message.length);
      f.set(data, CHUNK_HEADER);
      out.push(f);
    }
    return out;
  }
}

export interface ReassemblyLimits {
  /**
   * The largest total a chunked message of `type` (its first byte) may
   * announce: 0 for types that always fit one frame (a chunked one is
   * OVERSIZE), null for no such type (MALFORMED).
   */
  readonly maxBytes: (type: number) => number | null;
  readonly maxPartials: number;
  /** Bytes this peer's partial messages may announce together (their totals, reserved at the first chunk). */
  readonly budgetBytes: number;
  readonly timeoutMs: number;
  readonly chunkBytes?: number;
}

/**
 * The bytes every peer's partial messages hold, under one node-wide budget
 * (shared by the node's reassemblers). `reserved` counts announced totals
 * from the first chunk on, `held` the bytes received so far (held ≤
 * reserved ≤ budget), `discarded` the messages refused for the budget.
 */
export class ReassemblyPool {
  reserved = 0;
  held = 0;
  discarded = 0;

  constructor(readonly budgetBytes = Number.POSITIVE_INFINITY) {}
}

interface Partial {
  readonly total: number;
  readonly count: number;
  /** Received chunks' data; null while a discarded message's chunks are read and dropped. */
  readonly parts: Uint8Array[] | null;
  next: number;
  readonly startedAt: number;
}

/** Reassembles one peer's frames. */
export class Reassembler {
  private readonly partials = new Map<number, Partial>();
  private readonly chunkBytes: number;
  private reservedBytes = 0;
  private heldBytes = 0;

  constructor(
    private readonly limits: ReassemblyLimits,
    private readonly pool: ReassemblyPool = new ReassemblyPool(),
  ) {
    this.chunkBytes = limits.chunkBytes ?? CHUNK_BYTES;
  }

  /** Partial messages open now (discarded ones included). */
  get open(): number {
    return this.partials.size;
  }

  /** Bytes received and kept for this peer's partial messages. */
  get held(): number {
    return this.heldBytes;
  }

  /** Bytes reserved for them (their announced totals). */
  get reserved(): number {
    return this.reservedBytes;
  }

  /** Takes one frame received at `nowMs`. */
  accept(frame: Uint8Array, nowMs: number): ChunkResult {
    this.expire(nowMs);
    if (frame.length === 0) return fault('MALFORMED');
    if (frame[0] === WHOLE) {
      if (frame.length - 1 > this.chunkBytes) return fault('OVERSIZE');
      return { kind: 'message', bytes: frame.slice(1) };
    }
    if (frame[0] !== CHUNK || frame.length <= CHUNK_HEADER) return fault('MALFORMED');
    const v = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    const id = v.getUint32(1);
    const index = v.getUint16(5);
    const count = v.getUint16(7);
    const total = v.getUint32(9);
    const data = frame.subarray(CHUNK_HEADER);
    if (index === 0) {
      const cap = this.limits.maxBytes(data[0]!);
      if (cap === null) return fault('MALFORMED');
      if (total > cap) return fault('OVERSIZE');
    }
    if (total <= this.chunkBytes || count !== Math.ceil(total / this.chunkBytes) || index >= count) return fault('MALFORMED');
    const expected = index < count - 1 ? this.chunkBytes : total - this.chunkBytes * (count - 1);
    if (data.length !== expected) return fault('MALFORMED');
    if (index === 0) return this.start(id, total, count, data, nowMs);
    const p = this.partials.get(id);
    if (!p || p.total !== total || p.count !== count || p.next !== index) return fault('MALFORMED');
    p.next++;
    if (p.parts) {
      p.parts.push(data.slice());
      this.hold(data.length);
    }
    if (p.next < count) return { kind: 'partial' };
    this.release(id, p);
    if (!p.parts) return { kind: 'partial' };
    const out = new Uint8Array(total);
    let at = 0;
    for (const part of p.parts) {
      out.set(part, at);
      at += part.length;
    }
    return { kind: 'message', bytes: out };
  }

  /**
   * Opens a partial message at its first chunk: refused when the peer has
   * too many open or its partials would outgrow its budget (its partials
   * dropped), discarded when the node's budget is full.
   */
  private start(id: number, total: number, count: number, data: Uint8Array, nowMs: number): ChunkResult {
    if (this.partials.has(id)) return fault('MALFORMED');
    if (this.partials.size >= this.limits.maxPartials) return fault('TOO_MANY_PARTIALS');
    if (this.reservedBytes + total > this.limits.budgetBytes) {
      this.clear();
      return fault('OVER_BUDGET');
    }
    if (this.pool.reserved + total > this.pool.budgetBytes) {
      this.pool.discarded++;
      this.partials.set(id, { total, count, parts: null, next: 1, startedAt: nowMs });
      return { kind: 'discarded' };
    }
    this.reservedBytes += total;
    this.pool.reserved += total;
    this.partials.set(id, { total, count, parts: [data.slice()], next: 1, startedAt: nowMs });
    this.hold(data.length);
    return { kind: 'partial' };
  }

  /** Drops partial messages older than the timeout; returns how many. */
  expire(nowMs: number): number {
    let n = 0;
    for (const [id, p] of [...this.partials])
      if (nowMs - p.startedAt > this.limits.timeoutMs) {
        this.release(id, p);
        n++;
      }
    return n;
  }

  /** Drops every partial message (the peer left or misbehaved), giving their bytes back to the pool. */
  clear(): void {
    for (const [id, p] of [...this.partials]) this.release(id, p);
  }

  private hold(n: number): void {
    this.heldBytes += n;
    this.pool.held += n;
  }

  private release(id: number, p: Partial): void {
    this.partials.delete(id);
    if (!p.parts) return;
    let held = 0;
    for (const part of p.parts) held += part.length;
    this.heldBytes -= held;
    this.pool.held -= held;
    this.reservedBytes -= p.total;
    this.pool.reserved -= p.total;
  }
}

function fault(f: ChunkFault): ChunkResult {
  return { kind: 'fault', fault: f };
}
