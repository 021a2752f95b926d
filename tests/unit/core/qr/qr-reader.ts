/**
 * A QR reader for tests, written from ISO/IEC 18004 independently of the
 * encoder in src/lib/core/qr: its own field arithmetic (shift-and-add, no
 * tables), alignment positions from the spacing formula rather than the
 * table, its own block split and read order. It checks the structure of a
 * symbol (finders, timing, format and version information as BCH codewords,
 * Reed–Solomon syndromes of every block, terminator and pad codewords) and
 * returns the byte-mode payload, or throws naming what is wrong.
 */

/** Level M: (blocks, error-correction codewords per block), versions 1 to 10 (ISO table 9). */
const M_BLOCKS: Record<number, [number, number]> = {
  1: [1, 10], 2: [1, 16], 3: [1, 26], 4: [2, 18], 5: [2, 24],
  6: [4, 16], 7: [4, 18], 8: [4, 22], 9: [5, 22], 10: [5, 26],
};

function mulSlow(a: number, b: number): number {
  let r = 0;
  while (b > 0) {
    if (b & 1) r ^= a;
    a <<= 1;
    if (a & 0x100) a ^= 0x11d;
    b >>= 1;
  }
  return r;
}

function alignmentCentres(version: number): number[] {
  if (version === 1) return [];
  const size = 17 + 4 * version;
  const count = Math.floor(version / 7) + 2;
  const step = Math.ceil((size - 13) / (count - 1) / 2) * 2;
  const out = [6];
  for (let pos = size - 7; out.length < count; pos -= step) out.splice(1, 0, pos);
  return out;
}

/** Remainder of a GF(2) polynomial `value` modulo `poly`. */
function gf2Mod(value: number, poly: number): number {
  const pd = 31 - Math.clz32(poly);
  while (value !== 0 && 31 - Math.clz32(value) >= pd) value ^= poly << (31 - Math.clz32(value) - pd);
  return value;
}

export interface ReadResult {
  version: number;
  mask: number;
  /** Format bits as read (after removing the 0x5412 mask), for table checks. */
  format: number;
  payload: Uint8Array;
}

export function readQr(size: number, dark: Uint8Array): ReadResult {
  const version = (size - 17) / 4;
  if (!Number.isInteger(version) || !(version in M_BLOCKS)) throw new Error(`size ${size}`);
  const px = (row: number, col: number) => dark[row * size + col] === 1;
  const reserved = new Uint8Array(size * size);
  const reserve = (row: number, col: number) => (reserved[row * size + col] = 1);

  // Finder patterns (7×7: dark ring, light ring, 3×3 dark core) and separators.
  for (const [r0, c0] of [[0, 0], [0, size - 7], [size - 7, 0]] as const) {
    for (let r = -1; r <= 7; r++)
      for (let c = -1; c <= 7; c++) {
        const row = r0 + r;
        const col = c0 + c;
        if (row < 0 || col < 0 || row >= size || col >= size) continue;
        const inside = r >= 0 && r <= 6 && c >= 0 && c <= 6;
        const want = inside && (r === 0 || r === 6 || c === 0 || c === 6 || (r >= 2 && r <= 4 && c >= 2 && c <= 4));
        if (px(row, col) !== want) throw new Error(`finder at ${r0},${c0} wrong at ${row},${col}`);
        reserve(row, col);
      }
  }
  // Timing patterns.
  for (let i = 8; i < size - 8; i++) {
    if (px(6, i) !== (i % 2 === 0) || px(i, 6) !== (i % 2 === 0)) throw new Error(`timing wrong at ${i}`);
    reserve(6, i);
    reserve(i, 6);
  }
  // Alignment patterns, except where they would overlap a finder.
  const centres = alignmentCentres(version);
  for (const r of centres)
    for (const c of centres) {
      if ((r < 9 && c < 9) || (r < 9 && c > size - 10) || (r > size - 10 && c < 9)) continue;
      for (let dr = -2; dr <= 2; dr++)
        for (let dc = -2; dc <= 2; dc++) {
          const want = Math.abs(dr) === 2 || Math.abs(dc) === 2 || (dr === 0 && dc === 0);
          if (px(r + dr, c + dc) !== want) throw new Error(`alignment at ${r},${c} wrong`);
          reserve(r + dr, c + dc);
        }
    }
  // Dark module.
  if (!px(size - 8, 8)) throw new Error('dark module is light');
  reserve(size - 8, 8);

  // Format information: both copies, most significant bit first.
  const copyA: [number, number][] = [
    [8, 0], [8, 1], [8, 2], [8, 3], [8, 4], [8, 5], [8, 7], [8, 8], [7, 8], [5, 8], [4, 8], [3, 8], [2, 8], [1, 8], [0, 8],
  ];
  const copyB: [number, number][] = [];
  for (let i = 0; i < 7; i++) copyB.push([size - 1 - i, 8]);
  for (let i = 0; i < 8; i++) copyB.push([8, size - 8 + i]);
  const readFormat = (cells: [number, number][]) => {
    let v = 0;
    for (const [row, col] of cells) {
      v = (v << 1) | (px(row, col) ? 1 : 0);
      reserve(row, col);
    }
    return v;
  };
  const fa = readFormat(copyA);
  const fb = readFormat(copyB);
  if (fa !== fb) throw new Error('format copies differ');
  const format = fa ^ 0x5412;
  if (gf2Mod(format, 0x537) !== 0) throw new Error('format bits are not a BCH codeword');
  if (format >> 13 !== 0b00) throw new Error('not level M');
  const mask = (format >> 10) & 7;

  // Version information (7 and up): 6×3 blocks near the top-right and bottom-left finders.
  if (version >= 7) {
    let vA = 0;
    let vB = 0;
    for (let i = 17; i >= 0; i--) {
      const row = Math.floor(i / 3);
      const col = size - 11 + (i % 3);
      vA = (vA << 1) | (px(row, col) ? 1 : 0);
      vB = (vB << 1) | (px(col, row) ? 1 : 0);
      reserve(row, col);
      reserve(col, row);
    }
    if (vA !== vB) throw new Error('version copies differ');
    if (gf2Mod(vA, 0x1f25) !== 0 || vA >> 12 !== version) throw new Error('version information wrong');
  }

  // Read data modules: two-column strips from the right, alternating up and down.
  const bits: number[] = [];
  let up = true;
  for (let col = size - 1; col > 0; col -= 2) {
    if (col === 6) col--;
    for (let k = 0; k < size; k++) {
      const row = up ? size - 1 - k : k;
      for (const c of [col, col - 1]) {
        if (reserved[row * size + c]) continue;
        let bit = px(row, c) ? 1 : 0;
        const i = row;
        const j = c;
        const flips = [
          (i + j) % 2 === 0,
          i % 2 === 0,
          j % 3 === 0,
          (i + j) % 3 === 0,
          (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0,
          ((i * j) % 2) + ((i * j) % 3) === 0,
          (((i * j) % 2) + ((i * j) % 3)) % 2 === 0,
          (((i * j) % 3) + ((i + j) % 2)) % 2 === 0,
        ][mask]!;
        if (flips) bit ^= 1;
        bits.push(bit);
      }
    }
    up = !up;
  }
  const total = Math.floor(bits.length / 8);
  const codewords: number[] = [];
  for (let i = 0; i < total; i++) codewords.push(parseInt(bits.slice(i * 8, i * 8 + 8).join(''), 2));

  // De-interleave into blocks and check every block's syndromes.
  const [blocks, ec] = M_BLOCKS[version]!;
  const dataTotal = total - blocks * ec;
  const shortLen = Math.floor(dataTotal / blocks);
  const longCount = dataTotal % blocks;
  const lens = Array.from({ length: blocks }, (_, b) => shortLen + (b >= blocks - longCount ? 1 : 0));
  const dataBlocks: number[][] = lens.map(() => []);
  let at = 0;
  for (let i = 0; i <= shortLen; i++) for (let b = 0; b < blocks; b++) if (i < lens[b]!) dataBlocks[b]!.push(codewords[at++]!);
  const ecBlocks: number[][] = lens.map(() => []);
  for (let i = 0; i < ec; i++) for (let b = 0; b < blocks; b++) ecBlocks[b]!.push(codewords[at++]!);
  for (let b = 0; b < blocks; b++) {
    const word = [...dataBlocks[b]!, ...ecBlocks[b]!];
    let alpha = 1;
    for (let s = 0; s < ec; s++) {
      let acc = 0;
      for (const c of word) acc = mulSlow(acc, alpha) ^ c;
      if (acc !== 0) throw new Error(`block ${b} fails syndrome ${s}`);
      alpha = mulSlow(alpha, 2);
    }
  }

  // Byte-mode segment, terminator and pads.
  const data = dataBlocks.flat();
  const dataBits = data.flatMap((byte) => Array.from({ length: 8 }, (_, k) => (byte >> (7 - k)) & 1));
  let p = 0;
  const take = (n: number) => {
    let v = 0;
    for (let k = 0; k < n; k++) v = (v << 1) | dataBits[p++]!;
    return v;
  };
  if (take(4) !== 0b0100) throw new Error('not byte mode');
  const count = take(version <= 9 ? 8 : 16);
  const payload = new Uint8Array(count);
  for (let k = 0; k < count; k++) payload[k] = take(8);
  const term = Math.min(4, dataBits.length - p);
  if (take(term) !== 0) throw new Error('terminator is not zero');
  while (p % 8 !== 0) if (take(1) !== 0) throw new Error('padding bits are not zero');
  for (let k = 0; p < dataBits.length; k++) if (take(8) !== (k % 2 === 0 ? 0xec : 0x11)) throw new Error('pad codewords wrong');
  return { version, mask, format, payload };
}
