/**
 * The private OKP JWK WebCrypto imports raw Ed25519/X25519 secrets through
 * (RFC 8037): base64url without padding, checked on RFC 8037's own key and
 * RFC 4648's vectors, and imported and used by Node's WebCrypto (RFC 8032,
 * RFC 7748).
 */
import { describe, expect, it } from 'vitest';
import { fromHex, utf8 } from '../../../src/lib/core/bytes';
import { privateOkpJwk } from '../../../src/lib/adapters/okp-jwk';

/** RFC 8032 test 1's key pair (the key of RFC 8037 Appendix A). */
const SECRET = fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60')!;
const PUBLIC = fromHex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a')!;

describe('privateOkpJwk', () => {
  it('gives RFC 8037 Appendix A.1 exactly for its Ed25519 key (RFC 8032 test 1)', () => {
    expect(privateOkpJwk('Ed25519', SECRET, PUBLIC)).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      d: 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A',
      x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
    });
  });

  it.each([
    ['', ''],
    ['f', 'Zg'],
    ['fo', 'Zm8'],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg'],
    ['fooba', 'Zm9vYmE'],
    ['foobar', 'Zm9vYmFy'],
  ])('RFC 4648 §10 (§5 alphabet, padding left out as RFC 7515 asks): %j is %j', (plain, encoded) => {
    const jwk = privateOkpJwk('X25519', utf8(plain), utf8(plain));
    expect(jwk.d).toBe(encoded);
    expect(jwk.x).toBe(encoded);
  });

  it('uses the URL-safe symbols - and _ (RFC 4648 §5), never + and /', () => {
    expect(privateOkpJwk('X25519', Uint8Array.of(0xfb, 0xff, 0xbf), new Uint8Array(0)).d).toBe('-_-_');
  });

  it('is a key Node WebCrypto imports and signs with: RFC 8032 test 1 signature', async () => {
    const key = await crypto.subtle.importKey('jwk', privateOkpJwk('Ed25519', SECRET, PUBLIC), { name: 'Ed25519' }, false, ['sign']);
    const sig = new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, key, new Uint8Array(0)));
    expect(sig).toEqual(
      fromHex('e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b'),
    );
  });

  it('is an X25519 key Node WebCrypto imports and agrees with: RFC 7748 §6.1', async () => {
    const alice = fromHex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a')!;
    const alicePublic = fromHex('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a')!;
    const bobPublic = fromHex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f')!;
    const key = await crypto.subtle.importKey('jwk', privateOkpJwk('X25519', alice, alicePublic), { name: 'X25519' }, false, ['deriveBits']);
    const bob = await crypto.subtle.importKey('raw', bobPublic.slice(), { name: 'X25519' }, true, []);
    const shared = new Uint8Array(await crypto.subtle.deriveBits({ name: 'X25519', public: bob }, key, 256));
    expect(shared).toEqual(fromHex('4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742'));
  });
});
