/**
 * Public patient ids (SPEC §2): a pseudonymous id (a hash of the signing key),
 * its long Crockford base32 form for the chain and QR codes, and its short
 * form `XXXXX-XXXXX-C` with a mod-37 check symbol that a patient reads out.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { bytesToBigInt, concatBytes, toHex, utf8 } from '../../../src/lib/core/bytes';
import { longId, parseShortId, patientIdOf, patientQrPayload, shortId } from '../../../src/lib/core/ids';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CHECK = CROCKFORD + '*~$=U';
const SYMBOL = '[0-9A-HJKMNP-TV-Z]';
const SHORT_FORMAT = new RegExp(`^${SYMBOL}{5}-${SYMBOL}{5}-[0-9A-HJKMNP-TV-Z*~$=U]$`);

const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });

/** Independent Crockford decoder (MSB first, trailing pad bits dropped). */
function decode32(s: string): Uint8Array {
  let acc = 0n;
  for (const ch of s) {
    const v = CROCKFORD.indexOf(ch);
    if (v < 0) throw new Error(`not Crockford: ${ch}`);
    acc = (acc << 5n) | BigInt(v);
  }
  const nBytes = Math.floor((s.length * 5) / 8);
  acc >>= BigInt(s.length * 5 - nBytes * 8);
  const out = new Uint8Array(nBytes);
  for (let i = nBytes - 1; i >= 0; i--) {
    out[i] = Number(acc & 0xffn);
    acc >>= 8n;
  }
  return out;
}

/** 32 id bytes whose first 50 bits are the given 10 symbols. */
function idWithBody(body: string): Uint8Array {
  const padded = body + '0'.repeat(52 - body.length);
  const bytes = decode32(padded);
  expect(bytes).toHaveLength(32);
  return bytes;
}

/** The check symbol computed independently: the 50-bit value modulo 37. */
const refCheck = (id: Uint8Array): string => CHECK[Number((bytesToBigInt(id.subarray(0, 7)) >> 6n) % 37n)]!;

const expectOk = (input: string, prefix: string) => expect(parseShortId(input), input).toEqual({ ok: true, prefix });
const expectNotOk = (input: string) => {
  const r = parseShortId(input);
  expect(r.ok, input).toBe(false);
  if (!r.ok) expect(['ID_LENGTH', 'ID_CHARACTERS', 'ID_TYPO']).toContain(r.code);
};

describe('patientIdOf', () => {
  it('is the 32-byte tagged hash of the signing key, deterministic', () => {
    const pk = new Uint8Array(32).fill(7);
    const tag = utf8('medchain/patient-id');
    const expected = nobleSha256(concatBytes(new Uint8Array([tag.length]), tag, pk));
    const id = patientIdOf(pk);
    expect(id).toHaveLength(32);
    expect(toHex(id)).toBe(toHex(expected));
    expect(toHex(patientIdOf(Uint8Array.from(pk)))).toBe(toHex(id));
  });

  it('differs for different keys and is not the key itself (property)', () => {
    fc.assert(
      fc.property(bytes32, bytes32, (a, b) => {
        const ia = patientIdOf(a);
        expect(ia).toHaveLength(32);
        expect(toHex(ia)).not.toBe(toHex(a));
        expect(toHex(patientIdOf(a))).toBe(toHex(ia));
        fc.pre(toHex(a) !== toHex(b));
        expect(toHex(patientIdOf(b))).not.toBe(toHex(ia));
      }),
      { numRuns: 100 },
    );
  });
});

describe('longId encodes Crockford base32 (@scure/base: no padding, MSB first), for any length', () => {
  it('known values', () => {
    expect(longId(new Uint8Array([]))).toBe('');
    expect(longId(new Uint8Array([0x00]))).toBe('00');
    // 0xff = 11111 111(00) → 31, 28 → 'Z', 'W'
    expect(longId(new Uint8Array([0xff]))).toBe('ZW');
    expect(longId(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff]))).toBe('ZZZZZZZZ');
    // 0x08 0x42 = 00001 00001 00001 0(0000) → 1 1 1 0
    expect(longId(new Uint8Array([0x08, 0x42]))).toBe('1110');
    // every symbol once, in order: 0..31 packed into 20 bytes
    let v = 0n;
    for (let i = 0; i < 32; i++) v = (v << 5n) | BigInt(i);
    const all = new Uint8Array(20);
    for (let i = 19; i >= 0; i--) {
      all[i] = Number(v & 0xffn);
      v >>= 8n;
    }
    expect(longId(all)).toBe(CROCKFORD);
  });

  it('RFC 4648 §10 base32 vectors, translated to the Crockford alphabet', () => {
    const RFC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    const tr = (s: string) => [...s.replace(/=+$/, '')].map((c) => CROCKFORD[RFC.indexOf(c)]).join('');
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'MY======'],
      ['fo', 'MZXQ===='],
      ['foo', 'MZXW6==='],
      ['foob', 'MZXW6YQ='],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI======'],
    ];
    for (const [plain, enc] of vectors) expect(longId(utf8(plain)), plain).toBe(tr(enc));
    expect(longId(utf8('f'))).toBe('CR');
  });

  it('round-trips through an independent decoder, with length ceil(8n/5) (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        const s = longId(b);
        expect(s).toHaveLength(Math.ceil((b.length * 8) / 5));
        expect(s).toMatch(/^[0-9A-HJKMNP-TV-Z]*$/);
        expect(toHex(decode32(s))).toBe(toHex(b));
      }),
      { numRuns: 300 },
    );
  });
});

describe('longId', () => {
  it('is the 52-symbol base32 of the id (property)', () => {
    fc.assert(
      fc.property(bytes32, (id) => {
        const l = longId(id);
        expect(l).toHaveLength(52);
        expect(toHex(decode32(l))).toBe(toHex(id));
      }),
      { numRuns: 100 },
    );
  });
});

describe('shortId', () => {
  it('has the XXXXX-XXXXX-C format, the first 10 long-id symbols and the mod-37 check (property)', () => {
    fc.assert(
      fc.property(bytes32, (id) => {
        const s = shortId(id);
        expect(s).toMatch(SHORT_FORMAT);
        expect(s.slice(0, 5) + s.slice(6, 11)).toBe(longId(id).slice(0, 10));
        expect(s[12]).toBe(refCheck(id));
      }),
      { numRuns: 300 },
    );
  });

  it('known values', () => {
    // body 0000000000 → value 0 → check '0'; body ZZZZZZZZZZ → 2^50−1 ≡ 2^50−1 mod 37
    expect(shortId(new Uint8Array(32))).toBe('00000-00000-0');
    const zz = Number(((1n << 50n) - 1n) % 37n);
    expect(shortId(new Uint8Array(32).fill(0xff))).toBe(`ZZZZZ-ZZZZZ-${CHECK[zz]!}`);
    // body 0000000001 → 1; body 000000000Z → 31; body 0000000010 → 32; 0000000015 → 37 ≡ 0
    expect(shortId(idWithBody('0000000001'))).toBe('00000-00001-1');
    expect(shortId(idWithBody('000000000Z'))).toBe('00000-0000Z-Z');
    expect(shortId(idWithBody('0000000010'))).toBe('00000-00010-*');
    expect(shortId(idWithBody('0000000014'))).toBe('00000-00014-U');
    expect(shortId(idWithBody('0000000015'))).toBe('00000-00015-0');
  });

  it('uses all 37 check symbols', () => {
    const seen = new Set<string>();
    for (let v = 0; v < 37; v++) {
      const body = '00000000' + CROCKFORD[Math.floor(v / 32)]! + CROCKFORD[v % 32]!;
      seen.add(shortId(idWithBody(body)).slice(-1));
    }
    expect([...seen].sort().join('')).toBe([...CHECK].sort().join(''));
  });
});

describe('parseShortId', () => {
  it('names why text is not a short id by code', () => {
    const s = shortId(idWithBody('ABCDEFGHJK'));
    const wrongCheck = [...CHECK].find((c) => c !== s.slice(-1))!;
    expect(parseShortId('ABCDE')).toEqual({ ok: false, code: 'ID_LENGTH' });
    expect(parseShortId('ABCDE-FGHJU-0')).toEqual({ ok: false, code: 'ID_CHARACTERS' });
    expect(parseShortId(`ABCDEFGHJK${wrongCheck}`)).toEqual({ ok: false, code: 'ID_TYPO' });
  });

  it('round-trips shortId to the 10-symbol prefix (property)', () => {
    fc.assert(
      fc.property(bytes32, (id) => {
        expectOk(shortId(id), longId(id).slice(0, 10));
      }),
      { numRuns: 300 },
    );
  });

  it('ignores case, spaces and dashes', () => {
    const id = idWithBody('ABCDEFGHJK');
    const s = shortId(id);
    const prefix = 'ABCDEFGHJK';
    const c = s.slice(-1);
    for (const input of [
      s,
      s.toLowerCase(),
      `ABCDEFGHJK${c}`,
      `abcde fghjk ${c}`,
      `  ${s}  `,
      `AB-CD-EF-GH-JK-${c}`,
      `a b c d e f g h j k ${c}`,
      `AbCdE\tFgHjK\u00a0${c}`,
      `--${s}--`,
    ])
      expectOk(input, prefix);
  });

  it('reads I and L as 1, O as 0 (either case)', () => {
    const id = idWithBody('1010ABC011');
    const s = shortId(id);
    expect(s.slice(0, 11)).toBe('1010A-BC011');
    for (const input of [`IOLO-ABC-OII${s.slice(-1)}`, `lolo abc oil ${s.slice(-1)}`, `Iolo-aBC-0lI-${s.slice(-1)}`]) expectOk(input, '1010ABC011');
  });

  it('reads a lower-case check symbol u as U', () => {
    const s = shortId(idWithBody('0000000014'));
    expect(s.slice(-1)).toBe('U');
    expectOk(s.toLowerCase(), '0000000014');
  });

  it('tolerates aliases and noise anywhere (property)', () => {
    const noise = fc.constantFrom('', ' ', '-', '  ', ' - ');
    fc.assert(
      fc.property(bytes32, fc.array(fc.tuple(fc.boolean(), noise), { minLength: 13, maxLength: 13 }), (id, choices) => {
        const typed = [...shortId(id).replace(/-/g, '')]
          .map((ch, i) => {
            const [lower, sep] = choices[i]!;
            const alias = ch === '1' ? (lower ? 'l' : 'I') : ch === '0' ? (lower ? 'o' : 'O') : lower ? ch.toLowerCase() : ch;
            return alias + sep;
          })
          .join('');
        expectOk(typed, longId(id).slice(0, 10));
      }),
      { numRuns: 200 },
    );
  });

  it('detects every single-symbol substitution in the body and the check symbol (exhaustive)', () => {
    const ids = [new Uint8Array(32), new Uint8Array(32).fill(0xff), ...fc.sample(bytes32, { numRuns: 4, seed: 37 })];
    let tried = 0;
    for (const id of ids) {
      const compact = shortId(id).replace(/-/g, '');
      for (let i = 0; i < 10; i++)
        for (const sym of CROCKFORD) {
          if (sym === compact[i]) continue;
          expectNotOk(compact.slice(0, i) + sym + compact.slice(i + 1));
          tried++;
        }
      for (const sym of CHECK) if (sym !== compact[10]) expectNotOk(compact.slice(0, 10) + sym);
    }
    expect(tried).toBe(ids.length * 10 * 31);
  });

  it('detects every adjacent transposition in the body (exhaustive)', () => {
    const ids = [idWithBody('0123456789'), idWithBody('ABCDEFGHJK'), ...fc.sample(bytes32, { numRuns: 6, seed: 38 })];
    let swaps = 0;
    for (const id of ids) {
      const compact = shortId(id).replace(/-/g, '');
      for (let i = 0; i < 9; i++) {
        if (compact[i] === compact[i + 1]) continue;
        expectNotOk(compact.slice(0, i) + compact[i + 1]! + compact[i]! + compact.slice(i + 2));
        swaps++;
      }
    }
    expect(swaps).toBeGreaterThan(60);
  });

  it('rejects wrong lengths', () => {
    const s = shortId(idWithBody('ABCDEFGHJK')).replace(/-/g, '');
    for (const input of ['', ' - ', s.slice(0, 10), s.slice(1), s + '0', s + s, 'ABCDE-FGHJK', longId(idWithBody('ABCDEFGHJK'))]) expectNotOk(input);
  });

  it('rejects characters outside the alphabet, including U and check-only symbols in the body', () => {
    const s = shortId(idWithBody('ABCDEFGHJK')).replace(/-/g, '');
    // whatever the check symbol: a bad character must not be read as some value that happens to match
    for (const bad of ['U', 'u', '*', '~', '$', '=', '!', '.', '_', 'É', '٣', '१', '０'])
      for (const i of [0, 4, 9]) for (const c of CHECK) expectNotOk(s.slice(0, i) + bad + s.slice(i + 1, 10) + c);
    expectNotOk(s.slice(0, 10) + '!');
    expectNotOk(s.slice(0, 10) + '.');
  });
});

describe('patientQrPayload', () => {
  it('holds the long id and the url-encoded network id', () => {
    const id = patientIdOf(new Uint8Array(32).fill(3));
    const p = patientQrPayload('My Net/ü&id=x', id);
    expect(p).toContain(longId(id));
    expect(p).toContain('My%20Net%2F%C3%BC%26id%3Dx');
    expect(p).not.toContain('My Net');
    expect(p.startsWith('medchain:patient?')).toBe(true);
  });

  it('parses back to exactly the network id and long id (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), bytes32, (net, id) => {
        const p = patientQrPayload(net, id);
        const q = new URLSearchParams(p.slice(p.indexOf('?') + 1));
        expect([...q.keys()]).toEqual(['network', 'id']);
        expect(q.get('network')).toBe(net);
        expect(q.get('id')).toBe(longId(id));
        expect(p).toContain(encodeURIComponent(net));
      }),
      { numRuns: 200 },
    );
  });
});
