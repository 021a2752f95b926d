import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesEqual } from '../../../../src/lib/core/bytes';
import { CHUNK_BYTES, Chunker, Reassembler, ReassemblyPool, type ChunkResult } from '../../../../src/lib/core/net/chunk';

/** Any type may be chunked up to 600 KiB; no per-peer budget beyond that. */
const LIMITS = { maxBytes: () => 600 * 1024, maxPartials: 2, budgetBytes: Infinity, timeoutMs: 30_000 };

function pattern(n: number, seed = 7): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 131 + seed) & 0xff);
}

function feed(r: Reassembler, frames: readonly Uint8Array[], now = 0): ChunkResult[] {
  return frames.map((f) => r.accept(f, now));
}

const faultOf = (res: ChunkResult): string | null => (res.kind === 'fault' ? res.fault : null);

describe('chunking', () => {
  it('messages up to 64 KiB travel whole; larger ones in 64 KiB chunks that reassemble exactly', () => {
    const c = new Chunker();
    for (const n of [0, 1, CHUNK_BYTES, CHUNK_BYTES + 1, 3 * CHUNK_BYTES, 512 * 1024 + 77]) {
      const msg = pattern(n);
      const frames = c.frames(msg);
      expect(frames.length).toBe(Math.max(1, Math.ceil(n / CHUNK_BYTES)));
      for (const f of frames) expect(f.length).toBeLessThanOrEqual(CHUNK_BYTES + 13);
      const out = feed(new Reassembler(LIMITS), frames);
      expect(out.slice(0, -1).every((o) => o.kind === 'partial')).toBe(true);
      const last = out[out.length - 1]!;
      expect(last.kind === 'message' && bytesEqual(last.bytes, msg)).toBe(true);
    }
  });

  it('round-trips any message with a small chunk size, interleaved with whole messages', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.uint8Array({ maxLength: 16 }), (a, b) => {
        const c = new Chunker(64);
        const r = new Reassembler({ ...LIMITS, chunkBytes: 64 });
        const fa = c.frames(a);
        const fb = c.frames(b);
        // A small message may go between the chunks of a large one.
        const got = feed(r, [fa[0]!, ...fb, ...fa.slice(1)]).filter((x) => x.kind === 'message');
        expect(got.map((x) => x.kind === 'message' && x.bytes)).toEqual(fa.length > 1 ? [b, a] : [a, b]);
      }),
    );
  });

  it('refuses a message over the limit at its first chunk, and an unchunked frame over 64 KiB', () => {
    const big = new Chunker().frames(pattern(600 * 1024 + 1));
    expect(faultOf(new Reassembler(LIMITS).accept(big[0]!, 0))).toBe('OVERSIZE');
    const whole = new Uint8Array(CHUNK_BYTES + 2);
    expect(faultOf(new Reassembler(LIMITS).accept(whole, 0))).toBe('OVERSIZE');
  });

  it('inconsistent chunks are faults: gap, repeat, changed total, wrong size, needless chunking, bad tag', () => {
    const frames = new Chunker().frames(pattern(3 * CHUNK_BYTES));
    const r1 = new Reassembler(LIMITS);
    r1.accept(frames[0]!, 0);
    expect(faultOf(r1.accept(frames[2]!, 0))).toBe('MALFORMED'); // gap
    const r2 = new Reassembler(LIMITS);
    r2.accept(frames[0]!, 0);
    expect(faultOf(r2.accept(frames[0]!, 0))).toBe('MALFORMED'); // index 0 again
    const changed = frames[1]!.slice();
    changed[12] = changed[12]! ^ 1; // total length
    const r3 = new Reassembler(LIMITS);
    r3.accept(frames[0]!, 0);
    expect(faultOf(r3.accept(changed, 0))).toBe('MALFORMED');
    expect(faultOf(new Reassembler(LIMITS).accept(frames[0]!.subarray(0, 100), 0))).toBe('MALFORMED'); // short chunk
    expect(faultOf(new Reassembler(LIMITS).accept(frames[1]!, 0))).toBe('MALFORMED'); // no start
    const small = new Chunker(16).frames(pattern(40));
    expect(faultOf(new Reassembler(LIMITS).accept(small[0]!, 0))).toBe('MALFORMED'); // 40 bytes needed no chunks
    expect(faultOf(new Reassembler(LIMITS).accept(new Uint8Array([7, 1, 2]), 0))).toBe('MALFORMED');
    expect(faultOf(new Reassembler(LIMITS).accept(new Uint8Array(0), 0))).toBe('MALFORMED');
  });

  it('limits partial messages per peer, and drops partials that time out', () => {
    const c = new Chunker();
    const msgs = [1, 2, 3].map((s) => c.frames(pattern(2 * CHUNK_BYTES, s)));
    const r = new Reassembler(LIMITS);
    expect(r.accept(msgs[0]![0]!, 0).kind).toBe('partial');
    expect(r.accept(msgs[1]![0]!, 0).kind).toBe('partial');
    expect(faultOf(r.accept(msgs[2]![0]!, 0))).toBe('TOO_MANY_PARTIALS');
    expect(r.open).toBe(2);
    // After the timeout the partials are gone; their last chunks are now inconsistent.
    expect(faultOf(r.accept(msgs[0]![1]!, LIMITS.timeoutMs + 1))).toBe('MALFORMED');
    expect(r.open).toBe(0);
    expect(r.accept(msgs[2]![0]!, LIMITS.timeoutMs + 2).kind).toBe('partial');
  });

  it('decides the cap from the type at the first chunk (its first data byte): never-chunked and unknown types keep nothing', () => {
    // Type 1 never chunked, type 2 up to 3 chunks, anything else unknown.
    const limits = { ...LIMITS, maxBytes: (t: number) => (t === 1 ? 0 : t === 2 ? 3 * CHUNK_BYTES : null) };
    const typed = (type: number, n: number): Uint8Array[] => {
      const m = pattern(n);
      m[0] = type;
      return new Chunker().frames(m);
    };
    const r = new Reassembler(limits);
    expect(faultOf(r.accept(typed(1, 10 * CHUNK_BYTES)[0]!, 0))).toBe('OVERSIZE');
    expect(faultOf(r.accept(typed(1, CHUNK_BYTES + 1)[0]!, 0))).toBe('OVERSIZE');
    expect(faultOf(r.accept(typed(9, 2 * CHUNK_BYTES)[0]!, 0))).toBe('MALFORMED');
    expect(faultOf(r.accept(typed(2, 3 * CHUNK_BYTES + 1)[0]!, 0))).toBe('OVERSIZE');
    expect([r.open, r.held, r.reserved]).toEqual([0, 0, 0]);
    const ok = feed(r, typed(2, 3 * CHUNK_BYTES));
    expect(ok.map((x) => x.kind)).toEqual(['partial', 'partial', 'message']);
    // Whole frames are not the reassembler's to judge by type (the decoder does).
    expect(r.accept(typed(1, 100)[0]!, 0).kind).toBe('message');
  });

  it("counts the bytes a peer's partials hold against its budget and the node's: over its own, a fault and its partials dropped; over the node's, read and dropped without a fault", () => {
    const pool = new ReassemblyPool(5 * CHUNK_BYTES);
    const c = new Chunker();
    const msgs = [1, 2, 3, 4].map((s) => c.frames(pattern(3 * CHUNK_BYTES, s)));
    const a = new Reassembler({ ...LIMITS, budgetBytes: 4 * CHUNK_BYTES }, pool);
    const b = new Reassembler({ ...LIMITS, budgetBytes: 4 * CHUNK_BYTES }, pool);
    expect(a.accept(msgs[0]![0]!, 0).kind).toBe('partial');
    expect([a.held, a.reserved, pool.held, pool.reserved]).toEqual([CHUNK_BYTES, 3 * CHUNK_BYTES, CHUNK_BYTES, 3 * CHUNK_BYTES]);
    // The node has 2 chunks' room left: b's message is read and dropped, and finishing it is no fault.
    expect(feed(b, msgs[1]!).map((x) => x.kind)).toEqual(['discarded', 'partial', 'partial']);
    expect([b.open, b.held, pool.discarded]).toEqual([0, 0, 1]);
    // a's own budget (4 chunks) cannot take a second message of 3: a fault, and its partials dropped.
    expect(faultOf(a.accept(msgs[2]![0]!, 0))).toBe('OVER_BUDGET');
    expect([a.open, a.held, a.reserved, pool.held, pool.reserved]).toEqual([0, 0, 0, 0, 0]);
    // Completion, expiry and clear give the bytes back.
    expect(feed(b, msgs[3]!).map((x) => x.kind)).toEqual(['partial', 'partial', 'message']);
    expect([pool.held, pool.reserved]).toEqual([0, 0]);
    b.accept(msgs[0]![0]!, 0);
    expect(pool.reserved).toBe(3 * CHUNK_BYTES);
    b.expire(LIMITS.timeoutMs + 1);
    expect([b.open, pool.held, pool.reserved]).toEqual([0, 0, 0]);
    b.accept(msgs[2]![0]!, 0);
    b.clear();
    expect([b.open, pool.held, pool.reserved]).toEqual([0, 0, 0]);
  });

  it('never throws on arbitrary frames', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 80 }), { maxLength: 20 }), (frames) => {
        const r = new Reassembler({ ...LIMITS, chunkBytes: 16 });
        for (const f of frames) expect(['message', 'partial', 'fault']).toContain(r.accept(f, 0).kind);
      }),
    );
  });
});
