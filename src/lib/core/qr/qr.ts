/**
 * A small QR code encoder (byte mode, error correction level M, versions 1
 * to 10) for the patient QR code a hospital scans at reception (SPEC §2,
 * §7). Pure: bytes in, module grid out; the app draws it.
 */
import { assert } from '../assert';
import { dataCodewords, interleave } from './codewords';
import { applyMask, penalty } from './mask';
import { formatBits, Grid } from './matrix';
import { byteCapacity, MAX_VERSION } from './tables';

/** An encoded symbol: `dark[y * size + x]` is 1 for a dark module. The quiet zone (4 modules) is not included. */
export interface QrSymbol {
  readonly version: number;
  readonly size: number;
  readonly mask: number;
  readonly dark: Uint8Array;
}

/** Smallest version (1 … 10) whose level-M byte capacity holds `length` bytes, or null. */
export function versionFor(length: number): number | null {
  for (let v = 1; v <= MAX_VERSION; v++) if (length <= byteCapacity(v)) return v;
  return null;
}

/**
 * Encodes `payload` in one byte-mode segment at level M, in the smallest
 * version that holds it, with the mask of lowest penalty (or `forceMask`).
 * A payload longer than version 10 holds (213 bytes) is our own misuse.
 */
export function encodeQr(payload: Uint8Array, forceMask?: number): QrSymbol {
  const version = versionFor(payload.length);
  assert(version !== null, `QR payload of ${payload.length} bytes is longer than this encoder supports`);
  assert(forceMask === undefined || (Number.isInteger(forceMask) && forceMask >= 0 && forceMask <= 7), 'mask is 0 to 7');
  const codewords = interleave(dataCodewords(payload, version), version);
  let best: { mask: number; grid: Grid; score: number } | null = null;
  for (let mask = 0; mask < 8; mask++) {
    if (forceMask !== undefined && mask !== forceMask) continue;
    const grid = new Grid(version);
    grid.placeCodewords(codewords);
    applyMask(grid, mask);
    grid.drawFormat(formatBits(mask));
    const score = penalty(grid);
    if (best === null || score < best.score) best = { mask, grid, score };
  }
  const { mask, grid } = best!;
  return { version, size: grid.size, mask, dark: grid.dark };
}

/** SVG path data drawing the dark modules as unit squares, offset by a quiet zone of `margin` modules. */
export function qrPath(symbol: QrSymbol, margin = 4): string {
  const parts: string[] = [];
  for (let y = 0; y < symbol.size; y++)
    for (let x = 0; x < symbol.size; x++)
      if (symbol.dark[y * symbol.size + x] === 1) parts.push(`M${x + margin} ${y + margin}h1v1h-1z`);
  return parts.join('');
}
