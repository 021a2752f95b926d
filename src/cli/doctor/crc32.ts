/**
 * CRC-32 (IEEE 802.3, the one zlib and PNG use), which STUN's FINGERPRINT
 * attribute is made of (RFC 8489 §14.7). Written out here because Node 20's
 * `zlib.crc32` only exists from 20.15 and the command must run on any Node 20.
 */

/** The 256-entry table of the reflected polynomial 0xEDB88320. */
const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** The CRC-32 of `bytes`, as an unsigned 32-bit number. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
