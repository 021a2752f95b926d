import { describe, expect, it } from 'vitest';
import { AssertionError } from '../../../../src/lib/core/assert';
import { dataCodewords } from '../../../../src/lib/core/qr/codewords';
import { rsRemainder } from '../../../../src/lib/core/qr/gf256';
import { formatBits, versionBits } from '../../../../src/lib/core/qr/matrix';
import { encodeQr, qrPath, versionFor } from '../../../../src/lib/core/qr/qr';
import { byteCapacity, dataCapacity, MAX_VERSION } from '../../../../src/lib/core/qr/tables';
import { readQr } from './qr-reader';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('QR building blocks against published values', () => {
  it('Reed–Solomon: the "HELLO WORLD" 1-M data codewords give the published error correction', () => {
    // Data codewords and EC codewords of the worked example in ISO/IEC 18004 Annex I / Thonky's tutorial.
    const data = Uint8Array.from([32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17]);
    expect([...rsRemainder(data, 10)]).toEqual([196, 35, 39, 119, 235, 215, 231, 226, 93, 23]);
  });

  it('format information for level M matches the standard table', () => {
    const table = [
      '101010000010010', '101000100100101', '101111001111100', '101101101001011',
      '100010111111001', '100000011001110', '100111110010111', '100101010100000',
    ];
    for (let mask = 0; mask < 8; mask++) expect(formatBits(mask).toString(2).padStart(15, '0')).toBe(table[mask]);
  });

  it('version information matches the standard table', () => {
    expect(versionBits(7).toString(2).padStart(18, '0')).toBe('000111110010010100');
    expect(versionBits(8).toString(2).padStart(18, '0')).toBe('001000010110111100');
    expect(versionBits(9).toString(2).padStart(18, '0')).toBe('001001101010011001');
    expect(versionBits(10).toString(2).padStart(18, '0')).toBe('001010010011010011');
  });

  it('byte-mode capacities at level M match the standard (14, 26, 42, … 213 bytes)', () => {
    expect(Array.from({ length: MAX_VERSION }, (_, i) => byteCapacity(i + 1))).toEqual([14, 26, 42, 62, 84, 106, 122, 152, 180, 213]);
  });

  it('codeword totals agree with the modules left after function patterns', () => {
    for (let v = 1; v <= MAX_VERSION; v++) {
      // Raw data modules: (16v + 128)v + 64, less alignment patterns and version information.
      let raw = (16 * v + 128) * v + 64;
      if (v >= 2) {
        const align = Math.floor(v / 7) + 2;
        raw -= (25 * align - 10) * align - 55;
        if (v >= 7) raw -= 36;
      }
      const ec = [10, 16, 26, 18, 24, 16, 18, 22, 22, 26][v - 1]! * [1, 1, 1, 2, 2, 4, 4, 4, 5, 5][v - 1]!;
      expect(dataCapacity(v) + ec).toBe(Math.floor(raw / 8));
    }
  });

  it('byte mode: header, payload, terminator and alternating pads', () => {
    const cw = dataCodewords(utf8('AB'), 1);
    // 0100 00000010 01000001 01000010 0000 then pads EC 11 …
    expect([...cw.subarray(0, 5)]).toEqual([0x40, 0x24, 0x14, 0x20, 0xec]);
    expect([...cw.subarray(5, 8)]).toEqual([0x11, 0xec, 0x11]);
    expect(cw.length).toBe(16);
  });
});

describe('encodeQr read back by an independent reader', () => {
  const payloads = [
    '',
    'A',
    'medchain',
    'x'.repeat(14),
    'x'.repeat(15),
    'medchain:patient?network=medchain-v1&id=' + 'ABCDEFGHJKMNPQRSTVWXYZ0123456789ABCDEFGHJKMNPQRSTVWX',
    'é ü 漢字 — UTF-8 bytes',
    'y'.repeat(122),
    'z'.repeat(123),
    'q'.repeat(213),
  ];
  for (const text of payloads) {
    it(`round-trips ${text.length} characters`, () => {
      const bytes = utf8(text);
      const symbol = encodeQr(bytes);
      expect(symbol.version).toBe(versionFor(bytes.length));
      expect(symbol.size).toBe(17 + 4 * symbol.version);
      const read = readQr(symbol.size, symbol.dark);
      expect(read.version).toBe(symbol.version);
      expect(read.mask).toBe(symbol.mask);
      expect([...read.payload]).toEqual([...bytes]);
    });
  }

  it('every one of the eight masks gives a readable symbol', () => {
    const bytes = utf8('medchain:patient?network=medchain-v1&id=0123456789');
    for (let mask = 0; mask < 8; mask++) {
      const symbol = encodeQr(bytes, mask);
      expect(symbol.mask).toBe(mask);
      expect([...readQr(symbol.size, symbol.dark).payload]).toEqual([...bytes]);
    }
  });

  it('the reader notices a damaged symbol (so the round trips above mean something)', () => {
    const symbol = encodeQr(utf8('medchain test payload'));
    const damaged = symbol.dark.slice();
    // Flip one data module in the bottom-right corner (first codeword).
    const corner = (symbol.size - 1) * symbol.size + (symbol.size - 1);
    damaged[corner] = damaged[corner]! ^ 1;
    expect(() => readQr(symbol.size, damaged)).toThrow(/syndrome/);
  });

  it('a payload beyond version 10 is our own misuse', () => {
    expect(versionFor(214)).toBeNull();
    expect(() => encodeQr(new Uint8Array(214))).toThrow(AssertionError);
  });

  it('qrPath draws one unit square per dark module inside the quiet zone', () => {
    const symbol = encodeQr(utf8('A'));
    const squares = qrPath(symbol).match(/M/g)?.length ?? 0;
    expect(squares).toBe(symbol.dark.reduce((a, b) => a + b, 0));
    expect(qrPath(symbol)).toMatch(/^M4 4h1v1h-1z/); // top-left finder corner, offset by the margin
  });
});
