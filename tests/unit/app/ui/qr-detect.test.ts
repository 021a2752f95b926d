/**
 * What the scanner accepts (qr-detect.ts): the browser's own detector when
 * it reads QR codes, else the ZXing polyfill, and the first QR code's text.
 * The polyfill itself is run on pictures in qr-polyfill.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { chooseDetector, firstQrText, type DetectedCode, type DetectorClass } from '../../../../src/lib/app/ui/qr-detect';

function detectorClass(name: string, formats: () => Promise<readonly string[]>): DetectorClass & { made: string[][] } {
  const made: string[][] = [];
  return Object.assign(
    class {
      readonly name = name;
      constructor(options: { formats: string[] }) {
        made.push(options.formats);
      }
      async detect(): Promise<readonly DetectedCode[]> {
        return [];
      }
      static getSupportedFormats = formats;
    },
    { made },
  );
}

const nameOf = (d: unknown) => (d as { name: string }).name;

describe('chooseDetector', () => {
  it('takes the native detector when it lists QR codes, and never loads the polyfill', async () => {
    const native = detectorClass('native', async () => ['ean_13', 'qr_code']);
    let loaded = 0;
    const chosen = await chooseDetector(native, async () => {
      loaded++;
      return detectorClass('polyfill', async () => ['qr_code']);
    });
    expect(nameOf(chosen)).toBe('native');
    expect(native.made).toEqual([['qr_code']]);
    expect(loaded).toBe(0);
  });

  it('takes the polyfill when there is no native detector, when it lacks QR codes, or when it fails to list its formats', async () => {
    const natives = [
      undefined,
      detectorClass('native', async () => ['ean_13', 'code_128']),
      detectorClass('native', () => Promise.reject(new DOMException('broken', 'NotSupportedError'))),
    ];
    for (const native of natives) {
      const polyfill = detectorClass('polyfill', async () => ['qr_code']);
      const chosen = await chooseDetector(native, async () => polyfill);
      expect(nameOf(chosen)).toBe('polyfill');
      expect(polyfill.made).toEqual([['qr_code']]);
      expect(native?.made ?? []).toEqual([]);
    }
  });

  it('a polyfill that cannot load is the caller’s failure to report', async () => {
    await expect(chooseDetector(undefined, () => Promise.reject(new Error('no wasm')))).rejects.toThrow('no wasm');
  });
});

describe('firstQrText', () => {
  it('is the first QR code with text; other formats and empty text are no code', () => {
    expect(firstQrText([])).toBeNull();
    expect(firstQrText([{ format: 'ean_13', rawValue: '4006381333931' }])).toBeNull();
    expect(firstQrText([{ format: 'qr_code', rawValue: '' }])).toBeNull();
    expect(
      firstQrText([
        { format: 'ean_13', rawValue: '1' },
        { format: 'qr_code', rawValue: '' },
        { format: 'qr_code', rawValue: 'medchain:patient?x' },
        { format: 'qr_code', rawValue: 'second' },
      ]),
    ).toBe('medchain:patient?x');
  });
});
