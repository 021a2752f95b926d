/**
 * The reader the scanner falls back to (barcode-detector's ZXing polyfill,
 * chosen by qr-detect.ts), run in Node on pictures as a camera might see
 * them: codes from our encoder and from another one (zint, through ZXing's
 * writer), turned, small, dim, noisy and out of focus; pictures without a
 * code are no code, never an error. Its WebAssembly is the file the app
 * bundles (qr-zxing.ts), checked against the polyfill's own record of it.
 */
import { createHash } from 'node:crypto';
import { BarcodeDetector, setZXingModuleOverrides, ZXING_WASM_SHA256, ZXING_WASM_VERSION } from 'barcode-detector/ponyfill';
import { beforeAll, describe, expect, it } from 'vitest';
import * as installed from 'zxing-wasm/reader';
import { chooseDetector, firstQrText, type DetectorClass, type QrDetector } from '../../../../src/lib/app/ui/qr-detect';
import { patientQrPayload } from '../../../../src/lib/core/ids';
import { Prng } from '../../../../src/lib/core/prng';
import { encodeQr } from '../../../../src/lib/core/qr/qr';
import { encodeKit, kitQrPayload } from '../../../../src/lib/core/recovery-kit';
import { picture, render, type Pixels, type RenderOptions } from '../../core/qr/render';
import { packageFile, zintQr } from '../../core/qr/zxing-node';

const ID = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 255);
const PATIENT = patientQrPayload('medchain-v1', ID);

/** Node has no ImageData; the polyfill recognises one by its tag, as it does a browser's. */
class NodeImageData {
  readonly [Symbol.toStringTag] = 'ImageData';
  constructor(
    readonly data: Uint8ClampedArray,
    readonly width: number,
    readonly height: number,
  ) {}
}
(globalThis as { ImageData?: unknown }).ImageData ??= NodeImageData;
/** Node has no DOMRectReadOnly either; the polyfill builds each code's bounding box with one. */
(globalThis as { DOMRectReadOnly?: unknown }).DOMRectReadOnly ??= class {
  constructor(
    readonly x = 0,
    readonly y = 0,
    readonly width = 0,
    readonly height = 0,
  ) {}
};

let detector: QrDetector;
beforeAll(async () => {
  // As the worker does on a browser without a detector of its own; the binary from node_modules stands in for the bundled URL.
  setZXingModuleOverrides({ wasmBinary: packageFile('zxing-wasm/reader/zxing_reader.wasm') });
  detector = await chooseDetector(undefined, async () => BarcodeDetector as unknown as DetectorClass);
});

const read = async (pixels: Pixels) => firstQrText(await detector.detect(new NodeImageData(pixels.data, pixels.width, pixels.height) as unknown as ImageData));

describe('the WebAssembly the app bundles', () => {
  it('is the build the polyfill’s glue was made for (same version, same bytes)', () => {
    expect(installed.ZXING_WASM_VERSION).toBe(ZXING_WASM_VERSION);
    expect(
      createHash('sha256')
        .update(new Uint8Array(packageFile('zxing-wasm/reader/zxing_reader.wasm')))
        .digest('hex'),
    ).toBe(ZXING_WASM_SHA256);
  });
});

describe('the polyfill reads', () => {
  it('our patient code at 2 to 8 pixels a module', async () => {
    const symbol = encodeQr(PATIENT);
    for (let module = 2; module <= 8; module++) expect(await read(render(symbol, { module, pad: 7 }))).toBe(PATIENT);
  });

  it('codes another encoder made (zint), at every error-correction level', async () => {
    for (const level of ['L', 'M', 'Q', 'H'] as const) {
      expect(await read(render(await zintQr(PATIENT, level), { module: 4 }))).toBe(PATIENT);
    }
    const kit = kitQrPayload(encodeKit(Uint8Array.from({ length: 32 }, (_, i) => i * 7)));
    expect(await read(render(await zintQr(kit, 'M'), { module: 3, rotate: 90 }))).toBe(kit);
  });

  it('turned by 90, 180 and 270 degrees, and by odd angles', async () => {
    const symbol = encodeQr(PATIENT);
    for (const rotate of [90, 180, 270, 10, 33, 200]) expect(await read(render(symbol, { module: 5, rotate, pad: 4 }))).toBe(PATIENT);
  });

  it('small in a large dim frame with sensor noise, and out of focus', async () => {
    const symbol = encodeQr(PATIENT);
    const cases: RenderOptions[] = [
      { module: 4, pad: 120, noise: 30, darkLevel: 60, lightLevel: 170, seed: 'noisy' },
      { module: 4, pad: 10, blur: 2 },
      { module: 6, pad: 10, blur: 2, noise: 15, rotate: 7 },
    ];
    for (const options of cases) expect(await read(render(symbol, options))).toBe(PATIENT);
  });
});

describe('pictures without a code', () => {
  it('white, black, a gradient, noise, a checkerboard and a grid are no code, without an error', async () => {
    const prng = new Prng('no code');
    const frames = [
      picture(640, 480, () => 255),
      picture(640, 480, () => 0),
      picture(640, 480, (x, y) => (x + y) & 255),
      picture(640, 480, () => prng.nextU32() & 255),
      picture(640, 480, (x, y) => (((x >> 3) + (y >> 3)) % 2 === 0 ? 0 : 255)),
      picture(640, 480, (x, y) => (Math.floor(x / 5) % 5 === 0 || Math.floor(y / 7) % 3 === 0 ? 10 : 240)),
      picture(1, 1, () => 0),
    ];
    for (const frame of frames) expect(await read(frame)).toBeNull();
  });

  it('a code with its data wiped is no code', async () => {
    const symbol = encodeQr(PATIENT);
    const dark = symbol.dark.slice();
    // Blank the bottom-right quarter (data and error correction; the three finders stay).
    for (let y = symbol.size >> 1; y < symbol.size; y++) for (let x = symbol.size >> 1; x < symbol.size; x++) dark[y * symbol.size + x] = 0;
    expect(await read(render({ size: symbol.size, dark }, { module: 4 }))).toBeNull();
  });
});
