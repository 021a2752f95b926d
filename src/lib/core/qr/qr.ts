/**
 * The QR code on a patient's card and on the recovery kit (SPEC §2, §7):
 * text in, a grid of modules out, drawn by the app as one SVG path. The
 * encoding itself is uqr's (a port of Nayuki's reference-quality encoder,
 * README's dependency table); this module fixes our choices: error
 * correction at least level M, raised for free when the chosen version has
 * room, and a 4-module quiet zone left to the drawing.
 */
import { encode } from 'uqr';

/** An encoded symbol: `dark[y * size + x]` is 1 for a dark module. The quiet zone is not included. */
export interface QrSymbol {
  readonly version: number;
  readonly size: number;
  readonly dark: Uint8Array;
}

/**
 * Encodes `text` in the smallest version that holds it at level M. A camera
 * at reception sees the card on a phone screen, often with glare: M restores
 * up to 15% of the codewords, and any spare room in that version buys more.
 */
export function encodeQr(text: string): QrSymbol {
  const { version, size, data } = encode(text, { ecc: 'M', boostEcc: true, border: 0 });
  const dark = new Uint8Array(size * size);
  data.forEach((row, y) => row.forEach((on, x) => (dark[y * size + x] = on ? 1 : 0)));
  return { version, size, dark };
}

/**
 * SVG path data drawing the dark modules as unit squares, offset by a quiet
 * zone of `margin` modules (ISO/IEC 18004 asks for 4). One square per module
 * keeps the drawing exact at any zoom and lets tests read the modules back.
 */
export function qrPath(symbol: QrSymbol, margin = 4): string {
  const parts: string[] = [];
  for (let y = 0; y < symbol.size; y++)
    for (let x = 0; x < symbol.size; x++) if (symbol.dark[y * symbol.size + x] === 1) parts.push(`M${x + margin} ${y + margin}h1v1h-1z`);
  return parts.join('');
}
