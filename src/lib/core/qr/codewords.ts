/**
 * From payload bytes to the final codeword sequence of a QR symbol at level M
 * (ISO/IEC 18004 §7.4 and §7.6): byte-mode segment, terminator, padding,
 * Reed–Solomon blocks and their interleaving.
 */
import { assert } from '../assert';
import { rsRemainder } from './gf256';
import { blocksOf, dataCapacity } from './tables';

/** Byte mode indicator (0100). */
const MODE_BYTE = 0b0100;
/** Pad codewords, alternated after the data (11101100, 00010001). */
const PADS = [0xec, 0x11] as const;

/** Appends bits most significant first. */
class BitSink {
  readonly bits: number[] = [];
  put(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) this.bits.push((value >>> i) & 1);
  }
}

/** The data codewords of one byte-mode segment holding `payload`, padded to the version's capacity. */
export function dataCodewords(payload: Uint8Array, version: number): Uint8Array {
  const capacity = dataCapacity(version);
  const sink = new BitSink();
  sink.put(MODE_BYTE, 4);
  sink.put(payload.length, version <= 9 ? 8 : 16);
  for (const b of payload) sink.put(b, 8);
  assert(sink.bits.length <= capacity * 8, 'payload does not fit this QR version');
  sink.put(0, Math.min(4, capacity * 8 - sink.bits.length));
  sink.put(0, (8 - (sink.bits.length % 8)) % 8);
  const out = new Uint8Array(capacity);
  let i = 0;
  for (; i * 8 < sink.bits.length; i++) {
    let byte = 0;
    for (let j = 0; j < 8; j++) byte = (byte << 1) | sink.bits[i * 8 + j]!;
    out[i] = byte;
  }
  for (let k = 0; i < capacity; i++, k++) out[i] = PADS[k % 2]!;
  return out;
}

/** Splits data codewords into the version's blocks, adds each block's error correction and interleaves. */
export function interleave(data: Uint8Array, version: number): Uint8Array {
  const { ecPerBlock, group1, group2 } = blocksOf(version);
  assert(data.length === dataCapacity(version), 'interleave: wrong number of data codewords');
  const blocks: Uint8Array[] = [];
  let at = 0;
  for (const [count, size] of [group1, group2]) {
    for (let b = 0; b < count; b++) {
      blocks.push(data.subarray(at, at + size));
      at += size;
    }
  }
  const ecBlocks = blocks.map((block) => rsRemainder(block, ecPerBlock));
  const out: number[] = [];
  const longest = Math.max(...blocks.map((b) => b.length));
  for (let i = 0; i < longest; i++) for (const block of blocks) if (i < block.length) out.push(block[i]!);
  for (let i = 0; i < ecPerBlock; i++) for (const ec of ecBlocks) out.push(ec[i]!);
  return Uint8Array.from(out);
}
