/**
 * The QR decoder end to end (issue 6, SPEC §2, §7): what our encoder makes,
 * rendered to RGBA as a camera might see it, reads back to the same text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { patientQrPayload } from '../../../../src/lib/core/ids';
import { decodeQr } from '../../../../src/lib/core/qr/decode';
import type { Point } from '../../../../src/lib/core/qr/decode-locate';
import { encodeQr, type QrSymbol } from '../../../../src/lib/core/qr/qr';
import { render, withModules } from './decode-render';

const utf8 = (s: string) => new TextEncoder().encode(s);
const ID = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 255);

function expectText(result: ReturnType<typeof decodeQr>, text: string): void {
  if (!result.ok) throw new Error(`decode failed: ${result.code}`);
  expect(result.text).toBe(text);
}

describe('decodeQr reads what encodeQr writes', () => {
  it('a patient payload at module sizes 2 to 9 pixels', () => {
    const text = patientQrPayload('medchain-v1', ID);
    const symbol = encodeQr(utf8(text));
    for (let module = 2; module <= 9; module++) expectText(decodeQr(render(symbol, { module, pad: 7 })), text);
  });

  it('every version the encoder makes for patient payloads (network ids of 3 to 63 characters)', () => {
    const versions = new Set<number>();
    for (const id of ['abc', 'hospital-network-one', 'x'.repeat(40), 'n'.repeat(63)]) {
      const text = patientQrPayload(id, ID);
      const symbol = encodeQr(utf8(text));
      versions.add(symbol.version);
      expectText(decodeQr(render(symbol, { module: 3, pad: 10 })), text);
    }
    expect([...versions].sort()).toEqual([5, 6, 7, 8]);
  });

  it('every version 1 to 10 and every mask', () => {
    for (const length of [1, 20, 40, 60, 80, 100, 120, 150, 170, 200]) {
      const text = 'p'.repeat(length - 1) + '#';
      expectText(decodeQr(render(encodeQr(utf8(text)), { module: 3 })), text);
    }
    for (let mask = 0; mask < 8; mask++) expectText(decodeQr(render(encodeQr(utf8('mask test'), mask), { module: 4 })), 'mask test');
  });

  it('rotated by 90, 180 and 270 degrees, and by odd angles', () => {
    const text = patientQrPayload('medchain-v1', ID);
    const symbol = encodeQr(utf8(text));
    for (const rotate of [90, 180, 270, 10, 33, 200]) expectText(decodeQr(render(symbol, { module: 5, rotate, pad: 4 })), text);
  });

  it('in a larger frame, dimly lit, with sensor noise', () => {
    const text = patientQrPayload('hospital-network-one', ID);
    const symbol = encodeQr(utf8(text));
    const result = decodeQr(render(symbol, { module: 4, pad: 120, noise: 30, darkLevel: 60, lightLevel: 170, seed: 'noisy' }));
    expectText(result, text);
  });

  it('out of focus (a 5×5 box blur over 4-pixel modules)', () => {
    const text = patientQrPayload('medchain-v1', ID);
    const img = render(encodeQr(utf8(text)), { module: 4, pad: 20, noise: 10 });
    const { width, height, data } = img;
    const blurred = new Uint8ClampedArray(data.length);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        let sum = 0;
        let n = 0;
        for (let dy = -2; dy <= 2; dy++)
          for (let dx = -2; dx <= 2; dx++) {
            const xx = x + dx;
            const yy = y + dy;
            if (xx >= 0 && yy >= 0 && xx < width && yy < height) (sum += data[(yy * width + xx) * 4]!), n++;
          }
        const i = (y * width + x) * 4;
        blurred[i] = blurred[i + 1] = blurred[i + 2] = sum / n;
        blurred[i + 3] = 255;
      }
    expectText(decodeQr({ width, height, data: blurred }), text);
  });

  it('seen at an angle (perspective), which the alignment pattern absorbs', () => {
    const text = patientQrPayload('hospital-network-one', ID);
    const symbol = encodeQr(utf8(text));
    const frame = { width: 480, height: 400 };
    // The top edge further away than the bottom, and the right side nearer than the left.
    const corners: [Point, Point, Point, Point] = [{ x: 110, y: 40 }, { x: 380, y: 20 }, { x: 440, y: 380 }, { x: 40, y: 350 }];
    expectText(decodeQr(render(symbol, { corners, frame })), text);
  });

  it('with no quiet zone beyond a single module', () => {
    const symbol = encodeQr(utf8('tight'));
    expectText(decodeQr(render(symbol, { module: 4, quiet: 1 })), 'tight');
  });

  it('a mirrored image reads too (not required, but the grid is simply transposed)', () => {
    const symbol = encodeQr(utf8('mirror'));
    const n = symbol.size;
    const mirrored = new Uint8Array(n * n);
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) mirrored[y * n + x] = symbol.dark[y * n + (n - 1 - x)]!;
    expectText(decodeQr(render(withModules(symbol, mirrored), { module: 4 })), 'mirror');
  });

  it('property: encode(random text) → render → decode gives the text back', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 60 }).filter((s) => utf8(s).length <= 213),
        fc.integer({ min: 2, max: 5 }),
        fc.constantFrom(0, 90, 180, 270),
        (text, module, rotate) => {
          const result = decodeQr(render(encodeQr(utf8(text)), { module, rotate }));
          expect(result.ok && result.text).toBe(text);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('damage within the error-correction capacity is repaired', () => {
  /** Flips `count` data modules inside one area, chosen away from the function patterns. */
  function smudge(symbol: QrSymbol, x0: number, y0: number, w: number, h: number): QrSymbol {
    const dark = symbol.dark.slice();
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) dark[y * symbol.size + x] = dark[y * symbol.size + x]! ^ 1;
    return withModules(symbol, dark);
  }

  it('a smudge of 4×4 modules in the data area', () => {
    const text = patientQrPayload('medchain-v1', ID);
    const symbol = encodeQr(utf8(text));
    const result = decodeQr(render(smudge(symbol, 12, 14, 4, 4), { module: 4 }));
    expectText(result, text);
    expect(result.ok && result.corrected).toBeGreaterThan(0);
  });

  it('version 1: five wrong codewords are repaired, beyond that the code is UNCORRECTABLE', () => {
    const symbol = encodeQr(utf8('HELLO medchain'));
    // The bottom-right 2×4 columns hold the first codewords, one byte per 2×4 block.
    // Codewords 0–2 go up columns 19–20 from the bottom, 3–5 down columns 17–18 (4 rows each): one row of each of five.
    let damaged = symbol;
    for (const [x, y] of [[19, 20], [19, 16], [19, 12], [17, 9], [17, 13]] as const) damaged = smudge(damaged, x, y, 2, 1);
    expectText(decodeQr(render(damaged, { module: 4 })), 'HELLO medchain');
    const ruined = smudge(smudge(symbol, 9, 9, 8, 8), 17, 9, 4, 8);
    const result = decodeQr(render(ruined, { module: 4 }));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.code).toBe('UNCORRECTABLE');
  });
});
