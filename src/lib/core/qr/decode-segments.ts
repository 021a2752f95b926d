/**
 * The text in a QR code's corrected data codewords (SPEC §2, §7; ISO/IEC
 * 18004 §7.4): a sequence of segments, each a 4-bit mode, a character count
 * and the characters, until the terminator or the end. Our encoder writes
 * one byte-mode segment; other readers' codes may use numeric and
 * alphanumeric segments or an ECI header too, so those are read as well.
 * Byte data is taken as UTF-8 (what the app writes), or as ISO 8859-1 when
 * it is not valid UTF-8 (the standard's default).
 */

export type SegmentsResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly code: 'BAD_DATA' | 'UNSUPPORTED' };

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const MODE_NUMERIC = 0b0001;
const MODE_ALPHANUMERIC = 0b0010;
const MODE_BYTE = 0b0100;
const MODE_ECI = 0b0111;

class BitReader {
  private at = 0;
  constructor(private readonly bytes: Uint8Array) {}
  get left(): number {
    return this.bytes.length * 8 - this.at;
  }
  read(count: number): number {
    let v = 0;
    for (let i = 0; i < count; i++, this.at++) v = (v << 1) | ((this.bytes[this.at >>> 3]! >>> (7 - (this.at & 7))) & 1);
    return v;
  }
}

/** Bits of the character count for a mode (numeric, alphanumeric, byte) at a version. */
function countBits(mode: number, version: number): number {
  const band = version <= 9 ? 0 : version <= 26 ? 1 : 2;
  if (mode === MODE_NUMERIC) return [10, 12, 14][band]!;
  if (mode === MODE_ALPHANUMERIC) return [9, 11, 13][band]!;
  return [8, 16, 16][band]!;
}

/** Numeric digits in groups of three (10 bits), then two (7) or one (4); false if a group is out of range or cut off. */
function readNumeric(r: BitReader, count: number, out: number[]): boolean {
  for (let left = count; left > 0; left -= 3) {
    const digits = Math.min(3, left);
    const bits = [0, 4, 7, 10][digits]!;
    if (r.left < bits) return false;
    const v = r.read(bits);
    if (v >= 10 ** digits) return false;
    for (const ch of String(v).padStart(digits, '0')) out.push(ch.charCodeAt(0));
  }
  return true;
}

/** Alphanumeric characters in pairs (11 bits) and a last single (6 bits). */
function readAlphanumeric(r: BitReader, count: number, out: number[]): boolean {
  for (let left = count; left > 0; left -= 2) {
    const pair = left >= 2;
    if (r.left < (pair ? 11 : 6)) return false;
    const v = r.read(pair ? 11 : 6);
    const chars = pair ? [Math.floor(v / 45), v % 45] : [v];
    if (chars.some((c) => c >= 45)) return false;
    for (const c of chars) out.push(ALPHANUMERIC.charCodeAt(c));
  }
  return true;
}

function text(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return String.fromCharCode(...bytes);
  }
}

/** Reads the segments of a version's data codewords. */
export function readSegments(data: Uint8Array, version: number): SegmentsResult {
  const r = new BitReader(data);
  const out: number[] = [];
  while (r.left >= 4) {
    const mode = r.read(4);
    if (mode === 0) break;
    if (mode === MODE_ECI) {
      // The designator (1–3 bytes) names a character set; UTF-8 is assumed with the ISO 8859-1 fall-back either way.
      if (r.left < 8) return { ok: false, code: 'BAD_DATA' };
      const first = r.read(8);
      const more = first < 0x80 ? 0 : first < 0xc0 ? 1 : first < 0xe0 ? 2 : -1;
      if (more < 0 || r.left < more * 8) return { ok: false, code: 'BAD_DATA' };
      r.read(more * 8);
      continue;
    }
    if (mode !== MODE_NUMERIC && mode !== MODE_ALPHANUMERIC && mode !== MODE_BYTE) return { ok: false, code: 'UNSUPPORTED' };
    const bits = countBits(mode, version);
    if (r.left < bits) return { ok: false, code: 'BAD_DATA' };
    const count = r.read(bits);
    let ok: boolean;
    if (mode === MODE_NUMERIC) ok = readNumeric(r, count, out);
    else if (mode === MODE_ALPHANUMERIC) ok = readAlphanumeric(r, count, out);
    else {
      ok = r.left >= count * 8;
      for (let i = 0; ok && i < count; i++) out.push(r.read(8));
    }
    if (!ok) return { ok: false, code: 'BAD_DATA' };
  }
  return { ok: true, text: text(Uint8Array.from(out)) };
}
