/**
 * The decoder's parts on their own (issue 6): format and version
 * information with bit errors, segment parsing of every supported mode, the
 * homography and the finder ratio.
 */
import { describe, expect, it } from 'vitest';
import { finderRatio } from '../../../../src/lib/core/qr/decode-finder';
import { readFormat, readVersion } from '../../../../src/lib/core/qr/decode-format';
import type { Point } from '../../../../src/lib/core/qr/decode-locate';
import { readSegments } from '../../../../src/lib/core/qr/decode-segments';
import { project, quadToQuad } from '../../../../src/lib/core/qr/decode-transform';
import { encodeQr } from '../../../../src/lib/core/qr/qr';

const utf8 = (s: string) => new TextEncoder().encode(s);

/** Codewords from a string of bits (spaces ignored), zero-padded to whole bytes. */
function bits(s: string): Uint8Array {
  const b = s.replace(/ /g, '');
  const out = new Uint8Array(Math.ceil(b.length / 8));
  for (let i = 0; i < b.length; i++) if (b[i] === '1') out[i >> 3]! |= 0x80 >> (i & 7);
  return out;
}

describe('format information', () => {
  it('reads level M and the mask of every encoded mask', () => {
    for (let mask = 0; mask < 8; mask++) {
      const s = encodeQr(utf8('format'), mask);
      expect(readFormat(s.dark, s.size)).toEqual({ level: 'M', mask, distance: 0 });
    }
  });

  it('survives 3 wrong bits in one copy, and a ruined copy when the other is clean', () => {
    const s = encodeQr(utf8('format'), 5);
    const dark = s.dark.slice();
    for (const [x, y] of [[8, 0], [8, 3], [2, 8]] as const) dark[y * s.size + x]! ^= 1;
    expect(readFormat(dark, s.size)).toMatchObject({ level: 'M', mask: 5 });
    for (let i = 0; i < 8; i++) dark[8 * s.size + s.size - 1 - i] = 0;
    for (let i = 0; i < 7; i++) dark[(s.size - 7 + i) * s.size + 8] = 0;
    expect(readFormat(dark, s.size)).toMatchObject({ level: 'M', mask: 5 });
  });

  it('gives up when both copies have 4 or more wrong bits', () => {
    const s = encodeQr(utf8('format'), 2);
    const dark = s.dark.slice();
    for (const [x, y] of [[8, 0], [8, 1], [8, 2], [8, 3]] as const) dark[y * s.size + x]! ^= 1;
    for (let i = 0; i < 4; i++) dark[8 * s.size + s.size - 1 - i]! ^= 1;
    expect(readFormat(dark, s.size)).toBeNull();
  });

  it('recognises the other levels by the standard table (level L, mask 0 is 111011111000100)', () => {
    const size = 21;
    const grid = new Uint8Array(size * size);
    const value = 0b111011111000100;
    // Write copy B only: bits 0–7 along row 8 from the right, 8–14 up column 8 from the bottom.
    for (let i = 0; i < 8; i++) grid[8 * size + size - 1 - i] = (value >> i) & 1;
    for (let i = 8; i < 15; i++) grid[(size - 15 + i) * size + 8] = (value >> i) & 1;
    expect(readFormat(grid, size)).toEqual({ level: 'L', mask: 0, distance: 0 });
  });

  it('reads version information of versions 7 to 10, with 3 wrong bits', () => {
    for (let v = 7; v <= 10; v++) {
      const s = encodeQr(new Uint8Array([122, 123, 153, 181][v - 7]!));
      expect(s.version).toBe(v);
      const dark = s.dark.slice();
      for (let i = 0; i < 3; i++) dark[i * s.size + s.size - 11]! ^= 1;
      expect(readVersion(dark, s.size)).toBe(v);
    }
  });
});

describe('segments', () => {
  it('numeric: groups of 3, 2 and 1 digits', () => {
    // mode 0001, count 8 (10 bits), 123 456 78
    expect(readSegments(bits('0001 0000001000 0001111011 0111001000 1001110 0000'), 1)).toEqual({ ok: true, text: '12345678' });
  });

  it('alphanumeric: pairs and a single character', () => {
    // mode 0010, count 5 (9 bits): "AC-42" → (A,C)=10*45+12, (-,4)=41*45+4, (2)=2
    const pair = (a: number, b: number) => (a * 45 + b).toString(2).padStart(11, '0');
    const s = `0010 000000101 ${pair(10, 12)} ${pair(41, 4)} 000010 0000`;
    expect(readSegments(bits(s), 1)).toEqual({ ok: true, text: 'AC-42' });
  });

  it('byte mode after an ECI header (UTF-8), mixed with numeric', () => {
    const b = [...utf8('é')].map((x) => x.toString(2).padStart(8, '0')).join(' ');
    const s = `0111 00011010 0100 00000010 ${b} 0001 0000000001 0111 0000`;
    expect(readSegments(bits(s), 1)).toEqual({ ok: true, text: 'é7' });
  });

  it('byte data that is not UTF-8 is read as ISO 8859-1', () => {
    expect(readSegments(bits('0100 00000001 11101001 0000'), 1)).toEqual({ ok: true, text: 'é' });
  });

  it('versions 10 and up count bytes in 16 bits', () => {
    expect(readSegments(bits('0100 0000000000000001 01000001 0000'), 10)).toEqual({ ok: true, text: 'A' });
  });

  it('a count longer than the data, a digit group out of range, or kanji mode are refused with a code', () => {
    expect(readSegments(bits('0100 11111111 01000001'), 1)).toMatchObject({ ok: false, code: 'BAD_DATA' });
    expect(readSegments(bits('0001 0000000011 1111101000'), 1)).toMatchObject({ ok: false, code: 'BAD_DATA' });
    expect(readSegments(bits('1000 00000001 0000000000000'), 1)).toMatchObject({ ok: false, code: 'UNSUPPORTED' });
  });
});

describe('geometry', () => {
  it('quadToQuad maps each corner onto its image, and the inverse back', () => {
    const square: [Point, Point, Point, Point] = [{ x: 3.5, y: 3.5 }, { x: 21.5, y: 3.5 }, { x: 18.5, y: 18.5 }, { x: 3.5, y: 21.5 }];
    const seen: [Point, Point, Point, Point] = [{ x: 110, y: 40 }, { x: 380, y: 20 }, { x: 440, y: 380 }, { x: 40, y: 350 }];
    const h = quadToQuad(square, seen)!;
    const back = quadToQuad(seen, square)!;
    for (let i = 0; i < 4; i++) {
      const p = project(h, square[i]!.x, square[i]!.y)!;
      expect(p.x).toBeCloseTo(seen[i]!.x, 6);
      expect(p.y).toBeCloseTo(seen[i]!.y, 6);
      const q = project(back, p.x, p.y)!;
      expect(q.x).toBeCloseTo(square[i]!.x, 6);
    }
  });

  it('a degenerate quad (three points on a line) gives null, not a throw', () => {
    const line: [Point, Point, Point, Point] = [{ x: 0, y: 0 }, { x: 1, y: 1 }, { x: 2, y: 2 }, { x: 3, y: 3 }];
    expect(quadToQuad(line, line)).toBeNull();
  });

  it('finderRatio accepts 1:1:3:1:1 at any scale within tolerance, and rejects others', () => {
    expect(finderRatio([1, 1, 3, 1, 1])).toBe(true);
    expect(finderRatio([4, 5, 12, 4, 3])).toBe(true);
    expect(finderRatio([1, 1, 1, 1, 1])).toBe(false);
    expect(finderRatio([4, 4, 4, 4, 12])).toBe(false);
    expect(finderRatio([0, 0, 3, 0, 0])).toBe(false);
  });
});
