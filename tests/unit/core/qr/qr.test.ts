/**
 * Our QR codes (core/qr/qr.ts over uqr) read back by an independent reader
 * (ZXing): the payloads the app puts in them, the error correction we ask
 * for, and the SVG path the card draws.
 */
import { describe, expect, it } from 'vitest';
import { patientQrPayload } from '../../../../src/lib/core/ids';
import { encodeQr, qrPath } from '../../../../src/lib/core/qr/qr';
import { encodeKit, kitQrPayload } from '../../../../src/lib/core/recovery-kit';
import { render } from './render';
import { readModulesText, readPixels } from './zxing-node';

const ID = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 255);
const LEVELS = ['L', 'M', 'Q', 'H'];

describe('encodeQr read back by ZXing', () => {
  it('patient payloads of networks named with 3 to 63 characters, at level M or better', async () => {
    const versions = new Set<number>();
    for (const network of ['abc', 'medchain-v1', 'hospital-network-one', 'x'.repeat(40), 'n'.repeat(63)]) {
      const text = patientQrPayload(network, ID);
      const symbol = encodeQr(text);
      versions.add(symbol.version);
      expect(symbol.size).toBe(17 + 4 * symbol.version);
      const [read] = await readPixels(render(symbol, { module: 3 }));
      expect(read?.text).toBe(text);
      expect(LEVELS.indexOf(read!.ecLevel)).toBeGreaterThanOrEqual(LEVELS.indexOf('M'));
    }
    expect(Math.max(...versions)).toBeLessThanOrEqual(8); // a phone screen shows it with modules big enough to scan
  });

  it('the recovery kit payload (digits and capitals: a smaller symbol than bytes would need)', async () => {
    const text = kitQrPayload(encodeKit(Uint8Array.from({ length: 32 }, (_, i) => 255 - i)));
    const symbol = encodeQr(text);
    expect(await readModulesText(symbol)).toBe(text);
    expect(symbol.version).toBeLessThan(encodeQr(text.toLowerCase()).version);
  });

  it('text beyond ASCII goes as UTF-8 and comes back the same', async () => {
    const text = 'é ü 漢字 — रोगी';
    expect(await readModulesText(encodeQr(text))).toBe(text);
  });

  it('spare room in the version buys a stronger level; a full version stays at M', async () => {
    // Version 1 holds 14 bytes at M, 11 at Q, 7 at H: 8 bytes go at Q.
    const [short] = await readPixels(render(encodeQr('medchain')));
    expect(short?.version).toBe('1');
    expect(short?.ecLevel).toBe('Q');
    const [full] = await readPixels(render(encodeQr('x'.repeat(14))));
    expect(full?.version).toBe('1');
    expect(full?.ecLevel).toBe('M');
  });
});

describe('qrPath', () => {
  it('draws one unit square per dark module, offset by the 4-module quiet zone', async () => {
    const symbol = encodeQr('A');
    const path = qrPath(symbol);
    expect(path.match(/M/g)?.length).toBe(symbol.dark.reduce((a, b) => a + b, 0));
    expect(path).toMatch(/^M4 4h1v1h-1z/); // the top-left finder's corner
    // Read the path back into modules, as the browser tests do with the card's SVG.
    const dark = new Uint8Array(symbol.size * symbol.size);
    for (const m of path.matchAll(/M(\d+) (\d+)h1v1h-1z/g)) dark[(Number(m[2]) - 4) * symbol.size + (Number(m[1]) - 4)] = 1;
    expect(await readModulesText({ size: symbol.size, dark })).toBe('A');
  });
});
