#!/usr/bin/env node
// Draws the app's PNG icons (SPEC §7: installable PWA) with no image library
// and no fetched assets: a teal tile with a white medical cross and a small
// chain link, anti-aliased by 4×4 supersampling, written as RGBA PNGs (zlib
// from node:zlib, CRC-32 computed here).
//
//   node scripts/make-icons.mjs      -> static/icons/*.png
//
// The output is committed; run this again only when the design changes.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'static', 'icons');
const TEAL = [0x1f, 0x6f, 0x6b];
const WHITE = [0xff, 0xff, 0xff];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** @param {Uint8Array} bytes */
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** @param {string} type @param {Uint8Array} data */
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** @param {number} size @param {Uint8Array} rgba */
function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.subarray(y * size * 4, (y + 1) * size * 4)).copy(raw, y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/**
 * Colour at a point of the unit square (0..1), or null for transparent.
 * @param {number} u @param {number} v @param {boolean} maskable full-bleed tile with the art in the safe zone
 */
function shade(u, v, maskable) {
  const scale = maskable ? 0.78 : 1; // maskable art stays inside the central 80% circle
  const x = (u - 0.5) / scale + 0.5;
  const y = (v - 0.5) / scale + 0.5;
  if (!maskable) {
    // Rounded tile.
    const r = 0.2;
    const dx = Math.max(r - u, 0, u - (1 - r));
    const dy = Math.max(r - v, 0, v - (1 - r));
    if (dx * dx + dy * dy > r * r) return null;
  }
  // Medical cross.
  const arm = 0.13;
  const len = 0.3;
  const inCross = (Math.abs(x - 0.5) < arm && Math.abs(y - 0.46) < len) || (Math.abs(y - 0.46) < arm && Math.abs(x - 0.5) < len);
  if (inCross) return WHITE;
  // Two chain links under the cross.
  for (const cx of [0.42, 0.58]) {
    const ex = (x - cx) / 0.1;
    const ey = (y - 0.86) / 0.055;
    const d = Math.sqrt(ex * ex + ey * ey);
    if (d > 0.62 && d < 1) return WHITE;
  }
  return TEAL;
}

/** @param {number} size @param {boolean} maskable */
function draw(size, maskable) {
  const rgba = new Uint8Array(size * size * 4);
  const S = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0,
        g = 0,
        b = 0,
        a = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const c = shade((px + (sx + 0.5) / S) / size, (py + (sy + 0.5) / S) / size, maskable);
          if (c === null) continue;
          r += c[0];
          g += c[1];
          b += c[2];
          a += 1;
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        rgba[i] = Math.round(r / a);
        rgba[i + 1] = Math.round(g / a);
        rgba[i + 2] = Math.round(b / a);
      }
      rgba[i + 3] = Math.round((255 * a) / (S * S));
    }
  }
  return png(size, rgba);
}

mkdirSync(OUT, { recursive: true });
for (const [name, size, maskable] of /** @type {const} */ ([
  ['icon-192.png', 192, false],
  ['icon-512.png', 512, false],
  ['maskable-512.png', 512, true],
  ['apple-touch-icon.png', 180, true],
])) {
  writeFileSync(path.join(OUT, name), draw(size, maskable));
  console.log(`wrote static/icons/${name}`);
}
