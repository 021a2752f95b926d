/**
 * Framing over a data channel (SPEC §6). Chromium drops data-channel messages
 * over 256 KiB, and large messages stall other traffic, so every encoded
 * message above {@link CHUNK_BYTES} travels as chunks of exactly that size
 * (the last one shorter) and is reassembled under explicit limits: the
 * largest message, how many partial messages a peer may have open, and how
 * long a partial message may wait (clock injected, milliseconds).
 *
 * Frame layout: tag `0` then a whole message of at most CHUNK_BYTES; or tag
 * `1`, message id (u32), index (u16), count (u16), total length (u32), data.
 * Channels are ordered and reliable, so chunks of one message must arrive in
 * order; anything else (a gap, a changed total, a wrong chunk size, a message
 * that did not need chunking) is a peer fault.
 */
import { assert } from '../assert';

/** Largest frame payload; messages above it are chunked. */
export const CHUNK_BYTES = 64 * 1024;
const WHOLE = 0;
const CHUNK = 1;
const CHUNK_HEADER = 13;

/** Why a frame was refused (a peer fault). */
export type ChunkFault = 'MALFORMED' | 'OVERSIZE' | 'TOO_MANY_PARTIALS';

export type ChunkResult =
  | { readonly kind: 'message'; readonly bytes: Uint8Array }
  | { readonly kind: 'partial' }
  | { readonly kind: 'fault'; readonly fault: ChunkFault };

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
  readonly maxMessageBytes: number;
  readonly maxPartials: number;
  readonly timeoutMs: number;
  readonly chunkBytes?: number;
}

interface Partial {
  readonly total: number;
  readonly count: number;
  readonly parts: Uint8Array[];
  readonly startedAt: number;
}

/** Reassembles one peer's frames. */
export class Reassembler {
  private readonly partials = new Map<number, Partial>();
  private readonly chunkBytes: number;

  constructor(private readonly limits: ReassemblyLimits) {
    this.chunkBytes = limits.chunkBytes ?? CHUNK_BYTES;
  }

  /** Partial messages open now. */
  get open(): number {
    return this.partials.size;
  }

  /** Takes one frame received at `nowMs`. */
  accept(frame: Uint8Array, nowMs: number): ChunkResult {
    this.expire(nowMs);
    if (frame.length === 0) return fault('MALFORMED');
    if (frame[0] === WHOLE) {
      if (frame.length - 1 > this.chunkBytes) return fault('OVERSIZE');
      return { kind: 'message', bytes: frame.slice(1) };
    }
    if (frame[0] !== CHUNK || frame.length < CHUNK_HEADER) return fault('MALFORMED');
    const v = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    const id = v.getUint32(1);
    const index = v.getUint16(5);
    const count = v.getUint16(7);
    const total = v.getUint32(9);
    const data = frame.subarray(CHUNK_HEADER);
    if (total > this.limits.maxMessageBytes) return fault('OVERSIZE');
    if (total <= this.chunkBytes || count !== Math.ceil(total / this.chunkBytes) || index >= count) return fault('MALFORMED');
    const expected = index < count - 1 ? this.chunkBytes : total - this.chunkBytes * (count - 1);
    if (data.length !== expected) return fault('MALFORMED');
    let p = this.partials.get(id);
    if (index === 0) {
      if (p) return fault('MALFORMED');
      if (this.partials.size >= this.limits.maxPartials) return fault('TOO_MANY_PARTIALS');
      p = { total, count, parts: [], startedAt: nowMs };
      this.partials.set(id, p);
    } else if (!p || p.total !== total || p.count !== count || p.parts.length !== index) {
      return fault('MALFORMED');
    }
    p.parts.push(data.slice());
    if (p.parts.length < count) return { kind: 'partial' };
    this.partials.delete(id);
    const out = new Uint8Array(total);
    let at = 0;
    for (const part of p.parts) {
      out.set(part, at);
      at += part.length;
    }
    return { kind: 'message', bytes: out };
  }

  /** Drops partial messages older than the timeout; returns how many. */
  expire(nowMs: number): number {
    let n = 0;
    for (const [id, p] of this.partials)
      if (nowMs - p.startedAt > this.limits.timeoutMs) {
        this.partials.delete(id);
        n++;
      }
    return n;
  }
}

function fault(f: ChunkFault): ChunkResult {
  return { kind: 'fault', fault: f };
}
