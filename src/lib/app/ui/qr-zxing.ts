/**
 * The ZXing polyfill of `BarcodeDetector` with its WebAssembly served by
 * us: the package fetches `zxing_reader.wasm` from a CDN unless told
 * otherwise, which the page's CSP (connect-src) would refuse and which would
 * tell a third party each time a hospital scans. Vite bundles the file into
 * build/ (`?url`), and ZXing's `locateFile` hook points there. Loaded only by
 * the reader worker, and only when the browser has no detector of its own.
 */
import { BarcodeDetector, setZXingModuleOverrides } from 'barcode-detector/ponyfill';
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import type { DetectorClass } from './qr-detect';

/** Points ZXing at our own copy of its WebAssembly (same version and bytes as the glue expects: tests/unit/app/ui/qr-polyfill.test.ts), then gives the class. */
export function zxingDetector(): DetectorClass {
  setZXingModuleOverrides({ locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path) });
  return BarcodeDetector;
}
