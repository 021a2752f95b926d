/**
 * Record encryption and key wrapping (SPEC §3): XChaCha20-Poly1305 with the
 * record header as associated data; the data key wrapped to each reader by
 * ephemeral X25519 + HKDF-SHA256 + the same AEAD, bound to the reader and the
 * record id. Opening never throws: anything wrong gives null.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { AssertionError } from '../../../src/lib/core/assert';
import { concatBytes, hexToBytes, toHex, utf8 } from '../../../src/lib/core/bytes';
import { DATA_KEY_BYTES, NONCE_BYTES, WRAPPED_KEY_BYTES, openRecord, sealRecord, unwrapKey, wrapKey } from '../../../src/lib/core/envelope';

const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const key32 = bytes(32);
const nonce24 = bytes(NONCE_BYTES);
const header = fc.uint8Array({ maxLength: 200 });
const plaintext = fc.uint8Array({ maxLength: 4096 });
const context = fc.uint8Array({ minLength: 0, maxLength: 48 });

const filled = (n: number, b: number) => new Uint8Array(n).fill(b);
const flip = (b: Uint8Array, i: number, mask = 0x01): Uint8Array => {
  const c = Uint8Array.from(b);
  c[i] = c[i]! ^ mask;
  return c;
};
const hex = toHex;

/** Calls `fn` and fails the test if it throws; returns its value. */
function noThrow<T>(fn: () => T): T {
  let out: T;
  expect(() => {
    out = fn();
  }).not.toThrow();
  return out!;
}

// Fixed fixtures for the example tests.
const DATA_KEY = filled(32, 0x42);
const NONCE = Uint8Array.from({ length: 24 }, (_, i) => i);
const HEADER = utf8('record header v1 / patient p / hospital h');
const PLAIN = utf8('Allergy: penicillin. Notes: rash within 2 hours.');
const READER_SECRET = filled(32, 0x11);
const READER_PUBLIC = x25519.getPublicKey(READER_SECRET);
const OTHER_SECRET = filled(32, 0x22);
const EPH = filled(32, 0x33);
const CTX = utf8('record-id-0001');

// --- sealRecord / openRecord --------------------------------------------------------

describe('sealRecord / openRecord', () => {
  it('seals to nonce ‖ XChaCha20-Poly1305(key, nonce, aad = header) of the plaintext', () => {
    const sealed = sealRecord(DATA_KEY, NONCE, HEADER, PLAIN);
    expect(sealed).toHaveLength(NONCE_BYTES + PLAIN.length + 16);
    expect(hex(sealed.subarray(0, NONCE_BYTES))).toBe(hex(NONCE));
    const independent = xchacha20poly1305(DATA_KEY, NONCE, HEADER).encrypt(PLAIN);
    expect(hex(sealed.subarray(NONCE_BYTES))).toBe(hex(independent));
    expect(hex(openRecord(DATA_KEY, HEADER, sealed)!)).toBe(hex(PLAIN));
  });

  it('does not carry the plaintext in clear', () => {
    const sealed = sealRecord(DATA_KEY, NONCE, HEADER, PLAIN);
    expect(Buffer.from(sealed).includes(Buffer.from('penicillin'))).toBe(false);
  });

  it('round-trips (property: keys, nonces, headers, plaintexts up to 4 KiB)', () => {
    fc.assert(
      fc.property(key32, nonce24, header, plaintext, (k, n, hd, pt) => {
        const sealed = sealRecord(k, n, hd, pt);
        expect(sealed).toHaveLength(NONCE_BYTES + pt.length + 16);
        const opened = openRecord(k, hd, sealed);
        expect(opened).not.toBeNull();
        expect(hex(opened!)).toBe(hex(pt));
      }),
      { numRuns: 100 },
    );
  });

  it('gives null for a different header, a different key, or any flipped byte (property)', () => {
    fc.assert(
      fc.property(
        key32,
        key32,
        nonce24,
        header,
        header,
        fc.uint8Array({ maxLength: 512 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (k, k2, n, hd, hd2, pt, pos, mask) => {
          const sealed = sealRecord(k, n, hd, pt);
          if (hex(hd2) !== hex(hd)) expect(noThrow(() => openRecord(k, hd2, sealed))).toBeNull();
          if (hex(k2) !== hex(k)) expect(noThrow(() => openRecord(k2, hd, sealed))).toBeNull();
          expect(noThrow(() => openRecord(k, hd, flip(sealed, pos % sealed.length, mask)))).toBeNull();
        },
      ),
      { numRuns: 150 },
    );
  });

  it('gives null for every single-bit flip anywhere in the sealed bytes (exhaustive)', () => {
    const sealed = sealRecord(DATA_KEY, NONCE, HEADER, utf8('short note'));
    for (let i = 0; i < sealed.length; i++)
      for (let bit = 0; bit < 8; bit++) expect(openRecord(DATA_KEY, HEADER, flip(sealed, i, 1 << bit)), `${i}/${bit}`).toBeNull();
  });

  it('binds the header exactly: a prefix, an extension or an empty header fail', () => {
    const sealed = sealRecord(DATA_KEY, NONCE, HEADER, PLAIN);
    for (const hd of [HEADER.subarray(0, HEADER.length - 1), concatBytes(HEADER, new Uint8Array([0])), new Uint8Array(0)])
      expect(openRecord(DATA_KEY, hd, sealed)).toBeNull();
    // and an empty header is a header like any other
    const sealedEmpty = sealRecord(DATA_KEY, NONCE, new Uint8Array(0), PLAIN);
    expect(hex(openRecord(DATA_KEY, new Uint8Array(0), sealedEmpty)!)).toBe(hex(PLAIN));
    expect(openRecord(DATA_KEY, new Uint8Array([0]), sealedEmpty)).toBeNull();
  });

  it('gives null for truncated, extended and malformed input, never throwing', () => {
    const sealed = sealRecord(DATA_KEY, NONCE, HEADER, PLAIN);
    const bad: [Uint8Array, Uint8Array][] = [
      [DATA_KEY, sealed.subarray(0, sealed.length - 1)],
      [DATA_KEY, sealed.subarray(0, NONCE_BYTES + 16)],
      [DATA_KEY, sealed.subarray(0, NONCE_BYTES + 15)],
      [DATA_KEY, sealed.subarray(0, NONCE_BYTES)],
      [DATA_KEY, new Uint8Array(0)],
      [DATA_KEY, concatBytes(sealed, new Uint8Array([0]))],
      [DATA_KEY, sealed.subarray(1)],
      [DATA_KEY.subarray(0, 31), sealed],
      [concatBytes(DATA_KEY, new Uint8Array([0])), sealed],
      [new Uint8Array(0), sealed],
    ];
    for (const [k, s] of bad) expect(noThrow(() => openRecord(k, HEADER, s))).toBeNull();
  });

  it('never throws on arbitrary input (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), header, fc.uint8Array({ maxLength: 200 }), (k, hd, s) => {
        expect(noThrow(() => openRecord(k, hd, s))).toBeNull();
      }),
      { numRuns: 200 },
    );
  });

  it('an empty plaintext seals and opens', () => {
    const sealed = sealRecord(DATA_KEY, NONCE, HEADER, new Uint8Array(0));
    expect(sealed).toHaveLength(NONCE_BYTES + 16);
    expect(openRecord(DATA_KEY, HEADER, sealed)).toEqual(new Uint8Array(0));
  });

  it('asserts on a wrong key or nonce size (our misuse)', () => {
    expect(() => sealRecord(DATA_KEY.subarray(0, 16), NONCE, HEADER, PLAIN)).toThrow(AssertionError);
    expect(() => sealRecord(DATA_KEY, NONCE.subarray(0, 12), HEADER, PLAIN)).toThrow(AssertionError);
    expect(() => sealRecord(DATA_KEY, concatBytes(NONCE, NONCE), HEADER, PLAIN)).toThrow(AssertionError);
  });

  it('constants', () => {
    expect(DATA_KEY_BYTES).toBe(32);
    expect(NONCE_BYTES).toBe(24);
    expect(WRAPPED_KEY_BYTES).toBe(80);
  });
});

// --- wrapKey / unwrapKey -----------------------------------------------------------------

/** The wrap, built independently from the documented construction. */
function referenceWrap(dataKey: Uint8Array, readerPublic: Uint8Array, eph: Uint8Array, ctx: Uint8Array, shared?: Uint8Array): Uint8Array {
  const ephPublic = x25519.getPublicKey(eph);
  return forgeWrap(dataKey, readerPublic, ephPublic, ctx, shared ?? x25519.getSharedSecret(eph, readerPublic));
}
function forgeWrap(dataKey: Uint8Array, readerPublic: Uint8Array, ephPublic: Uint8Array, ctx: Uint8Array, shared: Uint8Array): Uint8Array {
  const kek = hkdf(nobleSha256, shared, concatBytes(ephPublic, readerPublic), concatBytes(utf8('medchain/wrap/v1'), ctx), 32);
  return concatBytes(ephPublic, xchacha20poly1305(kek, new Uint8Array(24), ctx).encrypt(dataKey));
}

/** Curve25519 points of small order (libsodium's blocklist), incl. non-canonical and high-bit forms. */
const LOW_ORDER = [
  '0000000000000000000000000000000000000000000000000000000000000000', // 0
  '0100000000000000000000000000000000000000000000000000000000000000', // 1
  'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800', // order 8
  '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157', // order 8
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // p − 1
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // p (≡ 0)
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', // p + 1 (≡ 1)
  '0000000000000000000000000000000000000000000000000000000000000080', // 0 with the top bit set
  '0100000000000000000000000000000000000000000000000000000000000080', // 1 with the top bit set
].map(hexToBytes);

describe('wrapKey / unwrapKey', () => {
  it('is ephemeral public ‖ AEAD(HKDF(X25519 shared, salt = eph ‖ reader, info = tag ‖ context)), WRAPPED_KEY_BYTES long', () => {
    const w = wrapKey(DATA_KEY, READER_PUBLIC, EPH, CTX);
    expect(w).toHaveLength(WRAPPED_KEY_BYTES);
    expect(hex(w.subarray(0, 32))).toBe(hex(x25519.getPublicKey(EPH)));
    expect(hex(w)).toBe(hex(referenceWrap(DATA_KEY, READER_PUBLIC, EPH, CTX)));
    expect(hex(unwrapKey(w, READER_SECRET, CTX)!)).toBe(hex(DATA_KEY));
  });

  it('round-trips for random readers, keys and contexts (property)', () => {
    fc.assert(
      fc.property(key32, key32, key32, context, (dataKey, readerSecret, eph, ctx) => {
        const w = wrapKey(dataKey, x25519.getPublicKey(readerSecret), eph, ctx);
        expect(w).toHaveLength(WRAPPED_KEY_BYTES);
        expect(Buffer.from(w).includes(Buffer.from(dataKey))).toBe(false); // the key is not in clear
        const k = unwrapKey(w, readerSecret, ctx);
        expect(k).not.toBeNull();
        expect(hex(k!)).toBe(hex(dataKey));
      }),
      { numRuns: 60 },
    );
  });

  it("gives null with another reader's secret or another context (property)", () => {
    fc.assert(
      fc.property(key32, key32, key32, key32, context, context, (dataKey, readerSecret, otherSecret, eph, ctx, ctx2) => {
        const w = wrapKey(dataKey, x25519.getPublicKey(readerSecret), eph, ctx);
        if (hex(x25519.getPublicKey(otherSecret)) !== hex(x25519.getPublicKey(readerSecret))) expect(noThrow(() => unwrapKey(w, otherSecret, ctx))).toBeNull();
        if (hex(ctx2) !== hex(ctx)) expect(noThrow(() => unwrapKey(w, readerSecret, ctx2))).toBeNull();
      }),
      { numRuns: 60 },
    );
  });

  it('is bound to the record: a prefix or extension of the context fails', () => {
    const w = wrapKey(DATA_KEY, READER_PUBLIC, EPH, CTX);
    expect(unwrapKey(w, OTHER_SECRET, CTX)).toBeNull();
    for (const c of [CTX.subarray(0, CTX.length - 1), concatBytes(CTX, new Uint8Array([0])), new Uint8Array(0), utf8('record-id-0002')])
      expect(unwrapKey(w, READER_SECRET, c)).toBeNull();
  });

  it('gives null for every single-bit flip anywhere in the wrap, including the ignored top bit of the ephemeral key (exhaustive)', () => {
    const w = wrapKey(DATA_KEY, READER_PUBLIC, EPH, CTX);
    for (let i = 0; i < w.length; i++)
      for (let bit = 0; bit < 8; bit++)
        expect(
          noThrow(() => unwrapKey(flip(w, i, 1 << bit), READER_SECRET, CTX)),
          `${i}/${bit}`,
        ).toBeNull();
  });

  it('binds the exact ephemeral bytes: setting the top bit, which X25519 ignores, gives null', () => {
    const w = wrapKey(DATA_KEY, READER_PUBLIC, EPH, CTX);
    const alt = flip(w.subarray(0, 32), 31, 0x80);
    // X25519 agrees on the altered encoding...
    expect(hex(x25519.getSharedSecret(READER_SECRET, alt))).toBe(hex(x25519.getSharedSecret(READER_SECRET, w.subarray(0, 32))));
    // ...but the wrap is bound to the bytes it carries.
    expect(unwrapKey(concatBytes(alt, w.subarray(32)), READER_SECRET, CTX)).toBeNull();
  });

  it('gives null for truncated, extended or wrong-size input, never throwing', () => {
    const w = wrapKey(DATA_KEY, READER_PUBLIC, EPH, CTX);
    for (const bad of [w.subarray(0, 79), w.subarray(0, 64), w.subarray(0, 32), new Uint8Array(0), concatBytes(w, new Uint8Array([0])), w.subarray(1)])
      expect(noThrow(() => unwrapKey(bad, READER_SECRET, CTX))).toBeNull();
    for (const s of [READER_SECRET.subarray(0, 31), concatBytes(READER_SECRET, new Uint8Array([1])), new Uint8Array(0)])
      expect(noThrow(() => unwrapKey(w, s, CTX))).toBeNull();
  });

  it('gives null for all-zero and other low-order ephemeral keys, even when the rest is forged to match a zero shared secret', () => {
    for (const lo of LOW_ORDER) {
      // What an attacker could compute without any secret if the all-zero shared secret were accepted:
      const forged = forgeWrap(DATA_KEY, READER_PUBLIC, lo, CTX, new Uint8Array(32));
      expect(forged).toHaveLength(WRAPPED_KEY_BYTES);
      expect(
        noThrow(() => unwrapKey(forged, READER_SECRET, CTX)),
        hex(lo),
      ).toBeNull();
      // and with the genuine wrap's body after it
      const genuine = wrapKey(DATA_KEY, READER_PUBLIC, EPH, CTX);
      expect(noThrow(() => unwrapKey(concatBytes(lo, genuine.subarray(32)), READER_SECRET, CTX))).toBeNull();
    }
    // 32 zero bytes followed by anything
    expect(noThrow(() => unwrapKey(concatBytes(new Uint8Array(32), filled(48, 0xab)), READER_SECRET, CTX))).toBeNull();
    expect(noThrow(() => unwrapKey(new Uint8Array(80), READER_SECRET, CTX))).toBeNull();
  });

  it('never throws on arbitrary wraps and secrets (property)', () => {
    fc.assert(
      fc.property(fc.oneof(bytes(80), fc.uint8Array({ maxLength: 100 })), fc.oneof(key32, fc.uint8Array({ maxLength: 40 })), context, (w, s, ctx) => {
        expect(noThrow(() => unwrapKey(w, s, ctx))).toBeNull();
      }),
      { numRuns: 100 },
    );
  });

  it('two wraps of the same key to the same reader with different ephemeral secrets differ (property)', () => {
    fc.assert(
      fc.property(key32, key32, key32, context, (dataKey, e1, e2, ctx) => {
        // Secrets differing only in X25519's clamped bits are the same secret; skip those.
        fc.pre(hex(x25519.getPublicKey(e1)) !== hex(x25519.getPublicKey(e2)));
        const w1 = wrapKey(dataKey, READER_PUBLIC, e1, ctx);
        const w2 = wrapKey(dataKey, READER_PUBLIC, e2, ctx);
        expect(hex(w1.subarray(0, 32))).not.toBe(hex(w2.subarray(0, 32)));
        expect(hex(w1.subarray(32))).not.toBe(hex(w2.subarray(32))); // the encrypted part differs too
        expect(hex(unwrapKey(w1, READER_SECRET, ctx)!)).toBe(hex(dataKey));
        expect(hex(unwrapKey(w2, READER_SECRET, ctx)!)).toBe(hex(dataKey));
      }),
      { numRuns: 30 },
    );
  });

  it('wrapping to several readers: each opens its own wrap and no other', () => {
    const secrets = [filled(32, 1), filled(32, 2), filled(32, 3)];
    const wraps = secrets.map((s, i) => wrapKey(DATA_KEY, x25519.getPublicKey(s), filled(32, 0x50 + i), CTX));
    secrets.forEach((s, i) =>
      wraps.forEach((w, j) => {
        const k = unwrapKey(w, s, CTX);
        if (i === j) expect(hex(k!)).toBe(hex(DATA_KEY));
        else expect(k).toBeNull();
      }),
    );
  });

  it('does not modify its inputs', () => {
    const dk = Uint8Array.from(DATA_KEY);
    const eph = Uint8Array.from(EPH);
    const rp = Uint8Array.from(READER_PUBLIC);
    const ctx = Uint8Array.from(CTX);
    const w = wrapKey(dk, rp, eph, ctx);
    expect([hex(dk), hex(eph), hex(rp), hex(ctx)]).toEqual([hex(DATA_KEY), hex(EPH), hex(READER_PUBLIC), hex(CTX)]);
    const rs = Uint8Array.from(READER_SECRET);
    const wCopy = Uint8Array.from(w);
    unwrapKey(w, rs, ctx);
    expect([hex(w), hex(rs), hex(ctx)]).toEqual([hex(wCopy), hex(READER_SECRET), hex(CTX)]);
  });

  it('asserts on a wrong data key or ephemeral secret size (our misuse)', () => {
    expect(() => wrapKey(DATA_KEY.subarray(0, 16), READER_PUBLIC, EPH, CTX)).toThrow(AssertionError);
    expect(() => wrapKey(DATA_KEY, READER_PUBLIC, EPH.subarray(0, 31), CTX)).toThrow(AssertionError);
  });
});
