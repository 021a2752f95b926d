/**
 * WebCrypto Ed25519 (here Node's; Chromium's in the browser suites) and the
 * core's @noble/curves verifier give and accept the same signatures:
 * RFC 8032 vectors, random keys and messages, every single-bit change, and
 * the edge cases where implementations are known to disagree.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ed25519 } from '@noble/curves/ed25519.js';
import { hexToBytes } from '../../../src/lib/core/bytes';
import { nobleVerifier, publicKeyOf, sign, signaturePrecheck } from '../../../src/lib/core/signature';
import { importSigningKey, primedVerifier, signWebCrypto, verifyWebCrypto, webcryptoEd25519Available } from '../../../src/lib/adapters/webcrypto-ed25519';

const RFC8032 = [
  {
    secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    pub: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    msg: '',
    sig: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    pub: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    msg: '72',
    sig: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
];

const L = (1n << 252n) + 27742317777372353535851937790883648493n;
const le32 = (v: bigint) => {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
};

async function both(sig: Uint8Array, msg: Uint8Array, pub: Uint8Array): Promise<[boolean, boolean]> {
  return [nobleVerifier.verify(sig, msg, pub), await verifyWebCrypto(sig, msg, pub)];
}

beforeAll(async () => {
  expect(await webcryptoEd25519Available()).toBe(true);
});

describe('WebCrypto and noble agree', () => {
  it('on the RFC 8032 vectors, signing included (through a non-extractable key)', async () => {
    for (const v of RFC8032) {
      const secret = hexToBytes(v.secret);
      const pub = hexToBytes(v.pub);
      const msg = hexToBytes(v.msg);
      expect(publicKeyOf(secret)).toEqual(pub);
      const key = await importSigningKey(secret, pub);
      expect(key.extractable).toBe(false);
      expect(await signWebCrypto(key, msg)).toEqual(hexToBytes(v.sig));
      expect(sign(msg, secret)).toEqual(hexToBytes(v.sig));
      expect(await both(hexToBytes(v.sig), msg, pub)).toEqual([true, true]);
    }
  });

  it('on random keys and messages, and on every single-bit change of signature, key or message', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 64 }), fc.nat(), async (secret, msg, at) => {
        const pub = publicKeyOf(secret);
        const sig = sign(msg, secret);
        expect(await both(sig, msg, pub)).toEqual([true, true]);
        const all = new Uint8Array([...sig, ...pub, ...msg]);
        const bit = at % (all.length * 8);
        all[bit >> 3]! ^= 1 << (bit & 7);
        const [n, w] = await both(all.subarray(0, 64), all.subarray(96), all.subarray(64, 96));
        expect(n).toBe(w);
      }),
      { numRuns: 150 },
    );
  });

  it('on the cases engines disagree on without the precheck: small-order keys and R, s ≥ L, non-canonical encodings', async () => {
    const msg = new Uint8Array([1, 2, 3]);
    // A signature that raw OpenSSL/BoringSSL accept for the identity as public key.
    const r = 12345n;
    const R = ed25519.Point.BASE.multiply(r).toBytes();
    const forged = new Uint8Array([...R, ...le32(r)]);
    const identity = hexToBytes('0100000000000000000000000000000000000000000000000000000000000000');
    expect(signaturePrecheck(forged, identity)).toBe(false);
    expect(await both(forged, msg, identity)).toEqual([false, false]);
    // s + L: the same equation, a second encoding.
    const secret = new Uint8Array(32).fill(7);
    const pub = publicKeyOf(secret);
    const sig = sign(msg, secret);
    let s = 0n;
    for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i]!);
    const malleated = new Uint8Array([...sig.subarray(0, 32), ...le32(s + L)]);
    expect(await both(malleated, msg, pub)).toEqual([false, false]);
    // Non-canonical public key encodings (y ≥ p, and x = 0 with the sign bit).
    for (const enc of [
      'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      '0100000000000000000000000000000000000000000000000000000000000080',
      'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
    ])
      expect(await both(sig, msg, hexToBytes(enc))).toEqual([false, false]);
    // Every small-order point as the key, and as R.
    for (const enc of [
      '0000000000000000000000000000000000000000000000000000000000000000',
      'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
      '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
    ]) {
      const point = hexToBytes(enc);
      expect(ed25519.Point.fromBytes(point).isSmallOrder()).toBe(true);
      expect(await both(sig, msg, point)).toEqual([false, false]);
      expect(await both(new Uint8Array([...point, ...sig.subarray(32)]), msg, pub)).toEqual([false, false]);
    }
    // R with a small-order component: the cofactored equation (noble's own verify) accepts it,
    // the cofactorless one (OpenSSL, BoringSSL, libsodium, and ours) does not.
    {
      const a = 987654321n;
      const A = ed25519.Point.BASE.multiply(a).toBytes();
      const T = ed25519.Point.fromBytes(hexToBytes('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a'));
      const r = 55555n;
      const Rp = ed25519.Point.BASE.multiply(r).add(T).toBytes();
      const { sha512 } = await import('@noble/hashes/sha2.js');
      let k = 0n;
      const h = sha512(new Uint8Array([...Rp, ...A, ...msg]));
      for (let i = 63; i >= 0; i--) k = (k << 8n) | BigInt(h[i]!);
      const sTorsion = (r + (k % L) * a) % L;
      const sig = new Uint8Array([...Rp, ...le32(sTorsion)]);
      expect(ed25519.verify(sig, msg, A, { zip215: false })).toBe(true); // noble's cofactored check says yes
      expect(await both(sig, msg, A)).toEqual([false, false]);
    }
    // Wrong sizes never throw.
    expect(await both(sig.subarray(0, 63), msg, pub)).toEqual([false, false]);
    expect(await both(sig, msg, pub.subarray(0, 31))).toEqual([false, false]);
  });

  it('a primed verifier answers synchronously with WebCrypto results and falls back to noble', async () => {
    const secret = new Uint8Array(32).fill(3);
    const pub = publicKeyOf(secret);
    const good = { signature: sign(new Uint8Array([9]), secret), message: new Uint8Array([9]), publicKey: pub };
    const bad = { ...good, message: new Uint8Array([8]) };
    const calls: number[] = [];
    const v = primedVerifier({ verify: (...a) => (calls.push(1), nobleVerifier.verify(...a)) });
    await v.prime([good, bad]);
    expect(v.verify(good.signature, good.message, good.publicKey)).toBe(true);
    expect(v.verify(bad.signature, bad.message, bad.publicKey)).toBe(false);
    expect(calls).toHaveLength(0);
    expect(v.verify(good.signature, good.message, good.publicKey)).toBe(true);
    expect(calls).toHaveLength(1);
  });
});
