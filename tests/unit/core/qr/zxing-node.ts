/**
 * ZXing in Node for tests: the reader (zxing-wasm's reader, the same C++ the
 * app's polyfill runs) reads pixels or a module grid back to text, and the
 * writer (zxing-wasm's writer, built on zint) makes QR codes with an encoder
 * other than ours. The WebAssembly comes from node_modules, never a CDN.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as reader from 'zxing-wasm/reader';
import * as writer from 'zxing-wasm/writer';
import { render, type Modules, type Pixels } from './render';

const require = createRequire(import.meta.url);

/** A file of a package as its own ArrayBuffer (WebAssembly wants exactly the file's bytes). */
export function packageFile(specifier: string): ArrayBuffer {
  const bytes = readFileSync(require.resolve(specifier));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

reader.prepareZXingModule({ overrides: { wasmBinary: packageFile('zxing-wasm/reader/zxing_reader.wasm') } });
writer.prepareZXingModule({ overrides: { wasmBinary: packageFile('zxing-wasm/writer/zxing_writer.wasm') } });

/** Every QR code ZXing finds in the pixels. */
export function readPixels(pixels: Pixels): Promise<reader.ReadResult[]> {
  return reader.readBarcodes(pixels as unknown as ImageData, { formats: ['QRCode'] });
}

/** The text of the one QR code in a module grid (drawn at 4 pixels a module); throws when there is not exactly one. */
export async function readModulesText(symbol: Modules): Promise<string> {
  const found = await readPixels(render(symbol));
  if (found.length !== 1 || !found[0]!.isValid) throw new Error(`expected one readable QR code, found ${found.length}: ${found[0]?.error ?? ''}`);
  return found[0]!.text;
}

/** A QR code of `text` made by ZXing's writer (zint), as a module grid. */
export async function zintQr(text: string, ecLevel: 'L' | 'M' | 'Q' | 'H'): Promise<Modules> {
  const written = await writer.writeBarcode(text, { format: 'QRCode', options: `ecLevel=${ecLevel}`, scale: 1 });
  if (written.error) throw new Error(written.error);
  const { width, height, data } = written.symbol;
  if (width !== height) throw new Error(`a QR code is square, not ${width}×${height}`);
  return { size: width, dark: Uint8Array.from(data, (level) => (level < 128 ? 1 : 0)) };
}
