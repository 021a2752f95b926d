/**
 * Keys derived, not stored (SPEC §2): argon2id over the NFKC passphrase,
 * salted with the network id and the Aadhaar number, then HKDF-SHA256 into an
 * Ed25519 signing pair and an X25519 agreement pair.
 *
 * First the primitives we rely on are pinned to their published vectors (RFC
 * 5869, RFC 7748, RFC 8032, RFC 9106), then the derivation itself.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { argon2id } from '@noble/hashes/argon2.js';
import { extract, hkdf } from '@noble/hashes/hkdf.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { AssertionError } from '../../../src/lib/core/assert';
import { concatBytes, hexToBytes, toHex, utf8 } from '../../../src/lib/core/bytes';
import { verhoeffDigit } from '../../../src/lib/core/verhoeff';
import { type KdfParams, OWASP_ARGON2ID, deriveKeys, deriveMasterSeed, wipe } from '../../../src/lib/core/keys';

const h = hexToBytes;
const filled = (n: number, b: number) => new Uint8Array(n).fill(b);
/** Tiny argon2id cost, for speed; the production cost is tested once below. */
const TINY: KdfParams = { m: 64, t: 1, p: 1 };

const complete = (eleven: string): string => eleven + String(verhoeffDigit(eleven));
const AADHAAR = complete('23456789012'); // 234567890124
const AADHAAR_2 = complete('98765432109');
const NET = 'medchain-test';
const PASS = 'kite-river-lamp-oven';

const validAadhaar: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...'23456789'), fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 10, maxLength: 10 }))
  .map(([first, rest]) => complete(first + rest));

const seedOf = (net: string, aadhaar: string, pass: string) => deriveMasterSeed(net, aadhaar, pass, TINY);

// --- the primitives, against their published vectors ------------------------------

describe('primitives we rely on (published vectors)', () => {
  it('HKDF-SHA256: RFC 5869 test case 1', () => {
    const ikm = filled(22, 0x0b);
    const salt = h('000102030405060708090a0b0c');
    const info = h('f0f1f2f3f4f5f6f7f8f9');
    expect(toHex(extract(nobleSha256, ikm, salt))).toBe('077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5');
    expect(toHex(hkdf(nobleSha256, ikm, salt, info, 42))).toBe('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
  });

  it('HKDF-SHA256: RFC 5869 test case 3 (empty salt and info)', () => {
    expect(toHex(hkdf(nobleSha256, filled(22, 0x0b), new Uint8Array(0), new Uint8Array(0), 42))).toBe(
      '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
    );
  });

  it('X25519: RFC 7748 §5.2 scalar multiplication vectors', () => {
    expect(
      toHex(
        x25519.scalarMult(
          h('a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4'),
          h('e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c'),
        ),
      ),
    ).toBe('c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552');
    expect(
      toHex(
        x25519.scalarMult(
          h('4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d'),
          h('e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493'),
        ),
      ),
    ).toBe('95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957');
  });

  it('X25519: RFC 7748 §5.2 iterated vector, one iteration (k = u = 9)', () => {
    const nine = new Uint8Array(32);
    nine[0] = 9;
    expect(toHex(x25519.scalarMult(nine, nine))).toBe('422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079');
  });

  it('X25519: RFC 7748 §6.1 Diffie-Hellman', () => {
    const alice = h('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
    const bob = h('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
    const alicePub = x25519.getPublicKey(alice);
    const bobPub = x25519.getPublicKey(bob);
    expect(toHex(alicePub)).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    expect(toHex(bobPub)).toBe('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
    expect(toHex(x25519.getSharedSecret(alice, bobPub))).toBe(shared);
    expect(toHex(x25519.getSharedSecret(bob, alicePub))).toBe(shared);
  });

  it('Ed25519: RFC 8032 §7.1 test 1 public key', () => {
    expect(toHex(ed25519.getPublicKey(h('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60')))).toBe(
      'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    );
  });

  it('argon2id: RFC 9106 §5.3 (secret and associated data via noble key/personalization)', () => {
    const tag = argon2id(filled(32, 0x01), filled(16, 0x02), {
      t: 3,
      m: 32,
      p: 4,
      key: filled(8, 0x03),
      personalization: filled(12, 0x04),
      dkLen: 32,
    });
    expect(toHex(tag)).toBe('0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659');
  });
});

// --- deriveMasterSeed -----------------------------------------------------------------

describe('deriveMasterSeed', () => {
  it('OWASP_ARGON2ID is the OWASP cheat sheet first configuration (46 MiB, t=1, p=1) and frozen', () => {
    expect(OWASP_ARGON2ID).toEqual({ m: 47104, t: 1, p: 1 });
    expect(Object.isFrozen(OWASP_ARGON2ID)).toBe(true);
  });

  it('is pinned: a change to the derivation would lock every existing user out', () => {
    // Self-computed regression vector (no published one exists for our salt construction).
    expect(AADHAAR).toBe('234567890124');
    expect(toHex(seedOf(NET, AADHAAR, PASS))).toBe('4bf4ab9e269443ce69491c3044be2e59ea9dbf77c71a1756b81f38ac0122132f');
  });

  it('is argon2id over the passphrase with a tagged-hash salt of network id, 0 and Aadhaar digits', () => {
    const tag = utf8('medchain/kdf-salt/v1');
    const salt = nobleSha256(concatBytes(new Uint8Array([tag.length]), tag, utf8(NET), new Uint8Array([0]), utf8(AADHAAR)));
    const expected = argon2id(utf8(PASS), salt, { t: 1, m: 64, p: 1, dkLen: 32 });
    expect(toHex(seedOf(NET, AADHAAR, PASS))).toBe(toHex(expected));
  });

  it('is deterministic and 32 bytes (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), validAadhaar, fc.string({ maxLength: 30 }), (net, aadhaar, pass) => {
        const a = seedOf(net, aadhaar, pass);
        expect(a).toBeInstanceOf(Uint8Array);
        expect(a).toHaveLength(32);
        expect(toHex(seedOf(net, aadhaar, pass))).toBe(toHex(a));
      }),
      { numRuns: 15 },
    );
  });

  it('differs with the network id, the Aadhaar number, the passphrase and the cost', () => {
    const base = toHex(seedOf(NET, AADHAAR, PASS));
    const variants = [
      seedOf('medchain-prod', AADHAAR, PASS),
      seedOf('', AADHAAR, PASS),
      seedOf(NET, AADHAAR_2, PASS),
      seedOf(NET, AADHAAR, PASS + ' '),
      seedOf(NET, AADHAAR, 'Kite-river-lamp-oven'), // case matters: NFKC does not fold case
      seedOf(NET, AADHAAR, ''),
      deriveMasterSeed(NET, AADHAAR, PASS, { m: 64, t: 2, p: 1 }),
      deriveMasterSeed(NET, AADHAAR, PASS, { m: 128, t: 1, p: 1 }),
    ].map(toHex);
    for (const v of variants) expect(v).not.toBe(base);
    expect(new Set(variants).size).toBe(variants.length);
  });

  it('different inputs give different seeds (property)', () => {
    const input = fc.tuple(fc.constantFrom('net-a', 'net-b', 'net-ab'), validAadhaar, fc.string({ maxLength: 12 }));
    fc.assert(
      fc.property(input, input, ([n1, a1, p1], [n2, a2, p2]) => {
        fc.pre(n1 !== n2 || a1 !== a2 || p1.normalize('NFKC') !== p2.normalize('NFKC'));
        expect(toHex(seedOf(n1, a1, p1))).not.toBe(toHex(seedOf(n2, a2, p2)));
      }),
      { numRuns: 15 },
    );
  });

  it('NFKC-normalises the passphrase: ligatures, full-width letters, decomposed accents', () => {
    const same = (a: string, b: string) => {
      expect(a).not.toBe(b); // the fixture really differs as code units
      expect(toHex(seedOf(NET, AADHAAR, a)), `${a} vs ${b}`).toBe(toHex(seedOf(NET, AADHAAR, b)));
    };
    same('\ufb01ve rivers lamp', 'five rivers lamp'); // 'ﬁ' ligature
    same('ｋｉｔｅ－ｒｉｖｅｒ－ｌａｍｐ', 'kite-river-lamp'); // full-width forms
    same('cafe\u0301 au lait', 'caf\u00e9 au lait'); // e + combining acute vs é
    same('\u2460 two three', '1 two three'); // circled digit one
    // ...and only that: a genuinely different passphrase still differs.
    expect(toHex(seedOf(NET, AADHAAR, 'flve rivers lamp'))).not.toBe(toHex(seedOf(NET, AADHAAR, 'five rivers lamp')));
  });

  it('asserts (AssertionError) when given anything but 12 checked digits', () => {
    const bad = [
      '',
      AADHAAR.slice(0, 11),
      AADHAAR + '0',
      `${AADHAAR.slice(0, 4)} ${AADHAAR.slice(4, 8)} ${AADHAAR.slice(8)}`,
      `${AADHAAR.slice(0, 4)}-${AADHAAR.slice(4, 8)}-${AADHAAR.slice(8)}`,
      complete('0' + AADHAAR.slice(1, 11)),
      complete('1' + AADHAAR.slice(1, 11)),
      AADHAAR.slice(0, 11) + 'x',
      '२३४५६७८९०१२४',
      ` ${AADHAAR}`,
      `${AADHAAR}\n`,
    ];
    for (const a of bad) expect(() => deriveMasterSeed(NET, a, PASS, TINY), JSON.stringify(a)).toThrow(AssertionError);
  });

  // The function documents that it "needs checked Aadhaar digits", and checked
  // means checkAadhaar accepted them; its assertion only looks at the format, so
  // a number with a typo in it silently derives a different identity.
  it('asserts (AssertionError) on 12 well-formed digits whose Verhoeff check digit is wrong', () => {
    const wrong = AADHAAR.slice(0, 11) + String((Number(AADHAAR[11]) + 1) % 10);
    expect(() => deriveMasterSeed(NET, wrong, PASS, TINY)).toThrow(AssertionError);
  });

  it('runs at OWASP strength by default, reproducibly', () => {
    const a = deriveMasterSeed(NET, AADHAAR, PASS);
    const b = deriveMasterSeed(NET, AADHAAR, PASS, OWASP_ARGON2ID);
    expect(a).toHaveLength(32);
    expect(toHex(a)).toBe(toHex(b));
    expect(toHex(a)).not.toBe(toHex(seedOf(NET, AADHAAR, PASS))); // the default is not the tiny cost
  });
});

// --- deriveKeys -----------------------------------------------------------------------

describe('deriveKeys', () => {
  const seed = h('4bf4ab9e269443ce69491c3044be2e59ea9dbf77c71a1756b81f38ac0122132f');

  it('is pinned (self-computed regression vector)', () => {
    const k = deriveKeys(seed);
    expect(toHex(k.signSecret)).toBe('3216a7929f8198e4b1da38d2ccd88ff9ecd0d3642c3f4a2825f1374063ad46d4');
    expect(toHex(k.signPublic)).toBe('03133ced9a71daba79ea464681b36ca10ee42c79b5083745d2c0ded4a2951c85');
    expect(toHex(k.boxSecret)).toBe('f509d38aa2fa8a94d5eca703fccfef72def1e0c02f8c9cb01337cbfa8d62d764');
    expect(toHex(k.boxPublic)).toBe('413fbf71cffd82fd2ceb51d72c142332c4d824c8cfbc9430f4531f6cb057a250');
  });

  it('separates the two secrets with HKDF-SHA256 (salt medchain/keys/v1, one info per key)', () => {
    const k = deriveKeys(seed);
    const salt = utf8('medchain/keys/v1');
    expect(toHex(k.signSecret)).toBe(toHex(hkdf(nobleSha256, seed, salt, utf8('ed25519 signing key'), 32)));
    expect(toHex(k.boxSecret)).toBe(toHex(hkdf(nobleSha256, seed, salt, utf8('x25519 key agreement key'), 32)));
  });

  it('gives matching key pairs: Ed25519 signs, X25519 agrees (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 64 }),
        (s, other, msg) => {
          const k = deriveKeys(s);
          for (const v of [k.signSecret, k.signPublic, k.boxSecret, k.boxPublic]) expect(v).toHaveLength(32);
          expect(toHex(k.signPublic)).toBe(toHex(ed25519.getPublicKey(k.signSecret)));
          expect(toHex(k.boxPublic)).toBe(toHex(x25519.getPublicKey(k.boxSecret)));
          expect(ed25519.verify(ed25519.sign(msg, k.signSecret), msg, k.signPublic)).toBe(true);
          const otherPub = x25519.getPublicKey(other);
          expect(toHex(x25519.getSharedSecret(k.boxSecret, otherPub))).toBe(toHex(x25519.getSharedSecret(other, k.boxPublic)));
          // independent keys
          expect(toHex(k.signSecret)).not.toBe(toHex(k.boxSecret));
          expect(toHex(k.signSecret)).not.toBe(toHex(s));
          expect(toHex(k.boxSecret)).not.toBe(toHex(s));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('is deterministic, and different seeds give different keys (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (s1, s2) => {
        const a = deriveKeys(s1);
        const again = deriveKeys(Uint8Array.from(s1));
        expect(toHex(again.signPublic)).toBe(toHex(a.signPublic));
        expect(toHex(again.boxPublic)).toBe(toHex(a.boxPublic));
        fc.pre(toHex(s1) !== toHex(s2));
        const b = deriveKeys(s2);
        expect(toHex(b.signSecret)).not.toBe(toHex(a.signSecret));
        expect(toHex(b.boxSecret)).not.toBe(toHex(a.boxSecret));
      }),
      { numRuns: 25 },
    );
  });

  it('asserts on a seed that is not 32 bytes', () => {
    for (const n of [0, 16, 31, 33, 64]) expect(() => deriveKeys(new Uint8Array(n)), String(n)).toThrow(AssertionError);
  });

  it('from Aadhaar and passphrase end to end: same inputs on "another device" give the same keys', () => {
    const device1 = deriveKeys(seedOf(NET, AADHAAR, PASS));
    const device2 = deriveKeys(seedOf(NET, AADHAAR, 'ｋｉｔｅ-river-lamp-oven'));
    expect(toHex(device2.signPublic)).toBe(toHex(device1.signPublic));
    expect(toHex(device2.boxPublic)).toBe(toHex(device1.boxPublic));
    const otherNet = deriveKeys(seedOf('other-net', AADHAAR, PASS));
    expect(toHex(otherNet.signPublic)).not.toBe(toHex(device1.signPublic));
    expect(toHex(otherNet.boxPublic)).not.toBe(toHex(device1.boxPublic));
  });
});

// --- wipe -------------------------------------------------------------------------------

describe('wipe', () => {
  it('zeroes every array it is given, and nothing else', () => {
    const k = deriveKeys(seedOf(NET, AADHAAR, PASS));
    const keep = Uint8Array.from(k.signPublic);
    const a = Uint8Array.from(k.signSecret);
    const b = Uint8Array.from(k.boxSecret);
    expect(a.some((x) => x !== 0)).toBe(true);
    wipe(a, b);
    expect([...a].every((x) => x === 0)).toBe(true);
    expect([...b].every((x) => x === 0)).toBe(true);
    expect(toHex(k.signPublic)).toBe(toHex(keep));
    wipe(); // no arguments is fine
  });

  it('zeroes a subarray in place, inside its buffer', () => {
    const buf = filled(16, 0xaa);
    wipe(buf.subarray(4, 8));
    expect([...buf]).toEqual([0xaa, 0xaa, 0xaa, 0xaa, 0, 0, 0, 0, ...Array<number>(8).fill(0xaa)]);
  });
});

// --- privacy: nothing derived shows the Aadhaar number ---------------------------------------

/** Every byte encoding of a 12-digit number we can think of being leaked in. */
function encodingsOf(digits: string): Uint8Array[] {
  const ascii = utf8(digits);
  const bcd = new Uint8Array(6);
  const bcdSwapped = new Uint8Array(6);
  for (let i = 0; i < 6; i++) {
    const hi = Number(digits[2 * i]);
    const lo = Number(digits[2 * i + 1]);
    bcd[i] = (hi << 4) | lo;
    bcdSwapped[i] = (lo << 4) | hi;
  }
  let v = BigInt(digits);
  const be = new Uint8Array(5); // 10^12 < 2^40
  for (let i = 4; i >= 0; i--) {
    be[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  const le = Uint8Array.from(be).reverse();
  // A short tail of the number would be too likely by chance; 5 bytes is the least we scan for.
  return [ascii, bcd, bcdSwapped, be, le];
}

function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

const leaks = (bytes: Uint8Array, digits: string): boolean => encodingsOf(digits).some((e) => contains(bytes, e));

describe('privacy: derived keys and seed never carry the Aadhaar digits', () => {
  it('the scanner itself finds each encoding when it is there', () => {
    const noise = filled(40, 0xee);
    for (const e of encodingsOf(AADHAAR)) {
      const hay = concatBytes(noise.subarray(0, 7), e, noise.subarray(0, 9));
      expect(leaks(hay, AADHAAR)).toBe(true);
    }
    expect(leaks(utf8(`id:${AADHAAR}`), AADHAAR)).toBe(true);
    expect(leaks(h('0000234567890124ff'), AADHAAR)).toBe(true); // BCD
    expect(leaks(h('369d55f4cc'), AADHAAR)).toBe(true); // 234567890124 = 0x36_9d55_f4cc
    expect(leaks(h('ccf4559d36'), AADHAAR)).toBe(true); // ...little-endian
    expect(leaks(noise, AADHAAR)).toBe(false);
  });

  it('no derived value contains any encoding of the number (property)', () => {
    fc.assert(
      fc.property(validAadhaar, fc.string({ maxLength: 16 }), (aadhaar, pass) => {
        const seed = seedOf(NET, aadhaar, pass);
        const k = deriveKeys(seed);
        for (const v of [seed, k.signPublic, k.boxPublic, k.signSecret, k.boxSecret]) expect(leaks(v, aadhaar)).toBe(false);
      }),
      { numRuns: 25 },
    );
  });
});
