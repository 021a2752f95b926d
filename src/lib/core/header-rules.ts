/**
 * The rules a header alone must meet on its chain (SPEC §5: hash links,
 * proof of work, the paper's difficulty rule, timestamps), for blocks whose
 * bodies are not at hand: the headers of a chain-state snapshot (issue 7).
 * The same rules, with the same outcomes, as stages 1 and 2 of validate.ts
 * apply to whole blocks; the transactions those stages also check were
 * checked when the blocks were first accepted, and again by the background
 * check of the store.
 */
import { bytesEqual } from './bytes';
import { targetFromBits } from './compact';
import { ZERO_HASH } from './hash';
import { HEADER_VERSION, type BlockHeader } from './header';
import type { ChainParams } from './params';
import { hashMeetsTarget, targetBytes } from './pow';
import { requiredBits } from './retarget';

/** What a header's parent contributes to its checks. */
export interface HeaderParent {
  readonly hash: Uint8Array;
  readonly height: number;
  readonly header: { readonly bits: number; readonly time: number };
  readonly medianTimePast: number;
}

/** The first rule `header` breaks on `parent` (null: the genesis header), or null. */
export function headerFault(
  params: ChainParams,
  header: BlockHeader,
  hash: Uint8Array,
  parent: HeaderParent | null,
  ancestorTime: (height: number) => number,
): string | null {
  if (header.version !== HEADER_VERSION) return `unknown header version ${header.version}`;
  const target = targetFromBits(header.bits);
  if (target === null || target > params.powLimit) return `bits 0x${header.bits.toString(16)} are not a valid target (BAD_BITS)`;
  if (!hashMeetsTarget(hash, targetBytes(target))) return 'proof of work does not meet its target (HIGH_HASH)';
  if (!parent) {
    if (header.height !== 0 || !bytesEqual(header.prevHash, ZERO_HASH) || header.bits !== params.genesisBits) return 'not a genesis header (BAD_GENESIS)';
    return null;
  }
  if (!bytesEqual(header.prevHash, parent.hash)) return 'previous hash does not name the parent (BAD_PREV)';
  if (header.height !== parent.height + 1) return `height ${header.height} after parent height ${parent.height} (BAD_HEIGHT)`;
  const expected = requiredBits(params, { height: parent.height, bits: parent.header.bits, time: parent.header.time }, ancestorTime);
  if (header.bits !== expected) return `bits 0x${header.bits.toString(16)}, expected 0x${expected.toString(16)} (BAD_DIFFICULTY)`;
  if (header.time <= parent.medianTimePast) return `timestamp ${header.time} not after median time ${parent.medianTimePast} (TIME_TOO_OLD)`;
  return null;
}
