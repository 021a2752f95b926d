/**
 * Standard padded base64 (RFC 4648 §4) for FHIR attachments: the §10 test
 * vectors, a round trip over arbitrary bytes, and refusal (null, never a
 * throw) of anything that is not the one canonical encoding.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { utf8 } from '../../../src/lib/core/bytes';
import { fromBase64, toBase64 } from '../../../src/lib/core/base64';

/** RFC 4648 §10. */
const VECTORS: readonly (readonly [string, string])[] = [
  ['', ''],
  ['f', 'Zg=='],
  ['fo', 'Zm8='],
  ['foo', 'Zm9v'],
  ['foob', 'Zm9vYg=='],
  ['fooba', 'Zm9vYmE='],
  ['foobar', 'Zm9vYmFy'],
];

describe('toBase64 / fromBase64', () => {
  it.each(VECTORS)('RFC 4648 §10: %j encodes as %j and decodes back', (plain, encoded) => {
    expect(toBase64(utf8(plain))).toBe(encoded);
    expect(fromBase64(encoded)).toEqual(utf8(plain));
  });

  it('uses the standard alphabet (+ and /), not the URL-safe one', () => {
    expect(toBase64(Uint8Array.of(0xfb, 0xff, 0xbf))).toBe('+/+/');
    expect(fromBase64('+/+/')).toEqual(Uint8Array.of(0xfb, 0xff, 0xbf));
    expect(fromBase64('-_-_')).toBeNull();
  });

  it('every byte value survives (all 256 in one string)', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(fromBase64(toBase64(all))).toEqual(all);
  });

  it('round trip: fromBase64(toBase64(b)) = b, and the encoding is padded canonical base64', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        const s = toBase64(b);
        expect(s.length).toBe(Math.ceil(b.length / 3) * 4);
        expect(s).toMatch(/^[A-Za-z0-9+/]*={0,2}$/);
        expect(s).toBe(Buffer.from(b).toString('base64'));
        expect(fromBase64(s)).toEqual(b);
      }),
    );
  });

  it('whitespace (line breaks in a FHIR file) is ignored', () => {
    expect(fromBase64('Zm9v\nYmFy')).toEqual(utf8('foobar'));
    expect(fromBase64(' Zm9v YmE= \r\n')).toEqual(utf8('fooba'));
  });

  it.each(['Zg', 'Zh==', 'Z===', '@@@@', 'Zm9', 'Zm8', 'Zg=', '=Zg=', 'Zg==Zg==', 'Zm=v', 'Zm9vYmFy=', '====', 'Zm-v', 'Zm9\u00e9'])(
    'non-canonical or malformed %j is refused with null',
    (s) => {
      expect(fromBase64(s)).toBeNull();
    },
  );

  it('any string that decodes is the canonical encoding of what it decodes to (no second spelling)', () => {
    const b64char = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/='.split(''));
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(b64char, fc.string({ maxLength: 1 })), maxLength: 16 }), (s) => {
        const out = fromBase64(s);
        if (out !== null) expect(toBase64(out)).toBe(s.replace(/\s+/g, ''));
      }),
    );
  });

  it('changing the unused low bits of the last symbol is refused (Zg== vs Zh==, Zm8= vs Zm9=)', () => {
    expect(fromBase64('Zm8=')).toEqual(utf8('fo'));
    expect(fromBase64('Zm9=')).toBeNull();
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 20 }).filter((b) => b.length % 3 !== 0),
        (b) => {
          const s = toBase64(b);
          const last = s.replace(/=+$/, '');
          const ch = last[last.length - 1]!;
          const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
          const idx = alphabet.indexOf(ch);
          const bumped = alphabet[idx ^ 1]!; // flips the lowest bit, which is always padding here
          const bad = last.slice(0, -1) + bumped + s.slice(last.length);
          expect(fromBase64(bad)).toBeNull();
        },
      ),
    );
  });
});
