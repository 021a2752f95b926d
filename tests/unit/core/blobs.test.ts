/**
 * The content-addressed blob store beside the chain (SPEC §3): a blob is
 * named by its SHA-256 and size, bytes that do not match their reference are
 * refused on the way in and on the way out, and erasure deletes them.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { toHex, utf8 } from '../../../src/lib/core/bytes';
import { MemoryBlobStore, blobRefOf, checkBlob } from '../../../src/lib/core/blobs';
import { MAX_BLOB_BYTES, type BlobRef } from '../../../src/lib/core/payloads';

const A = utf8('sealed record body A');
const B = utf8('sealed record body B');
const flip = (b: Uint8Array, i: number): Uint8Array => {
  const c = b.slice();
  c[i] = c[i]! ^ 1;
  return c;
};

describe('blobRefOf', () => {
  it('is the SHA-256 and the length of the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (b) => {
        const ref = blobRefOf(b);
        expect(toHex(ref.hash)).toBe(toHex(nobleSha256(b)));
        expect(ref.size).toBe(b.length);
      }),
    );
  });

  it('known answer: the empty blob', () => {
    expect(toHex(blobRefOf(new Uint8Array(0)).hash)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('checkBlob', () => {
  it('accepts exactly the bytes a reference names', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (b) => {
        expect(checkBlob(blobRefOf(b), b)).toBeNull();
      }),
    );
  });

  it('refuses bytes of another size (a reason, not null)', () => {
    const ref = blobRefOf(A);
    expect(checkBlob({ ...ref, size: A.length + 1 }, A)).toEqual(expect.any(String));
    expect(checkBlob(ref, A.subarray(0, A.length - 1))).toEqual(expect.any(String));
    expect(checkBlob(ref, new Uint8Array([...A, 0]))).toEqual(expect.any(String));
  });

  it('refuses bytes of the right size that do not match the hash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 256 }), fc.nat(), fc.integer({ min: 0, max: 7 }), (b, at, bit) => {
        const i = at % b.length;
        const bad = b.slice();
        bad[i] = bad[i]! ^ (1 << bit);
        expect(checkBlob(blobRefOf(b), bad)).toEqual(expect.any(String));
      }),
    );
    // Same size, another blob's hash.
    const c = utf8('sealed record body C');
    expect(c.length).toBe(A.length);
    expect(checkBlob({ hash: blobRefOf(c).hash, size: A.length }, A)).toEqual(expect.any(String));
  });

  it('the limit: MAX_BLOB_BYTES is accepted, one byte more is refused even when hash and size match', () => {
    const atLimit = new Uint8Array(MAX_BLOB_BYTES).fill(7);
    expect(checkBlob(blobRefOf(atLimit), atLimit)).toBeNull();
    const over = new Uint8Array(MAX_BLOB_BYTES + 1).fill(7);
    const why = checkBlob(blobRefOf(over), over);
    expect(why).toEqual(expect.any(String));
    expect(why).toMatch(/limit/);
  });

  it('MAX_BLOB_BYTES is 10 MB plus AEAD overhead (SPEC §3: attachments up to 10 MB)', () => {
    expect(MAX_BLOB_BYTES).toBeGreaterThanOrEqual(10 * 1024 * 1024 + 40); // nonce (24) + tag (16)
    expect(MAX_BLOB_BYTES).toBeLessThan(10 * 1024 * 1024 + 1024);
  });
});

describe('MemoryBlobStore', () => {
  it('put then get gives the bytes back; has() knows the hash', async () => {
    const s = new MemoryBlobStore();
    const ref = blobRefOf(A);
    expect(await s.has(toHex(ref.hash))).toBe(false);
    expect(await s.put(ref, A)).toEqual({ ok: true });
    expect(await s.has(toHex(ref.hash))).toBe(true);
    expect(await s.get(ref)).toEqual(A);
    expect(s.all()).toHaveLength(1);
  });

  it('put refuses bytes that do not match the reference, with a reason, and stores nothing', async () => {
    const s = new MemoryBlobStore();
    const ref = blobRefOf(A);
    const cases: [BlobRef, Uint8Array][] = [
      [ref, flip(A, 3)], // hash mismatch
      [ref, B.subarray(0, 5)], // size mismatch
      [{ ...ref, size: ref.size + 1 }, A], // ref lies about the size
      [blobRefOf(B), A], // another blob's ref
    ];
    for (const [r, bytes] of cases) {
      const res = await s.put(r, bytes);
      expect(res.ok).toBe(false);
      if (!res.ok) expect(res.reason).toEqual(expect.any(String));
      expect(res).toEqual({ ok: false, reason: checkBlob(r, bytes) });
      expect(await s.has(toHex(r.hash))).toBe(false);
    }
    expect(s.all()).toHaveLength(0);
    expect(await s.get(ref)).toBeNull();
  });

  it('put refuses an over-limit blob and stores nothing', async () => {
    const s = new MemoryBlobStore();
    const over = new Uint8Array(MAX_BLOB_BYTES + 1);
    const ref = blobRefOf(over);
    const res = await s.put(ref, over);
    expect(res.ok).toBe(false);
    expect(s.all()).toHaveLength(0);
  });

  it('get returns a copy: changing it does not change the store', async () => {
    const s = new MemoryBlobStore();
    const ref = blobRefOf(A);
    await s.put(ref, A);
    const got = (await s.get(ref))!;
    got.fill(0);
    expect(await s.get(ref)).toEqual(A);
    expect(s.all()[0]).toEqual(A);
  });

  it("put keeps a copy: changing the caller's array afterwards does not change the store", async () => {
    const s = new MemoryBlobStore();
    const mine = A.slice();
    const ref = blobRefOf(mine);
    await s.put(ref, mine);
    mine.fill(0);
    expect(await s.get(ref)).toEqual(A);
  });

  it('get returns null for a missing blob', async () => {
    const s = new MemoryBlobStore();
    await s.put(blobRefOf(A), A);
    expect(await s.get(blobRefOf(B))).toBeNull();
  });

  it('get re-checks on the way out: a corrupted blob (damaged disk) gives null', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 128 }), fc.nat(), async (b, at) => {
        const s = new MemoryBlobStore();
        const ref = blobRefOf(b);
        await s.put(ref, b);
        s.corrupt(toHex(ref.hash), flip(b, at % b.length));
        expect(await s.get(ref)).toBeNull();
      }),
    );
    // A truncated blob too.
    const s = new MemoryBlobStore();
    const ref = blobRefOf(A);
    await s.put(ref, A);
    s.corrupt(toHex(ref.hash), A.subarray(0, 4));
    expect(await s.get(ref)).toBeNull();
  });

  it('get with a reference of the right hash but the wrong size gives null', async () => {
    const s = new MemoryBlobStore();
    const ref = blobRefOf(A);
    await s.put(ref, A);
    expect(await s.get({ hash: ref.hash, size: ref.size - 1 })).toBeNull();
  });

  it('delete removes only that blob (erasure)', async () => {
    const s = new MemoryBlobStore();
    const ra = blobRefOf(A);
    const rb = blobRefOf(B);
    await s.put(ra, A);
    await s.put(rb, B);
    await s.delete(toHex(ra.hash));
    expect(await s.has(toHex(ra.hash))).toBe(false);
    expect(await s.get(ra)).toBeNull();
    expect(await s.get(rb)).toEqual(B);
    expect(s.all()).toEqual([B]);
    await s.delete(toHex(ra.hash)); // deleting twice is harmless
    expect(await s.get(rb)).toEqual(B);
  });

  it('content addressing: the same bytes put twice are stored once', async () => {
    const s = new MemoryBlobStore();
    const ref = blobRefOf(A);
    await s.put(ref, A);
    await s.put(ref, A.slice());
    expect(s.all()).toHaveLength(1);
  });
});
