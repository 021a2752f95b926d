/**
 * The decoder on images that hold no readable patient QR code (issue 6):
 * a coded result every time, never a throw; NOT_FOUND when there is no code
 * at all, UNSUPPORTED for a code of another level, BAD_IMAGE for impossible
 * input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Prng } from '../../../../src/lib/core/prng';
import { decodeQr, type RgbaImage } from '../../../../src/lib/core/qr/decode';
import { formatBits, Grid } from '../../../../src/lib/core/qr/matrix';
import { encodeQr } from '../../../../src/lib/core/qr/qr';
import { render, withModules } from './decode-render';

const utf8 = (s: string) => new TextEncoder().encode(s);

function image(width: number, height: number, pixel: (x: number, y: number) => number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = data[i + 1] = data[i + 2] = pixel(x, y);
      data[i + 3] = 255;
    }
  return { width, height, data };
}

describe('no code in the picture', () => {
  it('white, black, grey gradient, sensor noise and a checkerboard at 640×480 are NOT_FOUND', () => {
    const prng = new Prng('garbage');
    const frames = [
      image(640, 480, () => 255),
      image(640, 480, () => 0),
      image(640, 480, (x, y) => (x + y) & 255),
      image(640, 480, () => prng.nextU32() & 255),
      image(640, 480, (x, y) => ((x >> 3) + (y >> 3)) % 2 === 0 ? 0 : 255),
      image(640, 480, (x, y) => (Math.floor(x / 5) % 5 === 0 || Math.floor(y / 7) % 3 === 0 ? 10 : 240)),
    ];
    for (const f of frames) expect(decodeQr(f)).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('property: random small images never throw and never decode', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 48 }), fc.integer({ min: 1, max: 48 }), fc.string(), (width, height, seed) => {
        const prng = new Prng(seed);
        const scale = 1 + (prng.nextU32() % 6);
        const r = decodeQr(image(width, height, (x, y) => (((x / scale) | 0) * 31 + ((y / scale) | 0) * 17 + prng.nextU32()) & 1 ? 0 : 255));
        expect(r.ok).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('three finder patterns around random modules: a coded failure, not a throw', () => {
    for (let seed = 0; seed < 30; seed++) {
      const prng = new Prng(`finders-${seed}`);
      const real = encodeQr(utf8('medchain:patient?network=x&id=y'));
      const dark = real.dark.slice();
      const grid = new Grid(real.version);
      for (let i = 0; i < dark.length; i++) if (grid.isFunction[i] === 0) dark[i] = prng.nextU32() & 1;
      const r = decodeQr(render(withModules(real, dark), { module: 3, rotate: seed * 12 }));
      expect(r.ok).toBe(false);
      expect(['NOT_FOUND', 'BAD_FORMAT', 'UNCORRECTABLE', 'BAD_DATA']).toContain(!r.ok && r.code);
    }
  });

  it('a half-covered code is a coded failure', () => {
    const symbol = encodeQr(utf8('medchain:patient?network=medchain-v1&id=ABCDEFGHJK'));
    const img = render(symbol, { module: 4 });
    for (let i = (img.height >> 1) * img.width * 4; i < img.data.length; i += 4) img.data[i] = img.data[i + 1] = img.data[i + 2] = 255;
    expect(decodeQr(img).ok).toBe(false);
  });
});

describe('codes this reader does not take', () => {
  it('a level-L symbol is recognised and reported UNSUPPORTED', () => {
    const symbol = encodeQr(utf8('level L'), 3);
    const grid = new Grid(symbol.version);
    grid.dark.set(symbol.dark);
    grid.drawFormat(formatBits((0b01 << 3) | 3));
    expect(decodeQr(render(withModules(symbol, grid.dark), { module: 4 }))).toMatchObject({ ok: false, code: 'UNSUPPORTED' });
  });
});

describe('impossible input', () => {
  it('bad dimensions or too little data give BAD_IMAGE', () => {
    const data = new Uint8ClampedArray(16);
    for (const img of [
      { width: 0, height: 4, data },
      { width: -2, height: 2, data },
      { width: NaN, height: 2, data },
      { width: 2.5, height: 2, data },
      { width: 100, height: 100, data },
      { width: 2, height: 2, data: null as unknown as Uint8ClampedArray },
      { width: 1e6, height: 1e6, data },
    ])
      expect(decodeQr(img)).toMatchObject({ ok: false, code: 'BAD_IMAGE' });
  });
});
