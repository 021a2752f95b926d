/**
 * Which barcode detector reads the camera's frames (SPEC §2, §7): the
 * browser's own `BarcodeDetector` where it has one that knows QR codes
 * (Chrome on Android, ChromeOS and macOS), else the `barcode-detector`
 * polyfill (ZXing compiled to WebAssembly). Both speak the same Shape
 * Detection API, so the rest of the scanner does not care which it got.
 * Kept apart from the worker so Node tests can run it on the polyfill.
 */

/** What a detector reports per code; only the fields we read. */
export interface DetectedCode {
  readonly rawValue: string;
  readonly format: string;
}

/** A frame a detector accepts: a bitmap from the camera, or pixels (tests). */
export type DetectorImage = ImageBitmap | ImageData;

/** The part of the Shape Detection API's `BarcodeDetector` we use. */
export interface QrDetector {
  detect(image: DetectorImage): Promise<readonly DetectedCode[]>;
}

/** The `BarcodeDetector` constructor, native or the polyfill's. */
export interface DetectorClass {
  new (options: { formats: 'qr_code'[] }): QrDetector;
  getSupportedFormats(): Promise<readonly string[]>;
}

const QR = 'qr_code' as const;

/**
 * The native detector when `native` exists and lists QR codes (a native
 * detector without them, e.g. Chrome on Linux, would find nothing), else the
 * polyfill, which `polyfill` loads only then: a phone with its own detector
 * never downloads the WebAssembly.
 */
export async function chooseDetector(native: DetectorClass | undefined, polyfill: () => Promise<DetectorClass>): Promise<QrDetector> {
  if (native) {
    try {
      if ((await native.getSupportedFormats()).includes(QR)) return new native({ formats: [QR] });
    } catch (error) {
      // A native detector that cannot even list its formats is as good as none: use the polyfill.
      void error;
    }
  }
  const Polyfill = await polyfill();
  return new Polyfill({ formats: [QR] });
}

/**
 * The text of the first QR code found, or null. A code with empty text
 * (binary content the detector cannot show as text) counts as none: no
 * medchain code is binary, so the scanner keeps looking.
 */
export function firstQrText(found: readonly DetectedCode[]): string | null {
  return found.find((code) => code.format === QR && code.rawValue !== '')?.rawValue ?? null;
}
